#pragma once
// Parameters of model Y (Ye, Wang & Zhao 2025), in the order the model declares them. The first
// five are those of the basic scenarios N and Y and have no default; the scenario parameters after
// them have defaults, so a spec that only gives the basic five still validates.

#include <array>

#include "engine/model.hpp"

namespace eqsweep::ye2025 {

enum Param : int {
  kTheta = 0, kK, kT, kSigma, kGamma,  // basic model
  kMShare, kS, kPhi, kY, kDelta,       // contracts: Y-C, Y-S, Y-D, Y-R, Y-DE
  kRho, kMarket, kL, kValue,           // uncovered market: Y-N, Y-N-C, Y-N-CO
  kF, kB, kC,                          // fixed transfer (Y-N-C, Y-NEW), big data (Y-NEW)
  kParamCount
};

// The basic five (scenarios N and Y).
struct Params {
  double theta, k, t, sigma, Gamma;
};

// Every parameter; the scenario parameters start at their declared defaults.
struct Point {
  double theta, k, t, sigma, Gamma;
  double m = 0.5, s = 0.05, phi = 0.9, y = 0.1, delta = 0.9;
  double rho = 1, M = 1, l = 1, V = 1;
  double F = 0.01, b = 0.1, c = 0.05;

  Params basic() const { return {theta, k, t, sigma, Gamma}; }
  double& operator[](int p);  // by Param index
  double operator[](int p) const { return const_cast<Point&>(*this)[p]; }
};

inline double& Point::operator[](int p) {
  double* fields[kParamCount] = {&theta, &k, &t, &sigma, &Gamma, &m, &s, &phi, &y, &delta,
                                 &rho,   &M, &l, &V,     &F,     &b, &c};
  return *fields[p];
}

inline Point point_from(const Params& p) { return Point{p.theta, p.k, p.t, p.sigma, p.Gamma}; }

inline const std::array<ParameterInfo, kParamCount>& parameter_table() {
  static const Point d{0, 0, 0, 0, 0};
  static const std::array<ParameterInfo, kParamCount> table = {{
      {"theta", "θ", "valuation ratio of the customised product B to the standard product A", "1", Domain::open(0, 1)},
      {"k", "k", "operational blockchain cost per unit of product B and unit of accuracy", "1", Domain::open(0, 1)},
      {"t", "t", "accuracy of the blockchain-shared demand signal (investment cost t^2)", "1", Domain::at_least(0)},
      {"sigma", "σ", "dispersion of the demand shock (σ^2 enters the forecast)", "1", Domain::at_least(0)},
      {"Gamma", "Γ", "realised demand signal observed by the retailer", "1", Domain::real()},
      {"m", "m_B^{Y-C}", "Y-C: retailer's share of the investment t^2 (the manufacturer pays 1 - m)", "1",
       Domain::closed(0, 1), d.m},
      {"s", "s", "Y-S: coupon paid by the manufacturer to the consumer and to the retailer per unit of B", "1",
       Domain::at_least(0), d.s},
      {"phi", "ϕ", "Y-D: the retailer pays ϕ w_B per unit of B (wholesale discount)", "1", {0, 1, true, false}, d.phi},
      {"y", "y^{Y-R}", "Y-R: proportion by which the quantity of B reported to the manufacturer is inflated", "1",
       Domain::at_least(0), d.y},
      {"delta", "δ", "Y-DE: delay factor on the price of B in the consumer's utility", "1", {0, 1, true, false},
       d.delta},
      {"rho", "ρ", "Y-N: consumers' distance cost per unit distance (uncovered market)", "1", Domain::above(0), d.rho},
      {"M", "M", "Y-N: market capacity of each product (uncovered market)", "1", Domain::above(0), d.M},
      {"l", "l", "Y-N: weight of the accuracy t in the utility of B (uncovered market)", "1", Domain::at_least(0),
       d.l},
      {"V", "V", "Y-N: consumers' valuation of A (uncovered market; V ~ U[0,1] elsewhere)", "1", Domain::above(0),
       d.V},
      {"F", "F", "Y-N-C, Y-NEW: fixed transfer from the manufacturer to the retailer", "1", Domain::at_least(0), d.F},
      {"b", "b", "Y-NEW: big-data benefit added to the utility of B", "1", Domain::at_least(0), d.b},
      {"c", "c", "Y-NEW: retailer's big-data cost per unit of B (BCB = b/c)", "1", Domain::above(0), d.c},
  }};
  return table;
}

}  // namespace eqsweep::ye2025
