#include "engine/model.hpp"

#include <fnmatch.h>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace eqsweep {

bool VariantInfo::writes(const std::string& output) const {
  for (const auto& glob : unwritten_outputs)
    if (fnmatch(glob.c_str(), output.c_str(), 0) == 0) return false;
  return true;
}

bool Domain::contains(double x) const {
  if (std::isnan(x)) return false;
  const bool above_lo = lo_open ? x > lo : x >= lo;
  const bool below_hi = hi_open ? x < hi : x <= hi;
  return above_lo && below_hi;
}

std::string Domain::describe() const {
  auto end = [](double v) { return std::isinf(v) ? std::string(v < 0 ? "-inf" : "inf") : fmt::format("{:g}", v); };
  return fmt::format("{}{}, {}{}", lo_open ? '(' : '[', end(lo), end(hi), hi_open ? ')' : ']');
}

PointResult PointSolver::solve_point(const double*, std::size_t, double*, std::size_t, std::span<const double>,
                                     std::span<double>) {
  throw std::logic_error("this model declares warm starts but its solver does not implement solve_point");
}

std::shared_ptr<const Model> Model::configure(const OptionValues&, const std::string&) const { return nullptr; }

int Model::parameter_index(std::string_view name) const {
  const auto params = parameters();
  for (std::size_t i = 0; i < params.size(); ++i)
    if (params[i].name == name) return static_cast<int>(i);
  return -1;
}

int Model::output_index(std::string_view name) const {
  const auto outs = outputs();
  for (std::size_t i = 0; i < outs.size(); ++i)
    if (outs[i].name == name) return static_cast<int>(i);
  return -1;
}

const Model* ModelCatalog::find(std::string_view name) const {
  for (const Model* m : models_)
    if (m->name() == name) return m;
  return nullptr;
}

}  // namespace eqsweep
