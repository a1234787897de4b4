// The model contract (engine/model.hpp), checked for every built-in model so that a new model is
// held to it without a test of its own: names unique, domains valid, defaults inside their
// domains, option defaults among their choices, and a solve that depends only on the point (two
// solvers give the same bits), in every variant.
//
// A parameter without a default (NaN: the spec must give it) is solved at a point inside its
// domain: the midpoint of a finite domain, one above a finite lower bound, one below a finite
// upper bound, 0 on the real line. A model that needs options to be configured (model M's network
// file) is configured from the fixtures below; several model-M networks and readings are used
// because they lay out different outputs.

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/model.hpp"
#include "ma_sue/network_fixture.hpp"
#include "models/registry.hpp"

namespace eqsweep {
namespace {

// One configuration of a built-in model: its options (all declared options resolved).
struct ContractCase {
  const Model* model = nullptr;
  OptionValues options;
  std::string label;
};

OptionValues default_options(const Model& model) {
  OptionValues o;
  for (const auto& info : model.options()) o[info.name] = info.default_value;
  return o;
}

// The options each model is tested with: its defaults, or for a model that cannot be configured
// from them, the fixtures.
std::vector<OptionValues> fixture_options(const Model& model) {
  if (model.name() != "ma_sue") return {default_options(model)};
  using ma_sue::testing::network_options;
  return {network_options("example3_s1.toml"),
          network_options("example3_s2.toml", {{"equilibrium", "decentralized"}}),
          network_options("example2_s1.toml", {{"equilibrium", "ue"}}),
          network_options("example3_segments.toml", {{"segments", "optimal"}, {"demand", "mass_weighted"}})};
}

std::vector<ContractCase> contract_cases() {
  std::vector<ContractCase> cases;
  for (const Model* m : builtin_models().all())
    for (const OptionValues& o : fixture_options(*m)) {
      std::string label(m->name());
      for (const auto& [k, v] : o) {
        if (k == "network") label.append(" ").append(v.substr(v.find_last_of('/') + 1));
        else if (v != default_options(*m)[k]) label.append(" ").append(k).append("=").append(v);
      }
      cases.push_back({m, o, label});
    }
  return cases;
}

// gtest prints a case by its label, not its bytes.
void PrintTo(const ContractCase& c, std::ostream* os) { *os << c.label; }

// The model a sweep with these options is validated against and solved by.
std::shared_ptr<const Model> configured(const ContractCase& c) {
  std::shared_ptr<const Model> m = c.model->configure(c.options, ".");
  if (m) return m;
  return std::shared_ptr<const Model>(c.model, [](const Model*) {});  // the built-in model, not owned
}

template <class Infos>
void expect_unique_names(const Infos& infos, const std::string& what, const std::string& label) {
  std::set<std::string> seen;
  for (const auto& info : infos) {
    EXPECT_FALSE(info.name.empty()) << label << ": a " << what << " without a name";
    EXPECT_TRUE(seen.insert(info.name).second) << label << ": " << what << " '" << info.name << "' declared twice";
  }
}

void expect_valid_domain(const Domain& d, const std::string& where) {
  EXPECT_FALSE(std::isnan(d.lo) || std::isnan(d.hi)) << where << ": NaN domain end";
  EXPECT_LE(d.lo, d.hi) << where << ": domain " << d.describe() << " is empty";
  if (d.lo == d.hi) {
    EXPECT_FALSE(d.lo_open || d.hi_open) << where << ": domain " << d.describe() << " is empty";
  }
  if (std::isinf(d.lo)) {
    EXPECT_TRUE(d.lo_open) << where << ": infinite ends are open";
  }
  if (std::isinf(d.hi)) {
    EXPECT_TRUE(d.hi_open) << where << ": infinite ends are open";
  }
}

void expect_declarations_hold(const Model& m, const std::string& label) {
  EXPECT_FALSE(m.name().empty()) << label;
  EXPECT_FALSE(m.variants().empty()) << label << ": a model has at least one variant";
  expect_unique_names(m.parameters(), "parameter", label);
  expect_unique_names(m.outputs(), "output", label);
  expect_unique_names(m.variants(), "variant", label);
  expect_unique_names(m.options(), "option", label);
  for (const auto& p : m.parameters()) {
    const std::string where = label + ": parameter " + p.name;
    expect_valid_domain(p.domain, where);
    if (!std::isnan(p.default_value)) {
      EXPECT_TRUE(p.domain.contains(p.default_value)) << where << ": default " << p.default_value << " outside "
                                                      << p.domain.describe();
    }
  }
  for (const auto& o : m.options()) {
    const std::string where = label + ": option " + o.name;
    if (!o.choices.empty()) {
      std::set<std::string> choices(o.choices.begin(), o.choices.end());
      EXPECT_EQ(choices.size(), o.choices.size()) << where << ": a choice listed twice";
      EXPECT_TRUE(choices.count(o.default_value)) << where << ": default '" << o.default_value << "' is not a choice";
    }
    if (o.numeric) {
      expect_valid_domain(o.domain, where);
      std::size_t used = 0;
      double value = kNaN;
      EXPECT_NO_THROW(value = std::stod(o.default_value, &used)) << where << ": default is not a number";
      EXPECT_EQ(used, o.default_value.size()) << where << ": default '" << o.default_value << "' is not a number";
      EXPECT_TRUE(o.domain.contains(value)) << where << ": default " << o.default_value << " outside "
                                            << o.domain.describe();
    }
  }
}

// The documented point for a parameter the spec must give (see the file comment).
double point_inside(const Domain& d) {
  const bool lo = std::isfinite(d.lo), hi = std::isfinite(d.hi);
  if (lo && hi) return 0.5 * (d.lo + d.hi);
  if (lo) return d.lo + 1;
  if (hi) return d.hi - 1;
  return 0;
}

std::vector<double> default_point(const Model& m) {
  std::vector<double> params;
  for (const auto& p : m.parameters()) params.push_back(std::isnan(p.default_value) ? point_inside(p.domain) : p.default_value);
  return params;
}

struct Solved {
  std::vector<double> outputs;
  PointResult result;
};

// One cold solve of the point through the batch interface every model implements; unwritten
// outputs keep the NaN they start as, in both solves alike.
Solved solve_once(const Model& m, const std::string& variant, const OptionValues& options,
                  const std::vector<double>& params) {
  Solved s;
  s.outputs.assign(m.outputs().size(), kNaN);
  auto solver = m.make_solver({variant, options, {}});
  BatchView batch;
  batch.size = 1;
  batch.stride = 1;
  batch.params = params.data();
  batch.outputs = s.outputs.data();
  batch.results = &s.result;
  solver->solve_batch(batch);
  return s;
}

std::uint64_t bits(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

class ModelContract : public ::testing::TestWithParam<ContractCase> {};

TEST_P(ModelContract, UnconfiguredDeclarationsHold) {
  expect_declarations_hold(*GetParam().model, std::string(GetParam().model->name()));
}

TEST_P(ModelContract, ConfiguredDeclarationsHold) {
  const auto m = configured(GetParam());
  expect_declarations_hold(*m, GetParam().label);
  EXPECT_EQ(m->name(), GetParam().model->name()) << "configuring keeps the model's name";
}

TEST_P(ModelContract, ASolveAtTheDefaultsIsDeterministicInEveryVariant) {
  const auto m = configured(GetParam());
  const std::vector<double> params = default_point(*m);
  for (const auto& v : m->variants()) {
    const Solved a = solve_once(*m, v.name, GetParam().options, params);
    const Solved b = solve_once(*m, v.name, GetParam().options, params);
    const std::string where = GetParam().label + ", variant " + v.name;
    EXPECT_NE(a.result.status, PointStatus::not_computed) << where << ": a solver reports what it did";
    EXPECT_EQ(a.result.status, b.result.status) << where;
    EXPECT_EQ(a.result.iterations, b.result.iterations) << where;
    EXPECT_EQ(bits(a.result.residual), bits(b.result.residual)) << where;
    for (std::size_t k = 0; k < a.outputs.size(); ++k)
      EXPECT_EQ(bits(a.outputs[k]), bits(b.outputs[k])) << where << ": output " << m->outputs()[k].name;
  }
}

INSTANTIATE_TEST_SUITE_P(BuiltinModels, ModelContract, ::testing::ValuesIn(contract_cases()),
                         [](const ::testing::TestParamInfo<ContractCase>& info) {
                           std::string name;
                           for (char ch : info.param.label) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return name + "_" + std::to_string(info.index);
                         });

}  // namespace
}  // namespace eqsweep
