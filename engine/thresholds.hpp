#pragma once
// Thresholds located by new solves, not read off the grid: along one axis of a finished sweep,
// every cell where an indicator changes sign (real) or value (categorical) is refined by solving
// new points inside it, with TOMS 748 for real indicators and bisection for categorical ones,
// until the bracket is narrower than tolerance × axis span.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/sweep_spec.hpp"

namespace eqsweep {

struct ThresholdResult {
  std::vector<std::size_t> line_shape;  // the sweep's shape without the threshold axis
  std::vector<double> crossings;        // line_count × max_crossings, NaN-padded
  std::vector<std::int32_t> counts;     // crossings found per line (may exceed max_crossings)
  std::vector<std::int32_t> solves;     // extra solves per line
  std::size_t lines = 0, total_crossings = 0, total_solves = 0, failed_refinements = 0;
};

// `grid` holds the indicator at every grid point (row-major, NaN where not solved). For
// categorical indicators, the value itself; for real ones, indicator - minus.
ThresholdResult find_thresholds(const SweepSpec& spec, const ThresholdSpec& threshold, const std::vector<double>& grid,
                                int threads);

// Evaluates the indicator at one point with a cold solve; NaN where the point is not solved
// (for a real indicator) — categorical "status" indicators return the status code.
class IndicatorProbe {
 public:
  IndicatorProbe(const SweepSpec& spec, const ThresholdSpec& threshold);
  // indicator: an output name or "status"; minus: an output name or empty.
  IndicatorProbe(const SweepSpec& spec, const std::string& indicator, const std::string& minus);
  ~IndicatorProbe();
  IndicatorProbe(const IndicatorProbe&) = delete;
  IndicatorProbe& operator=(const IndicatorProbe&) = delete;
  double operator()(const double* params);
  PointStatus last_status() const;  // of the last point evaluated by operator()
  // n independent cold solves; parameter p of point i is params[p * stride + i]. A model without
  // warm starts gets them as one solve_batch call, so a closed form vectorises as in a tile.
  void evaluate_batch(const double* params, std::size_t stride, std::size_t n, double* values, PointStatus* statuses);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace eqsweep
