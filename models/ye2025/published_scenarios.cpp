// Appendix A of Ye, Wang & Zhao (2025) transcribed as printed, scenario by scenario. Where the
// print omits an output the value is NaN; where it prints π_SC as "π_R expression + π_M
// expression", π_SC is that sum. Nothing here is corrected: docs/model-y-comparison.md says which
// printed forms disagree with the model and why.

#include "models/ye2025/published_scenarios.hpp"

#include <array>
#include <cmath>
#include <utility>

#include "models/ye2025/published_basic.hpp"
#include "models/ye2025/tile_evaluation.hpp"

namespace eqsweep::ye2025 {

namespace {

struct Common {
  double th, k, t, s2, s4, G, D, E;  // D = 1 + tσ², E = tΓσ²/D (Γ - Γ/D in some printed forms)
};

Common common(const Point& p) {
  const double s2 = p.sigma * p.sigma, D = 1 + p.t * s2;
  return {p.theta, p.k, p.t, s2, s2 * s2, p.Gamma, D, p.t * p.Gamma * s2 / D};
}

double sq(double x) { return x * x; }

ScenarioOutputs same_decisions(const ScenarioOutputs& o) { return o; }

// A.3: decisions as printed for Y (reprinted unchanged); profits with the cost share m.
ScenarioOutputs yc(const Point& p) {
  const Common c = common(p);
  ScenarioOutputs o = same_decisions(published_Y(p.basic()));
  const double tt = c.t * c.t, var_th = c.t * c.th * c.s4 / c.D;
  o.pi_R = (1 - 16 * p.m * tt - sq(-1 + c.k) * tt / ((-1 + c.th) * c.th) + var_th) / 16;
  o.pi_M = (1 + tt * (1 - (2 - c.k) * c.k - 8 * c.th * (1 - p.m) * (1 - c.th)) / ((1 - c.th) * c.th) + var_th) / 8;
  o.pi_SC = (3 + tt * (3 * sq(1 - c.k) - 16 * (1 - c.th) * c.th) / ((1 - c.th) * c.th) + 3 * var_th) / 16;
  return o;
}

}  // namespace

double published_ys_pi_R(const Point& p, Print print) {
  const Common c = common(p);
  const double s = p.s, th = c.th, k = c.k, t = c.t, tt = t * t;
  const double coupon = s * s - 2 * s * ((1 - k) * t + th);
  const double typo = print == Print::fixed ? 1 + th : 1 - th;
  return (1 - 16 * tt * c.D) / (16 * c.D) + sq(1 - k) * tt / (16 * (1 - th) * th) + coupon / (16 * th) +
         t * c.s2 * typo * (1 + c.s2 * th) / (16 * (1 + th) * c.D);
}

namespace {

// A.4 (also the published evaluation of Y-S-A: the same print, read with the coupon in U_A).
ScenarioOutputs ys(const Point& p) {
  const Common c = common(p);
  const double s = p.s, th = c.th, k = c.k, t = c.t, tt = t * t;
  ScenarioOutputs o;
  o.p_A = 0.75 * (1 - s + th * c.E);
  o.p_B = (3 * th + s + t * (3 + k + 3 * c.G * th * c.s2 / c.D)) / 4;
  o.q_A = (1 - th - (1 - k) * t) / (4 * (1 - th));
  o.q_B = ((1 - k) * t - (1 - th) * s) / (4 * (1 - th) * th) + t * c.G * c.s2 / (4 * c.D);
  o.w_A = (1 - s + th * c.E) / 2;
  o.w_B = ((1 - k) * t + 3 * s + th + th * c.E) / 2;
  const double coupon = s * s - 2 * s * ((1 - k) * t + th);
  o.pi_R = published_ys_pi_R(p, Print::as_printed);
  o.pi_M = (1 + t * c.s2 * (1 + th * c.s2)) / (8 * c.D) + sq(1 - k) * tt / (8 * (1 - th) * th) + coupon / (8 * th);
  o.pi_SC = 3 * (1 + t * c.s2 * (1 + th * c.s2)) / (16 * c.D) + 3 * sq(1 - k) * tt / (16 * (1 - th) * th) +
            (3 * s * s - 6 * s * ((1 - k) * t + th)) / (16 * th) - tt;
  o.c_B = tt / o.q_B;
  return o;
}

// A.5. The printed π_SC is a fraction whose denominator was lost; it visibly repeats the printed
// π_R numerator and adds the printed π_M, so π_SC is taken as that sum.
ScenarioOutputs yd(const Point& p) {
  const Common c = common(p);
  const double f = p.phi, th = c.th, k = c.k, t = c.t, s2 = c.s2, s4 = c.s4, G = c.G, D = c.D;
  const double Dd = 4 * f - th * sq(1 + f);
  ScenarioOutputs o;
  o.p_A = (1 + t * G * th * s2 / D + t * (1 - k) * (1 - f) / Dd +
           (1 - th) / Dd * (2 * f + t * G * th * s2 * (1 + f) / D)) / 2;
  o.p_B = ((1 + k) * t + th + t * G * th * s2 / D + (1 - k) * (2 - (1 + f) * th) * t * f / Dd +
           f * (1 - th) * th / Dd * (1 + 2 * t * G * s2 / D + f)) / 2;
  o.q_A = (2 * f - (1 - k) * (1 + f) * t) / (2 * Dd) -
          th * (1 + f + t * s2 * (1 + G + (1 - G) * f)) / (2 * D * Dd);
  o.q_B = (1 - k) * t * f / (th * Dd) + f * (1 - f) / (2 * Dd) + f * (t * G * s2 * (2 - th * (1 + f))) / (2 * D * Dd);
  o.w_A = (t * (1 - k) * (1 - f) + 2 * f * (1 - th)) / Dd + t * G * th * s2 * (1 + f) * (1 - th) / (D * Dd);
  o.w_B = ((1 - k) * t * (2 - (1 + f) * th) + (1 - th) * th * (1 + f)) / Dd + 2 * t * G * s2 * (1 - th) * th / (D * Dd);
  const double t2 = t * t, t3 = t2 * t, k1 = 1 - k;
  const double n1 = th * (th * th - f * ((4 * th - (4 + th + th * th) * f) + th * f * f * (2 * (3 - th) + f))) +
                    t3 * s2 * (4 * k1 * k1 * f * f +
                               th * (4 * sq(1 + f) * th * (8 * f - th * sq(1 + f)) +
                                     (k1 * k1 * (1 - 2 * f) - (67 - 3 * (2 - k) * k) * f * f))) +
                    t2 * (4 * k1 * k1 * f * f -
                          2 * th * th * (1 + f) * (2 * th * sq(1 + f) * (1 + f) + (k1 * sq(1 - f) * s2 - 16 * f * (1 + f))) +
                          th * (1 + k * k * (1 + f) * (1 - 3 * f) - f * (2 + 4 * s2 * sq(1 - f) + 67 * f) -
                                k * (2 - 2 * f * (2 + 2 * s2 * sq(1 - f) + 3 * f))));
  const double n2 = t * th * (4 * f * (k * sq(1 - f) - 1 + (2 + s2 - f) * f) + th * th * th * s4 * f * (2 + f * (1 + f * f)) +
                              th * th * s2 * (1 + (1 + 2 * f) * f * f + s2 * (1 - f * (6 - f * (1 - 4 * f))))) +
                    th * (2 - 2 * k * sq(1 - f) * (1 + f) - 2 * f * (1 - f * (2 * s4 - (1 - f))) +
                          s2 * (4 - f + (6 - f) * f * f));
  o.pi_R = (n1 + n2) / (4 * (th + t * th * s2) * Dd * Dd);
  o.pi_M = (k1 * k1 * t2 + k1 * t * th - k1 * t * th * f + (1 - th) * th * f) / (2 * th * Dd) +
           t * (1 - th) * th * th * s4 / (2 * th * D * Dd);
  o.pi_SC = o.pi_R + o.pi_M;
  o.c_B = t2 / o.q_B;
  return o;
}

}  // namespace

// A.6. The printed π_R is typeset as one fraction (-4t² + X1/Dr²) / ((2(1-k)t(1+y) + yθ) X2/(θ Dr²))
// followed by a dangling '+'; transcribed so, and the other readings are the sum the fraction bar
// most likely replaced and that sum with the fixes (published_scenarios.hpp).
double published_yr_pi_R_terms(const Point& p, YrPiR reading) {
  const double y = p.y, th = p.theta, k = p.k, t = p.t, k1 = 1 - k;
  const double Dr = 4 * (1 + y) - sq(2 + y) * th;
  const double X1 = (1 + y) * (2 - k1 * t * (2 + y) - (2 + y) * th) * ((1 + y) * (2 - k1 * t * y) - (2 + y * (2 + y)) * th);
  const double sign = reading == YrPiR::fixed ? 1 : -1;
  const double X2 = k1 * t * (1 + y) * (2 - (2 + y) * th) + sign * th * (2 + 3 * y - (1 + y) * (2 + y) * th);
  const double head = -4 * t * t + X1 / (Dr * Dr);
  const double tail = (2 * k1 * t * (1 + y) + y * th) * (X2 / (th * Dr * Dr));
  if (reading == YrPiR::as_typeset) return head / tail / 4;
  if (reading == YrPiR::bar_as_plus) return (head + tail) / 4;
  // The variance term the print lacks (the derived π_R's part in tσ⁴/(1+tσ²)); at y = 0 it is
  // π_R^Y's tθσ⁴/(16(1+tσ²)).
  const double s2 = p.sigma * p.sigma, D = 1 + t * s2;
  const double P = 4 * sq(1 + y) - th * (8 + y * (16 + y * (11 + y * (2 - y)))) + th * th * (4 + y * (8 + y * (7 + 2 * y)));
  return (head + tail) / 4 + t * th * s2 * s2 * P / (4 * D * Dr * Dr);
}

namespace {

ScenarioOutputs yr(const Point& p) {
  const Common c = common(p);
  const double y = p.y, th = c.th, k = c.k, t = c.t, k1 = 1 - k, s2 = c.s2, G = c.G, D = c.D;
  const double Dr = 4 * (1 + y) - sq(2 + y) * th;
  ScenarioOutputs o;
  o.p_A = (1 + t * G * th * s2 / D + (1 + y) / Dr * (k1 * t * y + (1 - th) * (2 + t * (2 + y) * G * th * s2 / D))) / 2;
  o.p_B = (t + k * t + th + t * G * th * s2 / D + (k1 * t * (2 * (1 + y) - (2 + y) * th)) / Dr -
           (1 - th) * th / Dr * (2 + y + 2 * t * (1 + y) * G * s2 / D)) / 2;
  const double D8 = 8 * (1 + y) - 2 * sq(2 + y) * th;
  o.q_A = (1 + y) * (2 - k1 * t * (2 + y)) / D8 - (1 + y) * th / D8 * (2 + y + t * G * s2 / D);
  o.q_B = 2 * k1 * t * (1 + y) / (2 * th * Dr) +
          (y * th + t * (y * (1 + G * (2 - th)) + 2 * G * (1 - th)) * th * s2) / (2 * th * Dr * D);
  o.w_A = (1 + y) * (k1 * t * y) / Dr + (1 + y) * (1 - th) / Dr * (2 + t * (2 + y) * G * th * s2 / D);
  o.w_B = k1 * t * (2 * (1 + y) - (2 + y) * th) / Dr + (1 - th) * th / Dr * (2 + y + 2 * t * (1 + y) * G * s2 / D);
  o.pi_R = published_yr_pi_R_terms(p, YrPiR::as_typeset);
  o.pi_M = (1 + y) * (k1 * k1 * t * t * (1 + y) + k1 * t * y * th + (1 - th) * th) / (2 * th * Dr);
  o.pi_SC = o.pi_R + o.pi_M;
  o.c_B = t * t / o.q_B;
  return o;
}

}  // namespace

double published_nprime_pi_R(const Point& p, Print print) {
  const Common c = common(p);
  const double th = c.th, k = c.k, t = c.t, s2 = c.s2, D = c.D, k1 = 1 - k;
  const double t2_bracket = print == Print::fixed ? 11 + (2 - k) * k - 4 * th * (2 + th) : 11 + 2 * k * (1 + 2 * (2 - th) * th * k);
  return (1 - th - t * t * t * (11 + (2 - k) * k - 4 * th * (2 + th)) * s2) / (4 * (1 - th) * (3 + th) * D) -
         t * t * (t2_bracket + k1 * (1 - th) * s2) / (4 * (1 - th) * (3 + th) * D) -
         t * (1 - k - s2 * (1 + 4 * s2)) / (4 * (3 + th) * D);
}

double published_yprime_pi_M(const Point& p, Print print) {
  const Common c = common(p);
  const double th = c.th, k = c.k, t = c.t, s2 = c.s2, D = c.D, k1 = 1 - k;
  const double sign = print == Print::fixed ? -1 : 1;
  return (1 - th + k1 * k1 * t * t * t * s2 + k1 * t * t * (1 - k - s2 * (1 - th)) -
          t * (1 - th) * (1 - k + sign * s2 * (1 + s2))) /
         (2 * (1 - th) * (3 + th) * D);
}

namespace {

// A.7 (the print labels this π_SC as π_SC^{Y'}).
ScenarioOutputs nprime(const Point& p) {
  const Common c = common(p);
  const double th = c.th, k = c.k, t = c.t, s2 = c.s2, G = c.G, D = c.D, k1 = 1 - k;
  ScenarioOutputs o;
  o.p_A = (5 - k1 * t + th) / (2 * (3 + th)) + 2 * t * G * (1 + th) * s2 / (2 * (3 + th) * D);
  o.p_B = (1 + th * (4 + th)) / (2 * (3 + th)) + t * (4 + th + k * (2 + th)) / (2 * (3 + th)) + 4 * G * s2 * t / (2 * (3 + th) * D);
  o.q_A = (2 + th + 2 * t * G * s2 / D) / (2 * (3 + th)) - k1 * (1 + th) * t / (2 * (1 - th) * (3 + th));
  o.q_B = k1 * t / ((1 - th) * (3 + th)) - (1 - 2 * t * G * s2 / D) / (2 * (3 + th));
  o.w_A = 0.5;
  o.w_B = (k1 * t + th) / 2;
  o.pi_R = published_nprime_pi_R(p, Print::as_printed);
  o.pi_M = (1 - k1 * (1 - k1 * t - th) * t - th) / (2 * (1 - th) * (3 + th));
  o.pi_SC = o.pi_R + o.pi_M;
  o.c_B = t * t / o.q_B;
  return o;
}

// A.8.
ScenarioOutputs yprime(const Point& p) {
  const Common c = common(p);
  const double th = c.th, k = c.k, t = c.t, s2 = c.s2, G = c.G, D = c.D, k1 = 1 - k;
  ScenarioOutputs o;
  o.p_A = (5 + th - k1 * t) / (2 * (3 + th)) + t * G * (2 + th) * s2 / ((3 + th) * D);
  o.p_B = (1 + th * (4 + th) + t * (4 + th + k * (2 + th))) / (2 * (3 + th)) + t * G * (5 + th) * s2 / (2 * (3 + th) * D);
  o.q_A = (2 + G + th - G / D) / (2 * (3 + th)) - k1 * t * (1 + th) / (2 * (1 - th) * (3 + th));
  o.q_B = 2 * k1 * t / (2 * (1 - th) * (3 + th)) - (1 - G + G / D) / (2 * (3 + th));
  o.w_A = (1 + G - G / D) / 2;
  o.w_B = (k1 * t + G + th - G / D) / 2;
  o.pi_R = (1 - th - t * t * t * (11 + (2 - k) * k - 4 * th * (2 + th)) * s2) / (4 * (1 - th) * (3 + th) * D) -
           t * t * (11 + k * (2 - k) - 4 * th * (2 + th) + k1 * (1 - th) * s2) / (4 * (1 - th) * (3 + th) * D) -
           t * (1 - k - s2 * (1 + s2)) / (4 * (3 + th) * D);
  o.pi_M = published_yprime_pi_M(p, Print::as_printed);
  o.pi_SC = o.pi_R + o.pi_M;
  o.c_B = t * t / o.q_B;
  return o;
}

// A.9; quantities are λ·M. A.10 prints only the profits (the decisions are Y-N's: F is a lump sum).
ScenarioOutputs yn(const Point& p, double F) {
  const Common c = common(p);
  const double th = c.th, k = c.k, t = c.t, s2 = c.s2, s4 = c.s4, G = c.G, D = c.D;
  const double V = p.V, rho = p.rho, M = p.M, l = p.l;
  ScenarioOutputs o;
  o.p_A = 3 * V / 4;
  o.p_B = (k * t + 3 * (l * t + V * th + G - G / D)) / 4;
  o.q_A = V / (2 * rho) * M;
  o.q_B = (V * th + G - G / D - (k - l) * t) / (2 * rho) * M;
  o.w_A = V / 2;
  o.w_B = (V * th + G - G / D - (k - l) * t) / 2;
  const double x = -k * t + l * t + V * th;
  o.pi_R = ((sq(k - l) * t * t + V * (V * (1 + th * th) - 2 * (k - l) * t * th)) * M +
            t * (M * (V * V + x * x) - 8 * t * t * rho) * s2 + M * t * s4 - 8 * t * t * rho) /
               (8 * (rho + t * rho * s2)) + F;
  o.pi_M = M * (V * V + x * x + t * (V * V + x * x) * s2 + t * s4) / (4 * (rho + t * rho * s2)) - F;
  o.pi_SC = o.pi_R + o.pi_M;
  o.c_B = t * t / o.q_B;
  (void)D;
  return o;
}

// A.11: the alliance; the print gives no π_R or π_M, and its w are transfer prices.
ScenarioOutputs ynco(const Point& p) {
  const Common c = common(p);
  const double th = c.th, k = c.k, t = c.t, s2 = c.s2, s4 = c.s4, G = c.G, D = c.D;
  const double V = p.V, rho = p.rho, M = p.M, l = p.l;
  ScenarioOutputs o;
  o.p_A = V / 2;
  o.p_B = ((k + l) * t + G + V * th - G / D) / 2;
  o.q_A = V / rho * M;
  o.q_B = ((V * th + G - (k - l) * t) / rho - G / (D * rho)) * M;
  o.w_A = V / 2;
  o.w_B = (V * th + G - (k - l) - G / D) / 2;
  o.pi_R = o.pi_M = std::nan("");
  const double x = V * th - k * t + l * t;
  o.pi_SC = (M * (V * V + x * x) - 2 * t * t * rho + t * (M * (V * V + x * x) - 2 * t * t * rho) * s2 + M * t * s4) /
            (2 * (rho + t * rho * s2));
  o.c_B = t * t / o.q_B;
  return o;
}

// A.12. Case 2 reprints case 1 except p_A. The printed p_B is two stacked fractions with no
// operator between them; read as a sum.
ScenarioOutputs yde(const Point& p, bool case2) {
  const Common c = common(p);
  const double d = p.delta, th = c.th, k = c.k, t = c.t, s2 = c.s2, s4 = c.s4, G = c.G, D = c.D, E = c.E;
  const double Dd = 4 * d - sq(1 + d) * th;
  ScenarioOutputs o;
  if (!case2) {
    o.p_A = (6 * d + t * (1 - d) * (1 - k * d) - th + t * G * th * s2 / D - t * G * (1 + d) * (2 + d) * th * th * s2 / D -
             d * th * (4 + d - 5 * G * (1 - 1 / D))) /
            (8 * d - 2 * sq(1 + d) * th);
  } else {
    o.p_A = (-d * d * (1 - k * t + t * (1 - k * t + G) * s2) + th * (t - th + t * (t + G - th - 2 * G * th) * s2) +
             d * (6 - t - 4 * th - k * t * th + t * (6 - t + 5 * G - (4 + k * t + 3 * G) * th) * s2)) /
            (2 * (2 * d * (2 - th) - d * d - th * th) * D);
  }
  o.p_B = (2 * t * d * (3 + k * d) - t * (1 + d) * (1 + (2 + k) * d) * th) / (2 * d * Dd) +
          1 / (2 * d * Dd) *
              ((th * (th - d * (5 - 3 * th + d * (1 - 2 * th))) +
                t * (th - d * (5 + 6 * G + d) + (G + G * d * (4 + d) + d * (3 + 2 * d)) * th) * s2) /
               D);
  o.q_A = (d * (2 - th + G * th) + G * (1 - d) * th / D - t * (1 + d) * (1 - k * d) - (1 + G) * th) / (8 * d - 2 * sq(1 + d) * th);
  o.q_B = d * (2 * t * (1 - k * d) + th * (1 - d + t * G * (2 - th - d * th) * s2 / D)) / (2 * th * Dd);
  o.w_A = (1 + th * E) / 2;
  o.w_B = (t - k * t * d + th + t * G * th * s2 / D) / (2 * d);
  const double info = (1 - th) * th * (d + t * d * s2 + t * th * s4) / D;
  o.pi_R = (t * (1 - d) * (1 - k * d) * th + t * t * (sq(1 - k * d) - 16 * d * th + 4 * sq(1 + d) * th * th) + info) / (4 * th * Dd);
  o.pi_M = (t * t * sq(1 - k * d) + t * (1 - d) * (1 - k * d) * th + info) / (2 * th * Dd);
  o.pi_SC = o.pi_R + o.pi_M;
  o.c_B = t * t / o.q_B;
  return o;
}

// A.13 (the printed π_SC omits the transfers ±F, which cancel).
ScenarioOutputs ynew(const Point& p) {
  const Common c = common(p);
  const double th = c.th, k = c.k, t = c.t, s2 = c.s2, s4 = c.s4, G = c.G, D = c.D, E = c.E;
  const double b = p.b, cc = p.c, F = p.F, x = b - cc + t - k * t;
  ScenarioOutputs o;
  o.p_A = 0.75 * (1 + th * E);
  o.p_B = (3 * b + cc + (3 + k) * t + 3 * th * (1 + G - G / D)) / 4;
  o.q_A = (1 - b + cc - t + k * t - th) / (4 * (1 - th));
  o.q_B = (b - cc + (1 - k) * t + t * G * (1 - th) * th * s2 / D) / (4 * (1 - th) * th);
  o.w_A = (1 + th * E) / 2;
  o.w_B = (b - cc + t - k * t + th + th * E) / 2;
  const double r = (1 - 16 * t * t + x * x / (1 - th) + x * x / th + t * th * s4 / D) / 16;
  const double m = (x * x + (1 - th) * th + t * (x * x + th - th * th) * s2 + t * (1 - th) * th * th * s4) / (8 * (1 - th) * th * D);
  o.pi_R = r + F;
  o.pi_M = m - F;
  o.pi_SC = r + m;
  o.c_B = t * t / o.q_B;
  return o;
}

static_assert(kScenarioYSA + 1 == kScenarioCount, "a new scenario needs its printed forms in printed_outputs");

// The printed forms of scenario S, with the retailer's unit information cost (printed nowhere)
// from the printed q_B and the scenario's cost split.
template <int S>
ScenarioOutputs printed_outputs(const Point& p) {
  if constexpr (S == kScenarioN) return published_N(p.basic());
  else if constexpr (S == kScenarioY) return published_Y(p.basic());
  else if constexpr (S == kScenarioYC) return yc(p);
  else if constexpr (S == kScenarioYS) return ys(p);
  else if constexpr (S == kScenarioYD) return yd(p);
  else if constexpr (S == kScenarioYR) return yr(p);
  else if constexpr (S == kScenarioNp) return nprime(p);
  else if constexpr (S == kScenarioYp) return yprime(p);
  else if constexpr (S == kScenarioYN) return yn(p, 0);
  else if constexpr (S == kScenarioYNC) return yn(p, p.F);
  else if constexpr (S == kScenarioYNCO) return ynco(p);
  else if constexpr (S == kScenarioYDE1) return yde(p, false);
  else if constexpr (S == kScenarioYDE2) return yde(p, true);
  else if constexpr (S == kScenarioYNEW) return ynew(p);
  else return ys(p);  // Y-S-A: A.4 read with the coupon in U_A
}

template <int S>
ScenarioOutputs published_outputs(const Point& p) {
  ScenarioOutputs o = printed_outputs<S>(p);
  o.c_B_R = retailer_unit_information_cost(S, p, o.q_B);
  return o;
}

// The printed forms describe an equilibrium where they pass the same test as the derived ones
// (in_region: positive quantities and prices, within the market).
template <int S>
int published_regime(const Point& p, const ScenarioOutputs& o) {
  if (!in_region(S, p, o)) return kOutsideRegion;
  return defined_finite(S, o) ? kEquilibrium : kDegenerate;
}

template <int S>
Evaluation published_at(const Point& p) {
  Evaluation ev;
  ev.o = published_outputs<S>(p);
  ev.regime = published_regime<S>(p, ev.o);
  return ev;
}

// published_regime<S> as a double, without branches, for the tile loop: x - x is 0 exactly when
// x is finite (NaN otherwise), so a sum of such differences is 0 exactly when all are finite.
template <int S>
double published_regime_code(double M, const ScenarioOutputs& o) {
  double z;
  if constexpr (S == kScenarioYNCO) {
    const double x = o.p_A + o.p_B + o.q_A + o.q_B + o.pi_SC + o.c_B;
    z = x - x;
  } else {
    z = (o.p_A - o.p_A) + (o.p_B - o.p_B) + (o.q_A - o.q_A) + (o.q_B - o.q_B) + (o.w_A - o.w_A) +
        (o.w_B - o.w_B) + (o.pi_R - o.pi_R) + (o.pi_M - o.pi_M) + (o.pi_SC - o.pi_SC) + (o.c_B - o.c_B) +
        (o.c_B_R - o.c_B_R);
  }
  const double finite_code = z == 0 ? double{kEquilibrium} : double{kDegenerate};
  return in_region(S, M, o) ? finite_code : double{kOutsideRegion};
}

// Flattened: the scenario's closed form is inlined into the loop, so nothing goes through memory.
// Compiled twice: for the x86-64 baseline (SSE2, two doubles per instruction) and for AVX2 (four);
// GCC's avx2 target enables no FMA, so both variants round every operation as the scalar code does.
template <int S>
[[gnu::flatten]] void tile_at(const TileRows& rows) {
  evaluate_tile_two_pass(rows, [](const Point& p) { return published_outputs<S>(p); },
                         [](double M, const ScenarioOutputs& o) { return published_regime_code<S>(M, o); });
}

#if defined(__x86_64__) && defined(__GNUC__)
#define EQSWEEP_YE2025_TILE_AVX2 1
template <int S>
[[gnu::flatten, gnu::target("avx2")]] void tile_at_avx2(const TileRows& rows) {
  evaluate_tile_two_pass(rows, [](const Point& p) { return published_outputs<S>(p); },
                         [](double M, const ScenarioOutputs& o) { return published_regime_code<S>(M, o); });
}
#endif

template <int S>
[[gnu::flatten]] void tile_at_aos(const TileRows& rows) {
  evaluate_tile_two_pass_aos(rows, [](const Point& p) { return published_outputs<S>(p); },
                             [](const Point& p, const ScenarioOutputs& o) { return published_regime<S>(p, o); });
}

constexpr auto kPointTable = scenario_table<kScenarioCount>([](auto s) { return &published_at<decltype(s)::value>; });
constexpr auto kTileTable = scenario_table<kScenarioCount>([](auto s) { return &tile_at<decltype(s)::value>; });
#ifdef EQSWEEP_YE2025_TILE_AVX2
constexpr auto kTileAvx2Table =
    scenario_table<kScenarioCount>([](auto s) { return &tile_at_avx2<decltype(s)::value>; });
#endif
constexpr auto kTileAosTable =
    scenario_table<kScenarioCount>([](auto s) { return &tile_at_aos<decltype(s)::value>; });

bool cpu_has_avx2() {
#ifdef EQSWEEP_YE2025_TILE_AVX2
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
#else
  return false;
#endif
}

}  // namespace

Evaluation published(int scenario, const Point& p) {
  if (scenario < 0 || scenario >= kScenarioCount) return {};
  return kPointTable[static_cast<std::size_t>(scenario)](p);
}

bool tile_isa_supported(TileIsa isa) { return isa == TileIsa::sse2 || cpu_has_avx2(); }

void published_tile(int scenario, const TileRows& rows, TileIsa isa) {
  const auto s = static_cast<std::size_t>(scenario);
#ifdef EQSWEEP_YE2025_TILE_AVX2
  if (isa == TileIsa::avx2) return kTileAvx2Table[s](rows);
#endif
  (void)isa;
  kTileTable[s](rows);
}

void published_tile(int scenario, const TileRows& rows) {
  published_tile(scenario, rows, cpu_has_avx2() ? TileIsa::avx2 : TileIsa::sse2);
}

void published_tile_aos(int scenario, const TileRows& rows) {
  kTileAosTable[static_cast<std::size_t>(scenario)](rows);
}

// Proposition 1 (1) as printed.
double printed_prop1_c_B_N(const Point& p) {
  const double th = p.theta, k = p.k, t = p.t, s2 = p.sigma * p.sigma;
  return 4 * t * (1 - th) * th * (1 + t * s2) / (1 - k + ((1 - k) * t + 2 * p.Gamma * (1 - th) * th) * s2);
}
double printed_prop1_c_B_Y(const Point& p) {
  const double th = p.theta, k = p.k, t = p.t, s2 = p.sigma * p.sigma;
  return 4 * t * (1 - th) * th * (1 + t * s2) / (1 - k - ((1 - k) * t + p.Gamma * (1 - th) * th) * s2);
}

}  // namespace eqsweep::ye2025
