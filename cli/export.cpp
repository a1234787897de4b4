#include "cli/export.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/cube_file.hpp"
#include "engine/model.hpp"

namespace eqsweep::cli {

namespace {

// A whole cube is read into memory: past this a spreadsheet could not open the table anyway.
constexpr std::size_t kMaxCells = std::size_t{1} << 27;  // 1 GiB of doubles

std::vector<std::string> status_names() {
  std::vector<std::string> names;
  const std::string_view all = kPointStatusMeanings;
  std::size_t start = 0;
  while (start < all.size()) {
    const std::size_t space = all.find(' ', start);
    names.emplace_back(all.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return names;
}

// Shortest text that reads back to the same double; NaN is an empty cell.
std::string cell(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

// RFC 4180: quote a field holding a separator, a quote or a line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

ExportResult export_csv(const std::string& cube_path, const std::string& csv_path, CsvShape shape) {
  CubeReader cube(cube_path);
  if (!cube.has_attribute("eqsweep_layout"))
    throw std::runtime_error(cube_path + " is an HDF5 file but not an eqsweep cube");
  const auto layout = nlohmann::json::parse(cube.string_attribute("eqsweep_layout"));
  std::vector<std::string> axes, variables, per_point;
  for (const auto& a : layout["axes"]) axes.push_back(a.get<std::string>());
  // In the long table the solver's diagnostics describe the point, not an output: columns.
  for (const auto& v : layout["variables"]) {
    const std::string name = v.get<std::string>();
    if (name == "status") continue;
    (shape == CsvShape::long_ && (name == "iterations" || name == "residual") ? per_point : variables).push_back(name);
  }

  std::vector<std::vector<double>> axis_values;
  std::size_t points = 1;
  for (const auto& a : axes) {
    axis_values.push_back(cube.read_f64(a));
    points *= axis_values.back().size();
  }
  if (points * (variables.size() + 1) > kMaxCells)
    throw std::runtime_error(fmt::format("{}: {} points x {} variables is too large to export as one table (limit {} "
                                         "cells); export a smaller sweep",
                                         cube_path, points, variables.size(), kMaxCells));
  const std::vector<double> status = cube.read_f64("status");
  std::vector<std::vector<double>> values;
  for (const auto& v : variables) values.push_back(cube.read_f64(v));
  std::vector<std::vector<double>> point_values;
  for (const auto& v : per_point) point_values.push_back(cube.read_f64(v));
  const auto names = status_names();

  const std::string partial = csv_path + ".partial";
  std::ofstream out(partial, std::ios::binary);
  if (!out) throw std::runtime_error(fmt::format("{}: cannot write the CSV file", partial));
  ExportResult result;
  std::string header;
  for (const auto& a : axes) header += csv_field(a) + ",";
  header += "status";
  if (shape == CsvShape::wide) {
    for (const auto& v : variables) header += "," + csv_field(v);
    result.columns = axes.size() + 1 + variables.size();
  } else {
    for (const auto& v : per_point) header += "," + csv_field(v);
    header += ",output,value";
    result.columns = axes.size() + 3 + per_point.size();
  }
  out << header << "\n";

  // Row-major: the last axis varies fastest, as in the cube.
  std::vector<std::size_t> index(axes.size(), 0);
  std::string row;
  for (std::size_t p = 0; p < points; ++p) {
    std::string prefix;
    for (std::size_t d = 0; d < axes.size(); ++d) prefix += cell(axis_values[d][index[d]]) + ",";
    const auto code = static_cast<std::size_t>(status[p]);
    prefix += code < names.size() ? names[code] : std::to_string(code);
    for (const auto& v : point_values) prefix += "," + cell(v[p]);
    if (shape == CsvShape::wide) {
      row = prefix;
      for (const auto& v : values) row += "," + cell(v[p]);
      out << row << "\n";
      ++result.rows;
    } else {
      for (std::size_t v = 0; v < variables.size(); ++v) {
        out << prefix << "," << csv_field(variables[v]) << "," << cell(values[v][p]) << "\n";
        ++result.rows;
      }
    }
    for (std::size_t d = axes.size(); d-- > 0;) {
      if (++index[d] < axis_values[d].size()) break;
      index[d] = 0;
    }
  }
  out.close();
  if (!out) throw std::runtime_error(fmt::format("{}: writing the CSV file failed (disk full?)", partial));
  std::filesystem::rename(partial, csv_path);
  return result;
}

}  // namespace eqsweep::cli
