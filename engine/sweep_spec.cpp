#include "engine/sweep_spec.hpp"

#include <algorithm>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fnmatch.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "engine/name_suggest.hpp"
#include "engine/quantize.hpp"
#include "engine/design_csv.hpp"
#include "engine/echo_value.hpp"
#include "engine/input_file.hpp"
#include "engine/settings.hpp"
#include "engine/size_estimate.hpp"
#include "engine/toml_screen.hpp"
#include "engine/tile_grid.hpp"

namespace eqsweep {

namespace {

std::string format_error(const std::string& file, const std::string& key, int line, const std::string& message) {
  // A key is the user's text too (an unknown key of 10 MB must not come back whole).
  std::string where = line > 0 ? fmt::format("{}:{}", file, line) : file;
  return key.empty() ? fmt::format("{}: {}", where, message)
                     : fmt::format("{}: {}: {}", where, echo_value(key, 2 * kEchoedBytes), message);
}

// How a cube's copy of the spec names a long value list it stores as the axis' coordinate.
std::string stored_reference(const std::string& name, std::size_t count) {
  return fmt::format("{{ coordinate = \"{}\", count = {} }}", name, count);
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Reads one spec; every failure throws SpecError naming the key.
class SpecReader {
 public:
  SpecReader(const std::string& path, const ModelCatalog& catalog, const StoredAxisValues& stored_axes)
      : path_(path), catalog_(catalog), stored_axes_(stored_axes) {}

  SweepSpec read(std::string_view text, const std::vector<SpecOverride>& overrides) {
    toml::table root;
    if (const auto bad = screen_toml_text(text))
      throw SpecError(path_, "", static_cast<int>(bad->line), fmt::format("column {}: {}", bad->column, bad->message));
    try {
      root = toml::parse(text, path_);
    } catch (const toml::parse_error& e) {
      throw SpecError(path_, "", static_cast<int>(e.source().begin.line),
                      fmt::format("malformed TOML: {}", e.description()));
    }
    for (const auto& o : overrides) apply_override(root, o);
    SweepSpec spec;
    spec.path = path_;
    spec.text = std::string(text);
    text_ = text;
    spec.overrides = overrides;
    check_keys(root, "",
               {"model", "variant", "options", "outputs", "continuation", "fixed", "axis", "run", "sensitivity",
                "threshold", "region_map", "significant_digits", "design", "analysis"});

    read_model(root, spec);
    read_options(root, spec);
    read_design(root, spec);
    if (root.contains("axis") || !spec.design) read_axes(root, spec);
    if (spec.design) add_design_axis(spec);
    read_fixed(root, spec);
    read_outputs(root, spec);
    read_run(root, spec);
    read_sensitivities(root, spec);
    read_significant_digits(root, spec);
    read_thresholds(root, spec);
    read_region_maps(root, spec);
    read_gsa(root, spec);
    spec.cube_text = cube_text();
    return spec;
  }

 private:
  [[noreturn]] void fail(const std::string& key, const toml::node* node, const std::string& message) const {
    // A value from --set is named by its command-line text, not by a line of the file.
    if (node && node->source().path && *node->source().path != path_) throw SpecError(*node->source().path, key, 0, message);
    throw SpecError(path_, key, node ? line_of(*node) : 0, message);
  }

  // Puts one --set value into the TOML tree, creating tables on the way ("run.threads" works
  // without a [run] table); "axis[1].linspace" addresses an existing array of tables.
  void apply_override(toml::table& root, const SpecOverride& o) {
    const std::string origin = o.origin.empty() ? fmt::format("--set {}={}", echo_value(o.key), echo_value(o.value))
                                                : echo_value(o.origin, 2 * kEchoedBytes);
    toml::table parsed;
    if (const auto bad = screen_toml_text(o.value))
      throw SpecError(origin, o.key, 0, fmt::format("column {}: {}", bad->column, bad->message));
    try {
      parsed = toml::parse("v = " + o.value, origin);
    } catch (const toml::parse_error&) {
      // A bare word is a string: --set run.compression=none.
      parsed = toml::parse(fmt::format("v = \"{}\"", escaped(o.value)), origin);
    }
    toml::table* table = &root;
    std::string walked;
    std::string_view rest = o.key;
    for (;;) {
      const auto dot = rest.find('.');
      std::string part(rest.substr(0, dot));
      std::size_t index = 0;
      bool indexed = false;
      if (const auto open = part.find('['); open != std::string::npos && part.back() == ']') {
        try {
          index = std::stoul(part.substr(open + 1, part.size() - open - 2));
        } catch (const std::exception&) {
          throw SpecError(origin, o.key, 0, "malformed index; write e.g. axis[0].linspace");
        }
        part = part.substr(0, open);
        indexed = true;
      }
      walked += (walked.empty() ? "" : ".") + part;
      if (part.empty()) throw SpecError(origin, o.key, 0, "empty key part; write e.g. fixed.k=0.6");
      if (dot == std::string_view::npos) {
        if (indexed) throw SpecError(origin, o.key, 0, "an array element takes a key after it, e.g. axis[0].linspace");
        parsed.get("v")->visit([&](auto&& v) { table->insert_or_assign(part, std::move(v)); });
        return;
      }
      rest = rest.substr(dot + 1);
      toml::node* next = table->get(part);
      if (indexed) {
        toml::array* arr = next ? next->as_array() : nullptr;
        if (!arr || index >= arr->size() || !arr->get(index)->is_table())
          throw SpecError(origin, o.key, 0,
                          fmt::format("{} has no element {} (the spec has {})", walked, index, arr ? arr->size() : 0));
        table = arr->get(index)->as_table();
        walked += fmt::format("[{}]", index);
        continue;
      }
      if (!next) next = &table->insert_or_assign(part, toml::table{}).first->second;
      if (!next->is_table())
        throw SpecError(origin, o.key, 0, fmt::format("{} is not a table in the spec, so it has no key {}", walked, rest));
      table = next->as_table();
    }
  }

  static std::string escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  }

  void check_keys(const toml::table& table, const std::string& prefix, std::initializer_list<std::string_view> allowed) {
    for (auto&& [key, node] : table) {
      bool ok = false;
      for (auto a : allowed) ok = ok || key.str() == a;
      if (!ok) {
        const std::vector<std::string> names(allowed.begin(), allowed.end());
        fail(prefix + std::string(key.str()), &node, unknown_key_message(key.str(), names));
      }
    }
  }

  static std::string unknown_key_message(std::string_view key, const std::vector<std::string>& allowed) {
    const auto near = nearest_names(key, allowed);
    return fmt::format("unknown key{}; allowed here: {}",
                       near.empty() ? "" : fmt::format(" (did you mean {}?)", fmt::join(near, ", ")),
                       fmt::join(allowed, ", "));
  }

  // Where the full list of a model's names is printed, for a message too short to hold it.
  static std::string listed_by(const Model& model) { return fmt::format("`eqsweep models {}`", model.name()); }

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
      fail("model", root.get("model"), fmt::format("unknown model '{}'{}", echo_value(name), suggestion_text(name, names, "`eqsweep models`")));
    }
    const auto variants = spec.model->variants();
    std::vector<std::string> names;
    for (const auto& v : variants) names.push_back(v.name);
    if (const toml::node* node = root.get("variant")) {
      if (!node->is_string()) fail("variant", node, "must be a string");
      spec.variant = std::string(node->as_string()->get());
      if (std::find(names.begin(), names.end(), spec.variant) == names.end())
        fail("variant", node,
             fmt::format("unknown variant '{}' of model {}{}", echo_value(spec.variant), name,
                         suggestion_text(spec.variant, names, listed_by(*spec.model))));
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
               names.empty() ? fmt::format("unknown option; model {} has none", spec.model->name())
                             : fmt::format("unknown option of model {}{}", spec.model->name(),
                                           suggestion_text(k.str(), names, listed_by(*spec.model))));
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
            fail(key, &v, fmt::format("'{}' is not allowed; choose one of: {}", echo_value(value), fmt::join(info->choices, ", ")));
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

  // [design]: the points swept along the `point` dimension (engine/design.hpp). Their values are
  // generated here, once, so a spec that loads has every point checked against the domains.
  void read_design(const toml::table& root, SweepSpec& spec) {
    const toml::node* node = root.get("design");
    if (!node) return;
    const toml::table* t = node->as_table();
    if (!t) fail("design", node, "must be a table ([design])");
    check_keys(*t, "design.", {"kind", "points", "seed", "scramble", "levels", "file", "parameters"});
    auto design = std::make_shared<Design>();
    const std::string kind = need_string(*t, "kind", "design.kind");
    const auto& kinds = design_kind_names();
    const auto it = std::find(kinds.begin(), kinds.end(), kind);
    if (it == kinds.end()) fail("design.kind", t->get("kind"), fmt::format("must be one of {}", fmt::join(kinds, ", ")));
    design->kind = static_cast<DesignKind>(it - kinds.begin());
    const bool list = design->kind == DesignKind::list;
    auto integer = [&](const char* key, std::int64_t lo, std::int64_t hi, const char* what) -> std::optional<std::int64_t> {
      const toml::node* n = t->get(key);
      if (!n) return std::nullopt;
      const auto v = n->value<std::int64_t>();
      if (!n->is_integer() || !v || *v < lo || *v > hi)
        fail(fmt::format("design.{}", key), n, fmt::format("must be an integer in [{}, {}] ({})", lo, hi, what));
      return *v;
    };
    if (list) {
      for (const char* key : {"points", "seed", "scramble", "levels", "parameters"})
        if (t->contains(key))
          fail(fmt::format("design.{}", key), t->get(key), "a list design takes its points from `file` only");
      design->file = need_string(*t, "file", "design.file");
      const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
      const std::filesystem::path csv = std::filesystem::path(design->file).is_absolute() ? std::filesystem::path(design->file)
                                                                                        : dir / design->file;
      DesignTable table = read_design_csv(csv.string(), *spec.model);
      for (std::size_t c = 0; c < table.names.size(); ++c)
        design->parameters.push_back({table.names[c], table.parameters[c], kNaN, kNaN, false});
      design->values = std::move(table.values);
      design->samples = design->point_count();
    } else {
      if (t->contains("file")) fail("design.file", t->get("file"), "only a list design reads a file");
      const auto samples = integer("points", 1, kMaxDesignPoints, "points; saltelli: base samples N; morris: trajectories");
      if (!samples) fail("design.points", nullptr, "missing (required): the number of points (saltelli: base samples, morris: trajectories)");
      design->samples = static_cast<std::size_t>(*samples);
      design->seed = static_cast<std::uint64_t>(integer("seed", 0, std::numeric_limits<std::int64_t>::max(), "seed").value_or(0));
      if (const toml::node* s = t->get("scramble")) {
        if (!s->is_boolean()) fail("design.scramble", s, "must be true or false");
        if (design->kind != DesignKind::sobol && design->kind != DesignKind::saltelli)
          fail("design.scramble", s, "only sobol and saltelli designs are scrambled");
        design->scramble = s->as_boolean()->get();
      }
      if (const auto levels = integer("levels", 2, 1000, "Morris grid levels, even")) {
        if (design->kind != DesignKind::morris) fail("design.levels", t->get("levels"), "only a morris design has levels");
        if (*levels % 2) fail("design.levels", t->get("levels"), "must be even (Morris' Δ = p / (2 (p - 1)) needs it)");
        design->levels = static_cast<int>(*levels);
      }
      read_design_parameters(*t, spec, *design);
      // Boost's Joe-Kuo table has 3667 dimensions; Saltelli's layout takes two per parameter.
      const std::size_t dims = design->dimension() * (design->kind == DesignKind::saltelli ? 2 : 1);
      if ((design->kind == DesignKind::sobol || design->kind == DesignKind::saltelli) && dims > 3667)
        fail("design.parameters", t->get("parameters"),
             fmt::format("{} Sobol' dimensions; the sequence has 3667 (a saltelli design takes two per parameter)", dims));
      fill_design(*design);
    }
    if (design->point_count() > static_cast<std::size_t>(kMaxDesignPoints))
      fail(list ? "design.file" : "design.points", t->get(list ? "file" : "points"),
           fmt::format("the design has {} points, more than {} (its points are held in memory)", design->point_count(), kMaxDesignPoints));
    design->values_sha256 = sha256_hex(std::string_view(reinterpret_cast<const char*>(design->values.data()),
                                                         design->values.size() * sizeof(double)));
    spec.design = std::move(design);
  }

  static constexpr std::int64_t kMaxDesignPoints = 50'000'000;

  // [design.parameters]: name = [lower, upper] or { range = [lower, upper], log = true }.
  void read_design_parameters(const toml::table& t, const SweepSpec& spec, Design& design) {
    const toml::node* node = t.get("parameters");
    if (!node || !node->is_table() || node->as_table()->empty())
      fail("design.parameters", node, "missing (required): a table of parameter = [lower, upper]");
    for (auto&& [name, v] : *node->as_table()) {
      const std::string key = fmt::format("design.parameters.{}", name.str());
      DesignParameter p;
      p.name = std::string(name.str());
      p.parameter = spec.model->parameter_index(p.name);
      if (p.parameter < 0) fail(key, &v, unknown_parameter_message(*spec.model, p.name));
      const toml::node* range = &v;
      if (const toml::table* inner = v.as_table()) {
        check_keys(*inner, key + ".", {"range", "log"});
        range = inner->get("range");
        if (!range) fail(key + ".range", &v, "missing (required): [lower, upper]");
        if (const toml::node* lg = inner->get("log")) {
          if (!lg->is_boolean()) fail(key + ".log", lg, "must be true or false");
          p.log = lg->as_boolean()->get();
        }
      }
      const toml::array* arr = range->as_array();
      if (!arr || arr->size() != 2) fail(key, range, "must be [lower, upper] or { range = [lower, upper], log = true }");
      p.lower = need_number(*arr->get(0), key);
      p.upper = need_number(*arr->get(1), key);
      if (!(std::isfinite(p.lower) && std::isfinite(p.upper) && p.lower < p.upper))
        fail(key, range, fmt::format("needs finite lower < upper; got [{}, {}]", p.lower, p.upper));
      if (p.log && !(p.lower > 0)) fail(key, range, "a log-scaled range needs lower > 0");
      const ParameterInfo& info = spec.model->parameters()[static_cast<std::size_t>(p.parameter)];
      // Every generated point lies in [lower, upper], so both ends inside the domain suffice.
      for (double x : {p.lower, p.upper}) check_in_domain(info, x, key, range);
      design.parameters.push_back(std::move(p));
    }
  }

  // The design's points become the last axis, after the grid's.
  void add_design_axis(SweepSpec& spec) {
    for (const auto& a : spec.axes)
      for (const auto& p : spec.design->parameters)
        if (a.parameter == p.parameter)
          fail("design.parameters", nullptr, fmt::format("{} is both an axis and a design parameter; give it one way only", p.name));
    AxisSpec axis;
    axis.name = "point";
    axis.values.resize(spec.design->point_count());
    for (std::size_t i = 0; i < axis.values.size(); ++i) axis.values[i] = static_cast<double>(i);
    spec.axes.push_back(std::move(axis));
  }

  // [[analysis]]: global sensitivity analyses over a saltelli or morris design.
  void read_gsa(const toml::table& root, SweepSpec& spec) {
    const toml::node* node = root.get("analysis");
    if (!node) return;
    const toml::array* list = node->as_array();
    if (!list || !list->is_array_of_tables()) fail("analysis", node, "must be one or more [[analysis]] tables");
    const bool saltelli = spec.design && spec.design->kind == DesignKind::saltelli;
    const bool morris = spec.design && spec.design->kind == DesignKind::morris;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::table& t = *list->get(i)->as_table();
      const std::string prefix = fmt::format("analysis[{}].", i);
      check_keys(t, prefix, {"method", "indicator", "minus", "bootstrap", "confidence", "seed", "unsolved"});
      GsaSpec g;
      static_cast<IndicatorSpec&>(g) = read_indicator(t, prefix, spec);
      if (g.indicator == "status" || g.kind != IndicatorSpec::Kind::real)
        fail(prefix + "indicator", t.get("indicator"), "must be a real output (sensitivity indices of a category are undefined)");
      const std::string method = need_string(t, "method", prefix + "method");
      if (method == "sobol") {
        if (!saltelli) fail(prefix + "method", t.get("method"), "Sobol' indices need a [design] of kind = \"saltelli\"");
      } else if (method == "morris") {
        if (!morris) fail(prefix + "method", t.get("method"), "Morris elementary effects need a [design] of kind = \"morris\"");
        g.morris = true;
      } else {
        fail(prefix + "method", t.get("method"), "must be \"sobol\" or \"morris\"");
      }
      if (const toml::node* b = t.get("bootstrap")) {
        const auto v = b->value<std::int64_t>();
        if (!b->is_integer() || !v || *v < 10 || *v > 100000) fail(prefix + "bootstrap", b, "must be an integer in [10, 100000]");
        g.bootstrap = static_cast<int>(*v);
      }
      if (const toml::node* c = t.get("confidence")) {
        const double v = need_number(*c, prefix + "confidence");
        if (!(v > 0 && v < 1)) fail(prefix + "confidence", c, "must be in (0, 1), e.g. 0.95");
        g.confidence = v;
      }
      g.seed = spec.design->seed;
      if (const toml::node* s = t.get("seed")) {
        const auto v = s->value<std::int64_t>();
        if (!s->is_integer() || !v || *v < 0) fail(prefix + "seed", s, "must be a non-negative integer");
        g.seed = static_cast<std::uint64_t>(*v);
      }
      if (const toml::node* u = t.get("unsolved")) {
        const std::string v = u->is_string() ? std::string(u->as_string()->get()) : "";
        if (v == "drop") g.unsolved = GsaSpec::Unsolved::drop;
        else if (v == "error") g.unsolved = GsaSpec::Unsolved::error;
        else fail(prefix + "unsolved", u, "must be \"drop\" (count and leave out groups with an unsolved point) or \"error\"");
      }
      for (const auto& other : spec.gsa)
        if (other.label() == g.label() && other.morris == g.morris)
          fail(prefix + "indicator", t.get("indicator"), fmt::format("a second {} analysis of {}", method, g.label()));
      spec.gsa.push_back(std::move(g));
    }
  }

  void read_axes(const toml::table& root, SweepSpec& spec) {
    const toml::node* node = root.get("axis");
    if (!node) fail("axis", nullptr, "missing: a sweep needs at least one [[axis]]");
    const toml::array* axes = node->as_array();
    if (!axes || axes->empty() || !axes->is_array_of_tables())
      fail("axis", node, "must be one or more [[axis]] tables");
    check_grid_size(*axes);
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
        if (const toml::table* stored = g->as_table()) {
          axis.values = stored_values(*stored, axis.name, key, g);
        } else {
          const toml::array* arr = g->as_array();
          if (!arr) fail(key, g, "must be an array of numbers");
          for (const auto& v : *arr) axis.values.push_back(need_number(v, key));
          if (axis.values.empty()) fail(key, g, "an axis needs at least one point");
          if (arr->size() > kInlineAxisValues) cut_from_cube_text(*g, axis.name, arr->size());
        }
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

  // `values = { coordinate = "NAME", count = N }`: how a cube stores a long value list (the
  // values are its coordinate), read back from the cube by `eqsweep merge`.
  std::vector<double> stored_values(const toml::table& t, const std::string& name, const std::string& key,
                                    const toml::node* node) {
    check_keys(t, key + ".", {"coordinate", "count"});
    if (!stored_axes_)
      fail(key, node,
           "`{ coordinate = ... }` is how a cube refers to the values it stores as a coordinate; a spec file gives "
           "them as an array of numbers (the cube's coordinate holds them)");
    std::int64_t count = -1;
    if (const toml::node* c = t.get("count")) count = c->value<std::int64_t>().value_or(-1);
    std::vector<double> values = stored_axes_(name);
    if (values.empty() || count < 0 || static_cast<std::size_t>(count) != values.size())
      fail(key, node, fmt::format("the cube's coordinate {} has {} values, the spec stored there says {}", echo_value(name),
                                  values.size(), count));
    return values;
  }

  // Marks the text of a long value list (from `[` to its `]`) to be replaced in cube_text. Lists
  // that came from --set are left to overrides_text; a list whose text cannot be found is kept.
  void cut_from_cube_text(const toml::node& node, const std::string& name, std::size_t count) {
    const auto& src = node.source();
    if (!src.path || *src.path != path_) return;
    std::size_t at = 0;
    for (std::size_t line = 1; line < src.begin.line && at < text_.size(); ++at)
      if (text_[at] == '\n') ++line;
    for (std::size_t column = 1; column < src.begin.column && at < text_.size(); ++column) {
      ++at;  // one character: skip its UTF-8 continuation bytes
      while (at < text_.size() && (static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80) ++at;
    }
    if (at >= text_.size() || text_[at] != '[') return;
    std::size_t end = at + 1;
    for (; end < text_.size() && text_[end] != ']'; ++end) {
      if (text_[end] == '#') end = std::min(text_.find('\n', end), text_.size() - 1);
      else if (text_[end] == '[' || text_[end] == '"' || text_[end] == '\'') return;
    }
    if (end >= text_.size()) return;
    cuts_.push_back({at, end + 1, stored_reference(name, count)});
  }

  std::string cube_text() const {
    if (cuts_.empty()) return {};
    std::string out;
    std::size_t from = 0;
    for (const auto& c : cuts_) {
      out.append(text_.substr(from, c.begin - from));
      out += c.replacement;
      from = c.end;
    }
    out.append(text_.substr(from));
    return out;
  }

  // The grid's size from the counts the axes declare, before any axis is generated: a grid too
  // large to hold is refused in milliseconds (malformed axes are left to read_axes' messages).
  void check_grid_size(const toml::array& axes) {
    std::vector<std::size_t> counts;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const toml::table& t = *axes.get(i)->as_table();
      const char* generator = t.contains("values") ? "values" : t.contains("logspace") ? "logspace" : "linspace";
      const toml::node* g = t.get(generator);
      const toml::array* arr = g ? g->as_array() : nullptr;
      if (!arr) continue;
      std::size_t n = arr->size();
      if (std::string_view(generator) != "values") {
        const auto count = arr->size() == 3 ? arr->get(2)->value<std::int64_t>() : std::nullopt;
        if (!count || *count < 1) continue;
        n = static_cast<std::size_t>(*count);
      }
      counts.push_back(n);
      const auto points = checked_product(counts);
      if (points && *points <= kMaxGridPoints) continue;
      fail(fmt::format("axis[{}].{}", i, generator), g,
           fmt::format("the grid has {} = {} points, more than a sweep can hold ({} = 2^48); use fewer points per axis",
                       fmt::join(counts, " x "), points ? fmt::format("{}", *points) : std::string("more than 2^64"),
                       kMaxGridPoints));
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
    return fmt::format("unknown parameter '{}' of model {}{}", echo_value(name), model.name(),
                       suggestion_text(name, names, listed_by(model)));
  }

  static std::string unknown_output_message(const Model& model, const std::string& name) {
    std::vector<std::string> names;
    for (const auto& o : model.outputs()) names.push_back(o.name);
    return fmt::format("unknown output '{}' of model {}{}", echo_value(name), model.name(), suggestion_text(name, names, listed_by(model)));
  }

  void read_fixed(const toml::table& root, SweepSpec& spec) {
    const auto params = spec.model->parameters();
    spec.fixed.assign(params.size(), kNaN);
    std::vector<bool> given(params.size(), false);
    for (const auto& a : spec.axes)
      if (!a.is_design()) given[a.parameter] = true;
    if (spec.design)
      for (const auto& p : spec.design->parameters) given[p.parameter] = true;
    if (const toml::node* node = root.get("fixed")) {
      const toml::table* fixed = node->as_table();
      if (!fixed) fail("fixed", node, "must be a table of parameter = value");
      for (auto&& [k, v] : *fixed) {
        const std::string key = fmt::format("fixed.{}", k.str());
        const int idx = spec.model->parameter_index(k.str());
        if (idx < 0) fail(key, &v, unknown_parameter_message(*spec.model, std::string(k.str())));
        if (given[idx]) fail(key, &v, fmt::format("{} is also an axis or a design parameter; give it one way only", k.str()));
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
      const auto variants = spec.model->variants();
      const auto variant = std::find_if(variants.begin(), variants.end(),
                                        [&](const VariantInfo& v) { return v.name == spec.variant; });
      for (std::size_t o = 0; o < outs.size(); ++o) {
        chosen[o] = true;
        if (variant != variants.end())
          for (const auto& glob : variant->unwritten_outputs)
            if (fnmatch(glob.c_str(), outs[o].name.c_str(), 0) == 0) chosen[o] = false;
      }
    } else {
      const toml::array* arr = node->as_array();
      if (!arr || arr->empty()) fail("outputs", node, "must be a non-empty array of output names (\"*\" for all)");
      for (const auto& item : *arr) {
        if (!item.is_string()) fail("outputs", &item, "must be output names (strings)");
        const std::string pattern(item.as_string()->get());
        // A shell glob (fnmatch): "*" selects everything, "N.*" everything starting with "N.",
        // "*.pi_M" every scenario's manufacturer profit, "[NY].q_?" both quantities of N and Y.
        bool matched = false;
        for (std::size_t o = 0; o < outs.size(); ++o) {
          if (fnmatch(pattern.c_str(), outs[o].name.c_str(), 0) == 0) {
            chosen[o] = true;
            matched = true;
          }
        }
        if (!matched) {
          std::vector<std::string> names;
          for (const auto& o : outs) names.push_back(o.name);
          fail("outputs", &item,
               unknown_output_message(*spec.model, pattern));
        }
      }
    }
    for (std::size_t o = 0; o < outs.size(); ++o)
      if (chosen[o]) spec.outputs.push_back(static_cast<int>(o));
  }

  // [significant_digits]: "glob" = digits per stored variable (outputs and sensitivities), over
  // run.significant_digits. Each glob must name a stored variable, and no variable may match two
  // globs, so which digits a variable gets never depends on the order of the table.
  void read_significant_digits(const toml::table& root, SweepSpec& spec) {
    const toml::node* node = root.get("significant_digits");
    if (!node) return;
    const toml::table* table = node->as_table();
    if (!table) fail("significant_digits", node, "must be a table of \"output glob\" = digits, e.g. \"Y.*\" = 6");
    std::vector<std::string> names;
    for (int o : spec.outputs) names.push_back(spec.model->outputs()[static_cast<std::size_t>(o)].name);
    for (const auto& sens : spec.sensitivities) {
      names.push_back(sens.derivative_name(*spec.model));
      if (sens.elasticity) names.push_back(sens.elasticity_name(*spec.model));
    }
    std::map<std::string, std::string> glob_of;
    for (auto&& [key, value] : *table) {
      const std::string glob(key.str());
      const std::string where = fmt::format("significant_digits.\"{}\"", glob);
      const auto digits = value.value<std::int64_t>();
      if (!value.is_integer() || !digits || *digits < 0 || *digits > kMaxSignificantDigits)
        fail(where, &value, fmt::format("must be an integer in [0, {}] (0 = exact)", kMaxSignificantDigits));
      bool matched = false;
      for (const auto& name : names) {
        if (fnmatch(glob.c_str(), name.c_str(), 0) != 0) continue;
        matched = true;
        if (const auto [it, fresh] = glob_of.emplace(name, glob); !fresh)
          fail(where, &value, fmt::format("{} matches both \"{}\" and \"{}\"; give each stored variable one glob",
                                          name, it->second, glob));
      }
      if (!matched)
        fail(where, &value, fmt::format("matches no stored output or sensitivity of this spec (e.g. {})",
                                        names.empty() ? std::string("none") : names.front()));
      spec.significant_digits_by_variable.emplace_back(glob, static_cast<int>(*digits));
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
      if (s.output < 0) fail(prefix + "output", t.get("output"), unknown_output_message(*spec.model, output));
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

  // The indicator keys that [[threshold]] and [[region_map]] share (indicator, minus, kind), with
  // one set of rules: outputs must be stored, status is categorical, a difference is real.
  IndicatorSpec read_indicator(const toml::table& t, const std::string& prefix, const SweepSpec& spec) {
    std::vector<std::string> stored;
    for (int o : spec.outputs) stored.push_back(spec.model->outputs()[static_cast<std::size_t>(o)].name);
    IndicatorSpec ind;
    ind.indicator = need_string(t, "indicator", prefix + "indicator");
    if (t.contains("minus")) ind.minus = need_string(t, "minus", prefix + "minus");
    ind.kind = ind.indicator == "status" ? IndicatorSpec::Kind::categorical : IndicatorSpec::Kind::real;
    if (const toml::node* k = t.get("kind")) {
      const std::string kind = k->is_string() ? std::string(k->as_string()->get()) : "";
      if (kind == "real") ind.kind = IndicatorSpec::Kind::real;
      else if (kind == "categorical") ind.kind = IndicatorSpec::Kind::categorical;
      else fail(prefix + "kind", k, "must be \"real\" or \"categorical\"");
    }
    for (const char* key : {"indicator", "minus"}) {
      const std::string& name = std::string_view(key) == "indicator" ? ind.indicator : ind.minus;
      if (name.empty() || name == "status") continue;
      if (std::find(stored.begin(), stored.end(), name) == stored.end())
        fail(prefix + key, t.get(key),
             fmt::format("'{}' is not a stored output of this sweep; stored: status, {}", echo_value(name), fmt::join(stored, ", ")));
    }
    if (ind.indicator == "status" && (ind.kind != IndicatorSpec::Kind::categorical || !ind.minus.empty()))
      fail(prefix + "indicator", t.get("indicator"), "status is a categorical indicator and takes no minus");
    if (ind.minus == "status") fail(prefix + "minus", t.get("minus"), "must be a stored output, not status");
    if (!ind.minus.empty() && ind.kind != IndicatorSpec::Kind::real)
      fail(prefix + "minus", t.get("minus"), "a difference of outputs is a real indicator (kind = \"real\")");
    return ind;
  }

  // The index of axis `name`, or a failure listing the axes.
  std::size_t need_axis(const SweepSpec& spec, const std::string& name, const std::string& key, const toml::node* node) {
    std::vector<std::string> names;
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
      if (spec.axes[a].name == name) return a;
      names.push_back(spec.axes[a].name);
    }
    fail(key, node, fmt::format("'{}' is not an axis; axes: {}", echo_value(name), fmt::join(names, ", ")));
  }

  // Every entry of an array of tables `name` (e.g. [[threshold]]), with its key prefix.
  template <typename Read>
  void for_each_block(const toml::table& root, const char* name, Read read) {
    const toml::node* node = root.get(name);
    if (!node) return;
    const toml::array* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables()) fail(name, node, fmt::format("must be one or more [[{}]] tables", name));
    for (std::size_t i = 0; i < arr->size(); ++i)
      read(*arr->get(i)->as_table(), fmt::format("{}[{}].", name, i));
  }

  // Thresholds and region maps walk the grid's neighbours; a design's points have none.
  void refuse_with_design(const toml::table& root, const SweepSpec& spec, const char* key) {
    if (const toml::node* node = root.get(key); node && spec.design)
      fail(key, node, "not available with a [design] (its points have no neighbours to refine between); use a grid");
  }

  void read_thresholds(const toml::table& root, SweepSpec& spec) {
    refuse_with_design(root, spec, "threshold");
    std::map<std::string, std::string> first_of;  // threshold name -> the block that gave it
    for_each_block(root, "threshold", [&](const toml::table& t, const std::string& prefix) {
      check_keys(t, prefix, {"indicator", "minus", "kind", "axis", "tolerance", "max_crossings"});
      ThresholdSpec th;
      static_cast<IndicatorSpec&>(th) = read_indicator(t, prefix, spec);
      th.axis = need_axis(spec, need_string(t, "axis", prefix + "axis"), prefix + "axis", t.get("axis"));
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
      // Two thresholds of one indicator along one axis would write the same datasets.
      if (const auto [it, fresh] = first_of.emplace(th.name(spec), prefix.substr(0, prefix.size() - 1)); !fresh)
        fail(prefix + "indicator", t.get("indicator"),
             fmt::format("{} along {} is already located by {}; give each indicator and axis once", th.expression(),
                         spec.axes[th.axis].name, it->second));
      spec.thresholds.push_back(th);
    });
  }

  void read_region_maps(const toml::table& root, SweepSpec& spec) {
    refuse_with_design(root, spec, "region_map");
    std::vector<std::string> axis_names;
    for (const auto& a : spec.axes) axis_names.push_back(a.name);
    if (const toml::node* node = root.get("region_map"); node && spec.axes.size() < 2)
      fail("region_map", node,
           fmt::format("a region map needs two axes; this sweep has one ({})", fmt::join(axis_names, ", ")));
    std::set<std::string> names;
    for_each_block(root, "region_map", [&](const toml::table& t, const std::string& prefix) {
      check_keys(t, prefix, {"indicator", "minus", "kind", "axes", "depth"});
      RegionMapSpec rm;
      static_cast<IndicatorSpec&>(rm) = read_indicator(t, prefix, spec);
      const toml::node* axes_node = t.get("axes");
      if (!axes_node) fail(prefix + "axes", nullptr, fmt::format("missing (required): two axes of the sweep, from {}", fmt::join(axis_names, ", ")));
      const toml::array* axes = axes_node->as_array();
      if (!axes || axes->size() != 2 || !(*axes)[0].is_string() || !(*axes)[1].is_string())
        fail(prefix + "axes", axes_node, fmt::format("must be two axis names [\"x\", \"y\"], from {}", fmt::join(axis_names, ", ")));
      std::size_t idx[2] = {0, 0};
      for (int k = 0; k < 2; ++k) {
        const std::string name((*axes)[static_cast<std::size_t>(k)].as_string()->get());
        idx[k] = need_axis(spec, name, prefix + "axes", axes_node);
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
    });
  }

  // `continuation` and the [run] table, through the engine's setting records.
  void read_run(const toml::table& root, SweepSpec& spec) {
    const auto shape = spec.shape();
    std::size_t total = 1;
    for (std::size_t n : shape) total *= n;
    // A design's points are in no order worth warm-starting along; the last grid axis is.
    spec.continuation_axis = spec.axes.size() - (spec.design && spec.axes.size() > 1 ? 2 : 1);
    if (const toml::node* n = root.get("continuation")) apply_setting(*find_setting("continuation"), *n, spec);
    // A design alone is no line worth keeping whole: its points spread over the tiles like a grid's.
    const std::size_t line =
        spec.axes[spec.continuation_axis].is_design() ? 1 : std::min(shape[spec.continuation_axis], kDefaultTileCells);
    spec.chunk = TileGrid::default_chunk(shape, spec.continuation_axis,
                                         std::clamp(total / kMinDefaultTiles, line, kDefaultTileCells));
    const toml::node* node = root.get("run");
    if (!node) return;
    const toml::table* run = node->as_table();
    if (!run) fail("run", node, "must be a table");
    std::vector<std::string> allowed;
    for (const auto& r : engine_settings())
      if (r.key.rfind("run.", 0) == 0) allowed.push_back(r.key.substr(4));
    for (auto&& [key, value] : *run) {
      const SettingRecord* record = find_setting(fmt::format("run.{}", key.str()));
      if (!record)
        fail(fmt::format("run.{}", key.str()), &value, unknown_key_message(key.str(), allowed));
      apply_setting(*record, value, spec);
    }
  }

  // Checks a value against its record's type and range, then stores it into the spec.
  void apply_setting(const SettingRecord& record, const toml::node& node, SweepSpec& spec) {
    const std::string& key = record.key;
    SettingValue value;
    auto integer_in_range = [&](const toml::node& n, std::int64_t& out) {
      const auto v = n.value<std::int64_t>();
      if (!n.is_integer() || !v || !record.range.contains(static_cast<double>(*v))) return false;
      out = *v;
      return true;
    };
    switch (record.type) {
      case SettingType::integer:
        if (!integer_in_range(node, value.integer)) fail(key, &node, fmt::format("must be {}", record.allowed()));
        break;
      case SettingType::real: {
        const auto v = node.value<double>();
        if (!(node.is_integer() || node.is_floating_point()) || !v || !record.range.contains(*v))
          fail(key, &node, fmt::format("must be {}", record.allowed()));
        value.real = *v;
        break;
      }
      case SettingType::boolean:
        if (!node.is_boolean()) fail(key, &node, "must be true or false");
        value.boolean = node.as_boolean()->get();
        break;
      case SettingType::choice:
        value.text = node.is_string() ? std::string(node.as_string()->get()) : "";
        if (std::find(record.choices.begin(), record.choices.end(), value.text) == record.choices.end())
          fail(key, &node, fmt::format("must be {}", record.allowed()));
        break;
      case SettingType::axis_name:
        if (!node.is_string()) fail(key, &node, "must be the name of an axis");
        value.text = std::string(node.as_string()->get());
        break;
      case SettingType::text:
        if (!node.is_string()) fail(key, &node, fmt::format("must be {}", record.allowed()));
        value.text = std::string(node.as_string()->get());
        break;
      case SettingType::integer_list: {
        const toml::array* arr = node.as_array();
        if (!arr) fail(key, &node, fmt::format("must be {}", record.allowed()));
        for (std::size_t d = 0; d < arr->size(); ++d) {
          std::int64_t v = 0;
          if (!integer_in_range(*arr->get(d), v)) fail(key, &node, fmt::format("element {} must be a positive integer", d));
          value.list.push_back(v);
        }
        break;
      }
    }
    try {
      record.apply(spec, value);
    } catch (const std::invalid_argument& e) {
      fail(key, &node, e.what());
    }
  }

  struct Cut {
    std::size_t begin, end;
    std::string replacement;
  };

  std::string path_;
  const ModelCatalog& catalog_;
  const StoredAxisValues& stored_axes_;
  std::string_view text_;
  std::vector<Cut> cuts_;  // in text order: axes are read in order
};

}  // namespace

SpecError::SpecError(std::string file, std::string key, int line, const std::string& message)
    : std::runtime_error(format_error(file, key, line, message)), file_(std::move(file)), key_(std::move(key)) {}

std::string IndicatorSpec::label() const { return minus.empty() ? indicator : indicator + "-" + minus; }
std::string IndicatorSpec::expression() const { return minus.empty() ? indicator : indicator + " - " + minus; }

std::string ThresholdSpec::name(const SweepSpec& spec) const {
  return fmt::format("{}.{}", label(), spec.axes[axis].name);
}

std::string RegionMapSpec::name(const SweepSpec& spec) const {
  return fmt::format("{}.{}.{}", label(), spec.axes[x_axis].name, spec.axes[y_axis].name);
}

std::string SweepSpec::overrides_text() const {
  std::string text;
  for (const auto& o : overrides) {
    if (const SettingRecord* r = find_setting(o.key); r && !r->fingerprinted()) continue;
    std::string value = o.value;
    std::size_t index = 0;
    if (std::sscanf(o.key.c_str(), "axis[%zu]", &index) == 1 && o.key == fmt::format("axis[{}].values", index) &&
        index < axes.size() && axes[index].values.size() > kInlineAxisValues)
      value = stored_reference(axes[index].name, axes[index].values.size());
    text += fmt::format("{}{} = {}", text.empty() ? "" : "\n", o.key, value);
  }
  return text;
}

std::string SweepSpec::analysis_fingerprint(const std::string& fingerprint) const {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& th : thresholds)
    j.push_back({{"indicator", th.indicator},
                 {"minus", th.minus},
                 {"kind", th.kind_name()},
                 {"axis", axes[th.axis].name},
                 {"tolerance", th.tolerance},
                 {"max_crossings", th.max_crossings}});
  for (const auto& rm : region_maps)
    j.push_back({{"region_map", rm.indicator},
                 {"minus", rm.minus},
                 {"kind", rm.kind_name()},
                 {"axes", {axes[rm.x_axis].name, axes[rm.y_axis].name}},
                 {"depth", rm.depth}});
  for (const auto& g : gsa)
    j.push_back({{"gsa", std::string(g.method())},
                 {"indicator", g.indicator},
                 {"minus", g.minus},
                 {"bootstrap", g.bootstrap},
                 {"confidence", g.confidence},
                 {"seed", g.seed},
                 {"unsolved", g.unsolved == GsaSpec::Unsolved::drop ? "drop" : "error"}});
  return sha256_hex(fingerprint + j.dump());
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

ChunkEncoding StorageSettings::encoding() const {
  ChunkEncoding e{.compression = compression, .level = 0, .blosc_compressor = blosc_codec, .blosc_shuffle = blosc_shuffle};
  e.level = compression == Compression::zstd ? zstd_level : compression == Compression::blosc ? blosc_level : deflate_level;
  return e;
}

int StorageSettings::significant_digits_of(const std::string& name) const {
  for (const auto& [glob, digits] : significant_digits_by_variable)
    if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) return digits;
  return significant_digits;
}


SweepSpec parse_spec(std::string_view text, const std::string& path, const ModelCatalog& catalog,
                     const std::vector<SpecOverride>& overrides, const StoredAxisValues& stored_axes) {
  return SpecReader(path, catalog, stored_axes).read(text, overrides);
}

SweepSpec load_spec(const std::string& path, const ModelCatalog& catalog, const std::vector<SpecOverride>& overrides) {
  std::string text;
  try {
    text = read_input_file(path, "sweeps/demo.toml");
  } catch (const InputFileError& e) {
    throw SpecError(path, "", 0, e.what());
  }
  return parse_spec(text, path, catalog, overrides);
}

SpecOverride parse_override(std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw SpecError(fmt::format("--set {}", assignment), "", 0,
                    "expected KEY=VALUE, e.g. --set fixed.k=0.6 or --set run.threads=1");
  auto trim = [](std::string_view t) {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return std::string(t);
  };
  return {trim(assignment.substr(0, eq)), trim(assignment.substr(eq + 1)), {}};
}

}  // namespace eqsweep
