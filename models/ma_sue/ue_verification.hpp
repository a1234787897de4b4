#pragma once
// Checks a UE (eq. (12)) point by deterministic choice's own conditions, whichever way it was
// produced: every chain's profit against (1) its exact best response to the others' menus (the
// supremum over all its prices and lead times, docs/model-m.md "UE (eq. 12)"), with the
// deviation that attains it (or approaches it by undercutting) evaluated through evaluate_ue, and
// (2) a ladder of explicit deviations evaluated through evaluate_ue: undercutting by epsilon
// (1e-9 .. 1 in utility), raising the price, changing each lead time with the price held or with
// the utility held, and joint price moves. The lead-time first-order condition of every slot
// that serves a selling option is reported as kkt_residual. With Stackelberg chains
// (Readings::ue_decentralized) the players are each chain's retailer (retail prices, its lead
// times) and manufacturer (wholesale prices, its lead times; every deviation evaluated with its
// retailer re-optimising through ue_retailer_response, the other chains fixed), each against its
// exact best-response value and its own ladder; best_response_gain and ladder_gain are then the
// largest over both players.

#include "models/ma_sue/game.hpp"

namespace eqsweep::ma_sue {

struct UeVerifyOptions {
  double kkt_tolerance = 1e-6;        // relative |-c'(t) alpha / beta_bar - 1| on selling paths
  double deviation_tolerance = 1e-9;  // relative profit gain, as verify() for SUE
};

struct UeVerification {
  double kkt_residual = 0;
  double deviation_gain = 0;      // largest relative gain over all checks and chains
  double best_response_gain = 0;  // (sup of the best response - profit) / max(|profit|, 1), largest over chains
  double ladder_gain = 0;         // largest relative gain of the explicit deviations
  int worst_chain = -1;
  bool passed = false;
};

UeVerification verify_ue(const Instance& in, const Strategy& s, const UeVerifyOptions& o = {});

// Chain c's best-response value against the others' strategies in s (chain profit, fixed cost
// included; the supremum, which may be approached only by undercutting). When `deviation` is not
// null it receives s with chain c's strategy replaced by the best response (winning ties where
// the tie rule lets it; the verifier also tries it with the utility raised by a hair).
double ue_best_response_value(const Instance& in, const Strategy& s, int c, Strategy* deviation = nullptr);

// Stackelberg chains (equilibrium = ue_decentralized). The retailer of chain c against the
// wholesale prices and manufacturer lead times in s, the other chains fixed: its exact
// best-response value (the supremum of its profit, fixed cost included; a sum over options with
// sealed segments, which over-states it where a retailer slot is shared, so the check is then
// conservative), and a best response that attains it, or approaches it by a hair where the
// customers' tie rule would hand a tie at the rival's utility to the rival. The response sells at
// zero margin (the tie rule for an indifferent follower, docs/model-m.md "UE (eq. 12)") and,
// among options it is indifferent between, sells the one its manufacturer earns most from.
double ue_retailer_best_response_value(const Instance& in, const Strategy& s, int c);
Strategy ue_retailer_response(const Instance& in, const Strategy& s, int c);

// Sealed segments: chain c's optimal menu against no purchase (ue_solver.cpp); writes it into s
// and returns sum over its selling options of m_i S_i.
double ue_sealed_chain_optimum(const Instance& in, int c, Strategy& s);

}  // namespace eqsweep::ma_sue
