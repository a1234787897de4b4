#pragma once
// The thirteen scenarios of model Y (fifteen evaluations: Y-DE has two utility orderings, and Y-S
// has a second reading, Y-S-A, under which A.4's printed decisions are the
// equilibrium). The names are the output prefixes; they avoid '/' and the prime (N′ is "Nprime") so that every output
// is a valid HDF5 and netCDF name and an easy xarray key.

namespace eqsweep::ye2025 {

enum Scenario : int {
  kScenarioN = 0, kScenarioY,
  kScenarioYC, kScenarioYS, kScenarioYD, kScenarioYR,
  kScenarioNp, kScenarioYp,
  kScenarioYN, kScenarioYNC, kScenarioYNCO,
  kScenarioYDE1, kScenarioYDE2,
  kScenarioYNEW,
  kScenarioYSA,  // after Y-NEW: the indices of the scenarios before it are unchanged
  kScenarioCount
};

inline constexpr const char* kScenarioNames[kScenarioCount] = {
    "N", "Y", "Y-C", "Y-S", "Y-D", "Y-R", "Nprime", "Yprime", "Y-N", "Y-N-C", "Y-N-CO", "Y-DE1", "Y-DE2", "Y-NEW", "Y-S-A"};

inline constexpr const char* kScenarioTitles[kScenarioCount] = {
    "no information sharing (Appendix A.1)",
    "information sharing through the blockchain (A.2)",
    "sharing with a cost-sharing contract m (A.3, eqs. 6-7)",
    "sharing with discount coupons s (A.4, eqs. 8-11)",
    "sharing with a wholesale-price discount phi (A.5, eq. 12)",
    "sharing with an inflated quantity y (A.6, eqs. 13-14)",
    "no sharing, utility ordering U_B > U_A > 0 (A.7)",
    "sharing, utility ordering U_B > U_A > 0 (A.8)",
    "sharing in an uncovered market (A.9, eqs. 15-18)",
    "uncovered market with a fixed transfer F (A.10, eqs. 19-20)",
    "uncovered market, manufacturer-retailer alliance (A.11)",
    "delay delta on the price of B, ordering U_A > U_B (A.12 case 1)",
    "delay delta on the price of B, ordering U_B > U_A (A.12 case 2)",
    "sharing plus big data b, c with a fixed transfer F (A.13, eqs. 21-24)",
    "discount coupons s, the reading of A.4 as printed: the coupon lowers U_A by s instead of raising U_B (eqs. 8-11)",
};

}  // namespace eqsweep::ye2025
