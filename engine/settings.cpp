#include "engine/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "engine/echo_value.hpp"
#include "engine/quantize.hpp"
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

// Storage choices in the order the docs list them; their names come from the functions the
// canonical form uses (engine/chunk_codec.cpp), so each name is spelled in one place.
constexpr Compression kCompressions[] = {Compression::blosc, Compression::deflate, Compression::zstd, Compression::none};
constexpr BloscCompressor kBloscCompressors[] = {BloscCompressor::lz4, BloscCompressor::lz4hc, BloscCompressor::zstd,
                                                 BloscCompressor::zlib};
constexpr BloscShuffle kBloscShuffles[] = {BloscShuffle::byte, BloscShuffle::bit, BloscShuffle::none};

template <typename E, std::size_t N>
std::vector<std::string> names_of(const E (&values)[N], std::string_view (*name)(E)) {
  std::vector<std::string> names;
  for (E e : values) names.emplace_back(name(e));
  return names;
}

// The value a choice names; the parser has checked it against names_of(values, name).
template <typename E, std::size_t N>
E named(std::string_view text, const E (&values)[N], std::string_view (*name)(E)) {
  for (E e : values)
    if (name(e) == text) return e;
  throw std::logic_error(fmt::format("'{}' passed the choice check but names no value", text));
}

void apply_compression(SweepSpec& s, const SettingValue& v) {
  s.compression = named(v.text, kCompressions, compression_name);
}

void apply_zstd_level(SweepSpec& s, const SettingValue& v) { s.zstd_level = static_cast<int>(v.integer); }
void apply_blosc_level(SweepSpec& s, const SettingValue& v) { s.blosc_level = static_cast<int>(v.integer); }

void apply_blosc_codec(SweepSpec& s, const SettingValue& v) {
  s.blosc_codec = named(v.text, kBloscCompressors, blosc_compressor_name);
}

void apply_blosc_shuffle(SweepSpec& s, const SettingValue& v) {
  s.blosc_shuffle = named(v.text, kBloscShuffles, blosc_shuffle_name);
}

void apply_deflate_level(SweepSpec& s, const SettingValue& v) { s.deflate_level = static_cast<int>(v.integer); }
void apply_significant_digits(SweepSpec& s, const SettingValue& v) { s.significant_digits = static_cast<int>(v.integer); }

void apply_progress(SweepSpec& s, const SettingValue& v) {
  s.progress = v.text == "bar"     ? ProgressMode::bar
               : v.text == "lines" ? ProgressMode::lines
               : v.text == "none"  ? ProgressMode::none
                                   : ProgressMode::automatic;
}

void apply_progress_interval(SweepSpec& s, const SettingValue& v) { s.progress_interval_s = v.real; }
void apply_commit_interval(SweepSpec& s, const SettingValue& v) { s.commit_interval_s = v.real; }
void apply_durability(SweepSpec& s, const SettingValue& v) {
  s.sync_each_commit = v.text == "commit";
  s.sync_at_end = v.text == "end";
}
void apply_overwrite(SweepSpec& s, const SettingValue& v) { s.overwrite = v.boolean; }
void apply_max_failed_fraction(SweepSpec& s, const SettingValue& v) { s.max_failed_fraction = v.real; }
void apply_max_points(SweepSpec& s, const SettingValue& v) { s.max_points = v.integer; }
void apply_max_hours(SweepSpec& s, const SettingValue& v) { s.max_hours = v.real; }
void apply_force(SweepSpec& s, const SettingValue& v) { s.force = v.boolean; }

// "K/N", or "auto": the rank and size a launcher exports (a SLURM job array or an MPI launcher).
void apply_shard(SweepSpec& s, const SettingValue& v) {
  std::string text = v.text;
  s.shard_source.clear();
  if (text == "auto") {
    const ShardAssignment found = shard_from_environment();
    if (found.count == 0)
      throw std::invalid_argument(
          "auto: no launcher variables found (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, OMPI_COMM_WORLD_RANK "
          "and OMPI_COMM_WORLD_SIZE, or PMI_RANK and PMI_SIZE); give the shard as K/N");
    s.shard_index = found.index;
    s.shard_count = found.count;
    s.shard_source = found.source;
    return;
  }
  const auto slash = text.find('/');
  std::size_t k = 0, n = 0, used_k = 0, used_n = 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    k = std::stoul(text.substr(0, slash), &used_k);
    n = std::stoul(text.substr(slash + 1), &used_n);
  } catch (const std::exception&) {
    throw std::invalid_argument(fmt::format("'{}' is not K/N (e.g. 0/4) or auto", echo_value(text)));
  }
  if (used_k != slash || used_n != text.size() - slash - 1 || n < 1 || k >= n || n > 1'000'000)
    throw std::invalid_argument(fmt::format("'{}': need 0 <= K < N <= 1000000, e.g. 0/4", echo_value(text)));
  s.shard_index = k;
  s.shard_count = n;
}

void apply_continuation(SweepSpec& s, const SettingValue& v) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < s.axes.size(); ++i) {
    names.push_back(s.axes[i].name);
    if (s.axes[i].name == v.text) {
      s.continuation_axis = i;
      return;
    }
  }
  throw std::invalid_argument(fmt::format("'{}' is not an axis; axes: {}", echo_value(v.text), fmt::join(names, ", ")));
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
    r.push_back({"run.compression", SettingType::choice, "\"blosc\"", {}, names_of(kCompressions, compression_name),
                 "\"blosc\" (HDF5 filter 32001, LZ4 + shuffle by default: ~7x deflate's speed, ~7 % larger), "
                 "\"deflate\" (shuffle + deflate, built into every HDF5), \"zstd\" (shuffle + filter 32015) or "
                 "\"none\"; docs/cube-format.md says which readers need which filter",
                 SettingScope::stored, "--compression", "", apply_compression});
    r.push_back({"run.deflate_level", SettingType::integer, "4", Domain::closed(1, 9), {},
                 "deflate level: 1 (fastest) to 9 (smallest)", SettingScope::stored, "", "", apply_deflate_level});
    r.push_back({"run.blosc_codec", SettingType::choice, "\"lz4\"", {}, names_of(kBloscCompressors, blosc_compressor_name),
                 "the compressor inside Blosc", SettingScope::stored, "", "", apply_blosc_codec});
    r.push_back({"run.blosc_shuffle", SettingType::choice, "\"shuffle\"", {}, names_of(kBloscShuffles, blosc_shuffle_name),
                 "Blosc's pre-filter: byte shuffle, bit shuffle or none", SettingScope::stored, "", "",
                 apply_blosc_shuffle});
    r.push_back({"run.blosc_level", SettingType::integer, "5", Domain::closed(1, 9), {},
                 "Blosc level: 1 (fastest) to 9 (smallest)", SettingScope::stored, "", "", apply_blosc_level});
    r.push_back({"run.zstd_level", SettingType::integer, "1", Domain::closed(1, 19), {},
                 "zstd level: 1 (fastest) to 19 (smallest)", SettingScope::stored, "", "", apply_zstd_level});
    r.push_back({"run.significant_digits", SettingType::integer, "0", Domain::closed(0, kMaxSignificantDigits), {},
                 "lossy storage: significant decimal digits kept in every stored output and sensitivity (BitRound; "
                 "per variable: the [significant_digits] table); outputs an analysis reads stay exact",
                 SettingScope::stored, "--significant-digits", "(0 = exact)", apply_significant_digits});
    r.push_back({"run.progress", SettingType::choice, "\"auto\"", {}, {"auto", "bar", "lines", "none"},
                 "progress display: auto (a bar on a terminal, lines otherwise), bar, lines or none",
                 SettingScope::run, "--progress", "", apply_progress});
    r.push_back({"run.progress_interval", SettingType::real, "10", Domain::above(0), {},
                 "seconds between plain progress lines", SettingScope::run, "--progress-interval", "",
                 apply_progress_interval});
    r.push_back({"run.commit_interval", SettingType::real, "0.5", Domain::closed(0, 3600), {},
                 "seconds between commits of finished tiles to disk (what a kill can lose at most)",
                 SettingScope::run, "--commit-interval", "", apply_commit_interval});
    r.push_back({"run.durability", SettingType::choice, "\"commit\"", {}, {"commit", "end", "none"},
                 "commit: every commit is synced to disk (fdatasync), so committed tiles survive a power loss; "
                 "end: one sync when the run ends; none: no sync (as h5py). Committed tiles survive a killed "
                 "process under all three",
                 SettingScope::run, "--durability", "", apply_durability});
    r.push_back({"run.shard", SettingType::text, "\"0/1\"", {}, {},
                 "compute only the tiles t with t mod N = K into OUTPUT.shard-K-of-N.h5 (merge them with eqsweep merge); "
                 "auto reads SLURM_ARRAY_TASK_ID/COUNT, OMPI_COMM_WORLD_RANK/SIZE or PMI_RANK/SIZE",
                 SettingScope::run, "--shard", "", apply_shard});
    r.push_back({"run.overwrite", SettingType::boolean, "false", {}, {},
                 "discard an existing file at the output path instead of resuming it", SettingScope::run,
                 "--overwrite", "", apply_overwrite});
    r.push_back({"run.max_failed_fraction", SettingType::real, "0", Domain::closed(0, 1), {},
                 "fraction of the cube's points allowed to have status failed; above it `eqsweep run` exits with "
                 "code 3 (the cube is kept)",
                 SettingScope::run, "", "", apply_max_failed_fraction});
    r.push_back({"run.max_points", SettingType::integer, "10000000000", Domain::closed(1, 281474976710656.0), {},
                 "a grid with more points is refused before any work unless --force (`eqsweep run --dry-run` shows "
                 "the estimate)",
                 SettingScope::run, "", "", apply_max_points});
    r.push_back({"run.max_hours", SettingType::real, "1", Domain::above(0), {},
                 "a run estimated (from a short calibration solve) to take longer is refused before any work unless "
                 "--force",
                 SettingScope::run, "", "", apply_max_hours});
    r.push_back({"run.force", SettingType::boolean, "false", {}, {},
                 "run even above run.max_points or run.max_hours or when the cube before compression exceeds the free "
                 "disk space",
                 SettingScope::run, "--force", "", apply_force});
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
    case SettingType::text: return "string";
  }
  return "";
}

}  // namespace

ShardAssignment shard_from_environment() {
  auto number = [](const char* name, long& out) {
    const char* v = std::getenv(name);
    if (!v || !*v) return false;
    char* end = nullptr;
    out = std::strtol(v, &end, 10);
    return *end == '\0';
  };
  long id = 0, count = 0, min = 0;
  if (number("SLURM_ARRAY_TASK_ID", id) && number("SLURM_ARRAY_TASK_COUNT", count)) {
    // Array indices need not start at 0 (--array=1-8): count from the array's first index.
    if (!number("SLURM_ARRAY_TASK_MIN", min)) min = 0;
    if (id - min >= 0 && id - min < count)
      return {static_cast<std::size_t>(id - min), static_cast<std::size_t>(count),
              "SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN / SLURM_ARRAY_TASK_COUNT"};
  }
  if (number("OMPI_COMM_WORLD_RANK", id) && number("OMPI_COMM_WORLD_SIZE", count) && id >= 0 && id < count)
    return {static_cast<std::size_t>(id), static_cast<std::size_t>(count), "OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE"};
  if (number("PMI_RANK", id) && number("PMI_SIZE", count) && id >= 0 && id < count)
    return {static_cast<std::size_t>(id), static_cast<std::size_t>(count), "PMI_RANK/PMI_SIZE"};
  return {};
}

std::string SettingRecord::allowed() const {
  std::string text;
  switch (type) {
    case SettingType::integer: text = fmt::format("an integer in {}", range.describe()); break;
    case SettingType::real: text = fmt::format("a number in {}", range.describe()); break;
    case SettingType::boolean: text = "true or false"; break;
    case SettingType::choice: text = quoted_choices(choices); break;
    case SettingType::integer_list: text = "an array of positive integers, one per axis"; break;
    case SettingType::axis_name: text = "the name of an axis"; break;
    case SettingType::text: text = "K/N with 0 <= K < N, or \"auto\""; break;
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

std::string settings_json() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : records()) {
    nlohmann::json j{{"key", r.key},
                     {"type", type_name(r.type)},
                     {"default", r.default_text},
                     {"allowed", r.allowed()},
                     {"fingerprint", r.fingerprinted()},
                     {"scope", scope_name(r.scope)},
                     {"flag", r.cli_flag.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.cli_flag)},
                     {"description", r.description}};
    if (!r.choices.empty()) j["choices"] = r.choices;
    if (r.type == SettingType::integer || r.type == SettingType::real || r.type == SettingType::integer_list) {
      // JSON has no infinity: an unbounded end is null.
      const auto end = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); };
      j["range"] = {{"lo", end(r.range.lo)}, {"hi", end(r.range.hi)}, {"lo_open", r.range.lo_open},
                    {"hi_open", r.range.hi_open}};
    }
    out.push_back(std::move(j));
  }
  return out.dump(2) + "\n";
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
