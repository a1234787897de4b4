#include "engine/cube_verify.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "engine/cube_file.hpp"
#include "engine/tile_grid.hpp"

namespace eqsweep {

CubeDamage verify_cube(const std::string& path) {
  const CubeReader cube(path);
  if (!cube.has_attribute("eqsweep_layout")) throw CubeIoError(path + " is an HDF5 file but not an eqsweep cube");
  const auto layout = nlohmann::json::parse(cube.string_attribute("eqsweep_layout"));
  const auto variables = layout["variables"].get<std::vector<std::string>>();
  const TileGrid grid(cube.dataset_shape(variables.front()), layout["chunk"].get<std::vector<std::size_t>>());
  std::vector<std::vector<std::size_t>> origins(grid.tile_count());
  for (std::size_t t = 0; t < origins.size(); ++t) origins[t] = grid.tile_origin(t);

  CubeDamage damage;
  damage.checksummed = cube.checksummed(variables.front());
  const auto done = cube.tiles_done();
  damage.tiles_checked = static_cast<std::size_t>(std::count(done.begin(), done.end(), std::uint8_t{1}));
  damage.damaged_tiles = cube.damaged_tiles(variables, origins);
  for (const auto& name : cube.variable_names())
    if (std::find(variables.begin(), variables.end(), name) == variables.end() && !cube.dataset_reads(name))
      damage.damaged_datasets.push_back(name);
  std::vector<std::string> bookkeeping{"/_eqsweep/tile"};
  if (!cube.analysis_done().empty()) bookkeeping.insert(bookkeeping.end(), {"/_eqsweep/analysis", kAnalysisDonePath});
  for (const auto& name : bookkeeping)
    if (!cube.dataset_reads(name)) damage.damaged_datasets.push_back(name);
  return damage;
}

std::string describe_damage(const CubeDamage& damage, const std::string& path) {
  std::string text = fmt::format("verify: {} finished tiles checked{}", damage.tiles_checked,
                                 damage.checksummed ? " against their Fletcher-32 checksums"
                                                    : " for missing chunks only (written before checksums: cube format 2)");
  if (damage.intact()) return text + "; no damage found\n";
  text += "\n";
  if (!damage.damaged_tiles.empty()) {
    const std::size_t shown = std::min<std::size_t>(damage.damaged_tiles.size(), 20);
    text += fmt::format(
        "  DAMAGED: {} tiles ({}{}): rerun the same `eqsweep run` command to recompute them (the damaged tiles are "
        "dropped, the intact ones kept)\n",
        damage.damaged_tiles.size(),
        fmt::join(damage.damaged_tiles.begin(), damage.damaged_tiles.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
        shown < damage.damaged_tiles.size() ? ", ..." : "");
  }
  if (!damage.damaged_datasets.empty())
    text += fmt::format(
        "  DAMAGED: {} cannot be read back ({}); a rerun of the same `eqsweep run` command rewrites the coordinates "
        "from the spec and recomputes the analyses\n",
        fmt::join(damage.damaged_datasets, ", "), path);
  return text;
}

}  // namespace eqsweep
