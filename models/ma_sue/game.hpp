#pragma once
// One point of model M: the network with this point's parameter values, a strategy profile
// (prices and lead times), and the one place where demand, costs and profits are computed from
// them (eq. (1)-(8), (11)).

#include <array>
#include <cstdint>

#include "models/ma_sue/network.hpp"
#include "models/ma_sue/readings.hpp"
#include "models/ma_sue/time_sensitivity.hpp"

namespace eqsweep::ma_sue {

inline constexpr int kMaxSlots = 24;  // lead-time decisions over all chains

template <typename T>
using OptionArray = std::array<T, kMaxOptions>;

// A lead-time decision: one operation link's lead time for one option, or for all options of
// the chain when the link is shared.
struct Slot {
  int chain = 0;
  int link = 0;
  bool retailer = false;       // owned by the chain's retailer (decentralized roles)
  std::uint32_t options = 0;   // bit mask of the options whose lead time includes it
  int copy = -1;               // option index within the chain; -1: shared by all its options
  TimeCost cost;
};

struct Instance {
  Readings readings;
  double Q = 1, alpha = 0.5, w = 1;
  TruncatedNormal beta;
  int n_options = 0, n_chains = 0, n_slots = 0;
  OptionArray<int> chain{};
  OptionArray<double> beta_bar{}, mass{};
  OptionArray<double> fixed_time{};                    // interface lead times on the option's path
  OptionArray<double> iface_cost_m{}, iface_cost_n{};  // interface unit costs by payer
  std::array<Slot, kMaxSlots> slots{};
  std::array<int, kMaxChains> first_option{}, option_count{};
  std::array<double, kMaxChains> fixed_cost{};
  // The boundaries of the last set_boundaries() call: a chain that owns its boundaries
  // (segment_boundaries = "equilibrium") deviates in them, so the verification must know them.
  std::array<double, kMaxOptions> h{};
  // demand = "latent_class" (latent_class.hpp): the classes of customers, the chains' segments
  // refined; class q has mass class_mass[q] and is offered option class_option[q][c] of chain c.
  int n_classes = 0;
  OptionArray<double> class_mass{};
  std::array<std::array<int, kMaxChains>, kMaxOptions> class_option{};

  // Refreshes beta_bar and mass from the boundaries (h_1..h_{K-1} per chain, flattened).
  void set_boundaries(const double* h);
  // Offset of chain c's boundaries in the flattened h.
  int boundary_offset(int c) const {
    int pos = 0;
    for (int s = 0; s < c; ++s) pos += option_count[s] - 1;
    return pos;
  }
};

struct Strategy {
  OptionArray<double> p{};   // retail prices
  OptionArray<double> wh{};  // wholesale prices (decentralized)
  std::array<double, kMaxSlots> t{};
};

struct Outcome {
  OptionArray<double> lead_time{}, cost_m{}, cost_n{}, P{}, x{};
  double no_purchase = 0;
  std::array<double, kMaxChains> profit_chain{}, profit_m{}, profit_n{};
};

void evaluate(const Instance& in, const Strategy& s, Outcome& out);

// Choice probabilities from the options' utilities V_i = w - alpha p_i - beta_bar_i T_i: MNL over
// all options and not buying (eq. 4), or sealed segments (footnote 2). evaluate() uses it too.
void choice_probabilities(const Instance& in, const OptionArray<double>& V, OptionArray<double>& P);

// Lead time at which -c'(t) equals `marginal` (> 0), the first-order condition of every player
// that sets a lead time (docs/model-m.md derives it).
inline double lead_time_for_marginal(const TimeCost& c, double marginal);
double unit_cost(const TimeCost& c, double t);
double marginal_saving(const TimeCost& c, double t);  // -c'(t)

// c(t), -c'(t) and c''(t) from one power of t: the solver and the verification need all three
// at the same lead time, and the paper's forms k = 1 and k = 1/2 need no pow() at all.
struct CostAt {
  double cost = 0, saving = 0, curvature = 0;
};
inline CostAt cost_at(const TimeCost& c, double t);

}  // namespace eqsweep::ma_sue

#include <cmath>
inline double eqsweep::ma_sue::lead_time_for_marginal(const TimeCost& c, double marginal) {
  // t = (k a / marginal)^(1/(k+1)); the paper's forms k = 1 and k = 1/2 without pow().
  const double y = c.k * c.a / marginal;
  if (c.k == 1.0) return std::sqrt(y);
  if (c.k == 0.5) {
    const double r = std::cbrt(y);
    return r * r;
  }
  return std::pow(y, 1.0 / (c.k + 1.0));
}

// Inline: the solver and the certificate call it for every slot of every evaluation, and for the
// paper's forms the call cost as much as the arithmetic.
inline eqsweep::ma_sue::CostAt eqsweep::ma_sue::cost_at(const TimeCost& c, double t) {
  // a t^-k; k = 1 and k = 1/2 (the network file's inverse and inverse_sqrt forms) without pow().
  const double at = c.a * (c.k == 1.0 ? 1.0 / t : c.k == 0.5 ? 1.0 / std::sqrt(t) : std::pow(t, -c.k));
  const double saving = c.k * at / t;  // -c'(t) = k a t^-(k+1)
  return {at + c.b, saving, (c.k + 1.0) * saving / t};
}
