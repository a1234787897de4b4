// Latent-class demand (demand = "latent_class", latent_class.hpp): each class of customers chooses
// by MNL among the options offered to it. Pinned here: what distinguishes the reading (an option's
// demand moves only with the options its classes are offered, so a chain's options do not
// compete), its reductions to the known readings, and equilibria verified by their own conditions
// (central-difference KKT of every player, the deviation ladder, h included where the boundaries
// are equilibrium variables), with perturbed points rejected by the same check.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

#include <gtest/gtest.h>

#include "models/ma_sue/boundary_game.hpp"
#include "models/ma_sue/latent_class.hpp"
#include "models/ma_sue/segmentation.hpp"
#include "network_fixture.hpp"

namespace eqsweep::ma_sue {
namespace {

using testing::configured_model;
using testing::network_options;

const OptionValues kLatent = {{"demand", "latent_class"}};

using testing::Solved;

Solved solve(const OptionValues& options, const std::map<std::string, double>& set = {}) {
  return testing::solve_defaults(options, set);
}

// A file under sweeps/ma_sue/networks/, or an absolute path.
OptionValues with(const std::string& file, const char* equilibrium, const OptionValues& reading = kLatent) {
  OptionValues extra = reading;
  extra["equilibrium"] = equilibrium;
  OptionValues o = network_options(file, extra);
  if (file.front() == '/') o["network"] = file;
  return o;
}

// Example 3 with both chains offering two options at different boundaries: three classes.
// Written in a directory of this process: ctest runs each case in its own process, in parallel, and a
// shared name let one case read the file while another rewrote it.
std::string two_segmented_chains() {
  static const eqsweep::testing::ScratchDir dir("latent-class");
  const auto path = std::filesystem::path(dir.path()) / "latent_two_segmented_chains.toml";
  std::ifstream src(eqsweep::testing::source_dir() + "/sweeps/ma_sue/networks/example3_s2.toml");
  std::string text((std::istreambuf_iterator<char>(src)), std::istreambuf_iterator<char>());
  const auto sc2 = text.find("options = 1", text.find("name = \"SC2\""));
  const auto sc1 = text.find("options = 2", text.find("name = \"SC1\""));
  EXPECT_TRUE(sc1 != std::string::npos && sc2 != std::string::npos && sc1 < sc2);
  text.replace(sc2, 11, "options = 2\nboundaries = [0.55]");
  text.insert(sc1 + 11, "\nboundaries = [0.45]");
  std::ofstream(path) << text;
  return path.string();
}

TEST(MaSueLatentClass, ClassesRefineTheChainsSegments) {
  Solved r;
  r.in = testing::default_instance(*configured_model(with(two_segmented_chains(), "centralized")));
  ASSERT_EQ(r.in.n_classes, 3);
  double total = 0;
  for (int q = 0; q < 3; ++q) total += r.in.class_mass[q];
  EXPECT_NEAR(total, 1.0, 1e-14);
  EXPECT_NEAR(r.in.class_mass[0], r.in.beta.mass(r.in.beta.lower, 0.45), 1e-15);
  EXPECT_NEAR(r.in.class_mass[1], r.in.beta.mass(0.45, 0.55), 1e-15);
  // (0, 0.45): both first options; (0.45, 0.55): SC1's second, SC2's first; above: both second.
  const int want[3][2] = {{0, 2}, {1, 2}, {1, 3}};
  for (int q = 0; q < 3; ++q)
    for (int c = 0; c < 2; ++c) EXPECT_EQ(r.in.class_option[q][c], want[q][c]) << "class " << q << " chain " << c;
}

// The reading's defining property: raising the price of SC1's second option leaves the demand
// for SC1's first unchanged (no class sees both) and raises SC2's (its class sees both); under
// mass-weighted MNL over all options the first option gains customers too.
TEST(MaSueLatentClass, OptionDemandMovesOnlyWithTheOptionsItsClassesSee) {
  {
    const Solved r = solve(with("example3_s2.toml", "centralized"));
    ASSERT_TRUE(r.converged);
    Outcome before, after;
    evaluate(r.in, r.s, before);
    Strategy d = r.s;
    d.p[1] += 1.0;
    evaluate(r.in, d, after);
    EXPECT_EQ(after.x[0], before.x[0]);
    EXPECT_LT(after.x[1], before.x[1]);
    EXPECT_GT(after.x[2], before.x[2] * (1 + 1e-6));
    // The same move under mass-weighted MNL: SC1's first option gains.
    Instance mw = r.in;
    mw.readings.demand = DemandReading::mass_weighted;
    evaluate(mw, r.s, before);
    evaluate(mw, d, after);
    EXPECT_GT(after.x[0], before.x[0] * (1 + 1e-6));
  }
}

// With one option per chain there is one class holding everyone: printed MNL demand, and the
// same verified equilibrium in both paradigms.
TEST(MaSueLatentClass, OneOptionPerChainIsThePrintedEquilibrium) {
  for (const char* eq : {"centralized", "decentralized"}) {
    const Solved a = solve(with("example3_s1.toml", eq));
    const Solved b = solve(with("example3_s1.toml", eq, {{"demand", "printed"}}));
    ASSERT_TRUE(a.converged && b.converged) << eq;
    ASSERT_TRUE(verify(a.in, a.s).passed) << eq;
    for (int i = 0; i < a.in.n_options; ++i) {
      EXPECT_NEAR(a.s.p[i], b.s.p[i], 1e-8) << eq;
      EXPECT_NEAR(a.s.wh[i], b.s.wh[i], 1e-8) << eq;
    }
    for (int k = 0; k < a.in.n_slots; ++k) EXPECT_NEAR(a.s.t[k], b.s.t[k], 1e-8) << eq;
  }
}

// An option seen by one class has the sealed-segment rules 1/(alpha (1-P)), 1/(alpha (1-P)^2).
TEST(MaSueLatentClass, OwnDemandRulesReduceToTheSealedRulesForOneClass) {
  Instance in = testing::network_instance("example3_s1.toml", kLatent);
  OptionArray<double> V{};
  V[0] = 0.3, V[1] = -0.4;
  OwnDemand d;
  latent_class_demand(in, V, d);
  const double P = std::exp(V[0]) / (1 + std::exp(V[0]) + std::exp(V[1]));
  EXPECT_NEAR(d.share[0], P, 1e-15);
  EXPECT_NEAR(latent_markup(in, d, 0), 1 / (in.alpha * (1 - P)), 1e-12);
  EXPECT_NEAR(latent_leader_margin(in, d, 0), 1 / (in.alpha * (1 - P) * (1 - P)), 1e-12);
}

// Combinations the reading is not derived for are refused before any solve, naming the key.
TEST(MaSueLatentClass, UnderivedCombinationsAreRefusedNamingTheKey) {
  const std::map<std::string, std::string> refused = {{"choice", "sealed"},
                                                      {"anticipation", "retail_equilibrium"},
                                                      {"solver", "projection"},
                                                      {"equilibrium", "ue"}};
  for (const auto& [key, value] : refused) {
    OptionValues o = with("example3_s2.toml", "centralized");
    o[key] = value;
    try {
      configured_model(o);
      ADD_FAILURE() << key << " = " << value << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("options." + key), std::string::npos) << e.what();
    }
  }
}

struct Case {
  std::string file;  // empty: two_segmented_chains()
  const char* equilibrium;
};
void PrintTo(const Case& c, std::ostream* os) { *os << (c.file.empty() ? "two segmented chains" : c.file) << " " << c.equilibrium; }

class MaSueLatentClassEquilibrium : public ::testing::TestWithParam<Case> {
 protected:
  OptionValues options() const {
    const Case& c = GetParam();
    return with(c.file.empty() ? two_segmented_chains() : c.file, c.equilibrium);
  }
};

// Every player's central-difference KKT residual and deviation ladder (the manufacturer with its
// retailer re-optimising by the exact latent-class response), and a second check of the retailer
// against its own price rule by root finding, independent of the solver's fixed point.
TEST_P(MaSueLatentClassEquilibrium, SolvedPointIsAVerifiedEquilibrium) {
  const Solved r = solve(options());
  ASSERT_TRUE(r.converged);
  const Verification v = verify(r.in, r.s);
  EXPECT_TRUE(v.passed) << "kkt " << v.kkt_residual << " gain " << v.deviation_gain;
  EXPECT_LE(v.kkt_residual, 1e-6);
  EXPECT_LE(v.deviation_gain, 1e-9);
  for (int c = 0; c < r.in.n_chains; ++c) {
    Strategy b = r.s;
    retailer_best_response(r.in, b, c);
    for (int i = 0; i < r.in.n_options; ++i) EXPECT_NEAR(b.p[i], r.s.p[i], 1e-8);
  }
}

TEST_P(MaSueLatentClassEquilibrium, PerturbedPointFailsVerification) {
  const Solved r = solve(options());
  ASSERT_TRUE(r.converged);
  for (double f : {0.99, 1.01}) {
    Strategy d = r.s;
    d.p[0] *= f;
    EXPECT_FALSE(verify(r.in, d).passed) << "p scaled by " << f;
    if (r.in.readings.equilibrium == Equilibrium::decentralized) {
      d = r.s;
      d.wh[r.in.n_options - 1] *= f;
      retail_equilibrium(r.in, d);
      EXPECT_FALSE(verify(r.in, d).passed) << "wholesale scaled by " << f;
    }
  }
}

// The printed rules (one markup per chain, sealed or MNL) are not this game's equilibrium.
TEST_P(MaSueLatentClassEquilibrium, OtherReadingsEquilibriumFailsThisVerification) {
  const Solved latent = solve(options());
  OptionValues o = options();
  o["demand"] = "mass_weighted";
  const Solved other = solve(o);
  ASSERT_TRUE(latent.converged && other.converged);
  EXPECT_FALSE(verify(latent.in, other.s).passed);
}

INSTANTIATE_TEST_SUITE_P(Networks, MaSueLatentClassEquilibrium,
                         ::testing::Values(Case{"example3_s2.toml", "centralized"},
                                           Case{"example3_s2.toml", "decentralized"},
                                           Case{"example3_s3.toml", "centralized"},
                                           Case{"example3_s3.toml", "decentralized"},
                                           Case{"", "centralized"}, Case{"", "decentralized"}));

// Boundaries as equilibrium variables: the stored point passes verify, its owner's marginal in h
// vanishes, and moving h jointly with its own decisions does not pay.
TEST(MaSueLatentClass, EquilibriumBoundaryIsVerifiedWithTheBoundaryDeviation) {
  for (const char* eq : {"centralized", "decentralized"}) {
    Instance full = testing::network_instance("example3_segments.toml", {{"equilibrium", eq}, {"demand", "latent_class"}});
    full.beta.sigma = 0.25;
    full.fixed_cost[0] = 0.0;
    auto solver = make_fast_solver({});
    SegmentationOptions o;
    o.boundaries = BoundaryChoice::equilibrium;
    o.measure_boundary_gain = true;
    const Segmented r = solve_segmented(full, *solver, o);
    ASSERT_TRUE(r.ok) << eq;
    ASSERT_EQ(r.count[0], 2) << eq;
    EXPECT_TRUE(verify(r.in, r.s).passed) << eq;
    const double scale = std::max(std::abs(owner_profit(r.in, r.s, 0)), 1.0);
    EXPECT_LT(std::abs(boundary_marginal(r.in, r.s, 0, 0)) / scale, 1e-7) << eq;
    EXPECT_LE(boundary_deviation_gain(r.in, r.s, 0, {}), 1e-9) << eq;
    // A boundary moved by 0.02 in mass fraction, its price game re-solved, leaves a gain.
    double h = r.in.beta.quantile(r.in.beta.mass(r.in.beta.lower, r.in.h[0]) + 0.02);
    Instance moved = with_chain_boundaries(r.in, 0, &h);
    Strategy s = r.s;
    ASSERT_TRUE(solver->solve(moved, s).converged);
    EXPECT_GT(boundary_deviation_gain(moved, s, 0, {}), 1e-7) << eq;
  }
}

}  // namespace
}  // namespace eqsweep::ma_sue
