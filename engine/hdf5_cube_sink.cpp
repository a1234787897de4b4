#include "engine/hdf5_cube_sink.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/cube_file.hpp"
#include "engine/shard.hpp"

namespace eqsweep {

namespace fs = std::filesystem;

namespace {

std::string utc_now() { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))); }

class Hdf5CubeSink final : public CubeSink {
 public:
  Hdf5CubeSink(std::unique_ptr<CubeWriter> cube, const TileGrid& grid, double resumes)
      : cube_(std::move(cube)), grid_(grid), resumes_(resumes) {}

  const std::vector<std::uint8_t>& tiles_done() const override { return cube_->tiles_done(); }
  void reserve(std::size_t bytes) override { cube_->reserve(bytes); }
  void write_chunk(std::size_t variable, std::size_t tile, std::span<const std::byte> bytes) override {
    if (tile != origin_tile_) {
      origin_ = grid_.tile_origin(tile);
      origin_tile_ = tile;
    }
    cube_->write_chunk(variable, origin_, bytes);
  }
  void commit(std::span<const std::size_t> tiles) override { cube_->commit(tiles); }

  const std::vector<std::uint8_t>& analysis_done() const override { return cube_->analysis_done(); }
  std::vector<double> read_variable(const std::string& name) override { return cube_->read_variable(name); }
  void write_extra(const std::string& name, const void* data) override { cube_->write_extra(name, data); }
  void write_extra_rows(const std::string& name, std::size_t rows, const void* data) override {
    cube_->write_extra_rows(name, rows, data);
  }
  void mark_analysis_done(std::size_t index) override { cube_->mark_analysis_done(index); }

  void finish(const std::map<std::string, std::string>& string_attrs,
              const std::map<std::string, double>& number_attrs) override {
    auto strings = string_attrs;
    strings["end_time"] = utc_now();
    auto numbers = number_attrs;
    numbers["resumes"] = resumes_;
    cube_->finish(strings, numbers);
  }
  void abandon() noexcept override { cube_->abandon(); }
  void close_after_failure() noexcept override { cube_->close_after_failure(); }

 private:
  std::unique_ptr<CubeWriter> cube_;
  const TileGrid& grid_;
  double resumes_;
  std::size_t origin_tile_ = static_cast<std::size_t>(-1);
  std::vector<std::size_t> origin_;
};

bool is_regular_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string partial_path(const std::string& path) { return path + ".partial"; }

// What may stand at the output path: nothing, or a regular file. A symbolic link is refused
// rather than followed: the rename that swaps a resumed cube in would replace the link by a file
// and leave its target behind, incomplete. Anything else (a directory, a FIFO, which would block
// the open, a device, which --overwrite must never replace) is refused, --overwrite or not.
void check_output_kind(const std::string& path) {
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (ec || !fs::exists(status) || fs::is_regular_file(status)) return;
  if (fs::is_symlink(status)) {
    std::error_code target_ec;
    const auto target = fs::read_symlink(path, target_ec);
    throw OutputRefused(fmt::format(
        "{}: is a symbolic link (to {}); eqsweep writes a cube only to a regular file: give the link's target as -o", path,
        target_ec ? std::string("?") : target.string()));
  }
  const char* kind = fs::is_directory(status) ? "a directory"
                     : fs::is_fifo(status)    ? "a FIFO (named pipe)"
                     : fs::is_block_file(status) || fs::is_character_file(status) ? "a device"
                     : fs::is_socket(status)  ? "a socket"
                                              : "not a regular file";
  throw OutputRefused(fmt::format("{}: is {}, not a file; eqsweep writes a cube only to a regular file (--overwrite never "
                                  "replaces anything else)",
                                  path, kind));
}

void check_output_path(const RunPlan& plan) {
  const std::string& path = plan.output_path;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw OutputRefused(fmt::format("{}: cannot write output: directory {} does not exist", path, dir.string()));
  if (access(dir.c_str(), W_OK) != 0)
    throw OutputRefused(fmt::format("{}: cannot write output: directory {} is not writable", path, dir.string()));
  if (!fs::exists(fs::symlink_status(target, ec)) || plan.run.overwrite) return;
  std::string fingerprint, canonical;
  try {
    CubeReader old(path);
    fingerprint = old.string_attribute("spec_fingerprint");
    if (old.has_attribute("spec_canonical")) canonical = old.string_attribute("spec_canonical");
  } catch (const std::exception& e) {
    throw OutputRefused(fmt::format(
        "{} exists and is not an eqsweep cube that can be resumed ({}); choose another -o path or pass --overwrite",
        path, e.what()));
  }
  if (fingerprint == plan.fingerprint) {
    const std::string shard = plan.sharded() ? plan.layout.attributes.at("shard") : "";
    std::string there;
    try {
      const CubeReader old(path);
      if (old.has_attribute("shard")) there = old.string_attribute("shard");
    } catch (const std::exception&) {
    }
    if (plan.sharded() && there != shard)
      throw OutputRefused(fmt::format("{} holds shard {} of the same spec, not shard {}; refusing to mix shards", path,
                                      there.empty() ? "(none: a whole cube)" : there, shard));
    return;
  }
  const auto differences = canonical_differences(canonical, plan.layout.attributes.at("spec_canonical"));
  throw OutputRefused(fmt::format(
      "{} was written by a different sweep spec (fingerprint {} there, {} for {}): {} differ{}; refusing to mix "
      "results. Choose another -o path, or pass --overwrite to discard the old file",
      path, fingerprint.substr(0, 12), plan.fingerprint.substr(0, 12), plan.spec->path,
      fmt::join(differences, "; "), differences.size() == 1 ? "s" : ""));
}

// Every tile this run owns is done and, unless it is a shard (whose analyses run after the
// merge, on the whole grid), every analysis too.
bool complete(const CubeReader& cube, const RunPlan& plan) {
  // end_time is the last attribute the final stamp writes; a cube killed before it is redone.
  if (!cube.has_attribute("end_time")) return false;
  const auto done = cube.tiles_done();
  for (std::size_t t = 0; t < done.size(); ++t)
    if (!done[t] && plan.owns(t)) return false;
  if (plan.sharded()) return true;
  const auto analyses = cube.analysis_done();
  return cube.has_attribute("analysis_fingerprint") &&
         cube.string_attribute("analysis_fingerprint") == plan.analysis_fingerprint &&
         analyses.size() == plan.spec->analysis_count() &&
         std::all_of(analyses.begin(), analyses.end(), [](std::uint8_t d) { return d != 0; });
}

std::vector<std::string> variable_names(const RunPlan& plan) {
  std::vector<std::string> names;
  for (const auto& v : plan.layout.variables) names.push_back(v.name);
  return names;
}

// A resume writes the coordinates anew from the spec, so a damaged one is repaired by it.
bool coordinates_read(const CubeReader& cube, const RunPlan& plan) {
  return std::all_of(plan.layout.axes.begin(), plan.layout.axes.end(),
                     [&](const CubeAxis& axis) { return cube.dataset_reads(axis.name); });
}

std::vector<std::vector<std::size_t>> tile_origins(const RunPlan& plan) {
  std::vector<std::vector<std::size_t>> origins(plan.grid.tile_count());
  for (std::size_t t = 0; t < origins.size(); ++t) origins[t] = plan.grid.tile_origin(t);
  return origins;
}

}  // namespace

OpenedCube open_hdf5_cube(const RunPlan& plan) {
  check_output_kind(plan.output_path);
  // The caller holds the output lock, so an open-for-write mark on the file is a killed
  // writer's: clear it (h5clear -s) instead of calling the cube unreadable.
  if (!plan.run.overwrite && is_regular_file(plan.output_path)) {
    try {
      clear_open_for_write(plan.output_path);
    } catch (const CubeIoError&) {
      // Left to check_output_path, which names what is wrong with the file.
    }
  }
  check_output_path(plan);
  // A merge checks every shard before it writes anything.
  std::vector<MergeSource> sources = open_merge_sources(plan);
  OpenedCube opened;
  std::unique_ptr<CubeReader> previous;
  std::string created = utc_now();
  double resumes = 0;
  if (!plan.run.overwrite && fs::exists(plan.output_path)) {
    previous = std::make_unique<CubeReader>(plan.output_path);
    // A complete cube is verified (stored bytes against their checksums) before the rerun calls
    // it done: a damaged tile makes it a resume that recomputes that tile.
    if (complete(*previous, plan) && previous->damaged_tiles(variable_names(plan), tile_origins(plan)).empty() &&
        coordinates_read(*previous, plan)) {
      const auto done = previous->tiles_done();
      opened.already_complete = true;
      opened.tiles_resumed = done.size();
      return opened;
    }
    if (previous->has_attribute("created")) created = previous->string_attribute("created");
    resumes = previous->has_attribute("resumes") ? previous->number_attribute("resumes") + 1 : 1;
  }
  CubeLayout layout = plan.layout;
  layout.attributes["created"] = created;
  const std::string partial = partial_path(plan.output_path);
  try {
    auto cube = std::make_unique<CubeWriter>(partial, layout);
    cube->set_durability(plan.run.sync_each_commit, plan.run.sync_at_end);
    // Disk space for what HDF5 holds in memory so far and for the tiles copied below, taken
    // before anything is written: a full disk is met here, not by a flush that HDF5 cannot undo.
    const auto size_of = [](const std::string& path) {
      std::error_code ec;
      const std::uintmax_t n = fs::file_size(path, ec);
      return ec ? std::uintmax_t{0} : n;
    };
    std::uintmax_t copied = previous ? size_of(plan.output_path) : 0;
    for (const auto& source : sources) copied += size_of(source.path);
    cube->reserve(static_cast<std::size_t>(copied));
    std::vector<std::vector<std::size_t>> origins;
    if (previous || !sources.empty()) origins = tile_origins(plan);
    if (previous) opened.tiles_resumed = cube->copy_finished_tiles(*previous, origins);
    for (const auto& source : sources) opened.tiles_merged += cube->copy_finished_tiles(*source.reader, origins);
    opened.tiles_damaged = cube->damaged_tiles().size();
    sources.clear();
    cube->start_swmr();
    previous.reset();
    cube->rename_to(plan.output_path);
    opened.sink = std::make_unique<Hdf5CubeSink>(std::move(cube), plan.grid, resumes);
  } catch (...) {
    std::error_code ec;
    fs::remove(partial, ec);
    throw;
  }
  return opened;
}

}  // namespace eqsweep
