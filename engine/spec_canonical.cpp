// The canonical form of a spec (what determines a cube's contents) and its fingerprint.
//
// The form names every axis value. Held as a JSON tree it cost ~88 bytes per axis point (885 MB for
// a 10^7-point axis), and stored as the `spec_canonical` attribute it grew without bound. So the
// fingerprint streams the form's text through SHA-256, formatting the values one at a time; its
// value is the SHA-256 of the very text the tree gave before, and older cubes still resume. The
// stored form summarises each axis (count, first, last, SHA-256 of the values).

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/sha256.hpp"
#include "engine/sweep_spec.hpp"

namespace eqsweep {

namespace {

using Json = nlohmann::ordered_json;

// The keys before "axes" and the keys after it; the axes are written between them.
struct CanonicalParts {
  Json head, tail;
};

CanonicalParts canonical_parts(const SweepSpec& s) {
  CanonicalParts p;
  Json& j = p.head;
  // 2 (cube format 2): categorical outputs are int32 chunks; a format-1 cube holds them as float64,
  // so its chunks must never be copied into a new cube by a resume or merge.
  j["format"] = 2;
  j["model"] = std::string(s.model->name());
  j["variant"] = s.variant;
  if (!s.options.empty()) j["options"] = s.options;
  if (const std::string config = s.model->configuration_text(); !config.empty()) j["configuration"] = config;
  Json fixed_json = Json::object();
  const auto params = s.model->parameters();
  for (std::size_t i = 0; i < params.size(); ++i)
    if (!std::isnan(s.fixed[i])) fixed_json[params[i].name] = s.fixed[i];
  j["fixed"] = fixed_json;

  Json& t = p.tail;
  // Only with a design, so grid specs keep their canonical form. The points' hash covers the
  // generator too: a resume never mixes points of two generator versions.
  if (s.design) {
    Json d;
    d["kind"] = std::string(design_kind_name(s.design->kind));
    for (const auto& dp : s.design->parameters)
      d["parameters"].push_back({{"name", dp.name}, {"lower", dp.lower}, {"upper", dp.upper}, {"log", dp.log}});
    d["samples"] = s.design->samples;
    d["seed"] = s.design->seed;
    d["scramble"] = s.design->scramble;
    d["levels"] = s.design->levels;
    d["points_sha256"] = s.design->values_sha256;
    t["design"] = d;
  }
  Json outs = Json::array();
  for (int o : s.outputs) outs.push_back(s.model->outputs()[o].name);
  t["outputs"] = outs;
  t["continuation"] = s.axes[s.continuation_axis].name;
  t["chunk"] = s.chunk;
  for (const auto& sens : s.sensitivities)
    t["sensitivities"].push_back({{"output", s.model->outputs()[sens.output].name},
                                  {"parameter", s.model->parameters()[sens.parameter].name},
                                  {"elasticity", sens.elasticity},
                                  {"step", sens.step}});
  // Only the chosen codec's own options, so that a deflate spec keeps the canonical form (and
  // fingerprint) it had before other codecs existed.
  t["compression"] = std::string(compression_name(s.compression));
  if (s.compression == Compression::deflate) t["deflate_level"] = s.deflate_level;
  if (s.compression == Compression::zstd) t["zstd_level"] = s.zstd_level;
  if (s.compression == Compression::blosc) {
    t["blosc_codec"] = std::string(blosc_compressor_name(s.blosc_codec));
    t["blosc_shuffle"] = std::string(blosc_shuffle_name(s.blosc_shuffle));
    t["blosc_level"] = s.blosc_level;
  }
  // Absent when exact, so that the cubes written before quantization existed keep their fingerprint.
  if (s.significant_digits != 0) t["significant_digits"] = s.significant_digits;
  if (!s.significant_digits_by_variable.empty()) {
    nlohmann::json by = nlohmann::json::object();
    for (const auto& [glob, digits] : s.significant_digits_by_variable) by[glob] = digits;
    t["significant_digits_by_variable"] = by;
  }
  return p;
}

std::string values_sha256(const std::vector<double>& values) {
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double)));
}

// An axis in the stored form: bounded whatever its length.
Json axis_summary(const std::string& name, const std::vector<double>& values) {
  return {{"name", name},
          {"count", values.size()},
          {"first", values.front()},
          {"last", values.back()},
          {"values_sha256", values_sha256(values)}};
}

Json design_axis(const AxisSpec& a) { return {{"name", a.name}, {"points", a.values.size()}}; }

// head + "axes": AXES + tail, as the one object the parts came from.
template <typename Sink>
void write_joined(const CanonicalParts& p, Sink&& sink, auto&& write_axes) {
  const std::string head = p.head.dump(), tail = p.tail.dump();
  sink(std::string_view(head).substr(0, head.size() - 1));  // without its closing brace
  sink(",\"axes\":[");
  write_axes();
  sink("]");
  if (tail.size() > 2) {
    sink(",");
    sink(std::string_view(tail).substr(1));  // without its opening brace
  } else {
    sink("}");
  }
}

}  // namespace

std::string SweepSpec::canonical_json() const {
  const CanonicalParts parts = canonical_parts(*this);
  std::string out;
  write_joined(parts, [&](std::string_view piece) { out += piece; }, [&] {
    for (std::size_t i = 0; i < axes.size(); ++i) {
      if (i) out += ",";
      out += (axes[i].is_design() ? design_axis(axes[i]) : axis_summary(axes[i].name, axes[i].values)).dump();
    }
  });
  return out;
}

std::string SweepSpec::fingerprint() const {
  const CanonicalParts parts = canonical_parts(*this);
  Sha256 hash;
  std::string buffer;
  auto sink = [&](std::string_view piece) {
    buffer += piece;
    if (buffer.size() >= 1 << 16) {
      hash.update(buffer);
      buffer.clear();
    }
  };
  write_joined(parts, sink, [&] {
    for (std::size_t i = 0; i < axes.size(); ++i) {
      if (i) sink(",");
      if (axes[i].is_design()) {
        sink(design_axis(axes[i]).dump());
        continue;
      }
      // {"name":...,"values":[v0,v1,...]}: each value formatted by the JSON library as the tree did.
      sink("{\"name\":");
      sink(Json(axes[i].name).dump());
      sink(",\"values\":[");
      for (std::size_t k = 0; k < axes[i].values.size(); ++k) {
        if (k) sink(",");
        sink(Json(axes[i].values[k]).dump());
      }
      sink("]}");
    }
  });
  hash.update(buffer);
  return hash.hex();
}

namespace {

std::string short_json(const nlohmann::json& j) {
  std::string text = j.is_null() ? std::string("(absent)") : j.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// Canonical keys are named the way a spec writes them.
std::string spec_key_of(const std::string& canonical_key) {
  for (const char* key : {"chunk", "compression", "deflate_level", "zstd_level", "blosc_codec", "blosc_shuffle", "blosc_level",
                          "significant_digits"})
    if (canonical_key == key) return "run." + canonical_key;
  if (canonical_key == "sensitivities") return "sensitivity";
  if (canonical_key == "significant_digits_by_variable") return "significant_digits (the table)";
  if (canonical_key == "configuration") return "options (the content of the file the model read)";
  return canonical_key;
}

// Cubes written before the summary stored every value ({"name", "values": [...]}); summarised
// here, they compare with today's form.
nlohmann::json summarised_axes(const nlohmann::json& axes) {
  nlohmann::json out = axes;
  for (auto& a : out) {
    if (!a.is_object() || !a.contains("values") || !a["values"].is_array() || a["values"].empty()) continue;
    std::vector<double> values;
    for (const auto& v : a["values"]) values.push_back(v.is_number() ? v.get<double>() : NAN);
    a = nlohmann::json(axis_summary(a.value("name", std::string()), values));
  }
  return out;
}

}  // namespace

std::vector<std::string> canonical_differences(const std::string& before, const std::string& now) {
  auto a = nlohmann::json::parse(before, nullptr, false), b = nlohmann::json::parse(now, nullptr, false);
  if (a.is_discarded() || b.is_discarded() || !a.is_object() || !b.is_object()) return {"the canonical form"};
  for (auto* j : {&a, &b})
    if (j->contains("axes") && (*j)["axes"].is_array()) (*j)["axes"] = summarised_axes((*j)["axes"]);
  std::vector<std::string> out;
  auto differ = [&](const std::string& key, const nlohmann::json& x, const nlohmann::json& y) {
    out.push_back(fmt::format("{} ({} there, {} now)", key, short_json(x), short_json(y)));
  };
  std::set<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.insert(k);
  for (const auto& [k, v] : b.items()) keys.insert(k);
  for (const auto& key : keys) {
    const nlohmann::json x = a.value(key, nlohmann::json()), y = b.value(key, nlohmann::json());
    if (x == y) continue;
    if ((key == "fixed" || key == "options") && x.is_object() && y.is_object()) {
      std::set<std::string> inner;
      for (const auto& [k, v] : x.items()) inner.insert(k);
      for (const auto& [k, v] : y.items()) inner.insert(k);
      for (const auto& k : inner)
        if (x.value(k, nlohmann::json()) != y.value(k, nlohmann::json()))
          differ(key + "." + k, x.value(k, nlohmann::json()), y.value(k, nlohmann::json()));
    } else if (key == "axes" && x.is_array() && y.is_array() && x.size() == y.size()) {
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i] == y[i]) continue;
        const std::string name = y[i].value("name", std::string());
        if (x[i].value("name", std::string()) != name) {
          differ(fmt::format("axis[{}].name", i), x[i]["name"], y[i]["name"]);
          continue;
        }
        auto describe = [](const nlohmann::json& axis) {
          if (axis.contains("points")) return fmt::format("{} design points", axis["points"].dump());
          return fmt::format("{} values, {} .. {}", axis.value("count", std::size_t{0}), axis.value("first", NAN),
                             axis.value("last", NAN));
        };
        out.push_back(fmt::format("axis[{}] ({}): its values differ ({} there; {} now)", i, name, describe(x[i]),
                                  describe(y[i])));
      }
    } else {
      differ(spec_key_of(key), x, y);
    }
  }
  return out;
}

}  // namespace eqsweep
