// Whole cubes with every codec (issue 10): the same spec gives byte-equal stored chunks with 1 and
// 2 threads and the same values as an uncompressed cube, read back through HDF5 (H5Dread) with
// the filters the engine registers itself; a Blosc run interrupted half-way resumes to the cube
// of an uninterrupted run; a rerun with another codec or codec option is refused naming the key;
// thresholds (which read variables back) work on a Blosc cube.

#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/cube_file.hpp"
#include "engine/model.hpp"
#include "engine/sweep_runner.hpp"
#include "engine/sweep_spec.hpp"
#include "engine/tile_grid.hpp"
#include "models/registry.hpp"
#include "support/test_support.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

struct Codec {
  const char* name;
  std::vector<SpecOverride> sets;
};

const std::vector<Codec>& codecs() {
  static const std::vector<Codec> all = {
      {"none", {{"run.compression", "none", ""}}},
      {"deflate", {{"run.compression", "deflate", ""}}},
      {"zstd", {{"run.compression", "zstd", ""}, {"run.zstd_level", "3", ""}}},
      {"blosc_lz4_shuffle", {{"run.compression", "blosc", ""}}},
      {"blosc_zstd_bitshuffle",
       {{"run.compression", "blosc", ""}, {"run.blosc_codec", "zstd", ""}, {"run.blosc_shuffle", "bitshuffle", ""}}},
      {"blosc_lz4hc_noshuffle",
       {{"run.compression", "blosc", ""}, {"run.blosc_codec", "lz4hc", ""}, {"run.blosc_shuffle", "noshuffle", ""},
        {"run.blosc_level", "9", ""}}},
  };
  return all;
}

// 13 x 11 points of model Y in 4 x 3 tiles with overhanging edges; solved and infeasible points.
const std::string kSpec =
    "model = \"ye2025\"\noutputs = [\"N.*\"]\n"
    "[fixed]\nk = 0.3\nsigma = 0.7\nGamma = -0.4\n"
    "[[axis]]\nname = \"theta\"\nlinspace = [0.05, 0.95, 13]\n"
    "[[axis]]\nname = \"t\"\nlinspace = [0.0, 1.0, 11]\n"
    "[run]\nchunk = [4, 3]\n";

SweepSpec parse(const std::vector<SpecOverride>& sets) {
  return parse_spec(kSpec, "codec.toml", builtin_models(), sets);
}

std::vector<std::string> variable_names(const SweepSpec& spec) {
  std::vector<std::string> names;
  for (int o : spec.outputs) names.push_back(spec.model->outputs()[static_cast<std::size_t>(o)].name);
  names.insert(names.end(), {"status", "iterations", "residual"});
  return names;
}

void expect_same_stored_chunks(const SweepSpec& spec, const std::string& a_path, const std::string& b_path) {
  const CubeReader a(a_path), b(b_path);
  const TileGrid grid(spec.shape(), spec.chunk);
  for (std::size_t tile = 0; tile < grid.tile_count(); ++tile) {
    const auto origin = grid.tile_origin(tile);
    for (const auto& name : variable_names(spec)) {
      std::uint32_t mask_a = 1, mask_b = 1;
      EXPECT_EQ(a.read_chunk(name, origin, &mask_a), b.read_chunk(name, origin, &mask_b)) << name << " tile " << tile;
      EXPECT_EQ(mask_a, 0u) << name;
      EXPECT_EQ(mask_b, 0u) << name;
    }
  }
}

void PrintTo(const Codec& c, std::ostream* os) { *os << c.name; }

class CodecCube : public ::testing::TestWithParam<Codec> {};

TEST_P(CodecCube, OneAndTwoThreadsGiveByteEqualChunksAndTheUncompressedValues) {
  ScratchDir dir(std::string("codec_cube_") + GetParam().name);
  const SweepSpec spec = parse(GetParam().sets);
  const SweepSpec raw = parse({{"run.compression", "none", ""}});
  ASSERT_TRUE(testing::run_quietly(spec, dir.file("one.h5"), 1).ok());
  ASSERT_TRUE(testing::run_quietly(spec, dir.file("two.h5"), 2).ok());
  ASSERT_TRUE(testing::run_quietly(raw, dir.file("raw.h5"), 2).ok());
  expect_same_stored_chunks(spec, dir.file("one.h5"), dir.file("two.h5"));
  // Read back through HDF5's filter pipeline: bit for bit the uncompressed cube's bytes.
  const CubeReader cube(dir.file("two.h5")), plain(dir.file("raw.h5"));
  for (const auto& name : variable_names(spec)) EXPECT_EQ(cube.read_raw(name), plain.read_raw(name)) << name;
  const auto values = cube.read_f64("N.pi_M");
  std::size_t finite = 0;
  for (double v : values) finite += std::isfinite(v) ? 1 : 0;
  EXPECT_GT(finite, 0u);
  EXPECT_LT(finite, values.size());  // infeasible points (NaN) too
}

INSTANTIATE_TEST_SUITE_P(EveryCodec, CodecCube, ::testing::ValuesIn(codecs()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CodecSettings, DefaultIsBloscLz4ShuffleAndOptionsAreReadAndChecked) {
  const SweepSpec d = parse({});
  EXPECT_EQ(d.compression, Compression::blosc);
  const ChunkEncoding e = d.encoding();
  EXPECT_EQ(e.compression, Compression::blosc);
  EXPECT_EQ(e.blosc_compressor, BloscCompressor::lz4);
  EXPECT_EQ(e.blosc_shuffle, BloscShuffle::byte);
  EXPECT_EQ(e.level, 5);
  const SweepSpec z = parse({{"run.compression", "zstd", ""}, {"run.zstd_level", "7", ""}});
  EXPECT_EQ(z.encoding().compression, Compression::zstd);
  EXPECT_EQ(z.encoding().level, 7);
  const SweepSpec b = parse({{"run.blosc_codec", "zlib", ""}, {"run.blosc_shuffle", "noshuffle", ""},
                             {"run.blosc_level", "2", ""}});
  EXPECT_EQ(b.encoding().blosc_compressor, BloscCompressor::zlib);
  EXPECT_EQ(b.encoding().blosc_shuffle, BloscShuffle::none);
  EXPECT_EQ(b.encoding().level, 2);
  EXPECT_EQ(parse({{"run.compression", "deflate", ""}}).encoding().level, 4);
  auto rejected = [](const std::vector<SpecOverride>& sets, const std::string& words) {
    try {
      parse(sets);
      ADD_FAILURE() << "accepted: " << sets.front().key;
    } catch (const SpecError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  rejected({{"run.blosc_codec", "snappy", ""}}, "\"lz4\", \"lz4hc\", \"zstd\" or \"zlib\"");
  rejected({{"run.blosc_shuffle", "yes", ""}}, "\"shuffle\", \"bitshuffle\" or \"noshuffle\"");
  rejected({{"run.blosc_level", "0", ""}}, "[1, 9]");
  rejected({{"run.zstd_level", "20", ""}}, "[1, 19]");
}

TEST(CodecCube, ARerunWithAnotherCodecOrCodecOptionIsRefusedNamingTheKey) {
  ScratchDir dir("codec_cube_refuse");
  const std::string out = dir.file("cube.h5");
  ASSERT_TRUE(testing::run_quietly(parse({{"run.compression", "blosc", ""}}), out).ok());
  const std::string before = testing::read_text(out);
  auto expect_refused = [&](const std::vector<SpecOverride>& sets, const std::string& key) {
    const RunSummary r = testing::run_quietly(parse(sets), out);
    EXPECT_EQ(r.outcome, RunSummary::Outcome::refused) << r.summary();
    EXPECT_NE(r.message.find(key), std::string::npos) << "'" << key << "' not named: " << r.message;
  };
  expect_refused({{"run.compression", "zstd", ""}}, "run.compression (\"blosc\" there, \"zstd\" now)");
  expect_refused({{"run.compression", "blosc", ""}, {"run.blosc_shuffle", "bitshuffle", ""}},
                 "run.blosc_shuffle (\"shuffle\" there, \"bitshuffle\" now)");
  expect_refused({{"run.compression", "blosc", ""}, {"run.blosc_level", "7", ""}}, "run.blosc_level (5 there, 7 now)");
  EXPECT_TRUE(testing::read_text(out) == before) << "a refused run touched the cube";
  // The same codec with a run-only change resumes (here: finds the cube complete).
  const RunSummary same = testing::run_quietly(parse({{"run.compression", "blosc", ""}}), out, 1);
  EXPECT_EQ(same.outcome, RunSummary::Outcome::already_complete) << same.summary();
}

// Points x in [0, 1) along one axis; the solver raises the stop flag once it meets x >= stop_at,
// so a run stops after the tiles in flight there, with the earlier tiles committed.
std::atomic<bool> g_stop{false};

class StopSolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& b) override {
    for (std::size_t i = 0; i < b.size; ++i) {
      const double x = b.params[i], y = b.params[b.stride + i], stop_at = b.params[2 * b.stride + i];
      b.outputs[i] = std::sin(7 * x) * std::cos(3 * y) + x * y;
      b.results[i] = {PointStatus::solved, 0, 0.0};
      if (x >= stop_at) g_stop = true;
    }
  }
};

class StopModel final : public Model {
 public:
  StopModel()
      : Model({.name = "stopper",
               .description = "a smooth field that raises a stop flag past x = stop_at",
               .source = "tests/engine/codec_cube_test.cpp",
               .parameters = {{"x", "x", "position", "1", Domain::real()},
                              {"y", "y", "position", "1", Domain::real()},
                              {"stop_at", "s", "where the solver raises the stop flag", "1", Domain::real()}},
               .outputs = {{"f", "sin(7x) cos(3y) + x y", "1"}},
               .variants = {{"exact", "closed form"}}}) {}
  std::unique_ptr<PointSolver> make_solver(const SolverSetup&) const override { return std::make_unique<StopSolver>(); }
};

TEST(CodecCube, AnInterruptedBloscRunResumesToTheUninterruptedCube) {
  ScratchDir dir("codec_cube_resume");
  static const StopModel model;
  ModelCatalog catalog;
  catalog.add(model);
  const std::string text =
      "model = \"stopper\"\n[fixed]\nstop_at = 0.5\n"
      "[[axis]]\nname = \"x\"\nlinspace = [0.0, 0.99, 100]\n"
      "[[axis]]\nname = \"y\"\nlinspace = [0.0, 1.0, 50]\n"
      "[run]\nchunk = [5, 50]\ncompression = \"blosc\"\nblosc_codec = \"zstd\"\n";
  const SweepSpec spec = parse_spec(text, "stopper.toml", catalog);

  RunOptions options;
  options.output_path = dir.file("resumed.h5");
  options.progress = ProgressMode::none;
  options.threads = 1;
  options.stop_requested = &g_stop;
  g_stop = false;
  const RunSummary first = run_sweep(spec, options);
  ASSERT_EQ(first.outcome, RunSummary::Outcome::interrupted) << first.summary();
  const auto done = CubeReader(dir.file("resumed.h5")).tiles_done();
  std::size_t finished = 0;
  for (auto d : done) finished += d;
  EXPECT_GT(finished, 0u);
  EXPECT_LT(finished, done.size());

  options.stop_requested = nullptr;
  options.threads = 2;
  const RunSummary second = run_sweep(spec, options);
  ASSERT_EQ(second.outcome, RunSummary::Outcome::completed) << second.summary();

  ASSERT_TRUE(testing::run_quietly(spec, dir.file("straight.h5"), 2).ok());
  const CubeReader resumed(dir.file("resumed.h5")), straight(dir.file("straight.h5"));
  for (const char* name : {"f", "status", "iterations", "residual"})
    EXPECT_EQ(resumed.read_raw(name), straight.read_raw(name)) << name;
  const TileGrid grid(spec.shape(), spec.chunk);
  for (std::size_t tile = 0; tile < grid.tile_count(); ++tile) {
    std::uint32_t ma = 1, mb = 1;
    EXPECT_EQ(resumed.read_chunk("f", grid.tile_origin(tile), &ma), straight.read_chunk("f", grid.tile_origin(tile), &mb))
        << "tile " << tile;
  }
}

TEST(CodecCube, ThresholdsReadABloscCubeBack) {
  ScratchDir dir("codec_cube_threshold");
  const std::string text = kSpec +
                           "compression = \"blosc\"\n"
                           "[[threshold]]\nindicator = \"N.pi_M\"\nminus = \"N.pi_R\"\naxis = \"t\"\n";
  SweepSpec blosc = parse_spec(text, "threshold.toml", builtin_models());
  ASSERT_TRUE(testing::run_quietly(blosc, dir.file("blosc.h5"), 2).ok());
  std::string plain_text = text;
  plain_text.replace(plain_text.find("compression = \"blosc\""), 21, "compression = \"none\"");
  ASSERT_TRUE(testing::run_quietly(parse_spec(plain_text, "threshold.toml", builtin_models()), dir.file("none.h5"), 2).ok());
  const CubeReader a(dir.file("blosc.h5")), b(dir.file("none.h5"));
  ASSERT_EQ(a.analysis_done(), std::vector<std::uint8_t>{1});
  const std::string name = blosc.thresholds[0].name(blosc);
  bool found = false;
  for (const auto& v : a.variable_names()) {
    if (v.find(name) == std::string::npos) continue;
    found = true;
    EXPECT_EQ(a.read_raw(v), b.read_raw(v)) << v;
  }
  EXPECT_TRUE(found) << "no dataset named after " << name;
}

}  // namespace
}  // namespace eqsweep
