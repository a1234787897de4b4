#pragma once
// Segment boundaries as decision variables of the paper's game (segment_boundaries =
// "equilibrium"; the VIs (G1)/(J1) carry h): chain c's boundaries belong to the chain
// (centralized) or to its manufacturer, the leader (decentralized), and are chosen with the
// owner's other decisions, every other player's decisions fixed. docs/model-m.md, "Boundaries as
// equilibrium variables".

#include "models/ma_sue/game.hpp"
#include "models/ma_sue/verification.hpp"

namespace eqsweep::ma_sue {

// `in` with chain c's boundaries replaced by hc (option_count[c] - 1 values), everything else kept.
Instance with_chain_boundaries(const Instance& in, int c, const double* hc);

// The owner's profit at s under `in` (the decentralized owner's retailer, or every retailer
// under anticipation = "retail_equilibrium", re-responding first, as the leader anticipates).
double owner_profit(const Instance& in, const Strategy& s, int c);

// d(owner's profit)/du of chain c's k-th boundary in mass-fraction coordinates u = F(h), every
// other decision of every player fixed (the owner's own re-optimisation drops out by the
// envelope theorem at a best response): zero at an interior equilibrium boundary.
double boundary_marginal(const Instance& in, const Strategy& s, int c, int k);

// The best relative gain found for chain c's owner deviating in its boundaries jointly with its
// own prices and lead times (others fixed): a scan of each boundary's mass fraction and golden
// refinement, each trial valued by the player's own check at those boundaries (its exact best
// response where the structural certificate applies, the probes' best otherwise). 0 for a chain
// with one option.
double boundary_deviation_gain(const Instance& in, const Strategy& s, int c, const VerifyOptions& o);

}  // namespace eqsweep::ma_sue
