// `eqsweep export --csv`: the table read back cell by cell against the cube it came from.

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

using testing::run_cli;
using testing::ScratchDir;

// Column names here hold no comma or quote, so a plain split reads the file.
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(testing::read_text(path));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      cells.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    rows.push_back(cells);
  }
  return rows;
}

// A small demo cube: 5 theta x 4 t, with infeasible points (NaN outputs) among the solved ones.
std::string small_cube(const ScratchDir& dir) {
  const std::string cube = dir.file("demo.h5");
  const auto r = run_cli({"run", testing::source_dir() + "/sweeps/demo.toml", "-o", cube, "-q", "--set",
                          "axis[0].linspace=[0.1, 0.9, 5]", "--set", "axis[1].linspace=[0.0, 1.0, 4]"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return cube;
}

const char* kStatus[] = {"solved", "infeasible", "failed", "not_computed"};

// The cell as the cube holds it: empty for NaN, else the double it parses to, exactly.
void expect_cell(const std::string& text, double expected, const std::string& what) {
  if (std::isnan(expected)) EXPECT_EQ(text, "") << what;
  else EXPECT_EQ(std::stod(text), expected) << what << " read back as " << text;
}

TEST(ExportCsv, TheWideTableHoldsEveryPointAndVariableOfTheCube) {
  ScratchDir dir("export_wide");
  const std::string cube = small_cube(dir);
  const auto r = run_cli({"export", cube, "--csv", dir.file("wide.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = read_csv(dir.file("wide.csv"));
  CubeReader reader(cube);
  const auto theta = reader.read_f64("theta"), t = reader.read_f64("t"), status = reader.read_f64("status");
  ASSERT_EQ(rows.size(), 1 + theta.size() * t.size());
  const auto& header = rows[0];
  ASSERT_GE(header.size(), 4u);
  EXPECT_EQ(header[0], "theta");
  EXPECT_EQ(header[1], "t");
  EXPECT_EQ(header[2], "status");
  std::size_t infeasible = 0;
  for (std::size_t c = 3; c < header.size(); ++c) {
    const auto values = reader.read_f64(header[c]);
    for (std::size_t p = 0; p < values.size(); ++p) {
      const auto& row = rows[1 + p];
      ASSERT_EQ(row.size(), header.size());
      EXPECT_EQ(std::stod(row[0]), theta[p / t.size()]);
      EXPECT_EQ(std::stod(row[1]), t[p % t.size()]);
      EXPECT_EQ(row[2], kStatus[static_cast<int>(status[p])]);
      expect_cell(row[c], values[p], header[c] + " at point " + std::to_string(p));
      infeasible += c == 3 && row[2] == "infeasible";
    }
  }
  EXPECT_GT(infeasible, 0u) << "the fixture should hold unsolved points";
}

TEST(ExportCsv, TheLongTableHasOneRowPerPointAndOutput) {
  ScratchDir dir("export_long");
  const std::string cube = small_cube(dir);
  const auto r = run_cli({"export", cube, "--csv", dir.file("long.csv"), "--long"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = read_csv(dir.file("long.csv"));
  ASSERT_FALSE(rows.empty());
  const std::vector<std::string> header{"theta", "t", "status", "iterations", "residual", "output", "value"};
  ASSERT_EQ(rows[0], header);
  CubeReader reader(cube);
  const auto t = reader.read_f64("t"), status = reader.read_f64("status");
  const std::size_t points = status.size();
  ASSERT_EQ((rows.size() - 1) % points, 0u);
  const std::size_t outputs = (rows.size() - 1) / points;
  EXPECT_GT(outputs, 10u);
  for (std::size_t p = 0; p < points; ++p)
    for (std::size_t o = 0; o < outputs; ++o) {
      const auto& row = rows[1 + p * outputs + o];
      ASSERT_EQ(row.size(), header.size());
      EXPECT_EQ(std::stod(row[1]), t[p % t.size()]);
      EXPECT_EQ(row[2], kStatus[static_cast<int>(status[p])]);
      expect_cell(row[6], reader.read_f64(row[5])[p], row[5]);
    }
}

TEST(ExportCsv, AFileThatIsNotACubeIsRefusedAndNothingIsWritten) {
  ScratchDir dir("export_bad");
  testing::write_text(dir.file("not_a_cube.h5"), "hello");
  const auto r = run_cli({"export", dir.file("not_a_cube.h5"), "--csv", dir.file("out.csv")});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("not_a_cube.h5"), std::string::npos) << r.output;
  EXPECT_FALSE(std::ifstream(dir.file("out.csv")).good());
}

}  // namespace
}  // namespace eqsweep
