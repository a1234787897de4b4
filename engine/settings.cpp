#include "engine/settings.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/sweep_spec.hpp"

namespace eqsweep {

namespace {

// HDF5 limits a chunk to 4 GiB; tiles stay far below that so that a worker's buffers stay small.
constexpr std::size_t kMaxTilePoints = std::size_t{1} << 24;

void apply_threads(SweepSpec& s, const SettingValue& v) { s.threads = static_cast<int>(v.integer); }

void apply_chunk(SweepSpec& s, const SettingValue& v) {
  const auto shape = s.shape();
  if (v.list.size() != shape.size())
    throw std::invalid_argument(fmt::format("must be an array of {} positive integers, one per axis", shape.size()));
  std::size_t cells = 1;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    s.chunk[d] = std::min<std::size_t>(static_cast<std::size_t>(v.list[d]), shape[d]);
    cells *= s.chunk[d];
  }
  if (cells > kMaxTilePoints)
    throw std::invalid_argument(
        fmt::format("a tile of {} points is too large; allowed at most {}", cells, kMaxTilePoints));
}

void apply_compression(SweepSpec& s, const SettingValue& v) {
  s.compression = v.text == "none" ? Compression::none : Compression::deflate;
}

void apply_deflate_level(SweepSpec& s, const SettingValue& v) { s.deflate_level = static_cast<int>(v.integer); }

void apply_progress(SweepSpec& s, const SettingValue& v) {
  s.progress = v.text == "bar"     ? ProgressMode::bar
               : v.text == "lines" ? ProgressMode::lines
               : v.text == "none"  ? ProgressMode::none
                                   : ProgressMode::automatic;
}

void apply_progress_interval(SweepSpec& s, const SettingValue& v) { s.progress_interval_s = v.real; }
void apply_commit_interval(SweepSpec& s, const SettingValue& v) { s.commit_interval_s = v.real; }
void apply_overwrite(SweepSpec& s, const SettingValue& v) { s.overwrite = v.boolean; }

void apply_continuation(SweepSpec& s, const SettingValue& v) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < s.axes.size(); ++i) {
    names.push_back(s.axes[i].name);
    if (s.axes[i].name == v.text) {
      s.continuation_axis = i;
      return;
    }
  }
  throw std::invalid_argument(fmt::format("'{}' is not an axis; axes: {}", v.text, fmt::join(names, ", ")));
}

const std::vector<SettingRecord>& records() {
  static const std::vector<SettingRecord> all = [] {
    std::vector<SettingRecord> r;
    r.push_back({"continuation", SettingType::axis_name, "the last axis", {}, {},
                 "the axis along which each solution warm-starts the next", SettingScope::computed, "", "",
                 apply_continuation});
    r.push_back({"run.threads", SettingType::integer, "0", Domain::closed(0, 4096), {},
                 "worker threads; 0 = all cores", SettingScope::run, "--threads", "(0 = all cores)", apply_threads});
    r.push_back({"run.chunk", SettingType::integer_list, "automatic", Domain::at_least(1), {},
                 "points per axis in one tile (= one HDF5 chunk of every variable); at most 16777216 points per tile",
                 SettingScope::stored, "", "", apply_chunk});
    r.push_back({"run.compression", SettingType::choice, "\"deflate\"", {}, {"deflate", "none"},
                 "\"deflate\" (HDF5 shuffle + deflate, readable everywhere) or \"none\"", SettingScope::stored,
                 "--compression", "", apply_compression});
    r.push_back({"run.deflate_level", SettingType::integer, "4", Domain::closed(1, 9), {},
                 "deflate level: 1 (fastest) to 9 (smallest)", SettingScope::stored, "", "", apply_deflate_level});
    r.push_back({"run.progress", SettingType::choice, "\"auto\"", {}, {"auto", "bar", "lines", "none"},
                 "progress display: auto (a bar on a terminal, lines otherwise), bar, lines or none",
                 SettingScope::run, "--progress", "", apply_progress});
    r.push_back({"run.progress_interval", SettingType::real, "10", Domain::above(0), {},
                 "seconds between plain progress lines", SettingScope::run, "--progress-interval", "",
                 apply_progress_interval});
    r.push_back({"run.commit_interval", SettingType::real, "0.5", Domain::closed(0, 3600), {},
                 "seconds between commits of finished tiles to disk (what a kill can lose at most)",
                 SettingScope::run, "--commit-interval", "", apply_commit_interval});
    r.push_back({"run.overwrite", SettingType::boolean, "false", {}, {},
                 "discard an existing file at the output path instead of resuming it", SettingScope::run,
                 "--overwrite", "", apply_overwrite});
    return r;
  }();
  return all;
}

std::string quoted_choices(const std::vector<std::string>& choices) {
  std::string text;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) text += i + 1 == choices.size() ? " or " : ", ";
    text += fmt::format("\"{}\"", choices[i]);
  }
  return text;
}

std::string_view type_name(SettingType type) {
  switch (type) {
    case SettingType::integer: return "integer";
    case SettingType::real: return "number";
    case SettingType::boolean: return "boolean";
    case SettingType::choice: return "string";
    case SettingType::integer_list: return "integer array";
    case SettingType::axis_name: return "axis name";
  }
  return "";
}

}  // namespace

std::string SettingRecord::allowed() const {
  std::string text;
  switch (type) {
    case SettingType::integer: text = fmt::format("an integer in {}", range.describe()); break;
    case SettingType::real: text = fmt::format("a number in {}", range.describe()); break;
    case SettingType::boolean: text = "true or false"; break;
    case SettingType::choice: text = quoted_choices(choices); break;
    case SettingType::integer_list: text = "an array of positive integers, one per axis"; break;
    case SettingType::axis_name: text = "the name of an axis"; break;
  }
  return range_note.empty() ? text : text + " " + range_note;
}

std::span<const SettingRecord> engine_settings() { return records(); }

const SettingRecord* find_setting(std::string_view key) {
  for (const auto& r : records())
    if (r.key == key) return &r;
  return nullptr;
}

std::string_view scope_name(SettingScope scope) {
  switch (scope) {
    case SettingScope::computed: return "computed";
    case SettingScope::stored: return "stored";
    case SettingScope::run: return "run";
  }
  return "";
}

std::string settings_table_markdown() {
  std::string table =
      "| key | type | default | allowed | fingerprint | command line | meaning |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& r : records()) {
    std::string allowed = r.allowed();
    std::replace(allowed.begin(), allowed.end(), '|', '/');
    const std::string flag = r.cli_flag.empty() ? fmt::format("`--set {}=…`", r.key)
                                                : fmt::format("`{}`, `--set {}=…`", r.cli_flag, r.key);
    table += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", r.key, type_name(r.type),
                         r.default_text, allowed, r.fingerprinted() ? fmt::format("yes ({})", scope_name(r.scope)) : "no",
                         flag, r.description);
  }
  return table;
}

}  // namespace eqsweep
