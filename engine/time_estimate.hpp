#pragma once
// How long a run will take, from a short calibration: a few hundred points spread over the grid
// are solved cold on one thread for at most ~0.2 s, and their mean time is scaled to the grid and
// the threads. It is an estimate: the run warm-starts along the continuation axis (often faster),
// threads rarely scale perfectly, and analyses (thresholds, region maps, indices) are not counted.

#include <cstddef>
#include <optional>
#include <string>

namespace eqsweep {

struct SweepSpec;

struct TimeEstimate {
  std::size_t sampled = 0;          // points solved to calibrate
  double calibration_seconds = 0;   // what they took, on one thread
  double seconds_per_point = 0;     // one thread, the sensitivities' extra solves included
  double seconds = 0;               // the whole grid with `threads`
  int threads = 1;
  std::string unavailable;  // why the calibration stopped early (a solver error), or empty

  std::string describe() const;  // "about 2.1 h with 2 threads (calibrated on 400 points solved in 0.20 s; ...)"
};

// Runs the calibration; `threads` as the run resolves it (>= 1).
TimeEstimate estimate_time(const SweepSpec& spec, int threads, double budget_seconds = 0.2,
                           std::size_t max_points = 1000);

// Why the run would be refused for its estimated time (above run.max_hours), or nullopt. Does not
// look at run.force.
std::optional<std::string> time_limit_exceeded(const SweepSpec& spec, const TimeEstimate& estimate);

std::string duration_text(double seconds);  // "45 s", "12 min", "3.4 h", "2.1 days"

}  // namespace eqsweep
