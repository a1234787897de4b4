// Collusive leaders (leader_objective = "joint", issue 13 item 3; models/ma_sue/collusive_leaders.hpp):
// one joint leader sets every wholesale price and manufacturer lead time to maximise the sum of
// the manufacturers' profits, every retailer re-equilibrating. Equilibria are pinned by their own
// conditions: both verification levels, the joint leader's first-order conditions by central
// differences of its payoff computed here from evaluate() and retail_equilibrium(), the
// retailers' by central differences, and the verifier rejecting the own-chain point.

#include <cmath>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "models/ma_sue/collusive_leaders.hpp"
#include "models/ma_sue/verification_joint_leader.hpp"
#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

using testing::configured_model;
using testing::network_options;

const OptionValues kJoint = {{"equilibrium", "decentralized"}, {"leader_objective", "joint"}};
const OptionValues kOwn = {{"equilibrium", "decentralized"}};

using testing::level;
using testing::Solved;

// The network's default parameters, with `set` overriding some of them by name.
Solved solve(const std::string& file, const OptionValues& extra, const std::map<std::string, double>& set = {}) {
  return testing::solve_defaults(network_options(file, extra), set);
}

// The sum of the manufacturers' profits after every retailer re-equilibrates (the definition the
// verifier uses; the derivatives below are this test's own).
double joint_payoff(const Instance& in, const Strategy& s) { return verification_detail::joint_leader_payoff(in, s); }

// Largest relative central-difference derivative of the joint payoff in the joint leader's
// decisions (every wholesale price, every manufacturer slot) and of each retailer's profit in its own.
double numeric_kkt(const Instance& in, const Strategy& s) {
  const double base = joint_payoff(in, s), scale = std::max(std::abs(base), 1.0);
  double worst = 0;
  Strategy d = s;
  auto probe = [&](double& v) {
    const double x0 = v, h = 1e-5 * std::max(std::abs(x0), 1.0);
    v = x0 + h;
    const double fp = joint_payoff(in, d);
    v = x0 - h;
    const double fm = joint_payoff(in, d);
    v = x0;
    worst = std::max(worst, std::abs(fp - fm) / (2 * h) * std::max(std::abs(x0), 1.0) / scale);
  };
  for (int i = 0; i < in.n_options; ++i) probe(d.wh[i]);
  for (int k = 0; k < in.n_slots; ++k)
    if (!in.slots[k].retailer) probe(d.t[k]);
  Outcome o;
  evaluate(in, s, o);
  for (int c = 0; c < in.n_chains; ++c) {
    double g[kMaxOptions + kMaxSlots];
    const int n = payoff_gradient(in, s, c, PlayerKind::retailer, false, g);
    for (int a = 0; a < n; ++a) {
      const double v = a < in.option_count[c] ? s.p[in.first_option[c] + a] : 1.0;
      worst = std::max(worst, std::abs(g[a]) * std::max(std::abs(v), 1.0) / std::max(std::abs(o.profit_n[c]), 1.0));
    }
  }
  return worst;
}

TEST(MaSueCollusiveLeaders, SolvedPointsAreVerifiedEquilibriaOnExample3) {
  for (const char* file : {"example3_s1.toml", "example3_s2.toml", "example3_s3.toml", "example3_segments.toml"}) {
    const Solved r = solve(file, kJoint);
    ASSERT_TRUE(r.converged) << file;
    const Verification cert = verify(r.in, r.s, level(VerifyLevel::certificate));
    const Verification audit = verify(r.in, r.s, level(VerifyLevel::audit));
    EXPECT_TRUE(cert.passed) << file << " kkt " << cert.kkt_residual << " gain " << cert.deviation_gain;
    EXPECT_TRUE(audit.passed) << file << " kkt " << audit.kkt_residual << " gain " << audit.deviation_gain;
    EXPECT_LT(numeric_kkt(r.in, r.s), 1e-6) << file;
  }
}

// The reduced profit Phi of collusive_leaders.hpp is the real joint payoff at the solved point, and
// the solved shares are its maximiser at the solved lead times (Phi is strictly concave).
TEST(MaSueCollusiveLeaders, SolvedSharesMaximiseTheReducedJointProfit) {
  for (const char* file : {"example3_s1.toml", "example3_s2.toml"}) {
    const Solved r = solve(file, kJoint);
    ASSERT_TRUE(r.converged);
    Outcome o;
    evaluate(r.in, r.s, o);
    OptionArray<double> G{}, P = o.P;
    for (int i = 0; i < r.in.n_options; ++i)
      G[i] = r.in.w - r.in.beta_bar[i] * o.lead_time[i] - r.in.alpha * (o.cost_m[i] + o.cost_n[i]);
    double pm = 0;
    for (int c = 0; c < r.in.n_chains; ++c) pm += o.profit_m[c];
    EXPECT_NEAR(joint_leader_value(r.in, G, o.P), pm, 1e-9 * pm) << file;
    // From a far start the maximiser is found again.
    for (int i = 0; i < r.in.n_options; ++i) P[i] = 0.5 / r.in.n_options;
    joint_leader_optimum(r.in, G, P);
    for (int i = 0; i < r.in.n_options; ++i) EXPECT_NEAR(P[i], o.P[i], 1e-10) << file << " option " << i;
  }
}

// Two different equilibria: each fails the other objective's verification.
TEST(MaSueCollusiveLeaders, OwnChainAndJointPointsFailEachOthersVerification) {
  for (const char* file : {"example3_s1.toml", "example3_s2.toml"}) {
    const Solved joint = solve(file, kJoint), own = solve(file, kOwn);
    ASSERT_TRUE(joint.converged && own.converged);
    for (VerifyLevel l : {VerifyLevel::certificate, VerifyLevel::audit}) {
      EXPECT_TRUE(verify(own.in, own.s, level(l)).passed) << file;
      EXPECT_FALSE(verify(joint.in, own.s, level(l)).passed) << file;
      EXPECT_FALSE(verify(own.in, joint.s, level(l)).passed) << file;
    }
  }
}

// Colluding leaders raise wholesale prices: each chain's margin has the extra 1/P_0 - 1/(1 - S_u) > 0.
TEST(MaSueCollusiveLeaders, JointMarginsExceedOwnChainMarginsOnScenarioOne) {
  const Solved joint = solve("example3_s1.toml", kJoint), own = solve("example3_s1.toml", kOwn);
  Outcome oj, oo;
  evaluate(joint.in, joint.s, oj);
  evaluate(own.in, own.s, oo);
  for (int i = 0; i < 2; ++i) {
    EXPECT_GT(joint.s.wh[i] - oj.cost_m[i], own.s.wh[i] - oo.cost_m[i]);
    EXPECT_LT(oj.x[i], oo.x[i]);
  }
  EXPECT_GT(oj.profit_m[0] + oj.profit_m[1], oo.profit_m[0] + oo.profit_m[1]);
}

// Random draws of all parameters on three networks pass both levels; 1 % and 10 % perturbations of
// a wholesale price fail both.
TEST(MaSueCollusiveLeaders, RandomDrawsPassAndPerturbationsFail) {
  std::mt19937 rng(13);
  for (const char* file : {"example3_s1.toml", "example3_s2.toml", "example3_s3.toml"}) {
    const auto model = configured_model(network_options(file, kJoint));
    for (int draw = 0; draw < 4; ++draw) {
      std::vector<double> params;
      for (const auto& p : model->parameters()) {
        double v = p.default_value;
        if (p.name.find(".h") == std::string::npos && p.name != "w" && v > 0)
          v *= std::uniform_real_distribution<double>(0.8, 1.25)(rng);
        params.push_back(v);
      }
      Solved r;
      model->instance_at(params.data(), 1, r.in);
      cold_start(r.in, r.s);
      ASSERT_TRUE(make_fast_solver({})->solve(r.in, r.s).converged) << file << " draw " << draw;
      for (VerifyLevel l : {VerifyLevel::certificate, VerifyLevel::audit}) {
        const Verification v = verify(r.in, r.s, level(l));
        EXPECT_TRUE(v.passed) << file << " draw " << draw << " kkt " << v.kkt_residual << " gain "
                              << v.deviation_gain;
        for (double f : {1.01, 1.1}) {
          Strategy bad = r.s;
          bad.wh[0] *= f;
          retail_equilibrium(r.in, bad);  // the retailers respond: only the leader is off
          EXPECT_FALSE(verify(r.in, bad, level(l)).passed) << file << " draw " << draw << " x" << f;
        }
      }
    }
  }
}

// With one chain the joint leader is the chain's own leader: 1/P_0 = 1/(1 - S), so the margins and
// the equilibrium coincide with the own-chain game's (Example 3 S1 without chain 2).
TEST(MaSueCollusiveLeaders, OneChainCoincidesWithTheOwnChainLeader) {
  std::string text = eqsweep::testing::read_text(eqsweep::testing::source_dir() + "/sweeps/ma_sue/networks/example3_s1.toml");
  const auto cut = text.find("[[chain]]\nname = \"SC2\"");
  ASSERT_NE(cut, std::string::npos);
  text = text.substr(0, cut);
  const eqsweep::testing::ScratchDir dir("collusive_one_chain");
  eqsweep::testing::write_text(dir.file("one_chain.toml"), text);
  auto solve_at = [&](const OptionValues& extra) {
    OptionValues o = network_options("example3_s1.toml", extra);
    o["network"] = dir.file("one_chain.toml");
    Solved r;
    r.in = testing::default_instance(*configured_model(o));
    cold_start(r.in, r.s);
    r.converged = make_fast_solver({})->solve(r.in, r.s).converged;
    return r;
  };
  const Solved joint = solve_at(kJoint), own = solve_at(kOwn);
  ASSERT_TRUE(joint.converged && own.converged);
  ASSERT_EQ(joint.in.n_chains, 1);
  EXPECT_NEAR(joint.s.wh[0], own.s.wh[0], 1e-10);
  EXPECT_NEAR(joint.s.p[0], own.s.p[0], 1e-10);
  EXPECT_TRUE(verify(joint.in, joint.s).passed);
  EXPECT_TRUE(verify(own.in, joint.s).passed);
}

// Sealed segments: every option is its own market, so the joint objective separates and the
// equilibrium is the own-chain one.
TEST(MaSueCollusiveLeaders, SealedSegmentsCoincideWithOwnChainLeaders) {
  const OptionValues sealed_joint = {{"equilibrium", "decentralized"}, {"leader_objective", "joint"}, {"choice", "sealed"}};
  const OptionValues sealed_own = {{"equilibrium", "decentralized"}, {"choice", "sealed"}};
  const Solved a = solve("example3_s2.toml", sealed_joint), b = solve("example3_s2.toml", sealed_own);
  ASSERT_TRUE(a.converged && b.converged);
  for (int i = 0; i < a.in.n_options; ++i) EXPECT_EQ(a.s.wh[i], b.s.wh[i]);
  EXPECT_TRUE(verify(a.in, a.s).passed);
}

TEST(MaSueCollusiveLeaders, OptionsRefuseJointOutsideItsDerivation) {
  auto refused = [](const OptionValues& extra, const char* needle) {
    try {
      configured_model(network_options("example3_s1.toml", extra));
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused({{"leader_objective", "joint"}}, "options.leader_objective"));  // centralized
  EXPECT_TRUE(refused({{"leader_objective", "joint"}, {"equilibrium", "ue_decentralized"}}, "options.leader_objective"));
  EXPECT_TRUE(refused({{"leader_objective", "joint"}, {"equilibrium", "decentralized"}, {"demand", "mass_weighted"}},
                      "options.leader_objective"));
  EXPECT_FALSE(refused(kJoint, ""));
}

}  // namespace
}  // namespace eqsweep::ma_sue
