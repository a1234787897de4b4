// Compares every printed closed form of Appendix A with the derived equilibrium and with the
// printed forms' own accounting, at random interior points, and prints the Markdown tables of
// docs/model-y-comparison.md.
//
//   build/models/ye2025_compare [points] [seed]

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "models/ye2025/sampling.hpp"
#include "models/ye2025/derived_scenarios.hpp"
#include "models/ye2025/published_scenarios.hpp"

using namespace eqsweep::ye2025;

namespace {

// The sampling box: interior values of every parameter (docs/model-y-comparison.md).
Point sample(std::mt19937_64& rng) { return random_interior_point(rng, 0.3); }

// Relative to the magnitude of the terms, and absolute below 1: printed profits that cancel
// terms of order 1 down to ~0.01 cannot be closer than that in double precision.
double rel(double a, double b) { return std::abs(a - b) / std::max(1.0, std::abs(a) + std::abs(b)); }

double get(const ScenarioOutputs& o, int q) { return o.*kQuantities[static_cast<std::size_t>(q)].value; }

constexpr int kCB = 9, kCBR = 10;  // the unit information costs in kQuantities
static_assert(kQuantities[kCB].name == "c_B" && kQuantities[kCBR].name == "c_B_R");

// The printed decisions plugged into the scenario's own demand system and profit functions.
struct OwnCheck {
  double demand = 0, retailer_foc = 0, pi_R = 0, pi_M = 0;
};

OwnCheck own_check(int s, const Point& p) {
  const LqGame g = scenario_game(s, p);
  const double e = forecast(p), sd = std::sqrt(forecast_variance(p));
  auto at = [&](double shock) {
    Point q = p;
    const double s2 = p.sigma * p.sigma;
    q.Gamma = shock * (1 + p.t * s2) / (p.t * s2);  // the Γ whose forecast is `shock`
    return published(s, q).o;
  };
  OwnCheck c;
  const ScenarioOutputs o = published(s, p).o;
  const Eigen::Vector2d price(o.p_A, o.p_B), qty(o.q_A, o.q_B), w(o.w_A, o.w_B);
  const Eigen::Vector2d demand = g.q0 + g.Q * price + g.g * e;
  c.demand = std::max(rel(demand[0], qty[0]), rel(demand[1], qty[1]));
  if (!g.integrated) {
    const Eigen::Vector2d r = g.ra.cwiseProduct(w) + g.r0;
    const Eigen::Vector2d foc = qty + g.Q.transpose() * (price - r);
    c.retailer_foc = foc.cwiseAbs().maxCoeff();
    double R = 0, M = 0;
    for (double shock : {sd, -sd}) {
      const ScenarioOutputs x = at(shock);
      const Eigen::Vector2d px(x.p_A, x.p_B), qx(x.q_A, x.q_B), wx(x.w_A, x.w_B);
      R += ((px - g.ra.cwiseProduct(wx) - g.r0).dot(qx) - g.fixed_R) / 2;
      M += (g.beta.cwiseProduct(wx - g.mc).dot(qx) - g.fixed_M) / 2;
    }
    c.pi_R = rel(R, o.pi_R);
    c.pi_M = rel(M, o.pi_M);
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const int points = argc > 1 ? std::atoi(argv[1]) : 20000;
  const unsigned long seed = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2025;
  std::mt19937_64 rng(seed);
  double worst[kScenarioCount][kScenarioOutputCount] = {};
  // Points at which a cell had a derived value to compare with (the alliance's w, π_R, π_M, c_B_R
  // are not part of its equilibrium: NaN, never compared).
  int cell_points[kScenarioCount][kScenarioOutputCount] = {};
  int compared[kScenarioCount] = {}, derived_eq[kScenarioCount] = {};
  OwnCheck own[kScenarioCount] = {};
  double yr_sum = 0;  // π_R^{Y-R} with the fraction bar read as '+'
  // The typo fixes of the verdicts (published_scenarios.hpp, Print::fixed) against the derived value.
  struct Fix {
    int scenario;
    const char* form;
    const char* change;
    double (*fixed)(const Point&);
    double ScenarioOutputs::*derived;
    double worst = 0;
  };
  Fix fixes[] = {
      {kScenarioYSA, "A.4 pi_R (Y-S-A)", "(1-theta) -> (1+theta) in the variance term",
       [](const Point& p) { return published_ys_pi_R(p, Print::fixed); }, &ScenarioOutputs::pi_R},
      {kScenarioYR, "A.6 pi_R", "fraction bar -> '+', -theta(2+3y-(1+y)(2+y)theta) -> +, variance term added",
       [](const Point& p) { return published_yr_pi_R_terms(p, YrPiR::fixed); }, &ScenarioOutputs::pi_R},
      {kScenarioNp, "A.7 pi_R", "t^2 bracket 11+2k(1+2(2-theta)theta k) -> 11+(2-k)k-4theta(2+theta)",
       [](const Point& p) { return published_nprime_pi_R(p, Print::fixed); }, &ScenarioOutputs::pi_R},
      {kScenarioYp, "A.8 pi_M", "1-k+sigma^2(1+sigma^2) -> 1-k-sigma^2(1+sigma^2)",
       [](const Point& p) { return published_yprime_pi_M(p, Print::fixed); }, &ScenarioOutputs::pi_M},
  };
  for (int n = 0; n < points; ++n) {
    const Point p = sample(rng);
    for (int s = 0; s < kScenarioCount; ++s) {
      const Evaluation d = derived(s, p), pub = published(s, p);
      if (d.regime != kEquilibrium) continue;
      ++derived_eq[s];
      ++compared[s];
      for (int q = 0; q < kScenarioOutputCount; ++q) {
        if (std::isnan(get(d.o, q))) continue;
        // c_B = t²/q_B and c_B_R = x/q_B magnify q_B's rounding by 1/q_B: compare the q_B they imply.
        const bool unit_cost = q == kCB || q == kCBR;
        const double x = q == kCB ? p.t * p.t : information_cost_split(s, p).retailer;
        const double a = unit_cost ? x / get(pub.o, q) : get(pub.o, q), b = unit_cost ? d.o.q_B : get(d.o, q);
        ++cell_points[s][q];
        worst[s][q] = std::max(worst[s][q], std::isnan(a) ? INFINITY : rel(a, b));
      }
      const OwnCheck c = own_check(s, p);
      own[s].demand = std::max(own[s].demand, c.demand);
      own[s].retailer_foc = std::max(own[s].retailer_foc, c.retailer_foc);
      own[s].pi_R = std::max(own[s].pi_R, c.pi_R);
      own[s].pi_M = std::max(own[s].pi_M, c.pi_M);
      if (s == kScenarioYR) yr_sum = std::max(yr_sum, rel(published_yr_pi_R_terms(p, YrPiR::bar_as_plus), d.o.pi_R));
      for (Fix& f : fixes)
        if (f.scenario == s) f.worst = std::max(f.worst, rel(f.fixed(p), d.o.*f.derived));
    }
  }
  std::printf("Sampled %d points (seed %lu). Entries: largest difference |a-b|/max(1, |a|+|b|) between the printed\n"
              "and the derived value over the points where the derived scenario is an equilibrium; '=' means below 1e-12;\n"
              "'n/c' not compared (no derived value: the alliance Y-N-CO has no wholesale stage and no retailer, so its\n"
              "w, pi_R, pi_M and c_B_R are not part of its equilibrium). c_B and c_B_R are compared through the q_B\n"
              "they imply (q_B = t^2/c_B = retailer's part of t^2 / c_B_R).\n\n",
              points, seed);
  std::printf("| scenario | points |");
  for (const auto& q : kQuantities) std::printf(" %s |", std::string(q.name).c_str());
  std::printf("\n|---|---|");
  for (int q = 0; q < kScenarioOutputCount; ++q) std::printf("---|");
  std::printf("\n");
  for (int s = 0; s < kScenarioCount; ++s) {
    std::printf("| %s | %d |", kScenarioNames[s], compared[s]);
    for (int q = 0; q < kScenarioOutputCount; ++q) {
      const double w = worst[s][q];
      if (compared[s] == 0) std::printf(" - |");
      else if (cell_points[s][q] == 0) std::printf(" n/c |");
      else if (std::isinf(w)) std::printf(" not printed |");
      else if (w < 1e-12) std::printf(" = |");
      else std::printf(" %.2g |", w);
    }
    std::printf("\n");
  }
  std::printf("\nPrinted forms against their own model: largest relative error of the printed q against the demand\n"
              "system at the printed p; largest absolute retailer first-order residual at the printed p and w; largest\n"
              "relative error of the printed pi_R, pi_M against the printed p, w, q plugged into the profit functions\n"
              "(expectation over the forecast).\n\n");
  std::printf("| scenario | demand at printed p | retailer FOC residual | own pi_R | own pi_M |\n|---|---|---|---|---|\n");
  for (int s = 0; s < kScenarioCount; ++s)
    std::printf("| %s | %.2g | %.2g | %.2g | %.2g |\n", kScenarioNames[s], own[s].demand, own[s].retailer_foc, own[s].pi_R,
                own[s].pi_M);
  std::printf("\nY-R: printed pi_R with its fraction bar read as '+': largest relative difference to derived %.2g\n", yr_sum);
  std::printf("\nTypo fixes: the printed form with the change, against the derived value (same points and measure;\n"
              "'=' below 1e-12).\n\n| printed form | change | largest difference to derived |\n|---|---|---|\n");
  for (const Fix& f : fixes) {
    if (f.worst < 1e-12) std::printf("| %s | %s | = (%.1g) |\n", f.form, f.change, f.worst);
    else std::printf("| %s | %s | %.2g |\n", f.form, f.change, f.worst);
  }
  return 0;
}
