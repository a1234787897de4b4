#pragma once
// `eqsweep info --verify`: every stored chunk of every finished tile against its checksum, and
// every other dataset (coordinates, analyses, bookkeeping) read whole, so that damage is found
// before a figure is drawn from it.

#include <cstddef>
#include <string>
#include <vector>

namespace eqsweep {

struct CubeDamage {
  bool checksummed = false;   // the variables' chunks carry Fletcher-32 (cubes written since checksums; still format 2)
  std::size_t tiles_checked = 0;
  std::vector<std::size_t> damaged_tiles;     // finished tiles with a damaged or missing chunk
  std::vector<std::string> damaged_datasets;  // coordinates and other datasets that fail to read
  bool intact() const { return damaged_tiles.empty() && damaged_datasets.empty(); }
};

CubeDamage verify_cube(const std::string& path);
// What was checked and found, and what to do about it.
std::string describe_damage(const CubeDamage& damage, const std::string& path);

}  // namespace eqsweep
