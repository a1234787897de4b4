#pragma once
// A sweep specification: which model and variant, the fixed parameters, the axes, the outputs
// and the run settings. Loading validates everything against the model's declarations, so a
// spec that loads can run; every rejection names the file, the key and the allowed range.

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.hpp"

namespace eqsweep {

class SpecError : public std::runtime_error {
 public:
  SpecError(std::string file, std::string key, int line, const std::string& message);
  const std::string& file() const { return file_; }
  const std::string& key() const { return key_; }

 private:
  std::string file_, key_;
};

enum class Compression { none, deflate };

struct AxisSpec {
  std::string name;  // a parameter of the model
  int parameter = -1;
  std::vector<double> values;  // strictly monotone
};

// d output / d parameter at every grid point, by extra solves at x ± h (see docs/sensitivities.md).
struct SensitivitySpec {
  int output = -1;     // index into model->outputs() (stored or not)
  int parameter = -1;  // index into model->parameters() (swept or fixed)
  bool elasticity = true;  // also store (d output / d parameter) · parameter / output
  double step = 6.0555e-6;  // h = step · max(|x|, 1); default cbrt(double epsilon) for exact solves

  std::string derivative_name(const Model& m) const;
  std::string elasticity_name(const Model& m) const;
};

// A threshold to locate along one axis after the sweep (see engine/thresholds.hpp).
struct ThresholdSpec {
  enum class Kind { real, categorical };
  std::string indicator;  // an output name, or "status"
  std::string minus;      // optional second output: the indicator is indicator - minus
  Kind kind = Kind::real;
  std::size_t axis = 0;         // index into SweepSpec::axes
  double tolerance = 1e-8;      // relative to the axis span
  std::size_t max_crossings = 4;  // stored per line; more are counted, not stored
  int max_solves_per_crossing = 200;

  std::string name(const struct SweepSpec& spec) const;  // e.g. "Y.pi_M-N.pi_M.t"
};

// A 2-D region map refined by quadtree after the sweep (see engine/region_map.hpp): every grid
// cell of two axes whose four corners disagree (status differs, a categorical value differs, or
// a real indicator changes sign) is split into four by new solves, recursively, `depth` times.
struct RegionMapSpec {
  enum class Kind { real, categorical };
  std::string indicator;  // an output name, or "status"
  std::string minus;      // optional: the indicator is indicator - minus (real)
  Kind kind = Kind::real;
  std::size_t x_axis = 0, y_axis = 1;  // indices into SweepSpec::axes, x_axis != y_axis
  int depth = 6;                        // refinement levels; the finest cell is 2^-depth of a grid cell

  static constexpr int kMaxDepth = 12;
  std::string name(const struct SweepSpec& spec) const;  // e.g. "E.Y-D.phi.t"
};

// Every [[threshold]] table of a spec (validated against the spec's axes and outputs).
std::vector<ThresholdSpec> parse_thresholds(std::string_view text, const SweepSpec& spec);

struct SweepSpec {
  std::string path;  // where it was read from (for messages and provenance)
  std::string text;  // verbatim, stored in the cube
  const Model* model = nullptr;  // the configured model (see Model::configure)
  std::shared_ptr<const Model> configured_model;  // owns `model` when configure() built one
  std::string variant;
  OptionValues options;  // every option the model declares, resolved
  std::vector<double> fixed;  // value of every model parameter; NaN where an axis sweeps it
  std::vector<AxisSpec> axes;
  std::vector<int> outputs;  // indices into model->outputs(), in the model's order
  std::size_t continuation_axis = 0;
  std::vector<std::size_t> chunk;  // points per axis in one tile / HDF5 chunk
  Compression compression = Compression::deflate;
  int deflate_level = 4;
  int threads = 0;  // 0 = all cores
  std::vector<SensitivitySpec> sensitivities;
  std::vector<ThresholdSpec> thresholds;  // not part of the fingerprint: they never change the tiles
  std::vector<RegionMapSpec> region_maps;  // likewise; analyses after the thresholds

  std::vector<std::size_t> shape() const;
  std::size_t point_count() const;
  // Outputs the engine reads: stored ones and those differentiated (thresholds use stored ones).
  std::vector<bool> needed_outputs() const;
  SolverSetup solver_setup() const { return {variant, options, needed_outputs()}; }
  // Canonical JSON of everything that determines the cube's contents (not threads, comments
  // or formatting); its SHA-256 is the fingerprint that guards resumes.
  std::string canonical_json() const;
  std::string fingerprint() const;
  // Analyses after the tiles, in the order of _eqsweep/analysis_done: thresholds, then region maps.
  std::size_t analysis_count() const { return thresholds.size() + region_maps.size(); }
  // Fingerprint of the analyses on top of the sweep (thresholds, region maps). Unchanged for a
  // spec without region maps, so cubes written before region maps existed stay complete.
  std::string analysis_fingerprint() const;
};

// Default number of cells per tile: 16 Ki points is 128 KiB per float64 output, inside HDF5's
// recommended chunk sizes, and (at >= 10 ns per point) well above oneTBB's 100k-cycle task.
inline constexpr std::size_t kDefaultTileCells = 16384;
// A sweep small enough to fit in a few default tiles is cut into at least this many (never
// splitting a continuation line), so that a model costing milliseconds per point still spreads
// over the cores. A constant, not the machine's core count, so that a cube's layout and
// fingerprint do not depend on where it was started.
inline constexpr std::size_t kMinDefaultTiles = 64;

SweepSpec load_spec(const std::string& path, const ModelCatalog& catalog);
SweepSpec parse_spec(std::string_view text, const std::string& path, const ModelCatalog& catalog);

std::string sha256_hex(std::string_view data);

}  // namespace eqsweep
