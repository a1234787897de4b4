// Corruption is found, not carried forward (issue 15, item 7): a flipped byte in a stored data
// chunk or in a coordinate is reported by `eqsweep info --verify`, and the rerun recomputes the
// damaged tile or rewrites the coordinate, giving the cube an uninterrupted run writes. Driven
// through the real binary on real files; the damage is a byte flipped on disk.

#include "engine/cube_verify.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <hdf5.h>

#include "engine/cube_file.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// 1200 points of model Y's closed forms in 20 tiles of 8 x 8 (theta x t).
std::vector<std::string> small_demo(const std::string& out) {
  return {"run", source_dir() + "/sweeps/demo.toml", "-o", out, "--progress", "none",
          "--set", "axis[0].linspace=[0.02, 0.98, 30]", "--set", "axis[1].linspace=[0, 1, 40]", "--set", "run.chunk=[8, 8]"};
}

// Flips one byte in the middle of the stored chunk of `dataset` that starts at `origin`.
void flip_byte_in_chunk(const std::string& path, const std::string& dataset, const std::vector<hsize_t>& origin) {
  haddr_t address = 0;
  hsize_t size = 0;
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t ds = H5Dopen2(file, dataset.c_str(), H5P_DEFAULT);
    ASSERT_GE(ds, 0);
    unsigned mask = 0;
    ASSERT_GE(H5Dget_chunk_info_by_coord(ds, origin.data(), &mask, &address, &size), 0);
    H5Dclose(ds);
    H5Fclose(file);
  }
  ASSERT_GT(size, 8u);
  const int fd = ::open(path.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  unsigned char b = 0;
  const off_t at = static_cast<off_t>(address + size / 2);
  ASSERT_EQ(::pread(fd, &b, 1, at), 1);
  b ^= 0x40;
  ASSERT_EQ(::pwrite(fd, &b, 1, at), 1);
  ::close(fd);
}

class CubeDamageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ref = run_cli(small_demo(reference_));
    ASSERT_EQ(ref.exit_code, 0) << ref.output;
    auto run = run_cli(small_demo(out_));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_TRUE(verify_cube(out_).intact());
  }

  ScratchDir dir_{"cube_damage"};
  std::string reference_ = dir_.file("reference.h5"), out_ = dir_.file("cube.h5");
};

TEST_F(CubeDamageTest, AFlippedByteInADataChunkIsFoundAndTheRerunRecomputesThatTile) {
  // Tile 7 of the 4 x 5 grid of tiles starts at theta index 8, t index 16.
  flip_byte_in_chunk(out_, "Y.pi_M", {8, 16});
  const auto damage = verify_cube(out_);
  EXPECT_TRUE(damage.checksummed);
  EXPECT_EQ(damage.damaged_tiles, std::vector<std::size_t>{7});

  auto info = run_cli({"info", "--verify", out_});
  EXPECT_EQ(info.exit_code, 1) << info.output;
  EXPECT_TRUE(contains(info.output, "DAMAGED: 1 tiles (7)")) << info.output;

  // The cube is complete, yet the rerun does not call it done: it keeps 19 tiles, recomputes one.
  auto rerun = run_cli(small_demo(out_));
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_TRUE(contains(rerun.output, "(19 resumed, 1 computed now)")) << rerun.output;
  EXPECT_TRUE(contains(rerun.output, "1 finished tiles of the earlier file failed their checksum")) << rerun.output;
  EXPECT_TRUE(verify_cube(out_).intact());
  expect_same_cube(reference_, out_);
}

TEST_F(CubeDamageTest, AFlippedByteInACoordinateIsFoundAndTheRerunRewritesIt) {
  flip_byte_in_chunk(out_, "theta", {0});
  const auto damage = verify_cube(out_);
  EXPECT_TRUE(damage.damaged_tiles.empty());
  EXPECT_EQ(damage.damaged_datasets, std::vector<std::string>{"theta"});
  EXPECT_THROW(CubeReader(out_).read_f64("theta"), CubeIoError) << "a damaged coordinate must not read as values";

  auto info = run_cli({"info", "--verify", out_});
  EXPECT_EQ(info.exit_code, 1) << info.output;
  EXPECT_TRUE(contains(info.output, "DAMAGED: theta cannot be read back")) << info.output;

  auto rerun = run_cli(small_demo(out_));
  EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
  EXPECT_TRUE(contains(rerun.output, "(20 resumed, 0 computed now)")) << rerun.output;
  EXPECT_TRUE(verify_cube(out_).intact());
  expect_same_cube(reference_, out_);
}

// A verification that reads every chunk also counts what it read: a cube of a killed run has
// only its finished tiles checked, and says so.
TEST_F(CubeDamageTest, AnIntactCubeVerifiesCleanAndSaysWhatWasChecked) {
  auto info = run_cli({"info", "--verify", out_});
  EXPECT_EQ(info.exit_code, 0) << info.output;
  EXPECT_TRUE(contains(info.output, "verify: 20 finished tiles checked against their Fletcher-32 checksums; no damage found"))
      << info.output;
}

}  // namespace
}  // namespace eqsweep::testing
