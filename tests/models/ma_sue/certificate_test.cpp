// The structural certificate (models/ma_sue/verification.hpp, docs/model-m.md "Speed", "The structural
// certificate"): where its hypotheses hold, the verification computes each player's exact global
// best response instead of probing. Checked here against the probes and the audit (the deviation
// ladder) on random parameter draws of several networks and readings:
//  - at solved points all three agree on pass/fail;
//  - at perturbed strategies (non-equilibria) all three fail them, and the structural gain is at
//    least every gain the probes or the ladder find (it is the global maximum), and equal to the
//    probes' where their Newton ascent from the candidate reaches the optimum;
//  - the structural path is taken exactly where the hypotheses hold (a slot shared by options of
//    different beta_bar sends that player to the probes).

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "network_fixture.hpp"
#include "support/test_support.hpp"

namespace eqsweep::ma_sue {
namespace {

using Case = testing::NetworkCase;
using testing::describe;

// Every reading of the own-retailer game (decentralized mass-weighted MNL leaders are probed) on
// networks with one-option chains (example3_s1, example1), a two-option chain with unshared slots (example3_s2) and one whose
// manufacturer link is shared by options of different beta_bar (example3_s3).
std::vector<Case> cases() {
  std::vector<Case> out;
  for (const char* file : {"example3_s1.toml", "example3_s2.toml", "example3_s3.toml", "example1.toml"}) {
    for (const char* eq : {"centralized", "decentralized"})
      for (const char* choice : {"mnl", "sealed"})
        for (const char* demand : {"printed", "mass_weighted"}) {
          out.push_back({file, {{"equilibrium", eq}, {"choice", choice}, {"demand", demand}}});
        }
  }
  return out;
}

std::shared_ptr<const MaSueModel> configure(const Case& c) { return testing::configured_model(c); }

// A random draw of the market and link parameters around the network's values.
std::vector<double> draw(const MaSueModel& m, std::mt19937& rng) {
  auto u = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  std::vector<double> p;
  for (const auto& info : m.parameters()) {
    const std::string& n = info.name;
    double v = info.default_value;
    if (n == "Q") v = u(200, 5000);
    else if (n == "alpha") v = u(0.3, 1.0);
    else if (n == "w") v = u(3.0, 8.0);
    else if (n == "beta_mean") v = u(0.3, 0.8);
    else if (n == "sigma") v = u(0.05, 0.2);
    else if (n.size() > 2 && n.ends_with(".a")) v *= u(0.5, 2.0);
    else if (n.ends_with(".b")) v = u(0.0, 1.0);
    else if (n.ends_with(".cost")) v = u(0.0, 3.0);
    p.push_back(v);
  }
  return p;
}

VerifyOptions with(VerifyLevel l, bool structural) {
  VerifyOptions o;
  o.level = l;
  o.structural = structural;
  return o;
}

Strategy perturb(const Instance& in, const Strategy& s, double delta, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Strategy d = s;
  for (int i = 0; i < in.n_options; ++i) d.p[i] *= 1 + delta * u(rng), d.wh[i] *= 1 + delta * u(rng);
  for (int k = 0; k < in.n_slots; ++k) d.t[k] *= 1 + delta * u(rng);
  return d;
}

TEST(MaSueCertificate, StructuralProbesAndAuditAgreeOnRandomDraws) {
  std::mt19937 rng(4242);
  int solved = 0, skipped = 0, structural = 0, perturbed = 0, compared_gains = 0;
  for (const Case& c : cases()) {
    const auto model = configure(c);
    auto solver = make_fast_solver({});
    for (int d = 0; d < 12; ++d) {
      const std::vector<double> params = draw(*model, rng);
      Instance in;
      model->instance_at(params.data(), 1, in);
      Strategy s;
      cold_start(in, s);
      if (!solver->solve(in, s).converged) continue;
      // A point where an option sells nothing (mass-weighted demand can price a segment out) is
      // rejected by the probes' Hessian test, whose curvature vanishes with the flow
      // (docs/model-m.md, "Well-posedness"); such draws are not compared.
      Outcome o;
      evaluate(in, s, o);
      bool empty_option = false;
      for (int i = 0; i < in.n_options; ++i) empty_option = empty_option || o.x[i] < 1e-6 * in.Q;
      if (empty_option) {
        ++skipped;
        continue;
      }
      ++solved;
      const Verification cert = verify(in, s, with(VerifyLevel::certificate, true));
      const Verification probes = verify(in, s, with(VerifyLevel::certificate, false));
      const Verification audit = verify(in, s, with(VerifyLevel::audit, true));
      structural += cert.structural_players;
      EXPECT_EQ(probes.structural_players, 0);
      EXPECT_TRUE(cert.passed) << describe(c) << " draw " << d << " kkt " << cert.kkt_residual << " gain "
                               << cert.deviation_gain << " local max " << cert.local_maximum;
      EXPECT_EQ(cert.passed, probes.passed) << describe(c) << " draw " << d;
      EXPECT_EQ(cert.passed, audit.passed) << describe(c) << " draw " << d << " audit kkt " << audit.kkt_residual
                                           << " gain " << audit.deviation_gain;
      for (double delta : {1e-3, 1e-2, 0.1, 0.3}) {
        const Strategy x = perturb(in, s, delta, rng);
        const Verification xc = verify(in, x, with(VerifyLevel::certificate, true));
        const Verification xp = verify(in, x, with(VerifyLevel::certificate, false));
        const Verification xa = verify(in, x, with(VerifyLevel::audit, true));
        ++perturbed;
        EXPECT_FALSE(xc.passed) << describe(c) << " draw " << d << " delta " << delta;
        EXPECT_EQ(xc.passed, xa.passed) << describe(c) << " draw " << d << " delta " << delta;
        EXPECT_EQ(xc.passed, xp.passed) << describe(c) << " draw " << d << " delta " << delta;
        // The exact best response dominates every deviation a search finds.
        EXPECT_GE(xc.deviation_gain, xp.deviation_gain - 1e-10) << describe(c) << " draw " << d << " delta " << delta;
        EXPECT_GE(xc.deviation_gain, xa.deviation_gain - 1e-10) << describe(c) << " draw " << d << " delta " << delta;
        // Close to the optimum the probes' Newton ascent reaches it: the same gain.
        if (delta <= 1e-2 && xc.probed_players == 0) {
          EXPECT_NEAR(xc.deviation_gain, xp.deviation_gain, 1e-4 * xc.deviation_gain + 1e-12)
              << describe(c) << " draw " << d << " delta " << delta;
          ++compared_gains;
        }
      }
    }
  }
  EXPECT_GT(solved, 200);
  EXPECT_LT(skipped, solved / 20);
  EXPECT_GT(structural, 500);
  EXPECT_GT(perturbed, 800);
  EXPECT_GT(compared_gains, 200);
}

// Every single decision of a solved point moved by 1 %: the structural gain is the probes' gain
// (a profitable deviation is found, not only a KKT miss).
TEST(MaSueCertificate, SingleDecisionMovesHaveTheProbesGain) {
  for (const Case& c : cases()) {
    Instance in = testing::default_instance(*configure(c));
    Strategy s;
    cold_start(in, s);
    ASSERT_TRUE(make_fast_solver({})->solve(in, s).converged) << describe(c);
    for (int i = 0; i < 2 * in.n_options + in.n_slots; ++i) {
      Strategy x = s;
      (i < in.n_options ? x.p[i] : i < 2 * in.n_options ? x.wh[i - in.n_options] : x.t[i - 2 * in.n_options]) *= 1.01;
      if (in.readings.equilibrium == Equilibrium::centralized && i >= in.n_options && i < 2 * in.n_options) continue;
      const Verification xc = verify(in, x, with(VerifyLevel::certificate, true));
      const Verification xp = verify(in, x, with(VerifyLevel::certificate, false));
      EXPECT_FALSE(xc.passed) << describe(c) << " decision " << i;
      EXPECT_GT(xc.deviation_gain, 1e-9) << describe(c) << " decision " << i;
      EXPECT_GE(xc.deviation_gain, xp.deviation_gain - 1e-10) << describe(c) << " decision " << i;
      if (xc.probed_players == 0) {
        EXPECT_NEAR(xc.deviation_gain, xp.deviation_gain, 1e-4 * xc.deviation_gain) << describe(c) << " decision " << i;
      }
    }
  }
}

// The structural leader gradient (closed-form response derivatives) equals central differences
// of the leader's profit with its retailer re-optimising (the audit's method), and the implicit
// function theorem's gradient, at random strategies around solved points.
TEST(MaSueCertificate, StructuralLeaderGradientEqualsCentralDifferences) {
  std::mt19937 rng(77);
  std::uniform_real_distribution<double> scale(0.8, 1.25);
  int compared = 0;
  for (const Case& c : cases()) {
    if (c.options.at("equilibrium") != "decentralized") continue;
    const auto model = configure(c);
    for (int d = 0; d < 4; ++d) {
      const std::vector<double> params = draw(*model, rng);
      Instance in;
      model->instance_at(params.data(), 1, in);
      Strategy s;
      cold_start(in, s);
      if (!make_fast_solver({})->solve(in, s).converged) continue;
      for (int trial = 0; trial < 3; ++trial) {
        Strategy x = s;
        for (int i = 0; i < in.n_options; ++i) x.wh[i] *= scale(rng);
        for (int k = 0; k < in.n_slots; ++k) x.t[k] *= scale(rng);
        for (int ch = 0; ch < in.n_chains; ++ch) {
          double gs[kMaxOptions + kMaxSlots], gn[kMaxOptions + kMaxSlots], gi[kMaxOptions + kMaxSlots];
          const int n = structural_leader_gradient(in, x, ch, gs);
          if (n < 0) continue;  // hypotheses fail (Scenario 3's SC1): probed, see below
          ASSERT_EQ(payoff_gradient(in, x, ch, PlayerKind::manufacturer, false, gn), n);
          Strategy at = x;
          retailer_best_response(in, at, ch);
          ASSERT_EQ(payoff_gradient(in, at, ch, PlayerKind::manufacturer, true, gi), n);
          for (int a = 0; a < n; ++a) {
            EXPECT_NEAR(gs[a], gn[a], 1e-6 * std::max(1.0, std::abs(gn[a]))) << describe(c) << " chain " << ch << " decision " << a;
            EXPECT_NEAR(gs[a], gi[a], 1e-7 * std::max(1.0, std::abs(gi[a]))) << describe(c) << " chain " << ch << " decision " << a;
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 150);
}

// The structural path is used exactly where its hypotheses hold.
TEST(MaSueCertificate, StructuralOnlyWhereItsHypothesesHold) {
  auto count = [](const Case& c, bool structural) {
    Instance in = testing::default_instance(*configure(c));
    Strategy s;
    cold_start(in, s);
    EXPECT_TRUE(make_fast_solver({})->solve(in, s).converged) << describe(c);
    const Verification v = verify(in, s, with(VerifyLevel::certificate, structural));
    EXPECT_TRUE(v.passed) << describe(c);
    return std::pair{v.structural_players, v.probed_players};
  };
  const OptionValues central = {{"equilibrium", "centralized"}}, dec = {{"equilibrium", "decentralized"}};
  // One-option chains and unshared slots: every player structural.
  EXPECT_EQ(count({"example3_s1.toml", central}, true), std::pair(2, 0));
  EXPECT_EQ(count({"example3_s1.toml", dec}, true), std::pair(4, 0));
  EXPECT_EQ(count({"example3_s2.toml", central}, true), std::pair(2, 0));
  EXPECT_EQ(count({"example3_s2.toml", dec}, true), std::pair(4, 0));
  // Scenario 3: manufacturer 1's link a1 is shared by SC1's two options, whose beta_bar differ,
  // so its lead time moves with the mix of the shares: SC1's owner (centralized) and SC1's
  // leader (decentralized) are probed; SC1's retailer (slots unshared) and SC2 are structural.
  EXPECT_EQ(count({"example3_s3.toml", central}, true), std::pair(1, 1));
  EXPECT_EQ(count({"example3_s3.toml", dec}, true), std::pair(3, 1));
  // Switched off: probes for everyone.
  EXPECT_EQ(count({"example3_s1.toml", dec}, false), std::pair(0, 4));
}

}  // namespace
}  // namespace eqsweep::ma_sue
