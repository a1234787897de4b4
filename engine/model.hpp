#pragma once
// The contract between the engine and an equilibrium model. The engine knows nothing else about
// a model: it reads the declarations (parameters with domains, outputs, variants) to validate a
// spec and lay out the cube, and it calls a PointSolver to fill tiles.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eqsweep {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// An interval of the real line, each end open or closed; infinite ends are always open.
struct Domain {
  double lo = -kInf;
  double hi = kInf;
  bool lo_open = true;
  bool hi_open = true;

  static Domain open(double lo, double hi) { return {lo, hi, true, true}; }
  static Domain closed(double lo, double hi) { return {lo, hi, false, false}; }
  static Domain at_least(double lo) { return {lo, kInf, false, true}; }
  static Domain above(double lo) { return {lo, kInf, true, true}; }
  static Domain real() { return {}; }

  bool contains(double x) const;
  std::string describe() const;  // e.g. "(0, 1)" or "[0, inf)"
};

struct ParameterInfo {
  std::string name;         // key used in specs and as the HDF5 coordinate name, e.g. "theta"
  std::string symbol;       // as printed in the paper, e.g. "θ"
  std::string description;  // one line
  std::string units;        // "1" for dimensionless
  Domain domain;
  // Used when a spec neither fixes nor sweeps the parameter; NaN means the spec must give it.
  double default_value = kNaN;
};

// One code of a categorical output and its meaning, a CF flag_meanings word ("holds", "tie").
struct FlagInfo {
  std::int64_t value = 0;
  std::string meaning;
};

struct OutputInfo {
  std::string name;  // e.g. "Y.pi_M"
  std::string description;
  std::string units;  // UDUNITS-parseable; "1" for dimensionless
  // Non-empty for a categorical output (a regime, a predicate, a count): the solver still writes
  // the codes as doubles, the cube stores them as int32 with CF flag_values/flag_meanings and
  // NaN (undefined there) as kCategoricalFill.
  std::vector<FlagInfo> flags{};

  bool categorical() const { return !flags.empty(); }
};
inline constexpr std::int32_t kCategoricalFill = -1;

struct VariantInfo {
  std::string name;
  std::string description;
  // Globs (fnmatch) of outputs this variant never writes (they stay NaN): a spec without an
  // `outputs` list stores every output but these.
  std::vector<std::string> unwritten_outputs{};

  // Whether this variant writes `output`: it matches none of `unwritten_outputs`.
  bool writes(const std::string& output) const;
};

// A model-specific setting chosen per sweep in the spec's [options] table: which solver, a
// tolerance, the network file a model reads. Values are kept as text; numeric options are
// checked against their domain when the spec is read.
struct OptionInfo {
  std::string name;
  std::string description;
  std::string default_value;          // used when the spec does not set the option
  std::vector<std::string> choices;   // allowed values; empty: any text (or any number in domain)
  bool numeric = false;
  Domain domain;                      // for numeric options
};
using OptionValues = std::map<std::string, std::string>;  // every declared option, resolved

// Stored per point in the cube's `status` dataset (CF flag_values/flag_meanings describe it).
enum class PointStatus : std::uint8_t {
  solved = 0,        // an equilibrium that passed the model's own checks
  infeasible = 1,    // parameters outside the region where the model's equilibrium exists
  failed = 2,        // the solver did not reach a verified equilibrium
  not_computed = 3,  // fill value: the tile has not been solved yet
};
inline constexpr std::string_view kPointStatusMeanings = "solved infeasible failed not_computed";

struct PointResult {
  PointStatus status = PointStatus::failed;
  std::int32_t iterations = 0;  // 0 for closed forms
  double residual = kNaN;       // NaN where the model has no residual to report
};

// A batch of points in structure-of-arrays layout: parameter p of point i is
// params[p * stride + i], output o of point i is row(o)[i].
struct BatchView {
  std::size_t size = 0;
  std::size_t stride = 0;
  const double* params = nullptr;
  double* outputs = nullptr;
  PointResult* results = nullptr;
  // When set (only for a solver whose writes_output_rows() is true), output o of point i is
  // output_rows[o][i]: one row per model output, so that the engine can hand a tile's chunk
  // buffers themselves as the rows of the outputs it stores and skip copying them. Rows of
  // different outputs never overlap; `outputs` is then not to be used.
  double* const* output_rows = nullptr;

  double* row(std::size_t o) const { return output_rows ? output_rows[o] : outputs + o * stride; }
};

// Solves points for one variant. The engine gives each worker thread its own solver, so a
// solver may keep scratch memory, but a result must depend only on the point's parameters and
// the warm start handed in: otherwise cubes would depend on the schedule.
class PointSolver {
 public:
  virtual ~PointSolver() = default;

  // Independent cold solves; a closed-form model vectorises here.
  virtual void solve_batch(const BatchView& batch) = 0;
  // True when solve_batch reaches outputs only through BatchView::row(), so that it accepts a
  // batch with output_rows set (each output's row anywhere in memory).
  virtual bool writes_output_rows() const { return false; }

  // One point with an optional warm start (warm_in is empty for a cold start). On success the
  // solver writes the state the next point along the continuation axis should start from into
  // warm_out (size Model::warm_start_size()). Only called when warm_start_size() > 0.
  virtual PointResult solve_point(const double* params, std::size_t param_stride, double* outputs,
                                  std::size_t output_stride, std::span<const double> warm_in,
                                  std::span<double> warm_out);
};

// Everything a model needs to build a solver for a sweep.
struct SolverSetup {
  std::string variant;
  OptionValues options;  // empty: the model's defaults (or what configure() chose)
  // needed_outputs[o]: the engine will read output o (it is stored or differentiated). A solver
  // may leave the other outputs unwritten and skip their work. Empty: every output is read.
  std::vector<bool> needed_outputs;
};

// Everything about a model that is data: what the engine shows, validates a spec against and lays
// the cube out from. A model hands it over once, when it is constructed, so that a new model is a
// table and a solver rather than a set of one-line overrides.
// (The {} initialisers let a model name only the fields it has in a designated initialiser.)
struct ModelDescription {
  std::string name{};
  std::string description{};
  std::string source{};  // the paper the model comes from
  std::vector<ParameterInfo> parameters{};
  std::vector<OutputInfo> outputs{};
  std::vector<VariantInfo> variants{};
  std::vector<OptionInfo> options{};
  // Size of the state handed from one solve to the next along the continuation axis;
  // 0 means the model solves every point from scratch and the engine batches points freely.
  std::size_t warm_start_size = 0;
  // True for closed forms: every PointResult the solver returns has iterations 0 and residual
  // NaN, so the engine writes those chunks without reading the results point by point.
  bool closed_form = false;
};

class Model {
 public:
  virtual ~Model() = default;

  const ModelDescription& describe() const { return description_; }
  std::string_view name() const { return description_.name; }
  std::string_view description() const { return description_.description; }
  std::string_view source() const { return description_.source; }
  std::span<const ParameterInfo> parameters() const { return description_.parameters; }
  std::span<const OutputInfo> outputs() const { return description_.outputs; }
  std::span<const VariantInfo> variants() const { return description_.variants; }
  std::span<const OptionInfo> options() const { return description_.options; }
  std::size_t warm_start_size() const { return description_.warm_start_size; }
  bool closed_form() const { return description_.closed_form; }

  // A model whose structure depends on its options (e.g. a network read from a file, which
  // decides the parameters and outputs) returns the configured model here, a new Model with its
  // own description; the spec is then validated against it. `spec_dir` resolves relative paths.
  // Throws std::invalid_argument with a message naming the option on bad input. nullptr: this
  // model is used as it is.
  virtual std::shared_ptr<const Model> configure(const OptionValues& options, const std::string& spec_dir) const;
  // Text that pins what configure() read (e.g. the network file's canonical content); it joins
  // the spec fingerprint so that editing the file is not mistaken for the same sweep.
  virtual std::string configuration_text() const { return {}; }

  // One solver per worker thread; see SolverSetup.
  virtual std::unique_ptr<PointSolver> make_solver(const SolverSetup& setup) const = 0;

  // Index of a parameter or output by name, or -1.
  int parameter_index(std::string_view name) const;
  int output_index(std::string_view name) const;

 protected:
  explicit Model(ModelDescription description) : description_(std::move(description)) {}

 private:
  ModelDescription description_;
};

// The models a program knows; the CLI fills it from models/, tests may add their own.
class ModelCatalog {
 public:
  void add(const Model& model) { models_.push_back(&model); }
  const Model* find(std::string_view name) const;
  std::span<const Model* const> all() const { return models_; }

 private:
  std::vector<const Model*> models_;
};

}  // namespace eqsweep
