#pragma once
// Lemma 1 and Propositions 1-10 as predicates, the "equilibrium E" indicators of Figs. 1-3, and
// the contract windows, all computed from one evaluation (published or derived) of the scenarios.
//
// Every predicate is a code (ClaimKind says which codes it uses):
//   1 (kHolds) the claim holds, 0 (kFails) it fails, NaN outside the claim's feasible region, and
//   2 (kTie) a tie: the compared values are equal to within rounding, so a claim of a strict order
//     or a direction neither holds nor fails there (for an equality claim a tie is the claim holding).
// The tie rule, for profits and unit costs: a and b tie when
//     |a - b| <= kTieUlps * DBL_EPSILON * max(|a|, |b|, 1)            (64 ulp, about 1.4e-14 · scale)
// The 1 is the unit of the model (V ~ U[0,1], prices and profits are sums of terms of order one, so
// their rounding is absolute, not relative to a profit that happens to be small). Scenarios that
// coincide as models (Y-S with Y at s = 0, Y-C with Y at m = 1, Y-D at phi = 1, Y-R at y = 0, ...)
// differ by a few ulp (derived Y-S and Y by at most 1.3e-15); genuine differences in the sweeps
// are at least 1e-9. Slopes (Lemma 1, Prop. 6(2)) are difference quotients good to ~1e-9: a slope
// within kZeroSlope of zero is a tie. Unit information costs c_B = t²/q_B (and the retailer's
// m t²/q_B) are compared through the q_B they imply, with the unit 1/(θ(1-θ)) in place of 1: q_B's
// terms are prices times the covered demand's slope 1/θ + 1/(1-θ).

#include <array>
#include <string_view>
#include <vector>

#include "engine/model.hpp"
#include "models/ye2025/evaluation.hpp"

namespace eqsweep::ye2025 {

using Evaluator = Evaluation (*)(int scenario, const Point& p);

struct NamedOutput {
  std::string_view name, description;
};

inline constexpr double kFails = 0, kHolds = 1, kTie = 2;
inline constexpr double kTieUlps = 64;
inline constexpr double kZeroSlope = 1e-7;

// What a predicate compares, and so which codes it uses (claim_codes gives the text).
enum class ClaimKind {
  strict,     // "a < b" / "a > b": 1, 0 (the reverse order), 2 (tie)
  direction,  // "'>(<)'": records which side is larger: 1 the named side, 0 the other, 2 tie
  equality,   // "a = b": 1 equal to within rounding, 0 not
  slope,      // sign of a derivative: 1 the claimed sign, 0 the opposite, 2 |slope| <= kZeroSlope
  zero_slope, // derivative = 0: 1 |slope| <= kZeroSlope, 0 not
  weak,       // E: both firms at least as well off as under N: 1 both better, 2 holds through a tie, 0 one worse
  iff,        // P3.window: E exactly inside the printed window: 1, 0, 2 where E rests on a tie
};

struct ClaimInfo {
  std::string_view name, description;
  ClaimKind kind;
};

// The codes of a predicate of `kind`, as its output description states them.
inline std::string_view claim_codes(ClaimKind kind) {
  switch (kind) {
    case ClaimKind::strict:
      return "1 holds, 0 fails (the reverse order), 2 tie (equal to within rounding: neither), NaN outside its region";
    case ClaimKind::direction:
      return "1 the named side is larger, 0 the other, 2 tie (equal to within rounding), NaN outside its region";
    case ClaimKind::equality: return "1 holds (equal to within rounding), 0 fails, NaN outside its region";
    case ClaimKind::slope:
      return "1 holds, 0 the opposite sign, 2 tie (|slope| <= 1e-7, zero to the difference quotient's accuracy), "
             "NaN outside its region";
    case ClaimKind::zero_slope: return "1 holds (|slope| <= 1e-7), 0 fails, NaN outside its region";
    case ClaimKind::weak:
      return "1 holds (both firms better off), 2 holds through a tie (a firm's profit equals its N value to within "
             "rounding, neither is worse), 0 fails, NaN outside its region";
    case ClaimKind::iff:
      return "1 holds, 0 fails, 2 tie (whether Y-C is E rests on a profit equal to N's to within rounding), NaN "
             "outside its region";
  }
  return "";
}

// The same codes as CF flags (the cube stores predicates as int32 with these flag_meanings).
inline std::vector<FlagInfo> claim_flags(ClaimKind kind) {
  switch (kind) {
    case ClaimKind::strict:
    case ClaimKind::slope:
    case ClaimKind::iff: return {{0, "fails"}, {1, "holds"}, {2, "tie"}};
    case ClaimKind::direction: return {{0, "other_side_larger"}, {1, "named_side_larger"}, {2, "tie"}};
    case ClaimKind::equality:
    case ClaimKind::zero_slope: return {{0, "fails"}, {1, "holds"}};
    case ClaimKind::weak: return {{0, "fails"}, {1, "holds"}, {2, "holds_through_tie"}};
  }
  return {};
}

// "prop.<id>": claims; "E.<scenario>": both firms at least as well off as under N (no sharing).
inline constexpr std::array<ClaimInfo, 60> kClaims = {{
    {"prop.L1.dwBN_dt", "Lemma 1(1): dw_B^N/dt > 0", ClaimKind::slope},
    {"prop.L1.dwBY_dt", "Lemma 1(1): dw_B^Y/dt > 0", ClaimKind::slope},
    {"prop.L1.dwBN_dGamma", "Lemma 1(1): dw_B^N/dGamma = 0", ClaimKind::zero_slope},
    {"prop.L1.dwBY_dGamma", "Lemma 1(1): dw_B^Y/dGamma > 0", ClaimKind::slope},
    {"prop.L1.dpBN_dt", "Lemma 1(2): dp_B^N/dt > 0", ClaimKind::slope},
    {"prop.L1.dpBY_dt", "Lemma 1(2): dp_B^Y/dt > 0", ClaimKind::slope},
    {"prop.L1.dpBN_dGamma", "Lemma 1(2): dp_B^N/dGamma > 0", ClaimKind::slope},
    {"prop.L1.dpBY_dGamma", "Lemma 1(2): dp_B^Y/dGamma > 0", ClaimKind::slope},
    {"prop.L1.dqBN_dt", "Lemma 1(3): dq_B^N/dt > 0", ClaimKind::slope},
    {"prop.L1.dqBY_dt", "Lemma 1(3): dq_B^Y/dt > 0", ClaimKind::slope},
    {"prop.L1.dqBN_dGamma", "Lemma 1(3): dq_B^N/dGamma = 0", ClaimKind::zero_slope},
    {"prop.L1.dqBY_dGamma", "Lemma 1(3): dq_B^Y/dGamma > 0", ClaimKind::slope},
    {"prop.P1.cBN_formula", "Prop. 1(1): printed c_B^N equals t^2/q_B^N", ClaimKind::equality},
    {"prop.P1.cBY_formula", "Prop. 1(1): printed c_B^Y equals t^2/q_B^Y", ClaimKind::equality},
    {"prop.P1.cBN_lt_cBY", "Prop. 1(2): c_B^N < c_B^Y", ClaimKind::strict},
    {"prop.P2.R", "Prop. 2: pi_R^N > pi_R^Y", ClaimKind::strict},
    {"prop.P2.M", "Prop. 2: pi_M^N < pi_M^Y", ClaimKind::strict},
    {"prop.P2.SC", "Prop. 2: pi_SC^N > pi_SC^Y", ClaimKind::strict},
    {"prop.P3.R", "Prop. 3(1): pi_R^Y < pi_R^{Y-C}", ClaimKind::strict},
    {"prop.P3.M", "Prop. 3(1): pi_M^Y > pi_M^{Y-C}", ClaimKind::strict},
    {"prop.P3.SC", "Prop. 3(1): pi_SC^Y = pi_SC^{Y-C}", ClaimKind::equality},
    {"prop.P3.cB", "Prop. 3(1): c_B^Y > c_B^{Y-C} with c_B the chain's unit cost t^2/q_B", ClaimKind::strict},
    {"prop.P3.cB_R", "Prop. 3(1): c_B^Y > c_B^{Y-C} with c_B^{Y-C} the retailer's unit cost m t^2/q_B (c_B_R)", ClaimKind::strict},
    {"prop.P3.window", "Prop. 3(2): Y-C is an equilibrium E exactly when m is inside the printed window", ClaimKind::iff},
    {"prop.P4.R", "Prop. 4: pi_R^Y < pi_R^{Y-S}", ClaimKind::strict},
    {"prop.P4.M", "Prop. 4: pi_M^Y < pi_M^{Y-S}", ClaimKind::strict},
    {"prop.P4.SC", "Prop. 4: pi_SC^Y < pi_SC^{Y-S}", ClaimKind::strict},
    {"prop.P4.cB", "Prop. 4: c_B^Y > c_B^{Y-S}", ClaimKind::strict},
    {"prop.P5.R", "Prop. 5 '>(<)' direction: 1 where pi_R^{Y-D} > pi_R^Y", ClaimKind::direction},
    {"prop.P5.M", "Prop. 5 direction: 1 where pi_M^{Y-D} > pi_M^Y", ClaimKind::direction},
    {"prop.P5.SC", "Prop. 5 direction: 1 where pi_SC^{Y-D} > pi_SC^Y", ClaimKind::direction},
    {"prop.P5.cB", "Prop. 5 direction: 1 where c_B^{Y-D} < c_B^Y", ClaimKind::direction},
    {"prop.P6.R", "Prop. 6(1) direction: 1 where pi_R^{Y-R} > pi_R^Y", ClaimKind::direction},
    {"prop.P6.M", "Prop. 6(1) direction: 1 where pi_M^{Y-R} > pi_M^Y", ClaimKind::direction},
    {"prop.P6.SC", "Prop. 6(1) direction: 1 where pi_SC^{Y-R} > pi_SC^Y", ClaimKind::direction},
    {"prop.P6.cB", "Prop. 6(1) direction: 1 where c_B^{Y-R} < c_B^Y", ClaimKind::direction},
    {"prop.P6.ymax_dt", "Prop. 6(2): d y_MAX / dt < 0", ClaimKind::slope},
    {"prop.P7.R", "Prop. 7: pi_R^{N'} > pi_R^{Y'}", ClaimKind::strict},
    {"prop.P7.M", "Prop. 7: pi_M^{N'} < pi_M^{Y'}", ClaimKind::strict},
    {"prop.P7.SC", "Prop. 7: pi_SC^{N'} > pi_SC^{Y'}", ClaimKind::strict},
    {"prop.P8.R", "Prop. 8: pi_R^{Y-N} < pi_R^{Y-N-C}", ClaimKind::strict},
    {"prop.P8.M", "Prop. 8: pi_M^{Y-N} > pi_M^{Y-N-C}", ClaimKind::strict},
    {"prop.P8.SC", "Prop. 8: pi_SC^{Y-N} = pi_SC^{Y-N-C}", ClaimKind::equality},
    {"prop.P8.CO", "Prop. 8: pi_R^{Y-N} < pi^{Y-N-CO} (the alliance's profit pi_SC^{Y-N-CO})", ClaimKind::strict},
    {"prop.P9.1.R", "Prop. 9(1): in the printed delta window, pi_R^Y < pi_R^{Y-DE} (U_A > U_B)", ClaimKind::strict},
    {"prop.P9.1.M", "Prop. 9(1): in the printed delta window, pi_M^Y < pi_M^{Y-DE} (U_A > U_B)", ClaimKind::strict},
    {"prop.P9.1.SC", "Prop. 9(1): in the printed delta window, pi_SC^Y < pi_SC^{Y-DE} (U_A > U_B)", ClaimKind::strict},
    {"prop.P9.2.R", "Prop. 9(2) direction: 1 where pi_R^{Y-DE} > pi_R^Y (U_B > U_A)", ClaimKind::direction},
    {"prop.P9.2.M", "Prop. 9(2) direction: 1 where pi_M^{Y-DE} > pi_M^Y (U_B > U_A)", ClaimKind::direction},
    {"prop.P9.2.SC", "Prop. 9(2) direction: 1 where pi_SC^{Y-DE} > pi_SC^Y (U_B > U_A)", ClaimKind::direction},
    {"prop.P10.1.R", "Prop. 10(1): b > c, 0 < F < printed bound => pi_R^Y < pi_R^{Y-NEW}", ClaimKind::strict},
    {"prop.P10.1.M", "Prop. 10(1): b > c, 0 < F < printed bound => pi_M^Y < pi_M^{Y-NEW}", ClaimKind::strict},
    {"prop.P10.1.SC", "Prop. 10(1): b > c, 0 < F < printed bound => pi_SC^Y < pi_SC^{Y-NEW}", ClaimKind::strict},
    {"prop.P10.2.R", "Prop. 10(2): b <= c, t, F inside printed bounds => pi_R^Y < pi_R^{Y-NEW}", ClaimKind::strict},
    {"prop.P10.2.M", "Prop. 10(2): b <= c, t, F inside printed bounds => pi_M^Y < pi_M^{Y-NEW}", ClaimKind::strict},
    {"prop.P10.2.SC", "Prop. 10(2): b <= c, t, F inside printed bounds => pi_SC^Y < pi_SC^{Y-NEW}", ClaimKind::strict},
    {"E.Y-C", "equilibrium E of Y-C: pi_R and pi_M at least their values under N", ClaimKind::weak},
    {"E.Y-D", "equilibrium E of Y-D (Fig. 1): pi_R and pi_M at least their values under N", ClaimKind::weak},
    {"E.Y-R", "equilibrium E of Y-R (Fig. 2): pi_R and pi_M at least their values under N", ClaimKind::weak},
    {"E.Y-DE1", "equilibrium E of Y-DE, U_A > U_B (Fig. 3): pi_R and pi_M at least their values under N", ClaimKind::weak},
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
