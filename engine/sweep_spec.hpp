#pragma once
// A sweep specification: what is computed (model, variant, fixed parameters, axes, outputs), how
// it is stored and how it runs, plus the analyses after the sweep. Loading validates everything
// against the model's declarations and the engine's setting records, so a spec that loads can
// run; every rejection names the file, the key and the allowed range.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/chunk_codec.hpp"
#include "engine/design.hpp"
#include "engine/model.hpp"
#include "engine/progress.hpp"
#include "engine/sha256.hpp"  // sha256_hex

namespace eqsweep {

class SpecError : public std::runtime_error {
 public:
  SpecError(std::string file, std::string key, int line, const std::string& message);
  const std::string& file() const { return file_; }
  const std::string& key() const { return key_; }

 private:
  std::string file_, key_;
};

struct AxisSpec {
  std::string name;  // a parameter of the model, or "point" for the design's points
  int parameter = -1;  // -1: the design's point dimension (values 0, 1, ..., points - 1)
  std::vector<double> values;  // strictly monotone

  bool is_design() const { return parameter < 0; }
};

// d output / d parameter at every grid point, by extra solves at x ± h (see docs/thresholds.md).
struct SensitivitySpec {
  int output = -1;     // index into model->outputs() (stored or not)
  int parameter = -1;  // index into model->parameters() (swept or fixed)
  bool elasticity = true;  // also store (d output / d parameter) · parameter / output
  double step = 6.0555e-6;  // h = step · max(|x|, 1); default cbrt(double epsilon) for exact solves

  std::string derivative_name(const Model& m) const;
  std::string elasticity_name(const Model& m) const;
};

// What an analysis looks at: an output (or status), optionally minus a second output. Thresholds
// and region maps read and validate it the same way (see read_indicator in sweep_spec.cpp).
struct IndicatorSpec {
  enum class Kind { real, categorical };
  std::string indicator;  // an output name, or "status"
  std::string minus;      // optional second output: the indicator is indicator - minus
  Kind kind = Kind::real;

  std::string label() const;        // "Y.pi_M-N.pi_M"
  std::string expression() const;   // "Y.pi_M - N.pi_M"
  std::string_view kind_name() const { return kind == Kind::real ? "real" : "categorical"; }
};

// A threshold to locate along one axis after the sweep (see engine/thresholds.hpp).
struct ThresholdSpec : IndicatorSpec {
  std::size_t axis = 0;         // index into SweepSpec::axes
  double tolerance = 1e-8;      // relative to the axis span
  std::size_t max_crossings = 4;  // stored per line; more are counted, not stored
  int max_solves_per_crossing = 200;

  std::string name(const struct SweepSpec& spec) const;  // e.g. "Y.pi_M-N.pi_M.t"
};

// A 2-D region map refined by quadtree after the sweep (see engine/region_map.hpp): every grid
// cell of two axes whose four corners disagree (status differs, a categorical value differs, or
// a real indicator changes sign) is split into four by new solves, recursively, `depth` times.
struct RegionMapSpec : IndicatorSpec {
  std::size_t x_axis = 0, y_axis = 1;  // indices into SweepSpec::axes, x_axis != y_axis
  int depth = 6;                        // refinement levels; the finest cell is 2^-depth of a grid cell

  static constexpr int kMaxDepth = 12;
  std::string name(const struct SweepSpec& spec) const;  // e.g. "E.Y-D.phi.t"
};

// A global sensitivity analysis of one indicator over the design (docs/sensitivity-indices.md):
// Sobol' indices from a saltelli design, elementary effects from a morris design; per point of
// the grid axes beside the design.
struct GsaSpec : IndicatorSpec {
  enum class Unsolved { drop, error };
  bool morris = false;       // set from the design's kind
  int bootstrap = 100;       // resamples for the confidence intervals (SALib's default too)
  double confidence = 0.95;  // of the intervals
  std::uint64_t seed = 0;    // of the resampling; the design's seed unless given
  // A group of points (a Saltelli base sample, a Morris trajectory) with a point not solved:
  // dropped and counted, or the analysis stops with an error.
  Unsolved unsolved = Unsolved::drop;

  std::string_view method() const { return morris ? "morris" : "sobol"; }
  std::string name() const { return label(); }
};

// What is computed: the model, its options, the grid and the outputs. The fingerprint covers it.
struct ComputedSpec {
  const Model* model = nullptr;  // the configured model (see Model::configure)
  std::shared_ptr<const Model> configured_model;  // owns `model` when configure() built one
  std::string variant;
  OptionValues options;  // every option the model declares, resolved
  std::vector<double> fixed;  // value of every model parameter; NaN where an axis sweeps it
  std::vector<AxisSpec> axes;  // the grid's axes, then the design's point axis if there is a design
  std::shared_ptr<const Design> design;  // null: a grid only
  std::vector<int> outputs;  // indices into model->outputs(), in the model's order
  std::size_t continuation_axis = 0;
  std::vector<SensitivitySpec> sensitivities;

  // Writes the parameters that axis `a` sets at its index `index` into params[p * stride], p the
  // model's parameter index: the axis' value for a grid axis, every design parameter of design
  // point `index` for the design's axis. The one place a grid index becomes parameter values.
  void set_axis_point(std::size_t a, std::size_t index, double* params, std::size_t stride) const {
    const AxisSpec& axis = axes[a];
    if (!axis.is_design()) {
      params[static_cast<std::size_t>(axis.parameter) * stride] = axis.values[index];
      return;
    }
    for (std::size_t j = 0; j < design->dimension(); ++j)
      params[static_cast<std::size_t>(design->parameters[j].parameter) * stride] = design->value(index, j);
  }
};

// How the results are stored. Enters the fingerprint as well: a resume copies finished chunks
// byte for byte, so their shape and encoding must match the file's.
struct StorageSettings {
  std::vector<std::size_t> chunk;  // points per axis in one tile / HDF5 chunk
  Compression compression = Compression::blosc;
  int deflate_level = 4;
  int zstd_level = 1;
  BloscCompressor blosc_codec = BloscCompressor::lz4;
  BloscShuffle blosc_shuffle = BloscShuffle::byte;
  int blosc_level = 5;
  // Lossy storage (engine/quantize.hpp): significant decimal digits kept in the stored floating
  // variables; 0 keeps them exact. Per-variable digits come from the [significant_digits] table
  // (variable-name globs); the outputs that an analysis reads back stay exact.
  int significant_digits = 0;
  std::vector<std::pair<std::string, int>> significant_digits_by_variable;  // glob, digits

  ChunkEncoding encoding() const;  // the chosen codec with its own options
  // Digits kept for the variable named `name` (0: exact), before the analyses' exemption.
  int significant_digits_of(const std::string& name) const;
};

// How one run goes. Never in the fingerprint: a rerun that changes only these resumes.
struct RunSettings {
  int threads = 0;  // 0 = all cores
  ProgressMode progress = ProgressMode::automatic;
  double progress_interval_s = 10.0;  // between plain progress lines
  double commit_interval_s = 0.5;     // how often finished tiles are made durable
  // run.durability: "commit" syncs the file to disk at every commit (committed tiles survive a
  // power loss), "end" once when the run ends, "none" never (the kernel writes back when it
  // chooses, as h5py does). Committed tiles survive a killed process under all three.
  bool sync_each_commit = true;
  bool sync_at_end = false;
  bool overwrite = false;             // replace an existing cube instead of resuming it
  // Safety limits (docs/safety.md): `eqsweep run` exits 3 when more than this fraction of the
  // cube's points failed; it refuses a grid above max_points or larger than the free disk unless forced.
  double max_failed_fraction = 0.0;
  std::int64_t max_points = 10'000'000'000;
  double max_hours = 1.0;  // of the calibrated time estimate (engine/time_estimate.hpp)
  bool force = false;
  // This run computes the tiles t with t mod shard_count == shard_index (engine/shard.hpp).
  std::size_t shard_index = 0, shard_count = 1;
  std::string shard_source;  // where "auto" found the shard, e.g. "PMI_RANK/PMI_SIZE"
};

// Analyses after the tiles. Not part of the fingerprint (they never change the tiles); they have
// their own analysis_fingerprint.
struct AnalysisSpecs {
  std::vector<ThresholdSpec> thresholds;
  std::vector<RegionMapSpec> region_maps;  // run after the thresholds
  std::vector<GsaSpec> gsa;                // run after the region maps
};

// One `--set KEY=VALUE`, applied to the spec's TOML before validation.
struct SpecOverride {
  std::string key;    // dotted path, e.g. "fixed.k", "run.threads", "options.solver"
  std::string value;  // a TOML value: 0.6, "none", [2, 4], true; a bare word is a string
  std::string origin;  // how errors name it, e.g. "--threads 5000"; empty: "--set KEY=VALUE"
};

// A validated spec: the three parts above plus where it came from. Every setting of the storage
// and run parts is an engine setting record (engine/settings.hpp).
struct SweepSpec : ComputedSpec, StorageSettings, RunSettings, AnalysisSpecs {
  std::string path;  // where it was read from (for messages and provenance)
  std::string text;  // verbatim
  // `text` as the cube stores it: every explicit value list longer than kInlineAxisValues is
  // replaced by `{ coordinate = "NAME", count = N }`, since the cube holds those values once, as
  // the axis' coordinate (a 2e6-value list made a 38.5 MB attribute). Empty: `text` itself.
  std::string cube_text;
  std::vector<SpecOverride> overrides;  // --set values applied on top of `text`, in order

  std::vector<std::size_t> shape() const;
  std::size_t point_count() const;
  // Outputs the engine reads: stored ones and those differentiated (thresholds use stored ones).
  std::vector<bool> needed_outputs() const;
  SolverSetup solver_setup() const { return {variant, options, needed_outputs()}; }
  // Canonical JSON of everything that determines the cube's contents (the computed and stored
  // parts; not threads, comments or formatting); its SHA-256 is the fingerprint that guards resumes.
  std::string canonical_json() const;
  std::string fingerprint() const;
  // Analyses after the tiles, in the order of _eqsweep/analysis_done: thresholds, region maps, then GSA.
  std::size_t analysis_count() const { return thresholds.size() + region_maps.size() + gsa.size(); }
  // Fingerprint of the analyses on top of the sweep (thresholds, region maps). Unchanged for a
  // spec without region maps, so cubes written before region maps existed stay complete.
  std::string analysis_fingerprint() const { return analysis_fingerprint(fingerprint()); }
  std::string analysis_fingerprint(const std::string& fingerprint) const;  // given this spec's fingerprint()
  // "key = value" lines of the overrides, for provenance; empty without overrides. Overrides of
  // run settings (threads, progress) are left out: they change nothing the cube holds. A long
  // explicit value list is written as a reference to its coordinate, as in cube_text.
  std::string overrides_text() const;
  const std::string& stored_text() const { return cube_text.empty() ? text : cube_text; }
};

// The spec keys whose values differ between two canonical forms (SweepSpec::canonical_json), as
// a spec names them ("fixed.k", "axis[1] (t)", "run.compression"), each with both values.
std::vector<std::string> canonical_differences(const std::string& before, const std::string& now);

// Default number of cells per tile: 16 Ki points is 128 KiB per float64 output, inside HDF5's
// recommended chunk sizes, and (at >= 10 ns per point) well above oneTBB's 100k-cycle task.
inline constexpr std::size_t kDefaultTileCells = 16384;
// A sweep small enough to fit in a few default tiles is cut into at least this many (never
// splitting a continuation line), so that a model costing milliseconds per point still spreads
// over the cores. A constant, not the machine's core count, so that a cube's layout and
// fingerprint do not depend on where it was started.
inline constexpr std::size_t kMinDefaultTiles = 64;

// Explicit axis value lists longer than this are stored in a cube once, as the coordinate.
inline constexpr std::size_t kInlineAxisValues = 64;

// The values of the coordinate NAME of the cube a spec is read back from (see
// SweepSpec::cube_text); absent for specs from files, which then refuse `{ coordinate = ... }`.
using StoredAxisValues = std::function<std::vector<double>(const std::string& name)>;

// Reads and validates a spec; `overrides` (--set) are applied to its TOML first, so they are
// validated like the file's own values and errors name the key.
SweepSpec load_spec(const std::string& path, const ModelCatalog& catalog, const std::vector<SpecOverride>& overrides = {});
SweepSpec parse_spec(std::string_view text, const std::string& path, const ModelCatalog& catalog,
                     const std::vector<SpecOverride>& overrides = {}, const StoredAxisValues& stored_axes = {});
// Parses "KEY=VALUE" from the command line; throws SpecError naming the text when malformed.
SpecOverride parse_override(std::string_view assignment);

}  // namespace eqsweep
