#pragma once
// `eqsweep export FILE.h5 --csv OUT`: a cube as a tidy table for spreadsheet users. Wide: one
// row per grid point (axis values, status, one column per variable). Long: one row per point and
// output (axis values, status, output, value). Missing values (unsolved points, tiles not yet
// computed) are empty cells, never 0 or a code.

#include <cstddef>
#include <string>

namespace eqsweep::cli {

enum class CsvShape { wide, long_ };

struct ExportResult {
  std::size_t rows = 0;     // data rows, without the header
  std::size_t columns = 0;
};

// Writes OUT.partial and renames it, so an interrupted export never leaves a truncated OUT that
// looks whole. Throws std::runtime_error naming the file on a cube it cannot read or an output
// it cannot write; a cube too large to hold in memory is refused before any writing.
ExportResult export_csv(const std::string& cube_path, const std::string& csv_path, CsvShape shape);

}  // namespace eqsweep::cli
