#include "cli/models_command.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "engine/name_suggest.hpp"

namespace eqsweep::cli {

namespace {

using Json = nlohmann::ordered_json;

// Rows of cells printed with every column as wide as its widest cell; the last column is free
// text and is not padded.
std::string aligned(const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t c = 0; c + 1 < r.size(); ++c) {
      if (width.size() <= c) width.resize(c + 1, 0);
      width[c] = std::max(width[c], r[c].size());
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < r.size(); ++c)
      line += c + 1 < r.size() ? fmt::format("{:<{}}  ", r[c], width[c]) : r[c];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// The options a model needs before it has parameters (model M: its network file): text options
// without a default.
std::vector<std::string> configuring_options(const Model& m) {
  std::vector<std::string> names;
  if (!m.parameters().empty()) return names;
  for (const auto& o : m.options())
    if (!o.numeric && o.choices.empty() && o.default_value.empty()) names.push_back(o.name);
  return names;
}

const Model& find_model(const ModelCatalog& catalog, const std::string& name) {
  if (const Model* m = catalog.find(name)) return *m;
  std::vector<std::string> names;
  for (const Model* m : catalog.all()) names.emplace_back(m->name());
  throw std::invalid_argument(fmt::format("unknown model '{}'{}", name, suggestion_text(name, names, "`eqsweep models`")));
}

// The model as a spec with these options would see it; nullptr when it still needs them.
std::shared_ptr<const Model> configured(const Model& m, const OptionValues& given, const Model*& use) {
  use = &m;
  OptionValues options;
  for (const auto& o : m.options()) options[o.name] = o.default_value;
  for (const auto& [k, v] : given) {
    const bool declared = std::any_of(m.options().begin(), m.options().end(), [&](const auto& o) { return o.name == k; });
    if (!declared) {
      std::vector<std::string> names;
      for (const auto& o : m.options()) names.push_back(o.name);
      throw std::invalid_argument(
          fmt::format("unknown option '{}' of model {}{}", k, m.name(), suggestion_text(k, names, "this list")));
    }
    options[k] = v;
  }
  for (const auto& o : configuring_options(m))
    if (options[o].empty()) return nullptr;
  auto c = m.configure(options, ".");
  if (c) use = c.get();
  return c;
}

std::string option_allowed(const OptionInfo& o) {
  if (o.numeric) return o.domain.describe();
  if (!o.choices.empty()) return fmt::format("{}", fmt::join(o.choices, "|"));
  return "text";
}

std::string default_text(const ParameterInfo& p) {
  return std::isnan(p.default_value) ? "required" : fmt::format("{:g}", p.default_value);
}

Json domain_json(const Domain& d) {
  auto end = [](double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); };
  return {{"lo", end(d.lo)}, {"hi", end(d.hi)}, {"lo_open", d.lo_open}, {"hi_open", d.hi_open}, {"text", d.describe()}};
}

std::string parameters_cell(const Model& m) {
  const auto need = configuring_options(m);
  return need.empty() ? std::to_string(m.parameters().size()) : fmt::format("from {}", fmt::join(need, ", "));
}

std::string outputs_cell(const Model& m) {
  const auto need = configuring_options(m);
  return need.empty() ? std::to_string(m.outputs().size()) : fmt::format("from {}", fmt::join(need, ", "));
}

}  // namespace

std::string models_summary_text(const ModelCatalog& catalog) {
  std::vector<std::vector<std::string>> rows{{"model", "variants", "parameters", "outputs", "description"}};
  for (const Model* m : catalog.all()) {
    std::vector<std::string> variants;
    for (const auto& v : m->variants()) variants.push_back(v.name);
    std::string d(m->description());
    // One line per model: the description up to its first clause; the details carry the rest.
    if (const auto cut = d.find_first_of(";(:"); cut != std::string::npos && cut > 20) d = d.substr(0, cut);
    while (!d.empty() && (d.back() == ' ' || d.back() == ',')) d.pop_back();
    rows.push_back({std::string(m->name()), fmt::format("{}", fmt::join(variants, ",")), parameters_cell(*m),
                    outputs_cell(*m), d});
  }
  return aligned(rows, "") + "\n`eqsweep models NAME` for a model's parameters, outputs, variants and options; --json for "
                             "scripts.\n";
}

std::string models_summary_json(const ModelCatalog& catalog) {
  Json list = Json::array();
  for (const Model* m : catalog.all()) {
    Json variants = Json::array(), options = Json::array();
    for (const auto& v : m->variants()) variants.push_back(v.name);
    for (const auto& o : m->options()) options.push_back(o.name);
    const auto need = configuring_options(*m);
    list.push_back({{"name", m->name()},
                    {"description", m->description()},
                    {"source", m->source()},
                    {"variants", variants},
                    {"options", options},
                    {"parameters", need.empty() ? Json(m->parameters().size()) : Json(nullptr)},
                    {"outputs", need.empty() ? Json(m->outputs().size()) : Json(nullptr)},
                    {"configured_by", need}});
  }
  return list.dump(2) + "\n";
}

namespace {
// What a spec of this variant without an `outputs` list stores: "all 504" or "254 (not derived.*)".
std::string default_outputs_text(const Model& m, const VariantInfo& v) {
  std::size_t written = 0;
  for (const auto& o : m.outputs()) written += v.writes(o.name);
  if (v.unwritten_outputs.empty()) return fmt::format("all {}", written);
  return fmt::format("{} (not {})", written, fmt::join(v.unwritten_outputs, ", "));
}
}  // namespace

std::string model_details_text(const ModelCatalog& catalog, const std::string& name, const OptionValues& options) {
  const Model* m = nullptr;
  const auto keep = configured(find_model(catalog, name), options, m);
  std::string out = fmt::format("{}\n  {}\n  source: {}\n", m->name(), m->description(), m->source());
  if (!options.empty()) {
    std::vector<std::string> given;
    for (const auto& [k, v] : options) given.push_back(fmt::format("{} = {}", k, v));
    out += fmt::format("  configured with {}\n", fmt::join(given, ", "));
  }
  out += "\nvariants\n";
  std::vector<std::vector<std::string>> rows{{"name", "default outputs", "description"}};
  for (const auto& v : m->variants())
    rows.push_back({v.name, default_outputs_text(*m, v), v.description});
  out += aligned(rows, "  ");
  if (!m->options().empty()) {
    out += "\noptions ([options] table of a spec)\n";
    rows = {{"name", "default", "allowed", "description"}};
    for (const auto& o : m->options())
      rows.push_back({o.name, o.default_value.empty() ? "-" : o.default_value, option_allowed(o), o.description});
    out += aligned(rows, "  ");
  }
  if (const auto need = configuring_options(*m); !need.empty()) {
    out += fmt::format("\nparameters and outputs depend on the {} option; e.g. `eqsweep models {} --{} FILE`\n",
                       fmt::join(need, ", "), m->name(), need.front());
    return out;
  }
  out += "\nparameters ([fixed] or [[axis]] of a spec)\n";
  rows = {{"name", "symbol", "domain", "units", "default", "description"}};
  for (const auto& p : m->parameters())
    rows.push_back({p.name, p.symbol, p.domain.describe(), p.units, default_text(p), p.description});
  out += aligned(rows, "  ");
  out += fmt::format("\noutputs ({}; also stored per point: status, iterations, residual)\n", m->outputs().size());
  rows = {{"name", "units", "description"}};
  for (const auto& o : m->outputs()) rows.push_back({o.name, o.units.empty() ? "-" : o.units, o.description});
  out += aligned(rows, "  ");
  return out;
}

std::string model_details_json(const ModelCatalog& catalog, const std::string& name, const OptionValues& options) {
  const Model* m = nullptr;
  const auto keep = configured(find_model(catalog, name), options, m);
  Json j{{"name", m->name()}, {"description", m->description()}, {"source", m->source()}};
  j["configured_with"] = options;
  j["variants"] = Json::array();
  for (const auto& v : m->variants()) {
    Json written = Json::array();
    for (const auto& o : m->outputs())
      if (v.writes(o.name)) written.push_back(o.name);
    j["variants"].push_back({{"name", v.name},
                             {"description", v.description},
                             {"unwritten_outputs", v.unwritten_outputs},
                             {"default_outputs", written}});
  }
  j["options"] = Json::array();
  for (const auto& o : m->options()) {
    Json e{{"name", o.name}, {"description", o.description}, {"default", o.default_value}};
    if (o.numeric) e["domain"] = domain_json(o.domain);
    else e["choices"] = o.choices;
    j["options"].push_back(e);
  }
  j["configured_by"] = configuring_options(*m);
  j["parameters"] = Json::array();
  for (const auto& p : m->parameters())
    j["parameters"].push_back({{"name", p.name},
                               {"symbol", p.symbol},
                               {"description", p.description},
                               {"units", p.units},
                               {"domain", domain_json(p.domain)},
                               {"default", std::isnan(p.default_value) ? Json(nullptr) : Json(p.default_value)}});
  j["outputs"] = Json::array();
  for (const auto& o : m->outputs())
    j["outputs"].push_back({{"name", o.name}, {"description", o.description}, {"units", o.units}});
  return j.dump(2) + "\n";
}

}  // namespace eqsweep::cli
