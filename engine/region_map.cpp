#include "engine/region_map.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/thresholds.hpp"

namespace eqsweep {

namespace {

// One evaluated point: the indicator and the solver status.
struct Sample {
  double value = kNaN;
  std::uint8_t status = static_cast<std::uint8_t>(PointStatus::not_computed);
};

// Points live on a per-slice integer lattice 2^depth times finer than the grid, so that a point
// shared by neighbouring cells (or by a parent's and a child's edge) is solved once.
using Lattice = std::uint64_t;

struct Cell {
  Lattice x0, y0, size;  // lower corner and edge length in lattice units
};

bool same_class(const Sample& a, const Sample& b, RegionMapSpec::Kind kind) {
  if (a.status != b.status) return false;
  const bool na = !std::isfinite(a.value), nb = !std::isfinite(b.value);
  if (na || nb) return na == nb;
  if (kind == RegionMapSpec::Kind::real) return (a.value >= 0) == (b.value >= 0);
  return a.value == b.value;
}

class SliceRefiner {
 public:
  SliceRefiner(const SweepSpec& spec, const RegionMapSpec& map, const std::vector<double>& grid,
               const std::vector<double>& status, tbb::enumerable_thread_specific<std::unique_ptr<IndicatorProbe>>& probes)
      : spec_(spec), map_(map), grid_(grid), status_(status), probes_(probes),
        xs_(spec.axes[map.x_axis].values), ys_(spec.axes[map.y_axis].values), scale_(Lattice{1} << map.depth) {
    const auto shape = spec.shape();
    std::size_t stride = 1;
    strides_.assign(shape.size(), 0);
    for (std::size_t d = shape.size(); d-- > 0;) {
      strides_[d] = stride;
      stride *= shape[d];
    }
    y_lattice_ = static_cast<Lattice>(ys_.size() - 1) * scale_ + 1;
  }

  // Refines one slice (the other axes at `index`) and appends its leaves and segments to `out`.
  void run(std::size_t slice, const std::vector<std::size_t>& index, RegionMapResult& out) {
    samples_.clear();
    base_ = 0;
    params_ = spec_.fixed;
    for (std::size_t d = 0; d < index.size(); ++d) {
      if (d == map_.x_axis || d == map_.y_axis) continue;
      base_ += index[d] * strides_[d];
      params_[static_cast<std::size_t>(spec_.axes[d].parameter)] = spec_.axes[d].values[index[d]];
    }
    std::vector<Cell> active;
    for (std::size_t i = 0; i + 1 < xs_.size(); ++i)
      for (std::size_t j = 0; j + 1 < ys_.size(); ++j) {
        const Cell c{i * scale_, j * scale_, scale_};
        if (mixed(c)) active.push_back(c);
      }
    out.grid_cells[slice] = static_cast<std::int32_t>(active.size());
    std::size_t solves = 0;
    for (int level = 1; level <= map_.depth; ++level) {
      std::vector<Lattice> todo;
      for (const Cell& c : active) {
        const Lattice h = c.size / 2;
        // Edge midpoints and centre: the corners of the four children that are not yet known.
        const std::pair<Lattice, Lattice> offsets[5] = {{h, 0}, {c.size, h}, {h, c.size}, {0, h}, {h, h}};
        for (const auto& [dx, dy] : offsets) {
          const Lattice key = pack(c.x0 + dx, c.y0 + dy);
          if (!samples_.contains(key)) todo.push_back(key);
        }
      }
      std::sort(todo.begin(), todo.end());
      todo.erase(std::unique(todo.begin(), todo.end()), todo.end());
      solve(todo);
      solves += todo.size();
      std::vector<Cell> next;
      for (const Cell& c : active) {
        const Lattice h = c.size / 2;
        const std::pair<Lattice, Lattice> offsets[4] = {{0, 0}, {h, 0}, {0, h}, {h, h}};
        for (const auto& [dx, dy] : offsets) {
          const Cell child{c.x0 + dx, c.y0 + dy, h};
          if (mixed(child)) next.push_back(child);
        }
      }
      active = std::move(next);
    }
    out.solves[slice] = static_cast<std::int32_t>(solves);
    for (const Cell& c : active) emit(slice, c, out);
  }

 private:
  Lattice pack(Lattice x, Lattice y) const { return x * y_lattice_ + y; }

  // The axis value at a lattice coordinate: linear inside a grid cell, so log-spaced axes are
  // refined in their own cells' linear coordinates.
  double coordinate(const std::vector<double>& axis, Lattice u) const {
    const std::size_t i = static_cast<std::size_t>(u / scale_);
    const Lattice a = u % scale_;
    if (a == 0) return axis[i];
    return axis[i] + (axis[i + 1] - axis[i]) * static_cast<double>(a) / static_cast<double>(scale_);
  }

  Sample sample(Lattice x, Lattice y) const {
    if (x % scale_ == 0 && y % scale_ == 0) {
      const std::size_t k = base_ + static_cast<std::size_t>(x / scale_) * strides_[map_.x_axis] +
                            static_cast<std::size_t>(y / scale_) * strides_[map_.y_axis];
      return {grid_[k], static_cast<std::uint8_t>(status_[k])};
    }
    return samples_.at(pack(x, y));
  }

  bool mixed(const Cell& c) const {
    const Sample s00 = sample(c.x0, c.y0);
    for (const auto& s : {sample(c.x0 + c.size, c.y0), sample(c.x0, c.y0 + c.size), sample(c.x0 + c.size, c.y0 + c.size)})
      if (!same_class(s00, s, map_.kind)) return true;
    return false;
  }

  // New cold solves of the lattice points `keys`, in parallel; results do not depend on the
  // schedule because every point is solved on its own.
  void solve(const std::vector<Lattice>& keys) {
    if (keys.empty()) return;
    std::vector<Sample> results(keys.size());
    const std::size_t n_params = params_.size();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, keys.size(), 64), [&](const tbb::blocked_range<std::size_t>& r) {
      auto& probe = probes_.local();
      if (!probe) probe = std::make_unique<IndicatorProbe>(spec_, map_.indicator, map_.minus);
      const std::size_t n = r.size();
      std::vector<double> soa(n_params * n), values(n);
      std::vector<PointStatus> statuses(n);
      for (std::size_t p = 0; p < n_params; ++p)
        for (std::size_t i = 0; i < n; ++i) soa[p * n + i] = params_[p];
      const auto px = static_cast<std::size_t>(spec_.axes[map_.x_axis].parameter);
      const auto py = static_cast<std::size_t>(spec_.axes[map_.y_axis].parameter);
      for (std::size_t i = 0; i < n; ++i) {
        const Lattice key = keys[r.begin() + i];
        soa[px * n + i] = coordinate(xs_, key / y_lattice_);
        soa[py * n + i] = coordinate(ys_, key % y_lattice_);
      }
      probe->evaluate_batch(soa.data(), n, n, values.data(), statuses.data());
      for (std::size_t i = 0; i < n; ++i) results[r.begin() + i] = {values[i], static_cast<std::uint8_t>(statuses[i])};
    });
    for (std::size_t k = 0; k < keys.size(); ++k) samples_.emplace(keys[k], results[k]);
  }

  // A leaf cell and its piece of boundary: one point on every edge whose ends disagree (the
  // linear zero of a real indicator between two solved corners, else the midpoint), joined
  // pairwise, or to the cell centre where three or four edges disagree (saddles, three regions).
  void emit(std::size_t slice, const Cell& c, RegionMapResult& out) const {
    const Lattice x1 = c.x0 + c.size, y1 = c.y0 + c.size;
    const Sample s[4] = {sample(c.x0, c.y0), sample(x1, c.y0), sample(c.x0, y1), sample(x1, y1)};
    const double X0 = coordinate(xs_, c.x0), X1 = coordinate(xs_, x1), Y0 = coordinate(ys_, c.y0),
                 Y1 = coordinate(ys_, y1);
    const double row[kRegionCellColumns] = {static_cast<double>(slice), X0, X1, Y0, Y1,
                                            s[0].value, s[1].value, s[2].value, s[3].value};
    out.cells.insert(out.cells.end(), std::begin(row), std::end(row));

    const double px[4] = {X0, X1, X0, X1}, py[4] = {Y0, Y0, Y1, Y1};
    const int edges[4][2] = {{0, 1}, {1, 3}, {3, 2}, {2, 0}};  // bottom, right, top, left: a cycle
    std::vector<std::pair<double, double>> points;
    for (const auto& e : edges) {
      const Sample &a = s[e[0]], &b = s[e[1]];
      if (same_class(a, b, map_.kind)) continue;
      double t = 0.5;
      if (map_.kind == RegionMapSpec::Kind::real && a.status == b.status && std::isfinite(a.value) &&
          std::isfinite(b.value) && a.value != b.value)
        t = std::clamp(a.value / (a.value - b.value), 0.0, 1.0);
      points.emplace_back(px[e[0]] + t * (px[e[1]] - px[e[0]]), py[e[0]] + t * (py[e[1]] - py[e[0]]));
    }
    auto segment = [&](std::pair<double, double> a, std::pair<double, double> b) {
      const double seg[kRegionSegmentColumns] = {static_cast<double>(slice), a.first, a.second, b.first, b.second};
      out.segments.insert(out.segments.end(), std::begin(seg), std::end(seg));
    };
    if (points.size() == 2) {
      segment(points[0], points[1]);
    } else {
      const std::pair<double, double> centre{0.5 * (X0 + X1), 0.5 * (Y0 + Y1)};
      for (const auto& p : points) segment(p, centre);
    }
  }

  const SweepSpec& spec_;
  const RegionMapSpec& map_;
  const std::vector<double>& grid_;
  const std::vector<double>& status_;
  tbb::enumerable_thread_specific<std::unique_ptr<IndicatorProbe>>& probes_;
  const std::vector<double>& xs_;
  const std::vector<double>& ys_;
  const Lattice scale_;
  Lattice y_lattice_ = 0;
  std::vector<std::size_t> strides_;
  std::size_t base_ = 0;
  std::vector<double> params_;
  std::unordered_map<Lattice, Sample> samples_;
};

}  // namespace

RegionMapResult refine_region_map(const SweepSpec& spec, const RegionMapSpec& map, const std::vector<double>& grid,
                                  const std::vector<double>& status, int threads) {
  const auto shape = spec.shape();
  RegionMapResult out;
  out.slices = 1;
  for (std::size_t d = 0; d < shape.size(); ++d)
    if (d != map.x_axis && d != map.y_axis) {
      out.slice_shape.push_back(shape[d]);
      out.slices *= shape[d];
    }
  out.solves.assign(out.slices, 0);
  out.grid_cells.assign(out.slices, 0);

  tbb::enumerable_thread_specific<std::unique_ptr<IndicatorProbe>> probes;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    SliceRefiner refiner(spec, map, grid, status, probes);
    // Slices one after another (each parallel inside), so rows come out in slice order.
    std::vector<std::size_t> index(shape.size(), 0);
    for (std::size_t slice = 0; slice < out.slices; ++slice) {
      std::size_t rest = slice;
      for (std::size_t d = shape.size(); d-- > 0;) {
        if (d == map.x_axis || d == map.y_axis) continue;
        index[d] = rest % shape[d];
        rest /= shape[d];
      }
      refiner.run(slice, index, out);
    }
  });
  for (std::size_t s = 0; s < out.slices; ++s) {
    out.total_solves += static_cast<std::size_t>(out.solves[s]);
    out.total_grid_cells += static_cast<std::size_t>(out.grid_cells[s]);
  }
  return out;
}

}  // namespace eqsweep
