// verify(): the level chosen, and at the certificate level the check chosen for each player
// (verification_checks.hpp); payoff_gradient, analytic or numeric. The files of the verification:
//   verification_chain_profit.*       analytic profits, gradients and Hessians of a chain's players
//   verification_probes.cpp           the certificate's probes (Hessian check, Newton ascent)
//   verification_structural.*         the structural certificate (exact best responses)
//   verification_leader_equilibrium.cpp  the leader under anticipation = "retail_equilibrium"
//   verification_joint_leader.*       the joint leader under leader_objective = "joint"
//   verification_retail_response.cpp  retailer_best_response, retail_equilibrium
//   verification_audit.*              the audit level (central differences, deviation ladder)

#include "models/ma_sue/verification.hpp"

#include <algorithm>
#include <cmath>

#include "models/ma_sue/verification_audit.hpp"
#include "models/ma_sue/verification_checks.hpp"
#include "models/ma_sue/verification_joint_leader.hpp"
#include "models/ma_sue/collusive_leaders.hpp"

namespace eqsweep::ma_sue {

namespace {

using namespace verification_detail;

Verification verify_certificate(const Instance& in, const Strategy& s, const VerifyOptions& opt) {
  Verification out;
  auto take = [&](const PlayerCheck& r, int who) {
    out.kkt_residual = std::max(out.kkt_residual, std::isnan(r.kkt) ? INFINITY : r.kkt);
    out.local_maximum = out.local_maximum && r.local_max;
    if (r.gain > out.deviation_gain) out.deviation_gain = r.gain, out.worst_player = who;
  };
  // The structural certificate where its hypotheses hold at this point, the probes otherwise.
  // One view of the chain serves both of its players; the retailer's best response to the
  // candidate's wholesale prices and lead times is also the response the leader is judged with.
  for (int c = 0; c < in.n_chains; ++c) {
    const ChainView v = view_of(in, s, c);
    if (in.readings.equilibrium == Equilibrium::centralized) {
      PlayerCheck r;
      const bool structural = opt.structural && structural_own(v, s, PlayerKind::chain_owner, r);
      ++(structural ? out.structural_players : out.probed_players);
      take(structural ? r : check_own(in, s, c, PlayerKind::chain_owner, opt), c);
      continue;
    }
    PlayerCheck r, m;
    Strategy response = s;
    const bool retailer = opt.structural && structural_own(v, s, PlayerKind::retailer, r, &response);
    ++(retailer ? out.structural_players : out.probed_players);
    take(retailer ? r : check_own(in, s, c, PlayerKind::retailer, opt), c);
    if (joint_leaders(in)) continue;  // one joint leader for all chains, after the loop
    if (in.readings.anticipation == Anticipation::retail_equilibrium && in.readings.choice == ChoiceReading::mnl) {
      ++out.probed_players;
      take(check_leader_equilibrium(in, s, c, opt), c + in.n_chains);
      continue;
    }
    const bool leader = retailer && structural_leader(v, s, response, m);
    ++(leader ? out.structural_players : out.probed_players);
    take(leader ? m : check_leader(in, s, c, opt), c + in.n_chains);
  }
  if (joint_leaders(in)) {  // reported as player 2 n_chains
    ++out.probed_players;
    take(check_joint_leader(in, s, opt), 2 * in.n_chains);
  }
  out.passed = std::isfinite(out.kkt_residual) && out.kkt_residual <= opt.kkt_tolerance && out.local_maximum &&
               out.deviation_gain <= opt.deviation_tolerance;
  return out;
}

}  // namespace

Verification verify(const Instance& in, const Strategy& s, const VerifyOptions& o) {
  // The certificate's analytic profits are derived for per-option MNL shares; latent classes are
  // checked by the audit, which values every deviation with evaluate() itself.
  if (in.readings.demand == DemandReading::latent_class) return verification_detail::verify_audit(in, s, o);
  return o.level == VerifyLevel::audit ? verification_detail::verify_audit(in, s, o) : verify_certificate(in, s, o);
}

int payoff_gradient(const Instance& in, const Strategy& s, int c, PlayerKind kind, bool analytic, double* g) {
  using namespace verification_detail;
  const Decisions dec = own_decisions(in, c, kind);
  if (analytic) {
    const ChainView v = view_of(in, s, c);
    DVec G(dec.n);
    if (kind == PlayerKind::manufacturer) {
      double pm = 0;
      if (!leader_gradient(v, s, own_decisions(in, c, PlayerKind::retailer), dec, G, pm)) G.setConstant(NAN);
    } else {
      chain_profit(v, s, payee_of(kind), &dec, &G, nullptr);
    }
    for (int a = 0; a < dec.n; ++a) g[a] = G[a];
    return dec.n;
  }
  const Player pl = make_player(in, c, kind);
  Strategy d = s;
  for (int a = 0; a < pl.n; ++a) g[a] = central_difference(in, d, pl, a);
  return pl.n;
}

}  // namespace eqsweep::ma_sue
