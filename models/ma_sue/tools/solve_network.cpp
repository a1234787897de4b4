// Solves one network file at its default parameters and prints the equilibrium with its
// verification: `ma_sue_solve <network.toml> [option=value ...]` (options as in a spec's
// [options]). docs/model-m.md uses it for the reproduction table.

#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "models/ma_sue/ue_solver.hpp"
#include "models/ma_sue/ue_verification.hpp"

using namespace eqsweep;
using namespace eqsweep::ma_sue;

// equilibrium=ue: the closed form of ue_solver.cpp and its own verification.
static int print_ue(const MaSueModel& model, const Instance& in) {
  Strategy s;
  const SolveSummary sum = solve_ue(in, s);
  const UeVerification v = verify_ue(in, s);
  Outcome out;
  evaluate_ue(in, s, out);
  fmt::print("solver: UE closed form, {}\n", sum.brief());
  fmt::print("verification: {} (lead-time FOC residual {:.3g}, best-response gain {:.3g}, ladder gain {:.3g}, chain {})\n",
             v.passed ? "passed" : "FAILED", v.kkt_residual, v.best_response_gain, v.ladder_gain, v.worst_chain);
  for (int k = 0; k < in.n_slots; ++k)
    fmt::print("  slot {} link {:4} t = {:.6f}  c = {:.6f}\n", k, model.network().links[in.slots[k].link].name, s.t[k],
               unit_cost(in.slots[k].cost, s.t[k]));
  for (int c = 0; c < in.n_chains; ++c) {
    fmt::print("chain {}: profit {:.4f}", model.network().chains[c].name, out.profit_chain[c]);
    if (in.readings.ue_decentralized)  // Stackelberg chains (equilibrium = ue_decentralized)
      fmt::print(" (manufacturer {:.4f}, retailer {:.4f})", out.profit_m[c], out.profit_n[c]);
    fmt::print("\n");
    for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i)
      fmt::print("  option {}: p = {:.6f} wholesale = {:.6f} T = {:.6f} V = {:.6f} x = {:.6f} P = {:.6f} beta = {:.6f} "
                 "mass = {:.4f} unit cost = {:.6f} zero-margin utility S = {:.6f}\n",
                 i, s.p[i], s.wh[i], out.lead_time[i], in.w - in.alpha * s.p[i] - in.beta_bar[i] * out.lead_time[i],
                 out.x[i], out.P[i], in.beta_bar[i], in.mass[i], out.cost_m[i] + out.cost_n[i], ue_capacity(in, i));
  }
  fmt::print("no purchase: {:.6f}\n", out.no_purchase);
  return v.passed && sum.converged ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s network.toml [option=value ...]\n", argv[0]);
    return 2;
  }
  MaSueModel base;
  OptionValues o;
  for (const auto& info : base.options()) o[info.name] = info.default_value;
  o["network"] = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const auto eq = a.find('=');
    if (eq == std::string::npos || !o.count(a.substr(0, eq))) {
      std::fprintf(stderr, "unknown option '%s'\n", argv[i]);
      return 2;
    }
    o[a.substr(0, eq)] = a.substr(eq + 1);
  }
  try {
    auto model = std::static_pointer_cast<const MaSueModel>(base.configure(o, "."));
    std::vector<double> params;
    for (const auto& p : model->parameters()) params.push_back(p.default_value);
    Instance in;
    model->instance_at(params.data(), 1, in);
    Strategy s;
    if (in.readings.equilibrium == Equilibrium::ue) return print_ue(*model, in);
    cold_start(in, s);
    auto solver = o["solver"] == "projection" ? make_projection_solver(MaSueModel::solver_options(o))
                                              : make_fast_solver(MaSueModel::solver_options(o));
    const SolveSummary sum = solver->solve(in, s);
    VerifyOptions vo;  // the spec's verification level, as point_solver.cpp takes it
    vo.level = o["verification"] == "audit" ? VerifyLevel::audit : VerifyLevel::certificate;
    const Verification v = verify(in, s, vo);
    Outcome out;
    evaluate(in, s, out);
    fmt::print("solver: {}\n", sum.brief());
    fmt::print("verification: {} (kkt residual {:.3g}, best deviation gain {:.3g}, player {})\n",
               v.passed ? "passed" : "FAILED", v.kkt_residual, v.deviation_gain, v.worst_player);
    for (int k = 0; k < in.n_slots; ++k)
      fmt::print("  slot {} link {:4} t = {:.6f}  c = {:.6f}\n", k, model->network().links[in.slots[k].link].name,
                 s.t[k], unit_cost(in.slots[k].cost, s.t[k]));
    for (int c = 0; c < in.n_chains; ++c) {
      fmt::print("chain {}: profit {:.4f} (manufacturer {:.4f}, retailer {:.4f})\n", model->network().chains[c].name,
                 out.profit_chain[c], out.profit_m[c], out.profit_n[c]);
      for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i)
        fmt::print("  option {}: p = {:.6f} wholesale = {:.6f} T = {:.6f} x = {:.6f} P = {:.6f} beta = {:.6f} "
                   "mass = {:.4f} unit cost = {:.6f}\n",
                   i, s.p[i], s.wh[i], out.lead_time[i], out.x[i], out.P[i], in.beta_bar[i], in.mass[i],
                   out.cost_m[i] + out.cost_n[i]);
    }
    fmt::print("no purchase: {:.6f}\n", out.no_purchase);
    return v.passed && sum.converged ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
