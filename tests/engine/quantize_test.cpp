// Lossy storage (issue 10): BitRound keeps the stated significant digits with ties to even and
// leaves NaN, infinities and zeros alone; a quantized cube stores rounded outputs with CF 1.11
// quantization attributes, keeps the outputs an analysis reads exact, rounds identically on any
// thread count, and refuses a resume with other digits naming the key.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <hdf5.h>

#include "engine/cube_file.hpp"
#include "engine/quantize.hpp"
#include "engine/run_plan.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

std::uint64_t bits_of(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

TEST(BitRound, BitsForDigitsAreTheSmallestPowerOfTwoAboveTenToTheDigits) {
  EXPECT_EQ(bitround_bits_for_digits(1), 4);    // 16 >= 10
  EXPECT_EQ(bitround_bits_for_digits(3), 10);   // 1024 >= 1000
  EXPECT_EQ(bitround_bits_for_digits(6), 20);   // 1048576 >= 1e6
  EXPECT_EQ(bitround_bits_for_digits(10), 34);  // 1.7e10 >= 1e10 > 2^33
  EXPECT_EQ(bitround_bits_for_digits(15), 50);
  EXPECT_THROW(bitround_bits_for_digits(0), std::invalid_argument);
  EXPECT_THROW(bitround_bits_for_digits(16), std::invalid_argument);
}

TEST(BitRound, KeepsTheStatedDigitsAndZeroesTheDroppedBitsOverManyMagnitudes) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-300, 300);
  for (int digits : {1, 3, 6, 10, 15}) {
    const int bits = bitround_bits_for_digits(digits);
    std::vector<double> x(20000);
    for (double& v : x) v = std::ldexp(mantissa(rng), exponent(rng));
    std::vector<double> q = x;
    bitround(q, bits);
    const std::uint64_t dropped = (std::uint64_t{1} << (52 - bits)) - 1;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (x[i] == 0) continue;
      EXPECT_LE(std::abs(q[i] - x[i]), 0.5 * std::pow(10.0, -digits) * std::abs(x[i])) << digits << " " << x[i];
      EXPECT_LE(std::abs(q[i] - x[i]), std::ldexp(std::abs(x[i]), -bits - 1)) << x[i];
      EXPECT_EQ(bits_of(q[i]) & dropped, 0u) << x[i];
      EXPECT_EQ(std::signbit(q[i]), std::signbit(x[i]));
    }
    std::vector<double> again = q;
    bitround(again, bits);
    EXPECT_EQ(again, q) << "rounding twice changed values";
  }
}

TEST(BitRound, TiesGoToTheEvenNeighbourAndCarriesBumpTheExponent) {
  // With 1 kept bit, 1.25 lies halfway between 1.0 (kept bit 0) and 1.5 (kept bit 1): to 1.0;
  // 1.75 lies halfway between 1.5 and 2.0 (kept bit 0 after the carry): to 2.0.
  std::vector<double> v = {1.25, 1.75, -1.25, 1.2500000000000002, 1.9999999999999998};
  bitround(v, 1);
  EXPECT_EQ(v[0], 1.0);
  EXPECT_EQ(v[1], 2.0);
  EXPECT_EQ(v[2], -1.0);
  EXPECT_EQ(v[3], 1.5);  // just above the tie
  EXPECT_EQ(v[4], 2.0);
}

TEST(BitRound, LeavesNanInfinityZeroAndTheLargestDoubleFinite) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const double big = std::numeric_limits<double>::max();
  std::vector<double> v = {nan, inf, -inf, 0.0, -0.0, big, -big};
  bitround(v, 4);
  EXPECT_TRUE(std::isnan(v[0]));
  EXPECT_EQ(v[1], inf);
  EXPECT_EQ(v[2], -inf);
  EXPECT_EQ(bits_of(v[3]), bits_of(0.0));
  EXPECT_EQ(bits_of(v[4]), bits_of(-0.0));
  EXPECT_TRUE(std::isfinite(v[5]));
  EXPECT_TRUE(std::isfinite(v[6]));
  EXPECT_LE(std::abs(v[5] - big), std::ldexp(big, -4));
  std::vector<double> w = {1.0};
  EXPECT_THROW(bitround(w, 0), std::invalid_argument);
  EXPECT_THROW(bitround(w, 53), std::invalid_argument);
}

// Model Y's prices, quantities and profits (floating outputs) over 13 x 11 points in 4 x 3 tiles.
const std::string kSpec =
    "model = \"ye2025\"\noutputs = [\"N.p_*\", \"N.q_*\", \"N.w_*\", \"N.pi_*\"]\n"
    "[fixed]\nk = 0.3\nsigma = 0.7\nGamma = -0.4\n"
    "[[axis]]\nname = \"theta\"\nlinspace = [0.05, 0.95, 13]\n"
    "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 11]\n"
    "[run]\nchunk = [4, 3]\n";

SweepSpec parse(const std::string& extra, const std::vector<SpecOverride>& sets = {}) {
  return parse_spec(kSpec + extra, "quantize.toml", builtin_models(), sets);
}

std::int64_t integer_attribute(const std::string& path, const std::string& dataset, const std::string& name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(file, 0);
  std::int64_t value = -1;
  if (H5Aexists_by_name(file, dataset.c_str(), name.c_str(), H5P_DEFAULT) > 0) {
    const hid_t attr = H5Aopen_by_name(file, dataset.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
    H5Aread(attr, H5T_NATIVE_INT64, &value);
    H5Aclose(attr);
  }
  H5Fclose(file);
  return value;
}

TEST(QuantizedCube, StoresRoundedOutputsWithCfAttributesAndKeepsAnalysisInputsExact) {
  ScratchDir dir("quantize_cube");
  const std::string threshold = "[[threshold]]\nindicator = \"N.pi_M\"\naxis = \"t\"\n";
  const SweepSpec exact = parse(threshold);
  const SweepSpec rounded = parse(threshold + "[significant_digits]\n\"N.pi_R\" = 10\n", {{"run.significant_digits", "3", ""}});
  ASSERT_TRUE(testing::run_quietly(exact, dir.file("exact.h5"), 2).ok());
  ASSERT_TRUE(testing::run_quietly(rounded, dir.file("one.h5"), 1).ok());
  ASSERT_TRUE(testing::run_quietly(rounded, dir.file("two.h5"), 2).ok());

  const CubeReader a(dir.file("exact.h5")), q(dir.file("two.h5")), q1(dir.file("one.h5"));
  std::size_t checked = 0, changed = 0;
  for (int o : exact.outputs) {
    const std::string name = exact.model->outputs()[static_cast<std::size_t>(o)].name;
    const auto x = a.read_f64(name), y = q.read_f64(name);
    EXPECT_EQ(q1.read_raw(name), q.read_raw(name)) << name << " differs between 1 and 2 threads";
    const int digits = name == "N.pi_M" ? 0 : name == "N.pi_R" ? 10 : 3;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (std::isnan(x[i])) {
        EXPECT_TRUE(std::isnan(y[i])) << name;
        continue;
      }
      if (digits == 0) {
        EXPECT_EQ(bits_of(x[i]), bits_of(y[i])) << name << " is read by the threshold and must stay exact";
        continue;
      }
      const double err = std::abs(x[i] - y[i]);
      EXPECT_LE(err, 0.5 * std::pow(10.0, -digits) * std::abs(x[i])) << name;
      EXPECT_EQ(bits_of(y[i]) & ((std::uint64_t{1} << (52 - bitround_bits_for_digits(digits))) - 1), 0u) << name;
      ++checked;
      changed += err > 0 ? 1 : 0;
    }
    const std::string path = "/" + name;
    if (digits == 0) {
      EXPECT_EQ(integer_attribute(dir.file("two.h5"), path, "quantization_nsb"), -1) << name;
    } else {
      EXPECT_EQ(q.dataset_string_attribute(name, "quantization"), "quantization_info") << name;
      EXPECT_EQ(integer_attribute(dir.file("two.h5"), path, "quantization_nsb"), bitround_bits_for_digits(digits)) << name;
      EXPECT_EQ(integer_attribute(dir.file("two.h5"), path, "quantization_nsd"), digits) << name;
    }
  }
  EXPECT_GT(checked, 100u);
  EXPECT_GT(changed, checked / 2) << "3 digits should change most values of a smooth model";
  EXPECT_EQ(q.dataset_string_attribute("quantization_info", "algorithm"), "bitround");
  // The threshold computed on the exact indicator: same crossings as the unquantized cube.
  EXPECT_EQ(a.read_raw("threshold.N.pi_M.t"), q.read_raw("threshold.N.pi_M.t"));
}

// Uncompressed chunks get their checksum from the worker while it solves, except a quantized
// output's: its bytes change after the solve, so the codec sums the rounded bytes. Were the
// solve-time sum kept, HDF5 would refuse every rounded chunk on read.
TEST(QuantizedCube, UncompressedRoundedChunksCarryTheChecksumOfTheRoundedBytes) {
  ScratchDir dir("quantize_none");
  const SweepSpec spec = parse("[significant_digits]\n\"N.pi_*\" = 4\n", {{"run.compression", "\"none\"", ""}});
  const RunPlan plan = make_run_plan(spec, {});
  ASSERT_EQ(plan.raw_checksums.size(), plan.layout.variables.size());
  std::size_t rounded = 0, summed_while_solving = 0;
  for (std::size_t v = 0; v < plan.layout.variables.size(); ++v) {
    EXPECT_EQ(plan.raw_checksums[v], plan.layout.variables[v].bitround_bits == 0) << plan.layout.variables[v].name;
    rounded += plan.raw_checksums[v] ? 0 : 1;
    summed_while_solving += plan.raw_checksums[v] ? 1 : 0;
  }
  EXPECT_GT(rounded, 0u);
  EXPECT_GT(summed_while_solving, 0u);
  EXPECT_TRUE(make_run_plan(parse(""), {}).raw_checksums.empty()) << "Blosc chunks are summed after encoding";

  ASSERT_TRUE(testing::run_quietly(spec, dir.file("none.h5"), 2).ok());
  const CubeReader cube(dir.file("none.h5"));
  for (int o : spec.outputs) {
    const std::string name = spec.model->outputs()[static_cast<std::size_t>(o)].name;
    std::vector<double> values;
    ASSERT_NO_THROW(values = cube.read_f64(name)) << name << ": HDF5 checks each chunk's Fletcher-32 on read";
    if (name.rfind("N.pi_", 0) != 0) continue;
    for (double x : values) {
      if (std::isfinite(x)) {
        EXPECT_EQ(bits_of(x) & ((std::uint64_t{1} << (52 - bitround_bits_for_digits(4))) - 1), 0u) << name;
      }
    }
  }
}

TEST(QuantizedCube, ARerunWithOtherDigitsIsRefusedNamingTheKey) {
  ScratchDir dir("quantize_refuse");
  const std::string out = dir.file("cube.h5");
  ASSERT_TRUE(testing::run_quietly(parse("", {{"run.significant_digits", "6", ""}}), out).ok());
  const RunSummary r = testing::run_quietly(parse("", {{"run.significant_digits", "4", ""}}), out);
  EXPECT_EQ(r.outcome, RunSummary::Outcome::refused) << r.summary();
  EXPECT_NE(r.message.find("run.significant_digits (6 there, 4 now)"), std::string::npos) << r.message;
  const RunSummary table = testing::run_quietly(parse("[significant_digits]\n\"N.pi_R\" = 2\n", {{"run.significant_digits", "6", ""}}), out);
  EXPECT_EQ(table.outcome, RunSummary::Outcome::refused) << table.summary();
  EXPECT_NE(table.message.find("significant_digits (the table)"), std::string::npos) << table.message;
}

TEST(QuantizedCube, BadDigitTablesAreRefusedNamingTheGlob) {
  auto rejected = [](const std::string& extra, const std::vector<SpecOverride>& sets, const std::string& words) {
    try {
      parse(extra, sets);
      ADD_FAILURE() << "accepted: " << extra;
    } catch (const SpecError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  rejected("", {{"run.significant_digits", "16", ""}}, "[0, 15]");
  rejected("[significant_digits]\n\"N.pi_*\" = 20\n", {}, "significant_digits.\"N.pi_*\"");
  rejected("[significant_digits]\n\"Y.pi_M\" = 4\n", {}, "matches no stored output");
  rejected("[significant_digits]\n\"N.pi_*\" = 4\n\"N.pi_M\" = 6\n", {}, "matches both");
  rejected("[significant_digits]\n\"N.pi_M\" = \"six\"\n", {}, "[0, 15]");
}

}  // namespace
}  // namespace eqsweep
