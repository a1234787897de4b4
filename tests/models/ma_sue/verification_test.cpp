// The verification's two levels (models/ma_sue/verification.hpp) checked against each other and
// against finite differences: the certificate's analytic gradients equal central differences of
// evaluate() at random strategies of several networks and readings; the certificate and the
// audit (the deviation ladder) agree on pass/fail for solved points and for known
// non-equilibria; and a solve plus its verification allocates nothing on the heap.

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <random>

#include <gtest/gtest.h>

#include "models/ma_sue/ma_sue_model.hpp"
#include "network_fixture.hpp"
#include "support/test_support.hpp"

// Counts heap allocations of this test binary (operator new is replaceable program-wide).
namespace {
std::atomic<long> g_allocations{0};
}
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
// The matching deletes: GCC cannot see that this operator new is malloc-based.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace eqsweep::ma_sue {
namespace {

using Case = testing::NetworkCase;
using testing::describe;

// Every network and reading the verification has to handle (the retail-equilibrium anticipation
// is covered by decentralized_test.cpp).
std::vector<Case> cases() {
  std::vector<Case> out;
  for (const char* file : {"example3_s1.toml", "example3_s2.toml", "example3_s3.toml", "example1.toml"}) {
    out.push_back({file, {}});
    out.push_back({file, {{"equilibrium", "decentralized"}}});
    out.push_back({file, {{"choice", "sealed"}}});
    out.push_back({file, {{"demand", "mass_weighted"}}});
    out.push_back({file, {{"equilibrium", "decentralized"}, {"choice", "sealed"}, {"demand", "mass_weighted"}}});
    out.push_back({file, {{"equilibrium", "decentralized"}, {"demand", "mass_weighted"}}});
  }
  return out;
}

struct Solved {
  Instance in;
  Strategy s;
  SolveSummary summary;
};

Solved solve(const Case& c) {
  const OptionValues o = testing::network_options(c.file, c.options);
  Solved r;
  r.in = testing::default_instance(*testing::configured_model(o));
  cold_start(r.in, r.s);
  r.summary = make_fast_solver(MaSueModel::solver_options(o))->solve(r.in, r.s);
  return r;
}

std::vector<PlayerKind> players(const Instance& in) {
  if (in.readings.equilibrium == Equilibrium::centralized) return {PlayerKind::chain_owner};
  return {PlayerKind::retailer, PlayerKind::manufacturer};
}

TEST(MaSueVerification, AnalyticGradientEqualsCentralDifferences) {
  std::mt19937 rng(20261122);
  std::uniform_real_distribution<double> scale(0.8, 1.25);
  int compared = 0;
  for (const Case& c : cases()) {
    const Solved r = solve(c);
    ASSERT_TRUE(r.summary.converged) << describe(c);
    for (int trial = 0; trial < 5; ++trial) {
      // A random strategy around the equilibrium: every price and lead time scaled by 0.8..1.25.
      Strategy s = r.s;
      for (int i = 0; i < r.in.n_options; ++i) s.p[i] *= scale(rng), s.wh[i] *= scale(rng);
      for (int k = 0; k < r.in.n_slots; ++k) s.t[k] *= scale(rng);
      for (int ch = 0; ch < r.in.n_chains; ++ch)
        for (PlayerKind kind : players(r.in)) {
          Strategy at = s;
          // The leader's analytic gradient holds with its retailer at its best response.
          if (kind == PlayerKind::manufacturer) retailer_best_response(r.in, at, ch);
          double ga[kMaxOptions + kMaxSlots], gn[kMaxOptions + kMaxSlots];
          const int n = payoff_gradient(r.in, at, ch, kind, true, ga);
          ASSERT_EQ(payoff_gradient(r.in, at, ch, kind, false, gn), n);
          for (int a = 0; a < n; ++a) {
            // Central differences with h = 1e-5 |v| are good to about 1e-7 of the gradient's scale.
            EXPECT_NEAR(ga[a], gn[a], 1e-6 * std::max(1.0, std::abs(gn[a])))
                << describe(c) << " chain " << ch << " player " << static_cast<int>(kind) << " decision " << a;
            ++compared;
          }
        }
    }
  }
  EXPECT_GT(compared, 300);
}

using testing::level;

TEST(MaSueVerification, CertificateAndAuditAgreeOnSolvedPoints) {
  for (const Case& c : cases()) {
    const Solved r = solve(c);
    ASSERT_TRUE(r.summary.converged) << describe(c);
    const Verification cert = verify(r.in, r.s, level(VerifyLevel::certificate));
    const Verification audit = verify(r.in, r.s, level(VerifyLevel::audit));
    EXPECT_TRUE(cert.passed) << describe(c) << " kkt " << cert.kkt_residual << " gain " << cert.deviation_gain
                             << " local max " << cert.local_maximum;
    EXPECT_EQ(cert.passed, audit.passed) << describe(c) << " audit kkt " << audit.kkt_residual << " gain "
                                         << audit.deviation_gain;
  }
}

TEST(MaSueVerification, CertificateAndAuditAgreeOnNonEquilibria) {
  // Table 6, Scenario 1, DS as printed (equilibrium_test.cpp: not an equilibrium).
  Solved r = solve({"example3_s1.toml", {{"equilibrium", "decentralized"}}});
  r.s.p = {10.81, 10.32};
  r.s.wh = {4.29, 4.56};
  r.s.t[0] = 2.00, r.s.t[1] = 2.45, r.s.t[2] = 2.24, r.s.t[3] = 2.65;
  for (VerifyLevel l : {VerifyLevel::certificate, VerifyLevel::audit}) {
    const Verification v = verify(r.in, r.s, level(l));
    EXPECT_FALSE(v.passed) << static_cast<int>(l);
    EXPECT_GT(v.deviation_gain, 1e-3) << static_cast<int>(l);  // a profitable deviation is found, not only a KKT miss
  }
  // Every single decision of every solved point moved by 1 %: both levels fail it.
  for (const Case& c : cases()) {
    const Solved e = solve(c);
    for (int i = 0; i < e.in.n_options + e.in.n_slots; ++i) {
      Strategy s = e.s;
      (i < e.in.n_options ? s.p[i] : s.t[i - e.in.n_options]) *= 1.01;
      const Verification cert = verify(e.in, s, level(VerifyLevel::certificate));
      const Verification audit = verify(e.in, s, level(VerifyLevel::audit));
      EXPECT_FALSE(cert.passed) << describe(c) << " decision " << i;
      EXPECT_EQ(cert.passed, audit.passed) << describe(c) << " decision " << i;
    }
  }
}

TEST(MaSueVerification, ProjectionStopAtPrintedToleranceFailsBothLevels) {
  Solved r = solve({"example3_s1.toml", {}});
  SolverOptions so;
  so.phi = 0.1, so.max_iterations = 2000000;
  cold_start(r.in, r.s);
  ASSERT_TRUE(make_projection_solver(so)->solve(r.in, r.s).converged);
  EXPECT_FALSE(verify(r.in, r.s, level(VerifyLevel::certificate)).passed);
  EXPECT_FALSE(verify(r.in, r.s, level(VerifyLevel::audit)).passed);
}

TEST(MaSueVerification, SolveAndCertificateAllocateNothing) {
  for (const Case& c : cases()) {
    Solved r = solve(c);
    auto solver = make_fast_solver({});
    Strategy s;
    cold_start(r.in, s);
    const long before = g_allocations.load();
    const SolveSummary sum = solver->solve(r.in, s);
    const Verification v = verify(r.in, s);
    const long after = g_allocations.load();
    ASSERT_TRUE(sum.converged && v.passed) << describe(c);
    EXPECT_EQ(after - before, 0) << describe(c);
  }
}

}  // namespace
}  // namespace eqsweep::ma_sue
