#pragma once
// The certificate level's analytic derivatives (verification.hpp): one chain seen by its
// players, the other chains held fixed, and the profit of each of its payees with its gradient
// and Hessian in a player's own decisions. The probes, the structural certificate and
// payoff_gradient build on it. Internal to the verification.

#include <array>

#include <Eigen/Dense>

#include "models/ma_sue/game.hpp"
#include "models/ma_sue/verification.hpp"

namespace eqsweep::ma_sue::verification_detail {

constexpr int kMaxDecisions = kMaxOptions + kMaxSlots;
using DVec = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxDecisions, 1>;
using DMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxDecisions, kMaxDecisions>;

enum class Payee { chain, manufacturer, retailer };

struct Decision {
  enum Kind : unsigned char { price, wholesale, slot } kind = price;
  int index = 0;  // option (price, wholesale) or slot
};

struct Decisions {
  int n = 0;
  std::array<Decision, kMaxDecisions> d{};
  void add(Decision::Kind k, int i) { d[n++] = {k, i}; }
};

inline double& ref(Strategy& s, const Decision& d) {
  return d.kind == Decision::slot ? s.t[d.index] : d.kind == Decision::wholesale ? s.wh[d.index] : s.p[d.index];
}

// Order as payoff_gradient documents: the chain's (retail or wholesale) prices, then its slots.
Decisions own_decisions(const Instance& in, int c, PlayerKind kind);

// One chain seen by its players: every other chain's options are held fixed, so their part of
// the MNL denominator (eq. 4, with not buying) is computed once, as outside * e^shift.
struct ChainView {
  const Instance* in = nullptr;
  int c = 0, i0 = 0, n = 0, ns = 0;
  double outside = 1, shift = 0;
  std::array<int, kMaxSlots> slots{};       // the chain's slots
  std::array<int, kMaxSlots> position{};    // slot -> index in slots
};

ChainView view_of(const Instance& in, const Strategy& s, int c);

inline bool pays(Payee who, const Slot& sl) {
  return who == Payee::chain || (who == Payee::retailer) == sl.retailer;
}

inline Payee payee_of(PlayerKind k) {
  return k == PlayerKind::chain_owner ? Payee::chain : k == PlayerKind::manufacturer ? Payee::manufacturer
                                                                                      : Payee::retailer;
}

// The chain's own options under s, the other chains held as in the view: lead times (eq. 1),
// unit costs by payer, utilities V and choice probabilities P (eq. 4, or sealed segments).
// `ca` receives the cost, saving -c'(t) and curvature of each of the chain's slots.
struct OwnOptions {
  OptionArray<double> T{}, cm{}, cn{}, V{}, P{};
};

OwnOptions own_options(const ChainView& v, const Strategy& s, std::array<CostAt, kMaxSlots>& ca);

// The profit of `who` in chain v.c (as evaluate() computes it, with the other chains fixed),
// and, when g (and H) are given, its gradient (and Hessian) in the decisions `dec`
// (formulas at the definition).
double chain_profit(const ChainView& v, const Strategy& s, Payee who, const Decisions* dec, DVec* g, DMat* H);

// max_a |g_a| max(|v_a|, 1) / max(|profit|, 1): the KKT residual's scaling.
double relative_gradient(const DVec& g, const Strategy& s, const Decisions& dec, double profit);

}  // namespace eqsweep::ma_sue::verification_detail
