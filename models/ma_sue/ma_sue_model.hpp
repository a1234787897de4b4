#pragma once
// Model M: Ma, Nault & Tu, price/lead-time menus of competing supply chains under stochastic user
// equilibrium. The unconfigured model declares the options; configure() reads the network file
// and returns a model whose parameters and outputs are those of the network.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/model.hpp"
#include "models/ma_sue/game.hpp"
#include "models/ma_sue/solver.hpp"
#include "models/ma_sue/verification.hpp"

namespace eqsweep::ma_sue {

// How a configured model turns a point's parameters into an Instance.
struct ParameterMap {
  int Q = -1, alpha = -1, w = -1, beta_mean = -1, sigma = -1;
  std::vector<int> link_a, link_b, iface_cost;  // per network link, -1 where not applicable
  std::vector<int> boundary;                    // flattened h of all chains
  std::vector<int> fixed_cost;                  // per chain: fixed cost per offered option
};

class MaSueModel final : public Model {
 public:
  MaSueModel();  // unconfigured: options only
  std::shared_ptr<const Model> configure(const OptionValues& options, const std::string& spec_dir) const override;
  std::string configuration_text() const override { return configuration_; }
  std::unique_ptr<PointSolver> make_solver(const SolverSetup& setup) const override;

  // For tests and benchmarks: the configured pieces.
  const Network& network() const { return network_; }
  const Instance& base_instance() const { return base_; }
  void instance_at(const double* params, std::size_t stride, Instance& in) const;
  static SolverOptions solver_options(const OptionValues& o);
  bool configured() const { return configured_; }
  // Whether the outputs include the segmentation stage's (segments = "optimal").
  bool segmented() const { return segmented_; }

 private:
  friend class MaSuePointSolver;
  explicit MaSueModel(ModelDescription description) : Model(std::move(description)) {}

  bool configured_ = false;
  bool segmented_ = false;
  Network network_;
  Instance base_;
  ParameterMap map_;
  OptionValues chosen_;
  std::string configuration_;
};

// Readings from option values; throws std::invalid_argument for combinations not implemented.
Readings readings_from(const OptionValues& o);

}  // namespace eqsweep::ma_sue
