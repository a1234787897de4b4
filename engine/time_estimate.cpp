#include "engine/time_estimate.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <vector>

#include <fmt/format.h>

#include "engine/sweep_spec.hpp"

namespace eqsweep {

namespace {

// The k-th van der Corput number in [0, 1): the first points of the sequence already spread over
// the whole grid, so a calibration cut short by its budget still samples all of it.
double van_der_corput(std::size_t k) {
  double x = 0, scale = 0.5;
  for (; k; k >>= 1, scale *= 0.5)
    if (k & 1) x += scale;
  return x;
}

// The parameters of grid point `linear` (row-major over spec.shape()).
void point_parameters(const SweepSpec& spec, std::size_t linear, std::vector<double>& params) {
  params = spec.fixed;
  for (std::size_t a = spec.axes.size(); a-- > 0;) {
    const std::size_t size = spec.axes[a].values.size();
    spec.set_axis_point(a, linear % size, params.data(), 1);
    linear /= size;
  }
}

}  // namespace

TimeEstimate estimate_time(const SweepSpec& spec, int threads, double budget_seconds, std::size_t max_points) {
  using Clock = std::chrono::steady_clock;
  TimeEstimate e;
  e.threads = std::max(threads, 1);
  const std::size_t points = spec.point_count();
  const std::size_t n_params = spec.model->parameters().size(), n_outputs = spec.model->outputs().size();
  const auto solver = spec.model->make_solver(spec.solver_setup());
  // Batches of 1, 2, 4, then 8 points: a model that takes a second per point stops after one.
  constexpr std::size_t kBatch = 8;
  std::size_t batch = 1;
  std::vector<double> params(n_params * kBatch), outputs(n_outputs * kBatch), one;
  std::vector<PointResult> results(kBatch);
  const auto start = Clock::now();
  const std::size_t limit = std::min(points, max_points);
  while (e.sampled < limit) {
    const std::size_t n = std::min(batch, limit - e.sampled);
    batch = std::min(2 * batch, kBatch);
    for (std::size_t b = 0; b < n; ++b) {
      const std::size_t k = e.sampled + b;
      // Every point of a small grid once; a large one sampled along van der Corput.
      const std::size_t linear =
          limit == points ? k : std::min(points - 1, static_cast<std::size_t>(van_der_corput(k) * static_cast<double>(points)));
      point_parameters(spec, linear, one);
      for (std::size_t p = 0; p < n_params; ++p) params[p * kBatch + b] = one[p];
    }
    try {
      solver->solve_batch(BatchView{.size = n, .stride = kBatch, .params = params.data(), .outputs = outputs.data(),
                                    .results = results.data()});
    } catch (const std::exception& error) {
      // The run reports a solver error where it happens; the estimate only says it has none.
      e.unavailable = error.what();
      break;
    }
    e.sampled += n;
    if (std::chrono::duration<double>(Clock::now() - start).count() >= budget_seconds) break;
  }
  e.calibration_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Each sensitivity solves every point twice more (x - h and x + h).
  const double solves_per_point = 1.0 + 2.0 * static_cast<double>(spec.sensitivities.size());
  e.seconds_per_point = e.sampled ? e.calibration_seconds / static_cast<double>(e.sampled) * solves_per_point : 0.0;
  e.seconds = e.seconds_per_point * static_cast<double>(points) / static_cast<double>(e.threads);
  return e;
}

std::string duration_text(double seconds) {
  if (seconds < 1) return "under 1 s";
  if (seconds < 120) return fmt::format("{:.0f} s", seconds);
  if (seconds < 7200) return fmt::format("{:.0f} min", seconds / 60);
  if (seconds < 172800) return fmt::format("{:.1f} h", seconds / 3600);
  return fmt::format("{:.3g} days", seconds / 86400);
}

std::string TimeEstimate::describe() const {
  if (sampled == 0) return fmt::format("no estimate (the calibration solve failed: {})", unavailable);
  return fmt::format("{} with {} thread{} (an estimate: {} points solved cold on one thread in {:.3g} s, {:.3g} s "
                     "per point, scaled to the grid; analyses not counted)",
                     seconds < 1 ? duration_text(seconds) : "about " + duration_text(seconds), threads, threads == 1 ? "" : "s", sampled, calibration_seconds,
                     seconds_per_point);
}

std::optional<std::string> time_limit_exceeded(const SweepSpec& spec, const TimeEstimate& estimate) {
  if (estimate.seconds <= spec.max_hours * 3600.0) return std::nullopt;
  return fmt::format("it is estimated to take {} with {} threads, more than run.max_hours = {:g} allows",
                     duration_text(estimate.seconds), estimate.threads, spec.max_hours);
}

}  // namespace eqsweep
