// eqsweep: sweeps the parameter space of supply-chain equilibrium models into HDF5 cubes.

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/cube_info.hpp"
#include "engine/settings.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"
#include "eqsweep/version.hpp"
#include "models/registry.hpp"

namespace {

// Exit codes: 0 success, 1 run failed, 2 bad input (spec, options, output path), 130 interrupted.
constexpr int kExitFailed = 1, kExitBadInput = 2, kExitInterrupted = 130;

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop.store(true); }

void print_models() {
  for (const eqsweep::Model* m : eqsweep::builtin_models().all()) {
    fmt::print("{}\n  {}\n  source: {}\n  variants:\n", m->name(), m->description(), m->source());
    for (const auto& v : m->variants()) fmt::print("    {:<12} {}\n", v.name, v.description);
    if (!m->options().empty()) {
      fmt::print("  options ([options] table of a spec; name, default, allowed):\n");
      for (const auto& o : m->options())
        fmt::print("    {:<12} {:<10} {:<24} {}\n", o.name, o.default_value,
                   o.numeric ? o.domain.describe() : o.choices.empty() ? std::string("text") : fmt::format("{}", fmt::join(o.choices, "|")),
                   o.description);
    }
    fmt::print("  parameters (name, symbol, domain, units, default):\n");
    for (const auto& p : m->parameters())
      fmt::print("    {:<8} {:<3} {:<12} {:<3} {:<8} {}\n", p.name, p.symbol, p.domain.describe(), p.units,
                 std::isnan(p.default_value) ? "required" : fmt::format("{:g}", p.default_value), p.description);
    fmt::print("  outputs (also stored per point: status, iterations, residual):\n");
    for (const auto& o : m->outputs()) fmt::print("    {:<10} {}\n", o.name, o.description);
  }
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"eqsweep: sweep supply-chain equilibrium models over parameter grids into HDF5 cubes"};
  app.set_version_flag("--version", fmt::format("eqsweep {} ({})", eqsweep::kVersion, eqsweep::kGitRevision));
  app.require_subcommand(1);
  app.footer("Exit codes: 0 success, 1 the run failed, 2 bad input (spec, --set, output path), 130 interrupted.\n");

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

  auto* validate = app.add_subcommand("validate", "check a sweep spec without running it");
  validate->add_option("SPEC", spec_path, "sweep specification (TOML)")->required();
  validate->add_option("--set", assignments, set_help);

  app.add_subcommand("models", "list models with their variants, parameters (domains, units) and outputs");

  bool markdown = false;
  auto* settings = app.add_subcommand("settings", "list the engine settings: keys, defaults, ranges, fingerprint");
  settings->add_flag("--markdown", markdown, "print the table of docs/spec-format.md");

  std::string info_path;
  auto* info = app.add_subcommand("info", "describe a cube: axes, outputs, progress, provenance");
  info->add_option("FILE", info_path, "HDF5 cube written by eqsweep run")->required()->check(CLI::ExistingFile);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  }

  try {
    if (app.got_subcommand("models")) {
      print_models();
      return 0;
    }
    if (settings->parsed()) {
      if (markdown) fmt::print("{}", eqsweep::settings_table_markdown());
      else print_settings();
      return 0;
    }
    if (info->parsed()) {
      fmt::print("{}", eqsweep::describe_cube(info_path));
      return 0;
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
      return 0;
    }

    eqsweep::RunOptions options;
    options.output_path = out_path;
    options.stop_requested = &g_stop;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    const eqsweep::RunSummary summary = eqsweep::run_sweep(spec, options);
    if (!quiet || !summary.ok()) fmt::print(summary.ok() ? stdout : stderr, "eqsweep: {}\n", summary.summary());
    switch (summary.outcome) {
      case eqsweep::RunSummary::Outcome::completed:
      case eqsweep::RunSummary::Outcome::already_complete: return 0;
      case eqsweep::RunSummary::Outcome::interrupted: return kExitInterrupted;
      case eqsweep::RunSummary::Outcome::failed: return kExitFailed;
      case eqsweep::RunSummary::Outcome::refused: return kExitBadInput;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "eqsweep: {}\n", e.what());
    return kExitFailed;
  }
  return 0;
}
