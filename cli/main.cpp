// eqsweep: sweeps the parameter space of supply-chain equilibrium models into HDF5 cubes.

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/export.hpp"
#include "cli/models_command.hpp"
#include "engine/cube_file.hpp"
#include "engine/cube_info.hpp"
#include "engine/cube_verify.hpp"
#include "engine/settings.hpp"
#include "engine/shard.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/size_estimate.hpp"
#include "engine/time_estimate.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"
#include "eqsweep/version.hpp"
#include "models/registry.hpp"

namespace {

// Exit codes (docs/safety.md): 0 success, 1 the run failed, 2 usage or bad input (spec, options,
// output path, a cube another run holds, a run above a size or time limit), 3 the run finished but more
// points failed than run.max_failed_fraction allows, 130 interrupted.
constexpr int kExitFailed = 1, kExitBadInput = 2, kExitFailedPoints = 3, kExitInterrupted = 130;
constexpr const char* kExitCodesHelp =
    "Exit codes: 0 success; 1 the run failed (what was committed is kept); 2 usage or bad input (spec, --set, output "
    "path, a cube another run is writing, a run above a size or time limit without --force); 3 the run finished but "
    "points failed (more than run.max_failed_fraction); 130 interrupted (Ctrl-C or SIGTERM; rerun the same command "
    "to resume).\n";

std::atomic<bool> g_stop{false};
std::atomic<std::size_t> g_tiles_in_flight{0};

// Only async-signal-safe calls from here on: write(2), _exit(2), lock-free atomics.
void write_to_stderr(const char* text, std::size_t n) {
  while (n > 0) {
    const ssize_t w = write(STDERR_FILENO, text, n);
    if (w <= 0) return;
    text += w;
    n -= static_cast<std::size_t>(w);
  }
}

void append(char* buf, std::size_t& n, std::size_t cap, const char* text) {
  while (*text && n + 1 < cap) buf[n++] = *text++;
}

// The first SIGINT/SIGTERM stops handing out tiles and says so at once; the tiles in flight are
// finished and committed. A second one exits at once, like kill -9: the committed tiles are
// kept and the rerun recomputes the rest, so the resumed cube is the same.
extern "C" void on_signal(int) {
  if (g_stop.exchange(true)) {
    static const char now[] =
        "\neqsweep: stopping now; the committed tiles are kept, rerun the same command to resume\n";
    write_to_stderr(now, sizeof now - 1);
    _exit(kExitInterrupted);
  }
  char buf[256];
  std::size_t n = 0;
  const std::size_t in_flight = g_tiles_in_flight.load();
  append(buf, n, sizeof buf, "\neqsweep: interrupt received; ");
  if (in_flight == 0) {
    append(buf, n, sizeof buf, "stopping after the current step");
  } else {
    char digits[24];
    int d = 0;
    for (std::size_t v = in_flight; v > 0 && d < 23; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
    append(buf, n, sizeof buf, "finishing ");
    while (d > 0 && n + 1 < sizeof buf) buf[n++] = digits[--d];
    append(buf, n, sizeof buf, in_flight == 1 ? " tile in flight" : " tiles in flight");
  }
  append(buf, n, sizeof buf, "; Ctrl-C again to stop now\n");
  write_to_stderr(buf, n);
}

void print_settings() {
  fmt::print("engine settings (a spec's `continuation` and [run] table; `--set KEY=VALUE` on the command line):\n");
  for (const auto& r : eqsweep::engine_settings())
    fmt::print("  {:<22} default {:<14} {:<10} {}\n    allowed: {}{}\n", r.key, r.default_text,
               r.fingerprinted() ? "fingerprint" : "run only", r.description, r.allowed(),
               r.cli_flag.empty() ? "" : fmt::format("; flag {}", r.cli_flag));
}

// The command-line flags of the settings that have one, as text per record key; a flag given
// becomes an override of its setting, validated with the spec.
struct SettingFlags {
  std::map<std::string, std::string> values;  // record key -> flag value
  std::map<std::string, bool> switches;       // boolean records

  void add_to(CLI::App& cmd) {
    for (const auto& r : eqsweep::engine_settings()) {
      if (r.cli_flag.empty()) continue;
      const std::string help = fmt::format("{} (overrides {} of the spec; allowed: {})", r.description, r.key, r.allowed());
      if (r.type == eqsweep::SettingType::boolean) cmd.add_flag(r.cli_flag, switches[r.key], help);
      else cmd.add_option(r.cli_flag, values[r.key], help);
    }
  }

  std::vector<eqsweep::SpecOverride> overrides() const {
    std::vector<eqsweep::SpecOverride> out;
    for (const auto& r : eqsweep::engine_settings()) {
      if (r.cli_flag.empty()) continue;
      if (r.type == eqsweep::SettingType::boolean) {
        if (auto it = switches.find(r.key); it != switches.end() && it->second)
          out.push_back({r.key, "true", r.cli_flag});
      } else if (auto it = values.find(r.key); it != values.end() && !it->second.empty()) {
        out.push_back({r.key, it->second, fmt::format("{} {}", r.cli_flag, it->second)});
      }
    }
    return out;
  }
};

// Prints the summary (always when something went wrong) and returns the exit code.
int report(const eqsweep::RunSummary& summary, bool quiet) {
  const bool good = summary.ok() && !summary.too_many_failed();
  if (!quiet || !good) fmt::print(good ? stdout : stderr, "eqsweep: {}\n", summary.summary());
  switch (summary.outcome) {
    case eqsweep::RunSummary::Outcome::completed:
    case eqsweep::RunSummary::Outcome::already_complete: return summary.too_many_failed() ? kExitFailedPoints : 0;
    case eqsweep::RunSummary::Outcome::interrupted: return kExitInterrupted;
    case eqsweep::RunSummary::Outcome::failed: return kExitFailed;
    case eqsweep::RunSummary::Outcome::refused: return kExitBadInput;
  }
  return kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any HDF5 call: a file HDF5 could not close after a full disk crashed its exit cleanup.
  eqsweep::disable_hdf5_exit_cleanup();
  CLI::App app{"eqsweep: sweep supply-chain equilibrium models over parameter grids into HDF5 cubes"};
  app.set_version_flag("--version", fmt::format("eqsweep {} ({})", eqsweep::kVersion, eqsweep::kGitRevision));
  app.require_subcommand(1);
  app.footer(kExitCodesHelp);

  std::string spec_path, out_path;
  std::vector<std::string> assignments;
  bool quiet = false;
  SettingFlags flags;
  const char* set_help =
      "override any spec value before validation, e.g. --set fixed.k=0.6 --set run.threads=1 (repeatable; "
      "`eqsweep settings` lists the engine settings)";

  auto* run = app.add_subcommand("run", "run (or resume) a sweep spec into an HDF5 cube");
  run->add_option("SPEC", spec_path, "sweep specification (TOML), e.g. sweeps/demo.toml")->required();
  run->add_option("-o,--output", out_path, "HDF5 cube to write; an unfinished one with the same spec is resumed")
      ->required();
  flags.add_to(*run);
  run->add_option("--set", assignments, set_help);
  run->add_flag("-q,--quiet", quiet, "no progress and no summary");
  bool dry_run = false;
  run->add_flag("--dry-run", dry_run,
                "print the estimate (points, tiles, bytes before compression, memory) and whether the run would be "
                "refused, then stop");

  auto* validate = app.add_subcommand("validate", "check a sweep spec without running it");
  validate->add_option("SPEC", spec_path, "sweep specification (TOML)")->required();
  validate->add_option("--set", assignments, set_help);

  std::string model_name, network_file;
  std::vector<std::string> model_options;
  bool models_json = false;
  auto* models = app.add_subcommand(
      "models", "one line per model; with NAME its parameters (domains, units, defaults), outputs, variants, options");
  models->add_option("NAME", model_name, "a model, e.g. ye2025");
  models->add_option("--network", network_file,
                     "model ma_sue: the network file whose parameters and outputs to list (options.network)");
  models->add_option("--option", model_options, "any model option as KEY=VALUE (repeatable), as in a spec's [options]");
  models->add_flag("--json", models_json, "print JSON instead of aligned text");

  bool markdown = false;
  auto* settings = app.add_subcommand("settings", "list the engine settings: keys, defaults, ranges, fingerprint");
  settings->add_flag("--markdown", markdown, "print the table of docs/spec-format.md");
  bool settings_json = false;
  settings->add_flag("--json", settings_json, "print the settings as JSON (key, type, default, allowed, range, ...)");

  std::vector<std::string> merge_inputs;
  bool partial = false;
  int merge_threads = 0;
  bool merge_overwrite = false;
  auto* merge = app.add_subcommand(
      "merge", "merge the shard cubes of a sharded run (--shard K/N) into one cube, copying their chunks byte for byte");
  merge->add_option("SHARDS", merge_inputs, "shard cubes, e.g. out/cube.shard-*-of-4.h5")->required();
  merge->add_option("-o,--output", out_path, "the merged cube (written as OUTPUT.partial, then renamed)")->required();
  merge->add_flag("--partial", partial,
                  "merge what exists; a later `eqsweep run SPEC -o OUTPUT` computes the missing tiles and the analyses");
  merge->add_option("--threads", merge_threads, "threads for the analyses after the merge (default: all cores)")
      ->check(CLI::Range(0, 4096));
  merge->add_flag("--overwrite", merge_overwrite, "replace an existing file at the output path");
  merge->add_flag("-q,--quiet", quiet, "no summary");

  std::string info_path;
  auto* info = app.add_subcommand("info", "describe a cube: axes, outputs, progress, provenance");
  info->add_option("FILE", info_path, "HDF5 cube written by eqsweep run")->required()->check(CLI::ExistingFile);
  bool info_json = false;
  info->add_flag("--json", info_json, "print JSON (absent attributes are null)");
  bool info_verify = false;
  info->add_flag("--verify", info_verify,
                 "also read every stored chunk and check its checksum, and every coordinate (exit code 1 on damage)");

  std::string export_path, csv_path;
  bool csv_wide = false, csv_long = false;
  auto* exporter = app.add_subcommand("export", "write a cube as a tidy CSV table (axes, status, outputs)");
  exporter->add_option("FILE", export_path, "HDF5 cube written by eqsweep run")->required()->check(CLI::ExistingFile);
  exporter->add_option("--csv", csv_path, "CSV file to write (replaced if it exists)")->required();
  auto* wide_flag = exporter->add_flag("--wide", csv_wide, "one row per grid point, one column per output (default)");
  exporter->add_flag("--long", csv_long, "one row per grid point and output: columns output, value")->excludes(wide_flag);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  }

  try {
    if (models->parsed()) {
      eqsweep::OptionValues options;
      for (const auto& kv : model_options) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
          fmt::print(stderr, "eqsweep: --option {}: expected KEY=VALUE\n", kv);
          return kExitBadInput;
        }
        options[kv.substr(0, eq)] = kv.substr(eq + 1);
      }
      if (!network_file.empty()) options["network"] = network_file;
      if (model_name.empty() && !options.empty()) {
        fmt::print(stderr, "eqsweep: models: --network/--option need a model NAME\n");
        return kExitBadInput;
      }
      try {
        const auto& catalog = eqsweep::builtin_models();
        if (model_name.empty())
          fmt::print("{}", models_json ? eqsweep::cli::models_summary_json(catalog) : eqsweep::cli::models_summary_text(catalog));
        else
          fmt::print("{}", models_json ? eqsweep::cli::model_details_json(catalog, model_name, options)
                                       : eqsweep::cli::model_details_text(catalog, model_name, options));
      } catch (const std::invalid_argument& e) {
        fmt::print(stderr, "eqsweep: models: {}\n", e.what());
        return kExitBadInput;
      }
      return 0;
    }
    if (settings->parsed()) {
      if (markdown) fmt::print("{}", eqsweep::settings_table_markdown());
      else if (settings_json) fmt::print("{}", eqsweep::settings_json());
      else print_settings();
      return 0;
    }
    if (info->parsed()) {
      if (info_verify) {
        // Verified first: describing a damaged cube may itself fail on the damage.
        const auto damage = eqsweep::verify_cube(info_path);
        if (!damage.intact()) {
          fmt::print("{}", eqsweep::describe_damage(damage, info_path));
          return 1;
        }
        fmt::print("{}", info_json ? eqsweep::cube_info_json(info_path).dump(2) + "\n" : eqsweep::describe_cube(info_path));
        if (!info_json) fmt::print("{}", eqsweep::describe_damage(damage, info_path));
        return 0;
      }
      fmt::print("{}", info_json ? eqsweep::cube_info_json(info_path).dump(2) + "\n" : eqsweep::describe_cube(info_path));
      return 0;
    }
    if (exporter->parsed()) {
      try {
        const auto r = eqsweep::cli::export_csv(export_path, csv_path,
                                                csv_long ? eqsweep::cli::CsvShape::long_ : eqsweep::cli::CsvShape::wide);
        fmt::print("eqsweep: wrote {} ({} rows x {} columns)\n", csv_path, r.rows, r.columns);
      } catch (const std::exception& e) {
        fmt::print(stderr, "eqsweep: export: {}\n", e.what());
        return kExitBadInput;
      }
      return 0;
    }

    if (merge->parsed()) {
      eqsweep::SweepSpec spec;
      try {
        spec = eqsweep::load_spec_from_cube(merge_inputs.front(), eqsweep::builtin_models());
      } catch (const std::exception& e) {
        fmt::print(stderr, "eqsweep: cannot merge: {}\n", e.what());
        return kExitBadInput;
      }
      eqsweep::RunOptions options;
      options.output_path = out_path;
      options.sources = merge_inputs;
      options.compute = false;
      options.partial_merge = partial;
      options.threads = merge_threads;
      options.overwrite = merge_overwrite;
      options.progress = eqsweep::ProgressMode::none;
      options.stop_requested = &g_stop;
      std::signal(SIGINT, on_signal);
      std::signal(SIGTERM, on_signal);
      return report(eqsweep::run_sweep(spec, options), quiet);
    }

    // Flags first, then --set in the order given: the last word on a key wins.
    std::vector<eqsweep::SpecOverride> overrides = flags.overrides();
    if (quiet) overrides.push_back({"run.progress", "none", "--quiet"});
    eqsweep::SweepSpec spec;
    try {
      for (const auto& a : assignments) overrides.push_back(eqsweep::parse_override(a));
      spec = eqsweep::load_spec(spec_path, eqsweep::builtin_models(), overrides);
    } catch (const eqsweep::SpecError& e) {
      fmt::print(stderr, "eqsweep: invalid spec: {}\n", e.what());
      return kExitBadInput;
    }

    if (validate->parsed()) {
      fmt::print("{}: valid; model {} ({}), {} axes, {} points in {} tiles, {} outputs, fingerprint {}\n", spec.path,
                 spec.model->name(), spec.variant, spec.axes.size(), spec.point_count(),
                 eqsweep::TileGrid(spec.shape(), spec.chunk).tile_count(), spec.outputs.size(),
                 spec.fingerprint().substr(0, 12));
      const eqsweep::SizeEstimate estimate = eqsweep::estimate_size(spec, 0);
      fmt::print("  estimate: {}\n", estimate.describe());
      std::fflush(stdout);
      const eqsweep::TimeEstimate time = eqsweep::estimate_time(spec, estimate.threads);
      fmt::print("  time: {}\n", time.describe());
      auto over = eqsweep::size_limit_exceeded(spec, estimate, "");
      if (!over) over = eqsweep::time_limit_exceeded(spec, time);
      if (over) fmt::print("  `eqsweep run` refuses it unless --force: {}\n", *over);
      return 0;
    }

    std::error_code same_ec;
    if (std::filesystem::equivalent(spec_path, out_path, same_ec)) {
      fmt::print(stderr, "eqsweep: -o {} is the spec file itself; choose another output path for the cube\n", out_path);
      return kExitBadInput;
    }

    eqsweep::RunOptions options;
    options.output_path = out_path;
    options.stop_requested = &g_stop;
    options.tiles_in_flight = &g_tiles_in_flight;

    // The estimate before any work; a run above a limit is refused unless forced.
    {
      const eqsweep::SizeEstimate estimate = eqsweep::estimate_size(spec, 0);
      // A short calibration solve (at most ~0.2 s) gives the time (engine/time_estimate.hpp).
      const eqsweep::TimeEstimate time = eqsweep::estimate_time(spec, estimate.threads);
      auto over = eqsweep::size_limit_exceeded(spec, estimate, out_path);
      if (!over) over = eqsweep::time_limit_exceeded(spec, time);
      if (dry_run) {
        fmt::print("eqsweep: dry run of {} into {}: {}\n  time: {}\n", spec.path, out_path, estimate.describe(),
                   time.describe());
        if (over) fmt::print("  `eqsweep run` refuses it{}: {}\n", spec.force ? " without --force" : " unless --force", *over);
        return over && !spec.force ? kExitBadInput : 0;
      }
      if (over && !spec.force) {
        fmt::print(stderr,
                   "eqsweep: REFUSED before any work: {}.\n  estimate: {}\n  time: {}\n  Nothing was written. Pass "
                   "--force to run anyway, or shrink the grid (`eqsweep run --dry-run` shows the estimate).\n",
                   *over, estimate.describe(), time.describe());
        return kExitBadInput;
      }
      if (!quiet) fmt::print("eqsweep: estimate: {}\n  time: {}\n", estimate.describe(), time.describe());
      std::fflush(stdout);
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    return report(eqsweep::run_sweep(spec, options), quiet);
  } catch (const std::exception& e) {
    fmt::print(stderr, "eqsweep: {}\n", e.what());
    return kExitFailed;
  }
  return 0;
}
