#include "engine/cube_info.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/cube_file.hpp"
#include "engine/tile_grid.hpp"

namespace eqsweep {

namespace {

std::array<std::size_t, 4> status_counts(const CubeReader& cube, const nlohmann::json& layout) {
  std::array<std::size_t, 4> counts{0, 0, 0, 0};
  const TileGrid grid(cube.dataset_shape("status"), layout["chunk"].get<std::vector<std::size_t>>());
  const auto done = cube.tiles_done();
  if (done.size() != grid.tile_count())
    throw CubeIoError(fmt::format("the cube records {} tiles but its grid has {}", done.size(), grid.tile_count()));
  for (std::size_t t = 0; t < done.size(); ++t) {
    if (done[t]) cube.count_u8_block("status", grid.tile_origin(t), grid.chunk(), counts);
    else counts[3] += grid.points_in_tile(t);
  }
  return counts;
}

}  // namespace

std::array<std::size_t, 4> cube_status_counts(const std::string& path) {
  CubeReader cube(path);
  return status_counts(cube, nlohmann::json::parse(cube.string_attribute("eqsweep_layout")));
}

std::string describe_cube(const std::string& path) {
  CubeReader cube(path);
  if (!cube.has_attribute("eqsweep_layout")) throw CubeIoError(path + " is an HDF5 file but not an eqsweep cube");
  const auto layout = nlohmann::json::parse(cube.string_attribute("eqsweep_layout"));
  std::string out = fmt::format("{}\n", path);
  auto attr = [&](const char* name) { return cube.has_attribute(name) ? cube.string_attribute(name) : std::string("-"); };
  out += fmt::format("  model      {} (variant {})\n", attr("model"), attr("variant"));
  out += fmt::format("  source     {}\n", attr("source"));
  out += fmt::format("  fixed      {}\n", attr("fixed_parameters"));
  out += "  axes\n";
  for (const auto& name : layout["axes"]) {
    const std::string n = name.get<std::string>();
    const auto values = cube.read_f64(n);
    out += fmt::format("    {:<12} {:>8} points  [{:.6g} .. {:.6g}]  {}\n", n, values.size(), values.front(), values.back(),
                       cube.dataset_string_attribute(n, "long_name"));
  }
  out += "  variables\n   ";
  for (const auto& name : layout["variables"]) out += " " + name.get<std::string>();
  out += "\n";
  const auto done = cube.tiles_done();
  std::size_t n_done = 0;
  for (auto d : done) n_done += d;
  out += fmt::format("  chunk      {} ({})\n", layout["chunk"].dump(), layout["compression"].get<std::string>());
  // Cubes written before Blosc and Zstd existed have no reader_needs: their filters are built in.
  out += fmt::format("  readers    {}\n", layout.value("reader_needs", reader_requirements(Compression::deflate)));
  std::size_t shard_index = 0, shard_count = 0;
  if (cube.has_attribute("shard") &&
      std::sscanf(attr("shard").c_str(), "%zu/%zu", &shard_index, &shard_count) == 2 && shard_count > 0) {
    // A shard is complete when it holds its own tiles (t mod N = K), not the whole grid.
    std::size_t owned = 0;
    for (std::size_t t = shard_index; t < done.size(); t += shard_count) ++owned;
    out += fmt::format("  progress   shard {} of {}: {}/{} of its tiles finished{}\n", shard_index, shard_count, n_done,
                       owned,
                       n_done == owned ? "; complete: merge the shards with `eqsweep merge` (docs/cluster.md)"
                                       : "; incomplete: rerun the shard's command to resume");
  } else {
    out += fmt::format("  progress   {}/{} tiles finished ({:.1f}%){}\n", n_done, done.size(),
                       done.empty() ? 100.0 : 100.0 * static_cast<double>(n_done) / static_cast<double>(done.size()),
                       n_done == done.size() ? ", complete" : ", incomplete: rerun the same command to resume");
  }
  // Set while a writer has the file open, and left set by a killed one.
  if (open_for_write_flags(path) != 0)
    out += "  open       by its writer (still running, or killed): plain h5py, xarray and h5dump refuse it until a rerun\n"
           "             finishes it; read it now with h5py.File(path, \"r\", swmr=True) (docs/safety.md)\n";
  const auto status = status_counts(cube, layout);
  const std::size_t points = status[0] + status[1] + status[2] + status[3];
  auto share = [&](std::size_t n) { return points ? 100.0 * static_cast<double>(n) / static_cast<double>(points) : 0.0; };
  out += fmt::format("  status     {} points: {} solved ({:.1f}%), {} infeasible ({:.1f}%), {} failed ({:.1f}%), {} not "
                     "computed ({:.1f}%)\n",
                     points, status[0], share(status[0]), status[1], share(status[1]), status[2], share(status[2]),
                     status[3], share(status[3]));
  out += "  provenance\n";
  for (const char* key : {"eqsweep_version", "git_revision", "spec_path", "spec_fingerprint", "created", "end_time"})
    out += fmt::format("    {:<17} {}\n", key, attr(key));
  for (const char* key : {"threads", "wall_seconds", "resumes"})
    if (cube.has_attribute(key)) out += fmt::format("    {:<17} {:g}\n", key, cube.number_attribute(key));
  return out;
}

}  // namespace eqsweep
