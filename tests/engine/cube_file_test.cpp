// The cube on disk, read back through eqsweep's CubeReader and through the plain HDF5 C API:
// netCDF-4 dimension scales, the values of the model at every grid point, per-point status with
// CF flags, provenance, and identical data with and without compression.

#include "engine/cube_file.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "engine/chunk_codec.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "eqsweep/version.hpp"
#include "models/registry.hpp"
#include "models/ye2025/published_basic.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

// 7 x 7 points in 3 x 4 tiles: 3 x 2 = 6 tiles, the last row and column of tiles overhang.
// t = 0 (first column) is infeasible (q_B = 0); every other point is inside the two-product region.
std::string spec_text(const std::string& compression) {
  return "# cube file round trip\n"
         "model = \"ye2025\"\n"
         "variant = \"published\"\n"
         "outputs = [\"N.*\", \"Y.*\"]\n"
         "[fixed]\nk = 0.5\nsigma = 0.5\nGamma = 0.2\n"
         "[[axis]]\nname = \"theta\"\nlinspace = [0.2, 0.8, 7]\n"
         "[[axis]]\nname = \"t\"\nlinspace = [0.0, 0.3, 7]\n"
         "[run]\nchunk = [3, 4]\ncompression = \"" +
         compression + "\"\n";
}

SweepSpec make_spec(const std::string& compression) {
  return parse_spec(spec_text(compression), "cube_file_test.toml", builtin_models());
}

RunSummary run(const SweepSpec& spec, const std::string& path, int threads = 2) {
  RunOptions options;
  options.output_path = path;
  options.threads = threads;
  options.progress = ProgressMode::none;
  return run_sweep(spec, options);
}

std::vector<std::string> output_names(const SweepSpec& spec) {
  std::vector<std::string> names;
  for (int o : spec.outputs) names.push_back(spec.model->outputs()[static_cast<std::size_t>(o)].name);
  return names;
}

std::vector<std::string> variable_names(const SweepSpec& spec) {
  auto names = output_names(spec);
  names.insert(names.end(), {"status", "iterations", "residual"});
  return names;
}

// Plain HDF5 handles closed at scope exit.
struct H5 {
  hid_t id;
  explicit H5(hid_t i) : id(i) {}
  ~H5() {
    if (id >= 0) H5Idec_ref(id);
  }
  H5(const H5&) = delete;
  H5& operator=(const H5&) = delete;
  operator hid_t() const { return id; }
};

std::string scale_name(hid_t ds) {
  char buf[256] = {};
  const ssize_t n = H5DSget_scale_name(ds, buf, sizeof buf);
  return n < 0 ? "<error>" : std::string(buf);
}

herr_t collect_scale_name(hid_t, unsigned, hid_t scale, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(scale_name(scale));
  return 0;
}

template <typename T>
std::vector<T> read_all(hid_t file, const std::string& name, hid_t mem_type, std::size_t n) {
  H5 ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT));
  EXPECT_GE(ds.id, 0) << name;
  std::vector<T> v(n);
  EXPECT_GE(H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0) << name;
  return v;
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

class CubeFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("cube_file");
    spec_ = new SweepSpec(make_spec("deflate"));
    path_ = dir_->file("cube.h5");
    summary_ = new RunSummary(run(*spec_, path_));
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete spec_;
    delete dir_;
  }
  static ScratchDir* dir_;
  static SweepSpec* spec_;
  static std::string path_;
  static RunSummary* summary_;
};
ScratchDir* CubeFile::dir_ = nullptr;
SweepSpec* CubeFile::spec_ = nullptr;
std::string CubeFile::path_;
RunSummary* CubeFile::summary_ = nullptr;

TEST_F(CubeFile, RunCompletes) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  EXPECT_EQ(summary_->outcome, RunSummary::Outcome::completed);
  EXPECT_EQ(summary_->tiles_total, 6u);
  EXPECT_EQ(summary_->tiles_computed, 6u);
  EXPECT_EQ(summary_->points_total, 49u);
  EXPECT_EQ(summary_->points_computed, 49u);
  EXPECT_EQ(summary_->status_counts[0], 42u);  // solved
  EXPECT_EQ(summary_->status_counts[1], 7u);   // infeasible: the t = 0 column
  EXPECT_EQ(summary_->status_counts[2], 0u);
  EXPECT_EQ(summary_->threads, 2);
  EXPECT_EQ(summary_->fingerprint, spec_->fingerprint());
}

TEST_F(CubeFile, ReaderListsAxesAndVariablesWithTheirShapes) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  const CubeReader reader(path_);
  const auto listed = reader.variable_names();
  std::set<std::string> expected = {"theta", "t"};
  for (const auto& v : variable_names(*spec_)) expected.insert(v);
  // Every fixed parameter is a scalar coordinate holding its value (cube format 2).
  const auto params = spec_->model->parameters();
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (std::isnan(spec_->fixed[p])) continue;
    expected.insert(params[p].name);
    EXPECT_EQ(reader.dataset_shape(params[p].name), std::vector<std::size_t>{}) << params[p].name;
    EXPECT_EQ(reader.read_f64(params[p].name), std::vector<double>{spec_->fixed[p]}) << params[p].name;
  }
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), expected);
  EXPECT_EQ(listed.size(), expected.size());
  for (const auto& v : variable_names(*spec_)) EXPECT_EQ(reader.dataset_shape(v), (std::vector<std::size_t>{7, 7})) << v;
  EXPECT_EQ(reader.dataset_shape("theta"), (std::vector<std::size_t>{7}));
  EXPECT_EQ(reader.read_f64("theta"), spec_->axes[0].values);
  EXPECT_EQ(reader.read_f64("t"), spec_->axes[1].values);
}

TEST_F(CubeFile, EveryAxisIsANamedDimensionScale) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  H5 file(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  ASSERT_GE(file.id, 0);
  for (const auto& axis : spec_->axes) {
    H5 ds(H5Dopen2(file, axis.name.c_str(), H5P_DEFAULT));
    ASSERT_GE(ds.id, 0) << axis.name;
    EXPECT_GT(H5DSis_scale(ds), 0) << axis.name;
    EXPECT_EQ(scale_name(ds), axis.name);
    const auto values = read_all<double>(file, axis.name, H5T_NATIVE_DOUBLE, axis.values.size());
    EXPECT_EQ(values, axis.values) << axis.name;
  }
}

TEST_F(CubeFile, EveryVariableHasOneScalePerDimensionAttached) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  H5 file(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  ASSERT_GE(file.id, 0);
  H5 theta(H5Dopen2(file, "theta", H5P_DEFAULT)), t(H5Dopen2(file, "t", H5P_DEFAULT));
  const hid_t scales[2] = {theta, t};
  for (const auto& name : variable_names(*spec_)) {
    H5 ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT));
    ASSERT_GE(ds.id, 0) << name;
    H5 space(H5Dget_space(ds));
    ASSERT_EQ(H5Sget_simple_extent_ndims(space), 2) << name;
    hsize_t dims[2];
    H5Sget_simple_extent_dims(space, dims, nullptr);
    EXPECT_EQ(dims[0], 7u);
    EXPECT_EQ(dims[1], 7u);
    EXPECT_EQ(H5DSis_scale(ds), 0) << name;
    for (unsigned d = 0; d < 2; ++d) {
      EXPECT_EQ(H5DSget_num_scales(ds, d), 1) << name << " dim " << d;
      EXPECT_GT(H5DSis_attached(ds, scales[d], d), 0) << name << " dim " << d;
      std::vector<std::string> attached;
      ASSERT_GE(H5DSiterate_scales(ds, d, nullptr, collect_scale_name, &attached), 0);
      EXPECT_EQ(attached, (std::vector<std::string>{spec_->axes[d].name})) << name << " dim " << d;
    }
  }
}

TEST_F(CubeFile, ValuesEqualTheModelAtEveryGridPoint) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  H5 file(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  ASSERT_GE(file.id, 0);
  const char* quantities[10] = {"p_A", "p_B", "q_A", "q_B", "w_A", "w_B", "pi_R", "pi_M", "pi_SC", "c_B"};
  std::vector<std::string> names;
  for (const char* scenario : {"N.", "Y."})
    for (const char* q : quantities) names.push_back(std::string(scenario) + q);
  const auto selected = output_names(*spec_);
  for (const auto& n : names)
    EXPECT_NE(std::find(selected.begin(), selected.end(), n), selected.end()) << n << " not in the cube";
  std::vector<std::vector<double>> data;
  for (const auto& n : names) data.push_back(read_all<double>(file, n, H5T_NATIVE_DOUBLE, 49));
  const auto status = read_all<std::uint8_t>(file, "status", H5T_NATIVE_UINT8, 49);
  const auto iterations = read_all<std::int32_t>(file, "iterations", H5T_NATIVE_INT32, 49);
  const auto residual = read_all<double>(file, "residual", H5T_NATIVE_DOUBLE, 49);
  const CubeReader reader(path_);
  {  // the same bytes through both readers (NaN included, so compare bytes, not doubles)
    const auto bytes = reader.read_raw("N.pi_M");
    ASSERT_EQ(bytes.size(), 49u * 8u);
    EXPECT_EQ(std::memcmp(bytes.data(), data[7].data(), bytes.size()), 0);
  }

  const auto& theta = spec_->axes[0].values;
  const auto& t = spec_->axes[1].values;
  for (std::size_t i = 0; i < 7; ++i) {
    for (std::size_t j = 0; j < 7; ++j) {
      const std::size_t cell = i * 7 + j;
      const ye2025::Params p{theta[i], 0.5, t[j], 0.5, 0.2};
      const ye2025::ScenarioOutputs n = ye2025::published_N(p), y = ye2025::published_Y(p);
      const double expected[20] = {n.p_A, n.p_B, n.q_A, n.q_B, n.w_A, n.w_B, n.pi_R, n.pi_M, n.pi_SC, n.c_B,
                                   y.p_A, y.p_B, y.q_A, y.q_B, y.w_A, y.w_B, y.pi_R, y.pi_M, y.pi_SC, y.c_B};
      EXPECT_EQ(iterations[cell], 0) << i << "," << j;
      EXPECT_TRUE(std::isnan(residual[cell])) << i << "," << j;
      if (j == 0) {  // t = 0: no customised product
        EXPECT_EQ(status[cell], static_cast<std::uint8_t>(PointStatus::infeasible)) << i;
        for (std::size_t o = 0; o < 20; ++o) EXPECT_TRUE(std::isnan(data[o][cell])) << names[o] << " at " << i;
        continue;
      }
      // Premise of the grid: both scenarios are in the two-product region here.
      ASSERT_TRUE(n.q_A > 0 && n.q_B > 0 && n.q_A + n.q_B <= 1 && y.q_B > 0 && y.q_A + y.q_B <= 1) << i << "," << j;
      EXPECT_EQ(status[cell], static_cast<std::uint8_t>(PointStatus::solved)) << i << "," << j;
      for (std::size_t o = 0; o < 20; ++o)
        EXPECT_TRUE(same_bits(data[o][cell], expected[o]))
            << names[o] << " at theta=" << theta[i] << " t=" << t[j] << ": " << data[o][cell] << " vs " << expected[o];
    }
  }
}

TEST_F(CubeFile, StatusCarriesCfFlags) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  const CubeReader reader(path_);
  EXPECT_EQ(reader.dataset_string_attribute("status", "flag_meanings"), "solved infeasible failed not_computed");
  H5 file(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  H5 ds(H5Dopen2(file, "status", H5P_DEFAULT));
  ASSERT_GT(H5Aexists(ds, "flag_values"), 0);
  H5 attr(H5Aopen(ds, "flag_values", H5P_DEFAULT));
  H5 space(H5Aget_space(attr));
  ASSERT_EQ(H5Sget_simple_extent_npoints(space), 4);
  std::int64_t values[4] = {-1, -1, -1, -1};
  ASSERT_GE(H5Aread(attr, H5T_NATIVE_INT64, values), 0);
  EXPECT_EQ(std::vector<std::int64_t>(values, values + 4), (std::vector<std::int64_t>{0, 1, 2, 3}));
  // CF: flag_values has the type of the variable.
  H5 attr_type(H5Aget_type(attr)), ds_type(H5Dget_type(ds));
  EXPECT_GT(H5Tequal(attr_type, ds_type), 0);
  EXPECT_EQ(H5Tget_size(ds_type), 1u);
}

TEST_F(CubeFile, CoordinatesAndOutputsAreDescribed) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  const CubeReader reader(path_);
  EXPECT_EQ(reader.dataset_string_attribute("theta", "units"), "1");
  EXPECT_NE(reader.dataset_string_attribute("theta", "long_name").find("θ"), std::string::npos);
  EXPECT_EQ(reader.dataset_string_attribute("t", "units"), "1");
  EXPECT_EQ(reader.dataset_string_attribute("N.pi_M", "units"), "1");
  EXPECT_NE(reader.dataset_string_attribute("N.pi_M", "long_name").find("manufacturer"), std::string::npos);
}

TEST_F(CubeFile, ProvenanceIsStamped) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  const CubeReader reader(path_);
  for (const char* name :
       {"spec", "spec_fingerprint", "eqsweep_version", "git_revision", "threads", "created", "end_time", "wall_seconds"})
    EXPECT_TRUE(reader.has_attribute(name)) << name;
  EXPECT_EQ(reader.string_attribute("spec"), spec_text("deflate"));
  EXPECT_EQ(reader.string_attribute("spec_fingerprint"), spec_->fingerprint());
  EXPECT_EQ(reader.string_attribute("eqsweep_version"), kVersion);
  EXPECT_EQ(reader.string_attribute("git_revision"), kGitRevision);
  EXPECT_FALSE(reader.string_attribute("git_revision").empty());
  EXPECT_EQ(reader.number_attribute("threads"), 2.0);
  const double wall = reader.number_attribute("wall_seconds");
  EXPECT_GT(wall, 0.0);
  EXPECT_LT(wall, 60.0);
  const std::regex utc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  const std::string created = reader.string_attribute("created"), end = reader.string_attribute("end_time");
  EXPECT_TRUE(std::regex_match(created, utc)) << created;
  EXPECT_TRUE(std::regex_match(end, utc)) << end;
  EXPECT_LE(created, end);  // ISO 8601 in UTC sorts chronologically
  EXPECT_EQ(reader.string_attribute("model"), "ye2025");
  EXPECT_EQ(reader.string_attribute("continuation_axis"), "t");
}

TEST_F(CubeFile, EveryTileIsDone) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  const CubeReader reader(path_);
  EXPECT_EQ(reader.tiles_done(), std::vector<std::uint8_t>(6, 1));
}

// The chunk bytes the workers encoded are what HDF5's stock filters decode: the stored chunk of an
// edge tile decodes (with the engine's codec) to the values H5Dread returns, padding cells holding
// the fill values.
TEST_F(CubeFile, StoredEdgeChunkDecodesToTheDatasetValues) {
  ASSERT_TRUE(summary_->ok()) << summary_->summary();
  const CubeReader reader(path_);
  const std::size_t origin[2] = {6, 4};  // tile (2, 1): 1 x 3 real points of a 3 x 4 chunk
  std::uint32_t mask = 0xffffffff;
  const auto stored = reader.read_chunk("N.p_B", origin, &mask);
  EXPECT_EQ(mask, 0u);  // every filter of the pipeline was applied
  std::vector<std::byte> decoded;
  decode_chunk(stored, 8, 12 * 8, ChunkEncoding{.compression = Compression::deflate, .level = 4}, decoded);
  std::vector<double> cells(12);
  std::memcpy(cells.data(), decoded.data(), decoded.size());
  const auto all = reader.read_f64("N.p_B");
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t c = 0; c < 4; ++c) {
      const std::size_t i = origin[0] + r, j = origin[1] + c;
      if (i < 7 && j < 7) {
        EXPECT_TRUE(same_bits(cells[r * 4 + c], all[i * 7 + j])) << r << "," << c;
      } else {
        EXPECT_TRUE(std::isnan(cells[r * 4 + c])) << "padding " << r << "," << c;
      }
    }
  }
  const auto status_chunk = reader.read_chunk("status", origin, &mask);
  std::vector<std::byte> status;
  decode_chunk(status_chunk, 1, 12, ChunkEncoding{.compression = Compression::deflate, .level = 4}, status);
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 4; ++c) {
      const bool real = origin[0] + r < 7 && origin[1] + c < 7;
      EXPECT_EQ(static_cast<int>(status[r * 4 + c]),
                real ? static_cast<int>(PointStatus::solved) : static_cast<int>(PointStatus::not_computed))
          << r << "," << c;
    }
}

std::vector<int> filters_of(const std::string& path, const std::string& dataset) {
  H5 file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  H5 ds(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT));
  H5 dcpl(H5Dget_create_plist(ds));
  std::vector<int> ids;
  const int n = H5Pget_nfilters(dcpl);
  for (int f = 0; f < n; ++f) {
    unsigned flags = 0, config = 0;
    std::size_t nelem = 0;
    char name[64];
    ids.push_back(H5Pget_filter2(dcpl, static_cast<unsigned>(f), &flags, &nelem, nullptr, sizeof name, name, &config));
  }
  return ids;
}

TEST(CubeFileCompression, NoneAndDeflateDecodeToTheSameData) {
  ScratchDir dir("cube_file_compression");
  const SweepSpec raw_spec = make_spec("none"), deflate_spec = make_spec("deflate");
  const std::string raw_path = dir.file("none.h5"), deflate_path = dir.file("deflate.h5");
  const RunSummary a = run(raw_spec, raw_path), b = run(deflate_spec, deflate_path);
  ASSERT_TRUE(a.ok()) << a.summary();
  ASSERT_TRUE(b.ok()) << b.summary();

  // The pipelines differ as declared, each ending in the Fletcher-32 checksum...
  EXPECT_EQ(filters_of(raw_path, "N.p_A"), (std::vector<int>{H5Z_FILTER_FLETCHER32}));
  EXPECT_EQ(filters_of(deflate_path, "N.p_A"),
            (std::vector<int>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32}));
  EXPECT_EQ(filters_of(deflate_path, "iterations"),
            (std::vector<int>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32}));
  // 1-byte: no shuffle
  EXPECT_EQ(filters_of(deflate_path, "status"), (std::vector<int>{H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32}));
  const CubeReader ra(raw_path), rb(deflate_path);
  std::uint32_t mask = 0;
  const std::size_t origin[2] = {0, 0};
  EXPECT_EQ(ra.read_chunk("N.p_A", origin, &mask).size(), 12u * 8u + 4u);  // stored as is, then the checksum
  EXPECT_EQ(mask, 0u);

  // ...and the decoded data are the same bytes.
  for (const auto& name : variable_names(raw_spec)) EXPECT_EQ(ra.read_raw(name), rb.read_raw(name)) << name;
  EXPECT_EQ(ra.read_f64("theta"), rb.read_f64("theta"));
  EXPECT_EQ(ra.read_f64("t"), rb.read_f64("t"));
  EXPECT_EQ(ra.tiles_done(), rb.tiles_done());
  EXPECT_NE(ra.string_attribute("spec_fingerprint"), rb.string_attribute("spec_fingerprint"));
}

}  // namespace
}  // namespace eqsweep
