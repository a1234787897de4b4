#include "engine/sweep_spec.hpp"

#include <algorithm>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <toml++/toml.h>

#include "engine/tile_grid.hpp"

namespace eqsweep {

namespace {

std::string format_error(const std::string& file, const std::string& key, int line, const std::string& message) {
  std::string where = line > 0 ? fmt::format("{}:{}", file, line) : file;
  return key.empty() ? fmt::format("{}: {}", where, message) : fmt::format("{}: {}: {}", where, key, message);
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Reads one spec; every failure throws SpecError naming the key.
class SpecReader {
 public:
  SpecReader(const std::string& path, const ModelCatalog& catalog) : path_(path), catalog_(catalog) {}

  SweepSpec read(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, path_);
    } catch (const toml::parse_error& e) {
      throw SpecError(path_, "", static_cast<int>(e.source().begin.line),
                      fmt::format("malformed TOML: {}", e.description()));
    }
    SweepSpec spec;
    spec.path = path_;
    spec.text = std::string(text);
    check_keys(root, "",
               {"model", "variant", "options", "outputs", "continuation", "fixed", "axis", "run", "sensitivity",
                "threshold", "region_map"});

    read_model(root, spec);
    read_options(root, spec);
    read_axes(root, spec);
    read_fixed(root, spec);
    read_outputs(root, spec);
    read_continuation(root, spec);
    read_run(root, spec);
    read_sensitivities(root, spec);
    read_thresholds(root, spec);
    read_region_maps(root, spec);
    return spec;
  }

 private:
  [[noreturn]] void fail(const std::string& key, const toml::node* node, const std::string& message) const {
    throw SpecError(path_, key, node ? line_of(*node) : 0, message);
  }

  void check_keys(const toml::table& table, const std::string& prefix, std::initializer_list<std::string_view> allowed) {
    for (auto&& [key, node] : table) {
      bool ok = false;
      for (auto a : allowed) ok = ok || key.str() == a;
      if (!ok)
        fail(prefix + std::string(key.str()), &node,
             fmt::format("unknown key; allowed here: {}", fmt::join(allowed, ", ")));
    }
  }

  std::string need_string(const toml::table& table, std::string_view key, const std::string& full_key) {
    const toml::node* node = table.get(key);
    if (!node) fail(full_key, nullptr, "missing (required)");
    if (!node->is_string()) fail(full_key, node, "must be a string");
    return std::string(node->as_string()->get());
  }

  double need_number(const toml::node& node, const std::string& key) {
    if (auto v = node.value<double>(); v && (node.is_floating_point() || node.is_integer())) return *v;
    fail(key, &node, "must be a number");
  }

  void read_model(const toml::table& root, SweepSpec& spec) {
    const std::string name = need_string(root, "model", "model");
    spec.model = catalog_.find(name);
    if (!spec.model) {
      std::vector<std::string> names;
      for (const Model* m : catalog_.all()) names.emplace_back(m->name());
      fail("model", root.get("model"), fmt::format("unknown model '{}'; known models: {}", name, fmt::join(names, ", ")));
    }
    const auto variants = spec.model->variants();
    std::vector<std::string> names;
    for (const auto& v : variants) names.push_back(v.name);
    if (const toml::node* node = root.get("variant")) {
      if (!node->is_string()) fail("variant", node, "must be a string");
      spec.variant = std::string(node->as_string()->get());
      if (std::find(names.begin(), names.end(), spec.variant) == names.end())
        fail("variant", node,
             fmt::format("unknown variant '{}' of model {}; allowed: {}", spec.variant, name, fmt::join(names, ", ")));
    } else {
      spec.variant = names.front();
    }
  }

  void read_options(const toml::table& root, SweepSpec& spec) {
    const auto declared = spec.model->options();
    for (const auto& o : declared) spec.options[o.name] = o.default_value;
    if (const toml::node* node = root.get("options")) {
      const toml::table* table = node->as_table();
      if (!table) fail("options", node, "must be a table of option = value");
      for (auto&& [k, v] : *table) {
        const std::string key = fmt::format("options.{}", k.str());
        const OptionInfo* info = nullptr;
        for (const auto& o : declared)
          if (o.name == k.str()) info = &o;
        if (!info) {
          std::vector<std::string> names;
          for (const auto& o : declared) names.push_back(o.name);
          fail(key, &v,
               fmt::format("unknown option of model {}; options: {}", spec.model->name(),
                           names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(names, ", "))));
        }
        std::string value;
        if (info->numeric) {
          const double x = need_number(v, key);
          if (!info->domain.contains(x))
            fail(key, &v, fmt::format("value {} is outside the allowed range {}", x, info->domain.describe()));
          value = fmt::format("{}", x);
        } else {
          if (!v.is_string()) fail(key, &v, "must be a string");
          value = std::string(v.as_string()->get());
          if (!info->choices.empty() &&
              std::find(info->choices.begin(), info->choices.end(), value) == info->choices.end())
            fail(key, &v, fmt::format("'{}' is not allowed; choose one of: {}", value, fmt::join(info->choices, ", ")));
        }
        spec.options[info->name] = value;
      }
    }
    const std::string dir = std::filesystem::path(path_).has_parent_path()
                                ? std::filesystem::path(path_).parent_path().string()
                                : std::string(".");
    try {
      spec.configured_model = spec.model->configure(spec.options, dir);
    } catch (const std::invalid_argument& e) {
      fail("options", root.get("options"), e.what());
    }
    if (spec.configured_model) spec.model = spec.configured_model.get();
  }

  void check_in_domain(const ParameterInfo& p, double v, const std::string& key, const toml::node* node) {
    if (!p.domain.contains(v))
      fail(key, node,
           fmt::format("value {} is outside the domain of {} ({}): allowed {}", v, p.name, p.symbol, p.domain.describe()));
  }

  void read_axes(const toml::table& root, SweepSpec& spec) {
    const toml::node* node = root.get("axis");
    if (!node) fail("axis", nullptr, "missing: a sweep needs at least one [[axis]]");
    const toml::array* axes = node->as_array();
    if (!axes || axes->empty() || !axes->is_array_of_tables())
      fail("axis", node, "must be one or more [[axis]] tables");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < axes->size(); ++i) {
      const toml::table& t = *axes->get(i)->as_table();
      const std::string prefix = fmt::format("axis[{}].", i);
      check_keys(t, prefix, {"name", "linspace", "logspace", "values"});
      AxisSpec axis;
      axis.name = need_string(t, "name", prefix + "name");
      axis.parameter = spec.model->parameter_index(axis.name);
      if (axis.parameter < 0)
        fail(prefix + "name", t.get("name"), unknown_parameter_message(*spec.model, axis.name));
      if (!seen.insert(axis.name).second) fail(prefix + "name", t.get("name"), fmt::format("{} is swept twice", axis.name));

      int generators = 0;
      for (auto g : {"linspace", "logspace", "values"}) generators += t.contains(g) ? 1 : 0;
      if (generators != 1) fail(prefix + "linspace", &t, "give exactly one of linspace, logspace or values");

      if (const toml::node* g = t.get("values")) {
        const std::string key = prefix + "values";
        const toml::array* arr = g->as_array();
        if (!arr) fail(key, g, "must be an array of numbers");
        for (const auto& v : *arr) axis.values.push_back(need_number(v, key));
        if (axis.values.empty()) fail(key, g, "an axis needs at least one point");
      } else {
        const bool log = t.contains("logspace");
        const std::string key = prefix + (log ? "logspace" : "linspace");
        const toml::node* gn = t.get(log ? "logspace" : "linspace");
        const toml::array* arr = gn->as_array();
        if (!arr || arr->size() != 3) fail(key, gn, "must be [start, stop, count]");
        const double start = need_number(*arr->get(0), key), stop = need_number(*arr->get(1), key);
        const auto count = arr->get(2)->value<std::int64_t>();
        if (!count || !arr->get(2)->is_integer()) fail(key, gn, "count (third element) must be an integer");
        if (*count < 1) fail(key, gn, fmt::format("count is {}: an axis needs at least one point", *count));
        if (*count > 100'000'000) fail(key, gn, "count must be at most 1e8");
        if (log && (start <= 0 || stop <= 0)) fail(key, gn, "logspace needs start > 0 and stop > 0");
        const auto n = static_cast<std::size_t>(*count);
        axis.values.resize(n);
        for (std::size_t j = 0; j < n; ++j) {
          const double f = n == 1 ? 0.0 : static_cast<double>(j) / static_cast<double>(n - 1);
          axis.values[j] = log ? std::exp(std::log(start) + f * (std::log(stop) - std::log(start)))
                               : start + f * (stop - start);
        }
        axis.values.front() = start;  // exact end points despite rounding in exp/log
        if (n > 1) axis.values.back() = stop;
      }
      const std::string key = prefix + (t.contains("values") ? "values" : t.contains("logspace") ? "logspace" : "linspace");
      check_monotone(axis.values, key, t.get(t.contains("values") ? "values" : t.contains("logspace") ? "logspace" : "linspace"));
      const ParameterInfo& p = spec.model->parameters()[axis.parameter];
      for (double v : axis.values) check_in_domain(p, v, key, t.get(key.substr(prefix.size())));
      spec.axes.push_back(std::move(axis));
    }
  }

  void check_monotone(const std::vector<double>& v, const std::string& key, const toml::node* node) {
    for (double x : v)
      if (!std::isfinite(x)) fail(key, node, "axis values must be finite");
    if (v.size() < 2) return;
    const bool up = v[1] > v[0];
    for (std::size_t j = 1; j < v.size(); ++j)
      if (up ? !(v[j] > v[j - 1]) : !(v[j] < v[j - 1]))
        fail(key, node,
             fmt::format("axis values must be strictly increasing or strictly decreasing; value {} at position {} "
                         "breaks the order after {}",
                         v[j], j, v[j - 1]));
  }

  static std::string unknown_parameter_message(const Model& model, const std::string& name) {
    std::vector<std::string> names;
    for (const auto& p : model.parameters()) names.push_back(p.name);
    return fmt::format("unknown parameter '{}' of model {}; parameters: {}", name, model.name(), fmt::join(names, ", "));
  }

  void read_fixed(const toml::table& root, SweepSpec& spec) {
    const auto params = spec.model->parameters();
    spec.fixed.assign(params.size(), kNaN);
    std::vector<bool> given(params.size(), false);
    for (const auto& a : spec.axes) given[a.parameter] = true;
    if (const toml::node* node = root.get("fixed")) {
      const toml::table* fixed = node->as_table();
      if (!fixed) fail("fixed", node, "must be a table of parameter = value");
      for (auto&& [k, v] : *fixed) {
        const std::string key = fmt::format("fixed.{}", k.str());
        const int idx = spec.model->parameter_index(k.str());
        if (idx < 0) fail(key, &v, unknown_parameter_message(*spec.model, std::string(k.str())));
        if (given[idx]) fail(key, &v, fmt::format("{} is also an axis; give it one way only", k.str()));
        const double value = need_number(v, key);
        check_in_domain(params[idx], value, key, &v);
        spec.fixed[idx] = value;
        given[idx] = true;
      }
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (given[i]) continue;
      if (std::isnan(params[i].default_value))
        fail("fixed." + params[i].name, nullptr,
             fmt::format("parameter {} ({}, {}) is neither fixed nor an axis; give a value in {}", params[i].name,
                         params[i].symbol, params[i].description, params[i].domain.describe()));
      spec.fixed[i] = params[i].default_value;
    }
  }

  void read_outputs(const toml::table& root, SweepSpec& spec) {
    const auto outs = spec.model->outputs();
    std::vector<bool> chosen(outs.size(), false);
    const toml::node* node = root.get("outputs");
    if (!node) {
      chosen.assign(outs.size(), true);
    } else {
      const toml::array* arr = node->as_array();
      if (!arr || arr->empty()) fail("outputs", node, "must be a non-empty array of output names (\"*\" for all)");
      for (const auto& item : *arr) {
        if (!item.is_string()) fail("outputs", &item, "must be output names (strings)");
        const std::string pattern(item.as_string()->get());
        // "*" selects everything, "N.*" everything whose name starts with "N.".
        const bool wildcard = !pattern.empty() && pattern.back() == '*';
        const std::string stem = wildcard ? pattern.substr(0, pattern.size() - 1) : pattern;
        bool matched = false;
        for (std::size_t o = 0; o < outs.size(); ++o) {
          if (wildcard ? outs[o].name.rfind(stem, 0) == 0 : outs[o].name == pattern) {
            chosen[o] = true;
            matched = true;
          }
        }
        if (!matched) {
          std::vector<std::string> names;
          for (const auto& o : outs) names.push_back(o.name);
          fail("outputs", &item,
               fmt::format("unknown output '{}' of model {}; outputs: {}", pattern, spec.model->name(),
                           fmt::join(names, ", ")));
        }
      }
    }
    for (std::size_t o = 0; o < outs.size(); ++o)
      if (chosen[o]) spec.outputs.push_back(static_cast<int>(o));
  }

  void read_continuation(const toml::table& root, SweepSpec& spec) {
    spec.continuation_axis = spec.axes.size() - 1;
    if (const toml::node* node = root.get("continuation")) {
      if (!node->is_string()) fail("continuation", node, "must be the name of an axis");
      const std::string name(node->as_string()->get());
      std::vector<std::string> names;
      for (std::size_t i = 0; i < spec.axes.size(); ++i) {
        names.push_back(spec.axes[i].name);
        if (spec.axes[i].name == name) {
          spec.continuation_axis = i;
          return;
        }
      }
      fail("continuation", node, fmt::format("'{}' is not an axis; axes: {}", name, fmt::join(names, ", ")));
    }
  }

  void read_sensitivities(const toml::table& root, SweepSpec& spec) {
    const toml::node* node = root.get("sensitivity");
    if (!node) return;
    const toml::array* list = node->as_array();
    if (!list || !list->is_array_of_tables()) fail("sensitivity", node, "must be one or more [[sensitivity]] tables");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::table& t = *list->get(i)->as_table();
      const std::string prefix = fmt::format("sensitivity[{}].", i);
      check_keys(t, prefix, {"output", "parameter", "elasticity", "step"});
      SensitivitySpec s;
      const std::string output = need_string(t, "output", prefix + "output");
      s.output = spec.model->output_index(output);
      if (s.output < 0) fail(prefix + "output", t.get("output"), fmt::format("unknown output '{}' of model {}", output, spec.model->name()));
      const std::string param = need_string(t, "parameter", prefix + "parameter");
      s.parameter = spec.model->parameter_index(param);
      if (s.parameter < 0) fail(prefix + "parameter", t.get("parameter"), unknown_parameter_message(*spec.model, param));
      if (const toml::node* e = t.get("elasticity")) {
        if (!e->is_boolean()) fail(prefix + "elasticity", e, "must be true or false");
        s.elasticity = e->as_boolean()->get();
      }
      if (const toml::node* h = t.get("step")) {
        s.step = need_number(*h, prefix + "step");
        if (!(s.step > 0 && s.step < 0.1)) fail(prefix + "step", h, "must be in (0, 0.1)");
      }
      spec.sensitivities.push_back(s);
    }
  }

  void read_thresholds(const toml::table& root, SweepSpec& spec) {
  std::vector<ThresholdSpec>& list = spec.thresholds;
  const toml::node* node = root.get("threshold");
  if (!node) return;
  const toml::array* arr = node->as_array();
  if (!arr || !arr->is_array_of_tables()) fail("threshold", node, "must be one or more [[threshold]] tables");
  std::vector<std::string> stored;
  for (int o : spec.outputs) stored.push_back(spec.model->outputs()[static_cast<std::size_t>(o)].name);
  auto is_stored = [&](const std::string& name) { return std::find(stored.begin(), stored.end(), name) != stored.end(); };

  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::table& t = *arr->get(i)->as_table();
    const std::string prefix = fmt::format("threshold[{}].", i);
    for (auto&& [k, v] : t) {
      static const std::vector<std::string> allowed = {"indicator", "minus", "kind", "axis", "tolerance", "max_crossings"};
      if (std::find(allowed.begin(), allowed.end(), std::string(k.str())) == allowed.end())
        fail(prefix + std::string(k.str()), &v, fmt::format("unknown key; allowed here: {}", fmt::join(allowed, ", ")));
    }
    ThresholdSpec th;
    auto text_of = [&](const char* key, bool required) -> std::string {
      const toml::node* n = t.get(key);
      if (!n) {
        if (required) fail(prefix + key, nullptr, "missing (required)");
        return {};
      }
      if (!n->is_string()) fail(prefix + key, n, "must be a string");
      return std::string(n->as_string()->get());
    };
    th.indicator = text_of("indicator", true);
    th.minus = text_of("minus", false);
    const std::string kind = text_of("kind", false);
    if (kind.empty()) th.kind = th.indicator == "status" ? ThresholdSpec::Kind::categorical : ThresholdSpec::Kind::real;
    else if (kind == "real") th.kind = ThresholdSpec::Kind::real;
    else if (kind == "categorical") th.kind = ThresholdSpec::Kind::categorical;
    else fail(prefix + "kind", t.get("kind"), "must be \"real\" or \"categorical\"");
    for (const std::string* name : {&th.indicator, &th.minus}) {
      if (name->empty() || *name == "status") continue;
      if (!is_stored(*name))
        fail(prefix + (name == &th.indicator ? "indicator" : "minus"), t.get(name == &th.indicator ? "indicator" : "minus"),
             fmt::format("'{}' is not a stored output of this sweep; stored: status, {}", *name, fmt::join(stored, ", ")));
    }
    if (th.indicator == "status" && (th.kind != ThresholdSpec::Kind::categorical || !th.minus.empty()))
      fail(prefix + "indicator", t.get("indicator"), "status is a categorical indicator and takes no minus");
    if (!th.minus.empty() && th.kind != ThresholdSpec::Kind::real)
      fail(prefix + "minus", t.get("minus"), "a difference of outputs is a real indicator (kind = \"real\")");
    const std::string axis = text_of("axis", true);
    bool found = false;
    std::vector<std::string> names;
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
      names.push_back(spec.axes[a].name);
      if (spec.axes[a].name == axis) th.axis = a, found = true;
    }
    if (!found) fail(prefix + "axis", t.get("axis"), fmt::format("'{}' is not an axis; axes: {}", axis, fmt::join(names, ", ")));
    if (const toml::node* n = t.get("tolerance")) {
      const auto v = n->value<double>();
      if (!v || !(*v > 0 && *v < 0.5)) fail(prefix + "tolerance", n, "must be a number in (0, 0.5) (relative to the axis span)");
      th.tolerance = *v;
    }
    if (const toml::node* n = t.get("max_crossings")) {
      const auto v = n->value<std::int64_t>();
      if (!n->is_integer() || !v || *v < 1 || *v > 1000) fail(prefix + "max_crossings", n, "must be an integer in [1, 1000]");
      th.max_crossings = static_cast<std::size_t>(*v);
    }
    list.push_back(th);
  }
  }

  void read_region_maps(const toml::table& root, SweepSpec& spec) {
    const toml::node* node = root.get("region_map");
    if (!node) return;
    const toml::array* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables()) fail("region_map", node, "must be one or more [[region_map]] tables");
    std::vector<std::string> stored, axis_names;
    for (int o : spec.outputs) stored.push_back(spec.model->outputs()[static_cast<std::size_t>(o)].name);
    for (const auto& a : spec.axes) axis_names.push_back(a.name);
    if (spec.axes.size() < 2)
      fail("region_map", node,
           fmt::format("a region map needs two axes; this sweep has one ({})", fmt::join(axis_names, ", ")));
    std::set<std::string> names;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::table& t = *arr->get(i)->as_table();
      const std::string prefix = fmt::format("region_map[{}].", i);
      check_keys(t, prefix, {"indicator", "minus", "kind", "axes", "depth"});
      RegionMapSpec rm;
      rm.indicator = need_string(t, "indicator", prefix + "indicator");
      if (t.contains("minus")) rm.minus = need_string(t, "minus", prefix + "minus");
      // The same defaults as [[threshold]]: outputs are real unless declared categorical.
      rm.kind = rm.indicator == "status" ? RegionMapSpec::Kind::categorical : RegionMapSpec::Kind::real;
      if (const toml::node* k = t.get("kind")) {
        const std::string kind = k->is_string() ? std::string(k->as_string()->get()) : "";
        if (kind == "real") rm.kind = RegionMapSpec::Kind::real;
        else if (kind == "categorical") rm.kind = RegionMapSpec::Kind::categorical;
        else fail(prefix + "kind", k, "must be \"real\" or \"categorical\"");
      }
      for (const char* key : {"indicator", "minus"}) {
        const std::string& name = std::string_view(key) == "indicator" ? rm.indicator : rm.minus;
        if (name.empty() || name == "status") continue;
        if (std::find(stored.begin(), stored.end(), name) == stored.end())
          fail(prefix + key, t.get(key),
               fmt::format("'{}' is not a stored output of this sweep; stored: status, {}", name, fmt::join(stored, ", ")));
      }
      if (rm.indicator == "status" && (rm.kind != RegionMapSpec::Kind::categorical || !rm.minus.empty()))
        fail(prefix + "indicator", t.get("indicator"), "status is a categorical indicator and takes no minus");
      if (rm.minus == "status") fail(prefix + "minus", t.get("minus"), "must be a stored output, not status");
      if (!rm.minus.empty() && rm.kind != RegionMapSpec::Kind::real)
        fail(prefix + "minus", t.get("minus"), "a difference of outputs is a real indicator (kind = \"real\")");

      const toml::node* axes_node = t.get("axes");
      if (!axes_node) fail(prefix + "axes", nullptr, fmt::format("missing (required): two axes of the sweep, from {}", fmt::join(axis_names, ", ")));
      const toml::array* axes = axes_node->as_array();
      if (!axes || axes->size() != 2 || !(*axes)[0].is_string() || !(*axes)[1].is_string())
        fail(prefix + "axes", axes_node, fmt::format("must be two axis names [\"x\", \"y\"], from {}", fmt::join(axis_names, ", ")));
      std::size_t idx[2] = {0, 0};
      for (int k = 0; k < 2; ++k) {
        const std::string name((*axes)[static_cast<std::size_t>(k)].as_string()->get());
        const auto it = std::find(axis_names.begin(), axis_names.end(), name);
        if (it == axis_names.end())
          fail(prefix + "axes", axes_node, fmt::format("'{}' is not an axis; axes: {}", name, fmt::join(axis_names, ", ")));
        idx[k] = static_cast<std::size_t>(it - axis_names.begin());
        if (spec.axes[idx[k]].values.size() < 2)
          fail(prefix + "axes", axes_node, fmt::format("axis '{}' has one point; a region map needs at least two per axis", name));
      }
      if (idx[0] == idx[1]) fail(prefix + "axes", axes_node, "the two axes must differ");
      rm.x_axis = idx[0];
      rm.y_axis = idx[1];
      if (const toml::node* d = t.get("depth")) {
        const auto v = d->value<std::int64_t>();
        if (!d->is_integer() || !v || *v < 1 || *v > RegionMapSpec::kMaxDepth)
          fail(prefix + "depth", d, fmt::format("must be an integer in [1, {}]", RegionMapSpec::kMaxDepth));
        rm.depth = static_cast<int>(*v);
      }
      // Two maps of the same indicator over the same axes would write the same datasets.
      if (!names.insert(rm.name(spec)).second)
        fail(prefix + "indicator", t.get("indicator"),
             fmt::format("a second region map of {} over ({}, {}); give each indicator and axis pair once", rm.indicator,
                         spec.axes[rm.x_axis].name, spec.axes[rm.y_axis].name));
      spec.region_maps.push_back(rm);
    }
  }

  void read_run(const toml::table& root, SweepSpec& spec) {
    const auto shape = spec.shape();
    std::size_t total = 1;
    for (std::size_t n : shape) total *= n;
    const std::size_t line = std::min(shape[spec.continuation_axis], kDefaultTileCells);
    spec.chunk = TileGrid::default_chunk(shape, spec.continuation_axis,
                                         std::clamp(total / kMinDefaultTiles, line, kDefaultTileCells));
    const toml::node* node = root.get("run");
    if (!node) return;
    const toml::table* run = node->as_table();
    if (!run) fail("run", node, "must be a table");
    check_keys(*run, "run.", {"threads", "chunk", "compression", "deflate_level"});
    if (const toml::node* n = run->get("threads")) {
      const auto v = n->value<std::int64_t>();
      if (!n->is_integer() || !v || *v < 0 || *v > 4096) fail("run.threads", n, "must be an integer in [0, 4096] (0 = all cores)");
      spec.threads = static_cast<int>(*v);
    }
    if (const toml::node* n = run->get("chunk")) {
      const toml::array* arr = n->as_array();
      if (!arr || arr->size() != shape.size())
        fail("run.chunk", n, fmt::format("must be an array of {} positive integers, one per axis", shape.size()));
      std::size_t cells = 1;
      for (std::size_t d = 0; d < shape.size(); ++d) {
        const auto v = arr->get(d)->value<std::int64_t>();
        if (!arr->get(d)->is_integer() || !v || *v < 1)
          fail("run.chunk", n, fmt::format("element {} must be a positive integer", d));
        spec.chunk[d] = std::min<std::size_t>(static_cast<std::size_t>(*v), shape[d]);
        cells *= spec.chunk[d];
      }
      // HDF5 limits a chunk to 4 GiB; keep tiles to a sane memory footprint well below that.
      if (cells > (std::size_t{1} << 24))
        fail("run.chunk", n, fmt::format("a tile of {} points is too large; allowed at most 16777216", cells));
    }
    if (const toml::node* n = run->get("compression")) {
      const std::string c = n->is_string() ? std::string(n->as_string()->get()) : "";
      if (c == "none") spec.compression = Compression::none;
      else if (c == "deflate") spec.compression = Compression::deflate;
      else fail("run.compression", n, "must be \"deflate\" or \"none\"");
    }
    if (const toml::node* n = run->get("deflate_level")) {
      const auto v = n->value<std::int64_t>();
      if (!n->is_integer() || !v || *v < 1 || *v > 9) fail("run.deflate_level", n, "must be an integer in [1, 9]");
      spec.deflate_level = static_cast<int>(*v);
    }
  }

  std::string path_;
  const ModelCatalog& catalog_;
};

}  // namespace

SpecError::SpecError(std::string file, std::string key, int line, const std::string& message)
    : std::runtime_error(format_error(file, key, line, message)), file_(std::move(file)), key_(std::move(key)) {}

std::string ThresholdSpec::name(const SweepSpec& spec) const {
  return fmt::format("{}{}{}.{}", indicator, minus.empty() ? "" : "-", minus, spec.axes[axis].name);
}

std::string RegionMapSpec::name(const SweepSpec& spec) const {
  return fmt::format("{}{}{}.{}.{}", indicator, minus.empty() ? "" : "-", minus, spec.axes[x_axis].name,
                     spec.axes[y_axis].name);
}

std::string SweepSpec::analysis_fingerprint() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& th : thresholds)
    j.push_back({{"indicator", th.indicator},
                 {"minus", th.minus},
                 {"kind", th.kind == ThresholdSpec::Kind::real ? "real" : "categorical"},
                 {"axis", axes[th.axis].name},
                 {"tolerance", th.tolerance},
                 {"max_crossings", th.max_crossings}});
  for (const auto& rm : region_maps)
    j.push_back({{"region_map", rm.indicator},
                 {"minus", rm.minus},
                 {"kind", rm.kind == RegionMapSpec::Kind::real ? "real" : "categorical"},
                 {"axes", {axes[rm.x_axis].name, axes[rm.y_axis].name}},
                 {"depth", rm.depth}});
  return sha256_hex(fingerprint() + j.dump());
}

std::string SensitivitySpec::derivative_name(const Model& m) const {
  return fmt::format("d.{}.d.{}", m.outputs()[output].name, m.parameters()[parameter].name);
}

std::string SensitivitySpec::elasticity_name(const Model& m) const {
  return fmt::format("elasticity.{}.{}", m.outputs()[output].name, m.parameters()[parameter].name);
}

std::vector<std::size_t> SweepSpec::shape() const {
  std::vector<std::size_t> s;
  for (const auto& a : axes) s.push_back(a.values.size());
  return s;
}

std::vector<bool> SweepSpec::needed_outputs() const {
  std::vector<bool> needed(model->outputs().size(), false);
  for (int o : outputs) needed[static_cast<std::size_t>(o)] = true;
  for (const auto& s : sensitivities) needed[static_cast<std::size_t>(s.output)] = true;
  return needed;
}

std::size_t SweepSpec::point_count() const {
  std::size_t n = 1;
  for (const auto& a : axes) n *= a.values.size();
  return n;
}

std::string SweepSpec::canonical_json() const {
  nlohmann::ordered_json j;
  j["format"] = 1;
  j["model"] = std::string(model->name());
  j["variant"] = variant;
  if (!options.empty()) j["options"] = options;
  if (const std::string config = model->configuration_text(); !config.empty()) j["configuration"] = config;
  nlohmann::ordered_json fixed_json = nlohmann::ordered_json::object();
  const auto params = model->parameters();
  for (std::size_t i = 0; i < params.size(); ++i)
    if (!std::isnan(fixed[i])) fixed_json[params[i].name] = fixed[i];
  j["fixed"] = fixed_json;
  nlohmann::ordered_json axes_json = nlohmann::ordered_json::array();
  for (const auto& a : axes) axes_json.push_back({{"name", a.name}, {"values", a.values}});
  j["axes"] = axes_json;
  nlohmann::ordered_json outs = nlohmann::ordered_json::array();
  for (int o : outputs) outs.push_back(model->outputs()[o].name);
  j["outputs"] = outs;
  j["continuation"] = axes[continuation_axis].name;
  j["chunk"] = chunk;
  for (const auto& s : sensitivities)
    j["sensitivities"].push_back({{"output", model->outputs()[s.output].name},
                                  {"parameter", model->parameters()[s.parameter].name},
                                  {"elasticity", s.elasticity},
                                  {"step", s.step}});
  j["compression"] = compression == Compression::none ? "none" : "deflate";
  if (compression == Compression::deflate) j["deflate_level"] = deflate_level;
  return j.dump();
}

std::string SweepSpec::fingerprint() const { return sha256_hex(canonical_json()); }

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

SweepSpec parse_spec(std::string_view text, const std::string& path, const ModelCatalog& catalog) {
  return SpecReader(path, catalog).read(text);
}

SweepSpec load_spec(const std::string& path, const ModelCatalog& catalog) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(path, "", 0, "cannot read the spec file (does it exist and is it readable?)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_spec(text.str(), path, catalog);
}

}  // namespace eqsweep
