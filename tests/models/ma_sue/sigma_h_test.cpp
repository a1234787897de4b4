// sigma_h of Proposition 3 on the Example 3 network, located by the engine's threshold detection
// (sweeps/ma_sue/sigma_h_*.toml): the crossing is checked by its own condition (SC1's optimal
// number of options is 1 just below it and 2 just above it, each a verified equilibrium), not by a
// stored number; and without a cost per option there is no threshold at all.

#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>

#include "engine/cube_file.hpp"
#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

const std::string kIndicator = "threshold.profit_k.SC1.2-profit_k.SC1.1.sigma";

std::string spec_text(const std::string& paradigm, const std::string& sigma_axis, const std::string& fixed = "") {
  return fmt::format(R"(model = "ma_sue"
variant = "sue"
continuation = "sigma"
{}
[options]
network = "networks/example3_segments.toml"
equilibrium = "{}"
beta_bar = "conditional"
demand = "mass_weighted"
choice = "sealed"
segments = "optimal"
segment_boundaries = "joint_optimal"

[[axis]]
name = "sigma"
{}

[[threshold]]
indicator = "profit_k.SC1.2"
minus = "profit_k.SC1.1"
kind = "real"
axis = "sigma"
tolerance = 1e-8
)",
                     fixed, paradigm, sigma_axis);
}

SweepSpec parse(const std::string& text) {
  return parse_spec(text, testing::source_dir() + "/sweeps/ma_sue/sigma_h_test.toml", builtin_models());
}

struct Sweep {
  std::vector<double> sigma, options, gain, status, threshold;
  double count = 0;
};

Sweep run(const std::string& text, const std::string& name) {
  testing::ScratchDir dir("sigma_h_" + name);
  const std::string out = dir.file("cube.h5");
  testing::run_quietly(parse(text), out);
  CubeReader r(out);
  Sweep s;
  s.sigma = r.read_f64("sigma");
  s.options = r.read_f64("options.SC1");
  const auto two = r.read_f64("profit_k.SC1.2"), one = r.read_f64("profit_k.SC1.1");
  for (std::size_t i = 0; i < two.size(); ++i) s.gain.push_back(two[i] - one[i]);
  s.status = r.read_f64("status");
  s.threshold = r.read_f64(kIndicator);
  s.count = r.read_f64("threshold_count.profit_k.SC1.2-profit_k.SC1.1.sigma").at(0);
  return s;
}

double sigma_h(const std::string& paradigm) {
  const Sweep s = run(spec_text(paradigm, "linspace = [0.02, 0.40, 20]"), paradigm);
  EXPECT_EQ(s.count, 1) << paradigm;
  return s.threshold.at(0);
}

TEST(MaSueSigmaH, SecondOptionPaysAtEverySigmaWithoutACostPerOption) {
  for (const std::string paradigm : {"centralized", "decentralized"}) {
    const Sweep s = run(spec_text(paradigm, "linspace = [0.02, 0.40, 20]", "[fixed]\n\"SC1.F\" = 0.0\n"), paradigm + "_F0");
    for (std::size_t i = 0; i < s.sigma.size(); ++i) {
      ASSERT_EQ(s.status[i], 0) << paradigm << " sigma " << s.sigma[i];
      EXPECT_GT(s.gain[i], 0) << paradigm << " sigma " << s.sigma[i];
      EXPECT_EQ(s.options[i], 2) << paradigm << " sigma " << s.sigma[i];
    }
    EXPECT_EQ(s.count, 0) << paradigm;
    EXPECT_TRUE(std::isnan(s.threshold[0])) << paradigm;
  }
}

TEST(MaSueSigmaH, OptimalCountSwitchesFromOneToTwoAtTheLocatedThreshold) {
  for (const std::string paradigm : {"centralized", "decentralized"}) {
    const double h = sigma_h(paradigm);
    ASSERT_TRUE(std::isfinite(h)) << paradigm;
    // 1e-6 of sigma is 100x the requested tolerance (1e-8 of the 0.38 span).
    const Sweep s = run(spec_text(paradigm, fmt::format("values = [{:.17g}, {:.17g}]", h - 1e-6, h + 1e-6)),
                        paradigm + "_around");
    ASSERT_EQ(s.status[0], 0);
    ASSERT_EQ(s.status[1], 0);
    EXPECT_EQ(s.options[0], 1) << paradigm << " just below sigma_h = " << h;
    EXPECT_EQ(s.options[1], 2) << paradigm << " just above sigma_h = " << h;
    EXPECT_LT(s.gain[0], 0);
    EXPECT_GT(s.gain[1], 0);
  }
}

TEST(MaSueSigmaH, DecentralizedThresholdExceedsCentralizedAtTheExample3Point) {
  // Proposition 3, sigma_h^D > sigma_h^C, under one reading for both paradigms.
  EXPECT_GT(sigma_h("decentralized"), sigma_h("centralized"));
}

}  // namespace
}  // namespace eqsweep
