// eqsweep: sweeps the parameter space of supply-chain equilibrium models into HDF5 cubes.

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/cube_info.hpp"
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"eqsweep: sweep supply-chain equilibrium models over parameter grids into HDF5 cubes"};
  app.set_version_flag("--version", fmt::format("eqsweep {} ({})", eqsweep::kVersion, eqsweep::kGitRevision));
  app.require_subcommand(1);

  std::string spec_path, out_path, compression;
  int threads = 0;
  bool overwrite = false, quiet = false;
  std::string progress = "auto";
  double progress_interval = 10.0;
  double commit_interval = 0.5;

  auto* run = app.add_subcommand("run", "run (or resume) a sweep spec into an HDF5 cube");
  run->add_option("SPEC", spec_path, "sweep specification (TOML), e.g. sweeps/demo.toml")->required();
  run->add_option("-o,--output", out_path, "HDF5 cube to write; an unfinished one with the same spec is resumed")
      ->required();
  run->add_option("--threads", threads, "worker threads (default: run.threads of the spec, else all cores)")
      ->check(CLI::Range(1, 4096));
  run->add_option("--compression", compression, "override the spec's run.compression")
      ->check(CLI::IsMember({"none", "deflate"}));
  run->add_flag("--overwrite", overwrite, "discard an existing file at the output path instead of resuming it");
  run->add_option("--progress", progress, "progress display: auto (bar on a terminal, lines otherwise), bar, lines, none")
      ->check(CLI::IsMember({"auto", "bar", "lines", "none"}));
  run->add_option("--progress-interval", progress_interval, "seconds between plain progress lines")
      ->check(CLI::PositiveNumber);
  run->add_option("--commit-interval", commit_interval,
                  "seconds between commits of finished tiles to disk (what a kill can lose at most)")
      ->check(CLI::Range(0.0, 3600.0));
  run->add_flag("-q,--quiet", quiet, "no progress and no summary");

  auto* validate = app.add_subcommand("validate", "check a sweep spec without running it");
  validate->add_option("SPEC", spec_path, "sweep specification (TOML)")->required();

  app.add_subcommand("models", "list models with their variants, parameters (domains, units) and outputs");

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
    if (info->parsed()) {
      fmt::print("{}", eqsweep::describe_cube(info_path));
      return 0;
    }

    eqsweep::SweepSpec spec;
    try {
      spec = eqsweep::load_spec(spec_path, eqsweep::builtin_models());
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

    if (!compression.empty())
      spec.compression = compression == "none" ? eqsweep::Compression::none : eqsweep::Compression::deflate;
    eqsweep::RunOptions options;
    options.output_path = out_path;
    options.threads = threads;
    options.overwrite = overwrite;
    options.progress_interval_s = progress_interval;
    options.commit_interval_s = commit_interval;
    options.progress = quiet                   ? eqsweep::ProgressMode::none
                       : progress == "bar"     ? eqsweep::ProgressMode::bar
                       : progress == "lines"   ? eqsweep::ProgressMode::lines
                       : progress == "none"    ? eqsweep::ProgressMode::none
                                               : eqsweep::ProgressMode::automatic;
    options.stop_requested = &g_stop;
    try {
      eqsweep::check_output_path(spec, out_path, overwrite);
    } catch (const std::exception& e) {
      fmt::print(stderr, "eqsweep: {}\n", e.what());
      return kExitBadInput;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    const eqsweep::RunSummary summary = eqsweep::run_sweep(spec, options);
    if (!quiet || !summary.ok()) fmt::print(summary.ok() ? stdout : stderr, "eqsweep: {}\n", summary.summary());
    switch (summary.outcome) {
      case eqsweep::RunSummary::Outcome::completed:
      case eqsweep::RunSummary::Outcome::already_complete: return 0;
      case eqsweep::RunSummary::Outcome::interrupted: return kExitInterrupted;
      case eqsweep::RunSummary::Outcome::failed: return kExitFailed;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "eqsweep: {}\n", e.what());
    return kExitFailed;
  }
  return 0;
}
