// `eqsweep info`'s description of a cube (engine/cube_info.cpp): what it says of a cube whose run
// was killed during the final stamp, after every tile was finished.

#include "engine/cube_info.hpp"

#include <string>

#include <gtest/gtest.h>
#include <hdf5.h>

#include "engine/sweep_spec.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep::testing {
namespace {

const std::string kSpec =
    "model = \"ye2025\"\nvariant = \"published\"\noutputs = [\"N.pi_M\"]\n[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
    "[[axis]]\nname = \"theta\"\nlinspace = [0.02, 0.98, 8]\n[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 9]\n";

// The stamp writes end_time last; a kill before it leaves every tile but no end_time.
void remove_end_time(const std::string& path) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  EXPECT_GE(H5Adelete(file, "end_time"), 0);
  H5Fclose(file);
}

TEST(CubeInfo, AllTilesWithoutEndTimeIsNotCalledCompleteAndNamesTheRerun) {
  ScratchDir dir("cube_info_unstamped");
  const std::string cube = dir.file("c.h5");
  ASSERT_TRUE(run_quietly(parse_spec(kSpec, "spec.toml", builtin_models()), cube).ok());
  EXPECT_TRUE(cube_info_json(cube)["progress"]["complete"].get<bool>());
  EXPECT_NE(describe_cube(cube).find(" tiles finished (100.0%), complete"), std::string::npos) << describe_cube(cube);

  remove_end_time(cube);
  const auto j = cube_info_json(cube);
  EXPECT_FALSE(j["progress"]["complete"].get<bool>());
  EXPECT_FALSE(j["progress"]["end_stamped"].get<bool>());
  const std::string text = describe_cube(cube);
  EXPECT_EQ(text.find(", complete"), std::string::npos) << text;
  EXPECT_NE(text.find("stopped before its final stamp (no end_time)"), std::string::npos) << text;
  EXPECT_NE(text.find("rerun the same command to finish it"), std::string::npos) << text;
}

}  // namespace
}  // namespace eqsweep::testing
