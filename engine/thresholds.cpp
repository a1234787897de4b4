#include "engine/thresholds.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <stdexcept>

#include <boost/math/tools/toms748_solve.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace eqsweep {

namespace {

// Categories compare equal when both are NaN (e.g. "not solved" on both sides of a cell).
bool same_category(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

struct NonFiniteIndicator {};

}  // namespace

struct IndicatorProbe::Impl {
  const SweepSpec& spec;
  std::unique_ptr<PointSolver> solver;
  int indicator = -1, minus = -1;
  std::vector<double> outputs, warm;
  std::vector<PointResult> results;
  PointResult result;

  Impl(const SweepSpec& s, const std::string& indicator_name, const std::string& minus_name)
      : spec(s), solver(s.model->make_solver(s.solver_setup())) {
    if (indicator_name != "status") indicator = s.model->output_index(indicator_name);
    if (!minus_name.empty()) minus = s.model->output_index(minus_name);
    outputs.resize(s.model->outputs().size());
    warm.resize(s.model->warm_start_size());
  }

  double value(const PointResult& r, const double* out, std::size_t stride, std::size_t i) const {
    if (indicator < 0) return static_cast<double>(r.status);
    if (r.status != PointStatus::solved) return kNaN;
    return out[static_cast<std::size_t>(indicator) * stride + i] -
           (minus >= 0 ? out[static_cast<std::size_t>(minus) * stride + i] : 0.0);
  }

  double evaluate(const double* params) {
    outputs.resize(spec.model->outputs().size());
    if (spec.model->warm_start_size() == 0) {
      BatchView batch{1, 1, params, outputs.data(), &result};
      solver->solve_batch(batch);
    } else {
      result = solver->solve_point(params, 1, outputs.data(), 1, {}, warm);
    }
    return value(result, outputs.data(), 1, 0);
  }

  void evaluate_batch(const double* params, std::size_t stride, std::size_t n, double* values, PointStatus* statuses) {
    const std::size_t n_out = spec.model->outputs().size();
    outputs.resize(n_out * stride);
    results.resize(n);
    if (spec.model->warm_start_size() == 0) {
      BatchView batch{n, stride, params, outputs.data(), results.data()};
      solver->solve_batch(batch);
    } else {
      for (std::size_t i = 0; i < n; ++i)
        results[i] = solver->solve_point(params + i, stride, outputs.data() + i, stride, {}, warm);
    }
    for (std::size_t i = 0; i < n; ++i) {
      values[i] = value(results[i], outputs.data(), stride, i);
      statuses[i] = results[i].status;
    }
  }
};

IndicatorProbe::IndicatorProbe(const SweepSpec& spec, const ThresholdSpec& threshold)
    : impl_(new Impl(spec, threshold.indicator, threshold.minus)) {}
IndicatorProbe::IndicatorProbe(const SweepSpec& spec, const std::string& indicator, const std::string& minus)
    : impl_(new Impl(spec, indicator, minus)) {}
IndicatorProbe::~IndicatorProbe() { delete impl_; }
double IndicatorProbe::operator()(const double* params) { return impl_->evaluate(params); }
PointStatus IndicatorProbe::last_status() const { return impl_->result.status; }
void IndicatorProbe::evaluate_batch(const double* params, std::size_t stride, std::size_t n, double* values,
                                    PointStatus* statuses) {
  impl_->evaluate_batch(params, stride, n, values, statuses);
}

ThresholdResult find_thresholds(const SweepSpec& spec, const ThresholdSpec& threshold, const std::vector<double>& grid,
                                int threads) {
  const auto shape = spec.shape();
  const std::size_t axis = threshold.axis;
  const std::size_t n = shape[axis];
  std::size_t stride = 1;
  for (std::size_t d = axis + 1; d < shape.size(); ++d) stride *= shape[d];

  ThresholdResult out;
  for (std::size_t d = 0; d < shape.size(); ++d)
    if (d != axis) out.line_shape.push_back(shape[d]);
  out.lines = spec.point_count() / n;
  const std::size_t K = threshold.max_crossings;
  out.crossings.assign(out.lines * K, kNaN);
  out.counts.assign(out.lines, 0);
  out.solves.assign(out.lines, 0);

  const auto& xs = spec.axes[axis].values;
  const double span = n > 1 ? std::abs(xs.back() - xs.front()) : 0.0;
  const double tol_abs = threshold.tolerance * span;
  const int param = spec.axes[axis].parameter;
  std::atomic<std::size_t> failed{0};

  tbb::enumerable_thread_specific<std::unique_ptr<IndicatorProbe>> probes;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, out.lines, [&](std::size_t line) {
      // Grid coordinates of the line's first point: split `line` over the other axes.
      std::vector<std::size_t> index(shape.size(), 0);
      std::size_t rest = line;
      for (std::size_t d = shape.size(); d-- > 0;) {
        if (d == axis) continue;
        index[d] = rest % shape[d];
        rest /= shape[d];
      }
      std::size_t base = 0;
      for (std::size_t d = 0; d < shape.size(); ++d) base = base * shape[d] + (d == axis ? 0 : index[d]);
      std::vector<double> params = spec.fixed;
      for (std::size_t d = 0; d < shape.size(); ++d)
        if (d != axis) params[static_cast<std::size_t>(spec.axes[d].parameter)] = spec.axes[d].values[index[d]];

      auto& probe = probes.local();
      if (!probe) probe = std::make_unique<IndicatorProbe>(spec, threshold);
      int solves = 0;
      auto f = [&](double x) {
        params[static_cast<std::size_t>(param)] = x;
        ++solves;
        return (*probe)(params.data());
      };

      int found = 0;
      for (std::size_t i = 0; i + 1 < n; ++i) {
        const double va = grid[base + i * stride], vb = grid[base + (i + 1) * stride];
        double location = kNaN;
        if (threshold.kind == ThresholdSpec::Kind::real) {
          if (!std::isfinite(va) || !std::isfinite(vb) || (va >= 0) == (vb >= 0)) continue;
          // TOMS 748 wants a < b; axes may run downwards.
          double a = xs[i], b = xs[i + 1], fa = va, fb = vb;
          if (a > b) std::swap(a, b), std::swap(fa, fb);
          try {
            std::uintmax_t iterations = static_cast<std::uintmax_t>(threshold.max_solves_per_crossing);
            const auto bracket = boost::math::tools::toms748_solve(
                [&](double x) {
                  const double v = f(x);
                  if (!std::isfinite(v)) throw NonFiniteIndicator{};
                  return v;
                },
                a, b, fa, fb, [&](double lo, double hi) { return std::abs(hi - lo) <= tol_abs; }, iterations);
            location = 0.5 * (bracket.first + bracket.second);
          } catch (const NonFiniteIndicator&) {
            ++failed;  // the indicator is undefined somewhere inside the cell
          } catch (const boost::math::evaluation_error&) {
            ++failed;
          }
        } else {
          if (same_category(va, vb)) continue;
          // Bisection for the first change away from the left cell's category.
          double a = xs[i], b = xs[i + 1];
          while (std::abs(b - a) > tol_abs && solves < threshold.max_solves_per_crossing * (found + 1)) {
            const double mid = 0.5 * (a + b);
            if (same_category(f(mid), va)) a = mid;
            else b = mid;
          }
          location = 0.5 * (a + b);
        }
        if (static_cast<std::size_t>(found) < K) out.crossings[line * K + static_cast<std::size_t>(found)] = location;
        ++found;
      }
      out.counts[line] = found;
      out.solves[line] = solves;
    });
  });
  for (std::size_t l = 0; l < out.lines; ++l) {
    out.total_crossings += static_cast<std::size_t>(out.counts[l]);
    out.total_solves += static_cast<std::size_t>(out.solves[l]);
  }
  out.failed_refinements = failed;
  return out;
}

}  // namespace eqsweep
