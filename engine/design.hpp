#pragma once
// A sampling design: a list of parameter points swept instead of (or beside) a grid. The cube
// stores it along one `point` dimension with each design parameter as a coordinate along it
// (docs/spec-format.md, [design]). Points are generated once, when the spec loads, from the seed
// alone, so every thread count, shard and resume sees the same points.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace eqsweep {

enum class DesignKind { list, random, latin_hypercube, sobol, saltelli, morris };
std::string_view design_kind_name(DesignKind kind);
// All kinds by name, in the order of DesignKind.
const std::vector<std::string>& design_kind_names();

struct DesignParameter {
  std::string name;
  int parameter = -1;  // index into the model's parameters
  double lower = 0, upper = 1;  // box bounds (generated designs)
  bool log = false;             // sample log(x) uniformly instead of x
};

struct Design {
  DesignKind kind = DesignKind::sobol;
  std::vector<DesignParameter> parameters;
  // random / latin_hypercube / sobol: points; saltelli: base samples N (N (k + 2) points);
  // morris: trajectories r (r (k + 1) points); list: rows of the file.
  std::size_t samples = 0;
  std::uint64_t seed = 0;
  bool scramble = true;  // sobol and saltelli
  int levels = 4;        // morris: grid levels p (even)
  std::string file;      // list: the CSV file as the spec names it

  // Row-major points × parameters, in the parameters' own units.
  std::vector<double> values;
  // SHA-256 of `values` (native bytes), set with them: the fingerprint covers the points
  // themselves, and hashing tens of megabytes once per spec is enough.
  std::string values_sha256;

  std::size_t dimension() const { return parameters.size(); }
  std::size_t point_count() const { return dimension() ? values.size() / dimension() : 0; }
  double value(std::size_t point, std::size_t j) const { return values[point * dimension() + j]; }
  // Points per group the analyses read together: k + 2 (saltelli), k + 1 (morris), else 1.
  std::size_t group_size() const;
};

// The first n points of the s-dimensional Sobol' sequence (Joe-Kuo direction numbers, as
// boost::random::sobol), starting with the origin, as 32-bit digits per coordinate, row-major.
std::vector<std::uint32_t> sobol_digits(std::size_t n, std::size_t s);
// Matoušek's linear matrix scrambling plus a random digital shift, in place: for each coordinate
// a random nonsingular lower-triangular binary matrix acts on the digits (most significant
// first), then a random shift is XOR-ed. It keeps every (t, m, s)-net a (t, m, s)-net.
void scramble_digits(std::vector<std::uint32_t>& digits, std::size_t s, std::uint64_t seed);

// Points in [0, 1)^s (row-major) of each generator, from `seed` only.
std::vector<double> sobol_unit(std::size_t n, std::size_t s, bool scramble, std::uint64_t seed);
std::vector<double> random_unit(std::size_t n, std::size_t s, std::uint64_t seed);
std::vector<double> latin_hypercube_unit(std::size_t n, std::size_t s, std::uint64_t seed);
// Saltelli's layout as SALib writes it (calc_second_order = False): for each base sample i the
// rows A_i, AB_i^1 .. AB_i^k, B_i, where A and B are the two halves of a 2k-dimensional Sobol' point.
std::vector<double> saltelli_unit(std::size_t base, std::size_t k, bool scramble, std::uint64_t seed);
// r Morris trajectories of k + 1 points on the p-level grid of [0, 1]^k, each moving one
// coordinate by ±Δ = p / (2 (p - 1)) per step, in random order and direction.
std::vector<double> morris_unit(std::size_t trajectories, std::size_t k, int levels, std::uint64_t seed);

// Maps unit points onto the parameters' boxes (log-uniform where asked) and stores them in `values`.
void fill_design(Design& design);

// The step of each Morris move in the unit cube: Δ = p / (2 (p - 1)).
double morris_delta(int levels);

}  // namespace eqsweep
