#pragma once
// Lemma 1 and Propositions 1-10 as predicates (1 the claim holds at the point, 0 it does not, NaN
// outside the claim's feasible region), the "equilibrium E" indicators of Figs. 1-3, and the
// contract windows, all computed from one evaluation (published or derived) of the scenarios.

#include <array>
#include <string_view>

#include "models/ye2025/evaluation.hpp"

namespace eqsweep::ye2025 {

using Evaluator = Evaluation (*)(int scenario, const Point& p);

struct NamedOutput {
  std::string_view name, description;
};

// "prop.<id>": claims; "E.<scenario>": both firms at least as well off as under N (no sharing).
inline constexpr std::array<NamedOutput, 59> kClaims = {{
    {"prop.L1.dwBN_dt", "Lemma 1(1): dw_B^N/dt > 0"},
    {"prop.L1.dwBY_dt", "Lemma 1(1): dw_B^Y/dt > 0"},
    {"prop.L1.dwBN_dGamma", "Lemma 1(1): dw_B^N/dGamma = 0"},
    {"prop.L1.dwBY_dGamma", "Lemma 1(1): dw_B^Y/dGamma > 0"},
    {"prop.L1.dpBN_dt", "Lemma 1(2): dp_B^N/dt > 0"},
    {"prop.L1.dpBY_dt", "Lemma 1(2): dp_B^Y/dt > 0"},
    {"prop.L1.dpBN_dGamma", "Lemma 1(2): dp_B^N/dGamma > 0"},
    {"prop.L1.dpBY_dGamma", "Lemma 1(2): dp_B^Y/dGamma > 0"},
    {"prop.L1.dqBN_dt", "Lemma 1(3): dq_B^N/dt > 0"},
    {"prop.L1.dqBY_dt", "Lemma 1(3): dq_B^Y/dt > 0"},
    {"prop.L1.dqBN_dGamma", "Lemma 1(3): dq_B^N/dGamma = 0"},
    {"prop.L1.dqBY_dGamma", "Lemma 1(3): dq_B^Y/dGamma > 0"},
    {"prop.P1.cBN_formula", "Prop. 1(1): printed c_B^N equals t^2/q_B^N"},
    {"prop.P1.cBY_formula", "Prop. 1(1): printed c_B^Y equals t^2/q_B^Y"},
    {"prop.P1.cBN_lt_cBY", "Prop. 1(2): c_B^N < c_B^Y"},
    {"prop.P2.R", "Prop. 2: pi_R^N > pi_R^Y"},
    {"prop.P2.M", "Prop. 2: pi_M^N < pi_M^Y"},
    {"prop.P2.SC", "Prop. 2: pi_SC^N > pi_SC^Y"},
    {"prop.P3.R", "Prop. 3(1): pi_R^Y < pi_R^{Y-C}"},
    {"prop.P3.M", "Prop. 3(1): pi_M^Y > pi_M^{Y-C}"},
    {"prop.P3.SC", "Prop. 3(1): pi_SC^Y = pi_SC^{Y-C}"},
    {"prop.P3.cB", "Prop. 3(1): c_B^Y > c_B^{Y-C}"},
    {"prop.P3.window", "Prop. 3(2): Y-C is an equilibrium E exactly when m is inside the printed window"},
    {"prop.P4.R", "Prop. 4: pi_R^Y < pi_R^{Y-S}"},
    {"prop.P4.M", "Prop. 4: pi_M^Y < pi_M^{Y-S}"},
    {"prop.P4.SC", "Prop. 4: pi_SC^Y < pi_SC^{Y-S}"},
    {"prop.P4.cB", "Prop. 4: c_B^Y > c_B^{Y-S}"},
    {"prop.P5.R", "Prop. 5 '>(<)' direction: 1 where pi_R^{Y-D} > pi_R^Y"},
    {"prop.P5.M", "Prop. 5 direction: 1 where pi_M^{Y-D} > pi_M^Y"},
    {"prop.P5.SC", "Prop. 5 direction: 1 where pi_SC^{Y-D} > pi_SC^Y"},
    {"prop.P5.cB", "Prop. 5 direction: 1 where c_B^{Y-D} < c_B^Y"},
    {"prop.P6.R", "Prop. 6(1) direction: 1 where pi_R^{Y-R} > pi_R^Y"},
    {"prop.P6.M", "Prop. 6(1) direction: 1 where pi_M^{Y-R} > pi_M^Y"},
    {"prop.P6.SC", "Prop. 6(1) direction: 1 where pi_SC^{Y-R} > pi_SC^Y"},
    {"prop.P6.cB", "Prop. 6(1) direction: 1 where c_B^{Y-R} < c_B^Y"},
    {"prop.P6.ymax_dt", "Prop. 6(2): d y_MAX / dt < 0"},
    {"prop.P7.R", "Prop. 7: pi_R^{N'} > pi_R^{Y'}"},
    {"prop.P7.M", "Prop. 7: pi_M^{N'} < pi_M^{Y'}"},
    {"prop.P7.SC", "Prop. 7: pi_SC^{N'} > pi_SC^{Y'}"},
    {"prop.P8.R", "Prop. 8: pi_R^{Y-N} < pi_R^{Y-N-C}"},
    {"prop.P8.M", "Prop. 8: pi_M^{Y-N} > pi_M^{Y-N-C}"},
    {"prop.P8.SC", "Prop. 8: pi_SC^{Y-N} = pi_SC^{Y-N-C}"},
    {"prop.P8.CO", "Prop. 8: pi_R^{Y-N} < pi^{Y-N-CO} (the alliance's profit pi_SC^{Y-N-CO})"},
    {"prop.P9.1.R", "Prop. 9(1): in the printed delta window, pi_R^Y < pi_R^{Y-DE} (U_A > U_B)"},
    {"prop.P9.1.M", "Prop. 9(1): in the printed delta window, pi_M^Y < pi_M^{Y-DE} (U_A > U_B)"},
    {"prop.P9.1.SC", "Prop. 9(1): in the printed delta window, pi_SC^Y < pi_SC^{Y-DE} (U_A > U_B)"},
    {"prop.P9.2.R", "Prop. 9(2) direction: 1 where pi_R^{Y-DE} > pi_R^Y (U_B > U_A)"},
    {"prop.P9.2.M", "Prop. 9(2) direction: 1 where pi_M^{Y-DE} > pi_M^Y (U_B > U_A)"},
    {"prop.P9.2.SC", "Prop. 9(2) direction: 1 where pi_SC^{Y-DE} > pi_SC^Y (U_B > U_A)"},
    {"prop.P10.1.R", "Prop. 10(1): b > c, 0 < F < printed bound => pi_R^Y < pi_R^{Y-NEW}"},
    {"prop.P10.1.M", "Prop. 10(1): b > c, 0 < F < printed bound => pi_M^Y < pi_M^{Y-NEW}"},
    {"prop.P10.1.SC", "Prop. 10(1): b > c, 0 < F < printed bound => pi_SC^Y < pi_SC^{Y-NEW}"},
    {"prop.P10.2.R", "Prop. 10(2): b <= c, t, F inside printed bounds => pi_R^Y < pi_R^{Y-NEW}"},
    {"prop.P10.2.M", "Prop. 10(2): b <= c, t, F inside printed bounds => pi_M^Y < pi_M^{Y-NEW}"},
    {"prop.P10.2.SC", "Prop. 10(2): b <= c, t, F inside printed bounds => pi_SC^Y < pi_SC^{Y-NEW}"},
    {"E.Y-C", "equilibrium E of Y-C: pi_R and pi_M at least their values under N"},
    {"E.Y-D", "equilibrium E of Y-D (Fig. 1): pi_R and pi_M at least their values under N"},
    {"E.Y-R", "equilibrium E of Y-R (Fig. 2): pi_R and pi_M at least their values under N"},
    {"E.Y-DE1", "equilibrium E of Y-DE, U_A > U_B (Fig. 3): pi_R and pi_M at least their values under N"},
}};

// Windows implied by the evaluation's own profits (NaN where the window is empty).
inline constexpr std::array<NamedOutput, 10> kWindows = {{
    {"window.m_lo", "Prop. 3(2): least m in [0,1] with Y-C an equilibrium E"},
    {"window.m_hi", "Prop. 3(2): largest m in [0,1] with Y-C an equilibrium E"},
    {"window.phi_lo", "Fig. 1: least phi in (0,1] with Y-D an equilibrium E"},
    {"window.phi_hi", "Fig. 1: largest phi in (0,1] with Y-D an equilibrium E"},
    {"window.y_max", "Prop. 6(2): largest y in [0, 4] with Y-R an equilibrium E"},
    {"window.delta_lo", "Prop. 9(1): least delta in (0,1] with Y-DE (U_A > U_B) better than Y for R, M and SC"},
    {"window.delta_hi", "Prop. 9(1): largest delta in (0,1] with Y-DE (U_A > U_B) better than Y for R, M and SC"},
    {"window.F_lo", "Prop. 10: least F >= 0 with Y-NEW better than Y for R and M"},
    {"window.F_hi", "Prop. 10: largest F with Y-NEW better than Y for R and M"},
    {"window.t_hi", "Prop. 10(2), b <= c: largest t in (0, 2] at which some F > 0 makes Y-NEW better than Y for R and M"},
}};

struct PrintedWindows {
  double m_hi, delta_lo, F_hi, t_hi;
};

// The bounds printed in the propositions (the same in every evaluation), each output next to the
// field that holds it.
struct PrintedWindowInfo {
  std::string_view name, description;
  double PrintedWindows::*value;
};
inline constexpr std::array<PrintedWindowInfo, 4> kPrintedWindows = {{
    {"window.m_hi.printed", "Prop. 3(2) as printed: 1 - (1 + tσ²(1 + θσ²))/(8t²(1 + tσ²)) - (1-k)²/(8(1-θ)θ)",
     &PrintedWindows::m_hi},
    {"window.delta_lo.printed", "Prop. 9(1) as printed: (2 - θ - 2 sqrt(1-θ))/θ", &PrintedWindows::delta_lo},
    {"window.F_hi.printed", "Prop. 10 as printed: ((b-c) + 2t(1-k))(b-c)/(8θ(1-θ))", &PrintedWindows::F_hi},
    {"window.t_hi.printed", "Prop. 10(2) as printed: (c-b)/(2(1-k))", &PrintedWindows::t_hi},
}};
static_assert(sizeof(PrintedWindows) == kPrintedWindows.size() * sizeof(double));

PrintedWindows printed_windows(const Point& p);

// Fills claims[kClaims.size()] and windows[kWindows.size()].
void evaluate_claims(const Point& p, Evaluator eval, double* claims, double* windows);

}  // namespace eqsweep::ye2025
