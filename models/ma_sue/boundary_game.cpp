#include "models/ma_sue/boundary_game.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/tools/minima.hpp>

#include "models/ma_sue/verification_audit.hpp"
#include "models/ma_sue/verification_checks.hpp"

namespace eqsweep::ma_sue {

namespace {

using namespace verification_detail;

bool stackelberg(const Instance& in) { return in.readings.equilibrium == Equilibrium::decentralized; }

// What the leader anticipates after its move (verification.hpp): its own retailer's response, or
// every retailer re-equilibrating.
void respond(const Instance& in, Strategy& s, int c) {
  if (in.readings.anticipation == Anticipation::retail_equilibrium && in.readings.choice == ChoiceReading::mnl)
    retail_equilibrium(in, s);
  else
    retailer_best_response(in, s, c);
}

// The owner's best profit found at these boundaries: its profit after the anticipated response,
// raised by the gain its own check finds (exact where the structural certificate applies), the
// same check verify() applies to that player.
double owner_best_value(const Instance& in, const Strategy& s, int c, const VerifyOptions& opt) {
  Strategy r = s;
  if (stackelberg(in)) respond(in, r, c);
  Outcome o;
  evaluate(in, r, o);
  const double base = stackelberg(in) ? o.profit_m[c] : o.profit_chain[c];
  if (in.readings.demand == DemandReading::latent_class) {
    // verify()'s check for latent classes: the audit's deviations of that player.
    double kkt = 0, gain = 0;
    audit_player(in, r, make_player(in, c, stackelberg(in) ? PlayerKind::manufacturer : PlayerKind::chain_owner), kkt,
                 gain);
    return std::isfinite(base) ? base + std::max(gain, 0.0) * std::max(std::abs(base), 1.0) : -INFINITY;
  }
  const ChainView v = view_of(in, r, c);
  PlayerCheck chk;
  if (!stackelberg(in)) {
    if (!(opt.structural && structural_own(v, r, PlayerKind::chain_owner, chk)))
      chk = check_own(in, r, c, PlayerKind::chain_owner, opt);
  } else if (in.readings.anticipation == Anticipation::retail_equilibrium && in.readings.choice == ChoiceReading::mnl) {
    chk = check_leader_equilibrium(in, r, c, opt);
  } else {
    PlayerCheck follower;
    Strategy response = r;
    const bool exact = opt.structural && structural_own(v, r, PlayerKind::retailer, follower, &response) &&
                       structural_leader(v, r, response, chk);
    if (!exact) chk = check_leader(in, r, c, opt);
  }
  if (!std::isfinite(base)) return -INFINITY;
  return base + std::max(chk.gain, 0.0) * std::max(std::abs(base), 1.0);
}

// Mass fraction below h of the time-sensitivity law, and back.
double fraction(const Instance& in, double h) { return in.beta.mass(in.beta.lower, h); }

}  // namespace

Instance with_chain_boundaries(const Instance& in, int c, const double* hc) {
  Instance out = in;
  double h[kMaxOptions];
  std::copy(in.h.begin(), in.h.end(), h);
  const int pos = in.boundary_offset(c);
  for (int k = 0; k < in.option_count[c] - 1; ++k) h[pos + k] = hc[k];
  out.set_boundaries(h);
  return out;
}

double owner_profit(const Instance& in, const Strategy& s, int c) {
  Strategy r = s;
  if (stackelberg(in)) respond(in, r, c);
  Outcome o;
  evaluate(in, r, o);
  return stackelberg(in) ? o.profit_m[c] : o.profit_chain[c];
}

double boundary_marginal(const Instance& in, const Strategy& s, int c, int k) {
  const int n = in.option_count[c] - 1, pos = in.boundary_offset(c);
  double hc[kMaxOptions];
  for (int j = 0; j < n; ++j) hc[j] = in.h[pos + j];
  const double lo = k == 0 ? 0.0 : fraction(in, hc[k - 1]), hi = k == n - 1 ? 1.0 : fraction(in, hc[k + 1]);
  const double u = fraction(in, hc[k]);
  const double d = std::min({1e-5, 0.5 * (u - lo), 0.5 * (hi - u)});
  auto at = [&](double uu) {
    hc[k] = in.beta.quantile(uu);
    return owner_profit(with_chain_boundaries(in, c, hc), s, c);
  };
  return (at(u + d) - at(u - d)) / (2 * d);
}

double boundary_deviation_gain(const Instance& in, const Strategy& s, int c, const VerifyOptions& o) {
  const int n = in.option_count[c] - 1, pos = in.boundary_offset(c);
  if (n <= 0) return 0.0;
  const double base = owner_profit(in, s, c);
  double u[kMaxOptions], hc[kMaxOptions];
  for (int j = 0; j < n; ++j) u[j] = fraction(in, in.h[pos + j]);
  auto value = [&](const double* uu) {
    for (int j = 0; j < n; ++j) hc[j] = in.beta.quantile(uu[j]);
    return owner_best_value(with_chain_boundaries(in, c, hc), s, c, o);
  };
  double best = value(u);
  // Cyclic over the boundaries: a scan (the value need not be unimodal in u), then Brent.
  for (int cycle = 0; cycle < (n == 1 ? 1 : 3); ++cycle)
    for (int k = 0; k < n; ++k) {
      const double lo = k == 0 ? 0.0 : u[k - 1], hi = k == n - 1 ? 1.0 : u[k + 1];
      double trial[kMaxOptions];
      std::copy(u, u + n, trial);
      auto negative = [&](double x) {
        trial[k] = x;
        const double v = value(trial);
        return std::isfinite(v) ? -v : 1e300;
      };
      constexpr int kScan = 32;
      double x_best = u[k], f_best = -best;
      for (int j = 1; j < kScan; ++j) {
        const double x = lo + (hi - lo) * j / kScan;
        const double f = negative(x);
        if (f < f_best) f_best = f, x_best = x;
      }
      const double w = (hi - lo) / kScan;
      std::uintmax_t iters = 40;
      const auto m = boost::math::tools::brent_find_minima(negative, std::max(lo, x_best - w) + 1e-12,
                                                           std::min(hi, x_best + w) - 1e-12, 40, iters);
      if (m.second < f_best) f_best = m.second, x_best = m.first;
      u[k] = x_best;
      best = -f_best;
    }
  return std::max(0.0, (best - base) / std::max(std::abs(base), 1.0));
}

}  // namespace eqsweep::ma_sue
