#pragma once
// One manufacturer-leader Stackelberg game over two products with linear demand, solved by
// backward induction: both stages are linear-quadratic, so each is one fixed-size 2x2 linear solve
// (Eigen), and the demand shock e enters every decision linearly. Every scenario of model Y is
// an instance (models/ye2025/derived_scenarios.cpp builds the primitives).

#include <cmath>

#include <Eigen/Dense>

namespace eqsweep::ye2025 {

struct LqGame {
  // Demand q = q0 + Q p + g e, with e the retailer's forecast of the demand shock.
  Eigen::Vector2d q0, g;
  Eigen::Matrix2d Q;
  // The retailer pays ra_i w_i + r0_i per unit of product i and a fixed cost fixed_R.
  Eigen::Vector2d ra{1, 1}, r0{0, 0};
  double fixed_R = 0;
  // The manufacturer earns beta_i (w_i - mc_i) per unit sold of product i, less fixed_M.
  Eigen::Vector2d beta{1, 1}, mc{0, 0};
  double fixed_M = 0;
  // Alliance: one firm sets the prices for the whole chain (no wholesale stage).
  bool integrated = false;
  // Y-type scenarios: the manufacturer sees the signal before setting w; N-type: it sets w on the
  // prior, maximising the expectation over e (E[e] = 0).
  bool leader_sees_signal = true;
};

// The equilibrium path as affine functions of the forecast e: x(e) = x0 + xe e.
struct LqPath {
  Eigen::Vector2d p0, pe, w0, we, q0, qe;
  bool retailer_soc = false, leader_soc = false, regular = false;

  Eigen::Vector2d p(double e) const { return p0 + pe * e; }
  Eigen::Vector2d w(double e) const { return w0 + we * e; }
  Eigen::Vector2d q(double e) const { return q0 + qe * e; }
};

inline bool negative_definite(const Eigen::Matrix2d& H) {
  return H(0, 0) < 0 && H.determinant() > 0;
}

inline LqPath solve_lq(const LqGame& g) {
  LqPath s;
  // Retailer: max (p - r)'q  =>  (Q + Q') p = Q' r - q0 - g e, r = diag(ra) w + r0.
  const Eigen::Matrix2d HR = g.Q + g.Q.transpose();
  s.retailer_soc = negative_definite(HR);
  const double detR = HR.determinant();
  if (!(std::abs(detR) > 1e-300)) return s;
  const Eigen::Matrix2d HRinv = HR.inverse();
  const Eigen::Matrix2d QT = g.Q.transpose();
  if (g.integrated) {
    s.p0 = HRinv * (QT * g.r0 - g.q0);
    s.pe = -HRinv * g.g;
    s.w0.setConstant(std::nan(""));
    s.we.setConstant(std::nan(""));
    s.q0 = g.q0 + g.Q * s.p0;
    s.qe = g.g + g.Q * s.pe;
    s.leader_soc = true;
    s.regular = true;
    return s;
  }
  const Eigen::Matrix2d P = HRinv * QT * g.ra.asDiagonal();  // dp/dw
  const Eigen::Vector2d pw0 = HRinv * (QT * g.r0 - g.q0);      // p at w = 0, e = 0
  const Eigen::Vector2d pwe = -HRinv * g.g;                     // dp/de at fixed w
  const Eigen::Matrix2d A = g.Q * P;                            // dq/dw
  const Eigen::Vector2d a0 = g.q0 + g.Q * pw0, ae = g.g + g.Q * pwe;
  // Manufacturer: max (w - mc)' B q(w, e)  =>  (B A + A' B) w = A' B mc - B q(0, e).
  const Eigen::Matrix2d B = g.beta.asDiagonal();
  const Eigen::Matrix2d HM = B * A + A.transpose() * B;
  s.leader_soc = negative_definite(HM);
  if (!(std::abs(HM.determinant()) > 1e-300)) return s;
  const Eigen::Matrix2d HMinv = HM.inverse();
  s.w0 = HMinv * (A.transpose() * B * g.mc - B * a0);
  s.we = g.leader_sees_signal ? Eigen::Vector2d(-HMinv * B * ae) : Eigen::Vector2d::Zero();
  s.p0 = pw0 + P * s.w0;
  s.pe = pwe + P * s.we;
  s.q0 = a0 + A * s.w0;
  s.qe = ae + A * s.we;
  s.regular = true;
  return s;
}

// Realised profits of the game at forecast e along the path.
struct LqProfits {
  double R, M;
};

inline LqProfits lq_profits(const LqGame& g, const LqPath& s, double e) {
  const Eigen::Vector2d p = s.p(e), q = s.q(e);
  if (g.integrated) return {(p - g.r0).dot(q) - g.fixed_R - g.fixed_M, 0.0};
  const Eigen::Vector2d w = s.w(e);
  const Eigen::Vector2d r = g.ra.cwiseProduct(w) + g.r0;
  return {(p - r).dot(q) - g.fixed_R, g.beta.cwiseProduct(w - g.mc).dot(q) - g.fixed_M};
}

// Ex-ante expected profits: each is quadratic in e along the path, so the mean over any e with
// E[e] = 0 and Var(e) = var is the average of the two realisations at e = ±sqrt(var).
inline LqProfits lq_expected_profits(const LqGame& g, const LqPath& s, double var) {
  const double sd = std::sqrt(var);
  const LqProfits hi = lq_profits(g, s, sd), lo = lq_profits(g, s, -sd);
  return {(hi.R + lo.R) / 2, (hi.M + lo.M) / 2};
}

}  // namespace eqsweep::ye2025
