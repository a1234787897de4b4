// The calibrated time estimate (engine/time_estimate.cpp): a model that takes a known 2 ms per
// point is estimated at no less than that, the calibration keeps to its budget, samples the whole
// grid, and a run estimated above an hour is named for refusal.

#include "engine/time_estimate.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/sweep_spec.hpp"

namespace eqsweep {
namespace {

struct Seen {
  std::vector<double> x;
};

class SlowSolver final : public PointSolver {
 public:
  explicit SlowSolver(Seen* seen) : seen_(seen) {}
  void solve_batch(const BatchView& batch) override {
    for (std::size_t i = 0; i < batch.size; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      seen_->x.push_back(batch.params[i]);
      batch.outputs[i] = batch.params[i];  // output 0 of point i
      batch.results[i] = {PointStatus::solved, 0, kNaN};
    }
  }

 private:
  Seen* seen_;
};

// x -> x, at 2 ms a point (sleeping: never faster, whatever the machine).
class SlowModel final : public Model {
 public:
  SlowModel()
      : Model({.name = "slow",
               .description = "identity at 2 ms per point",
               .source = "tests/engine/time_estimate_test.cpp",
               .parameters = {{"x", "x", "input", "1", Domain::closed(0, 1)}},
               .outputs = {{"y", "x", "1"}},
               .variants = {{"only", "sleeps"}}}) {}
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override { return std::make_unique<SlowSolver>(&seen); }
  mutable Seen seen;
};

SweepSpec slow_spec(const SlowModel& model, long points) {
  ModelCatalog catalog;
  catalog.add(model);
  return parse_spec("model = \"slow\"\n[[axis]]\nname = \"x\"\nlinspace = [0.0, 1.0, " + std::to_string(points) + "]\n",
                    "slow.toml", catalog);
}

TEST(TimeEstimate, ScalesACalibrationWithinItsBudgetToTheGridAndThreads) {
  SlowModel model;
  const SweepSpec spec = slow_spec(model, 1000000);
  const TimeEstimate e = estimate_time(spec, 2, 0.2, 1000);
  // At most the budget plus one batch of 8 points (16 ms), with room for a loaded machine.
  EXPECT_LT(e.calibration_seconds, 1.0);
  EXPECT_GE(e.sampled, 8u);
  EXPECT_LE(e.sampled, 0.2 / 0.002 + 8);
  EXPECT_EQ(e.sampled, model.seen.x.size());
  EXPECT_GE(e.seconds_per_point, 0.002);
  EXPECT_NEAR(e.seconds, e.seconds_per_point * 1000000 / 2, 1e-6 * e.seconds);
  EXPECT_GE(e.seconds, 1000.0);
  // Even a calibration cut short samples the whole axis, not its start.
  EXPECT_LT(*std::min_element(model.seen.x.begin(), model.seen.x.end()), 0.1);
  EXPECT_GT(*std::max_element(model.seen.x.begin(), model.seen.x.end()), 0.9);
  EXPECT_NE(e.describe().find("an estimate"), std::string::npos) << e.describe();
  EXPECT_NE(e.describe().find("with 2 threads"), std::string::npos) << e.describe();
}

TEST(TimeEstimate, AboveAnHourIsNamedForRefusalAndBelowItIsNot) {
  SlowModel model;
  const SweepSpec big_spec = slow_spec(model, 10000000), small_spec = slow_spec(model, 20);
  EXPECT_EQ(big_spec.max_hours, 1.0);
  const TimeEstimate big = estimate_time(big_spec, 2, 0.05, 1000);  // >= 10^4 s
  const auto why = time_limit_exceeded(big_spec, big);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("estimated to take"), std::string::npos) << *why;
  EXPECT_NE(why->find("run.max_hours = 1"), std::string::npos) << *why;
  const TimeEstimate small = estimate_time(small_spec, 2, 1.0, 1000);  // 20 points: all of them, 40 ms
  EXPECT_EQ(small.sampled, 20u);
  EXPECT_FALSE(time_limit_exceeded(small_spec, small).has_value());
}

}  // namespace
}  // namespace eqsweep
