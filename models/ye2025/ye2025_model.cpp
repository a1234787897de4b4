#include "models/ye2025/ye2025_model.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "models/ye2025/published_basic.hpp"

namespace eqsweep::ye2025 {

namespace {

void store(const ScenarioOutputs& s, bool feasible, double* out, std::size_t stride, std::size_t i) {
  const double values[kScenarioOutputCount] = {s.p_A, s.p_B, s.q_A, s.q_B, s.w_A, s.w_B, s.pi_R, s.pi_M, s.pi_SC, s.c_B};
  for (int q = 0; q < kScenarioOutputCount; ++q) out[static_cast<std::size_t>(q) * stride + i] = feasible ? values[q] : kNaN;
}

bool finite(const ScenarioOutputs& s) {
  return std::isfinite(s.p_A + s.p_B + s.q_A + s.q_B + s.w_A + s.w_B + s.pi_R + s.pi_M + s.pi_SC + s.c_B);
}

// Closed forms: one pass over the batch, no iteration and no residual to report.
class PublishedSolver final : public PointSolver {
 public:
  void solve_batch(const BatchView& b) override {
    const std::size_t n = b.size, st = b.stride;
    const double* theta = b.params + kTheta * st;
    const double* k = b.params + kK * st;
    const double* t = b.params + kT * st;
    const double* sigma = b.params + kSigma * st;
    const double* Gamma = b.params + kGamma * st;
    double* out_N = b.outputs + static_cast<std::size_t>(Ye2025Model::output_index(kScenarioN, 0)) * st;
    double* out_Y = b.outputs + static_cast<std::size_t>(Ye2025Model::output_index(kScenarioY, 0)) * st;
    for (std::size_t i = 0; i < n; ++i) {
      const Params p{theta[i], k[i], t[i], sigma[i], Gamma[i]};
      const ScenarioOutputs N = published_N(p);
      const ScenarioOutputs Y = published_Y(p);
      // Outside the two-product region (e.g. q_B = 0 at t = 0, where c_B = t²/q_B is 0/0) the
      // point is infeasible; a non-finite value inside it would be a failure of the formulas.
      const bool in_N = in_two_product_region(N), in_Y = in_two_product_region(Y);
      const bool ok_N = in_N && finite(N), ok_Y = in_Y && finite(Y);
      store(N, ok_N, out_N, st, i);
      store(Y, ok_Y, out_Y, st, i);
      b.results[i] = {!(in_N && in_Y) ? PointStatus::infeasible
                      : ok_N && ok_Y  ? PointStatus::solved
                                      : PointStatus::failed,
                      0, kNaN};
    }
  }
};

}  // namespace

Ye2025Model::Ye2025Model() {
  for (int s = 0; s < kScenarioCount; ++s)
    for (const auto& q : kQuantities)
      outputs_.push_back({fmt::format("{}.{}", kScenarioNames[s], q.name),
                          fmt::format("{} in scenario {}", q.description, kScenarioNames[s]), "1"});
  variants_ = {{"published", "closed forms transcribed from Appendix A as printed"}};
}

std::string_view Ye2025Model::description() const {
  return "Manufacturer-leader Stackelberg game over a standard and a customised product with demand information "
         "shared through a blockchain (scenarios N and Y)";
}

std::string_view Ye2025Model::source() const {
  return "Ye, Wang & Zhao (2025), blockchain information sharing under mass customization; "
         "shared/papers/ye-wang-zhao-2025-blockchain-mass-customization.txt";
}

std::span<const ParameterInfo> Ye2025Model::parameters() const { return parameter_table(); }

int Ye2025Model::output_index(int scenario, int quantity) { return scenario * kScenarioOutputCount + quantity; }

std::unique_ptr<PointSolver> Ye2025Model::make_solver(std::string_view variant) const {
  if (variant == "published") return std::make_unique<PublishedSolver>();
  throw std::invalid_argument(fmt::format("model ye2025 has no variant '{}'", variant));
}

}  // namespace eqsweep::ye2025
