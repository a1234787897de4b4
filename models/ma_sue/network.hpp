#pragma once
// The network a model-M sweep runs on: firms, links with time-cost functions, chains (paths of
// links) with their number of price/lead-time options, and the demand market. Read from a TOML
// file (docs/model-m.md describes the format); every check happens here, before any solve.

#include <string>
#include <vector>

namespace eqsweep::ma_sue {

inline constexpr int kMaxChains = 4;
inline constexpr int kMaxOptions = 8;  // options over all chains (I in the paper)

enum class Role { manufacturer, retailer };

struct Firm {
  std::string name;
  Role role = Role::manufacturer;
};

// Unit time-cost c(t) = a / t^k + b: monotone decreasing for a, k > 0 (Definition 2). k = 1 is
// the paper's a/t + b, k = 1/2 its a/sqrt(t) + b.
struct TimeCost {
  double a = 1.0;
  double k = 1.0;
  double b = 0.0;
};

struct Link {
  std::string name;
  bool operation = true;   // false: interface link, fixed unit cost and lead time
  int owner = -1;          // firm index (operation links)
  TimeCost cost;           // operation links
  double interface_cost = 0.0;
  double interface_time = 0.0;
  bool paid_by_retailer = true;  // interface links, decentralized split of the cost
};

struct Chain {
  std::string name;
  std::vector<int> links;       // path, upstream first
  int options = 1;              // |T_s|
  std::vector<bool> shared;     // per path position: one lead time for all options of the chain
  std::vector<double> boundaries;  // h_1..h_{options-1}, strictly increasing
  double fixed_cost_per_option = 0.0;
  int manufacturer = -1, retailer = -1;  // firms of the chain (decentralized roles)
};

struct Market {
  double Q = 1.0;
  double alpha = 0.5;
  double w = 1.0;          // intrinsic value, all options
  double beta_mean = 0.5;  // of the untruncated normal
  double sigma = 0.1;
  double beta_lower = 0.0;  // truncation point (Assumption 1 with beta >= 0)
};

struct Network {
  std::string source;  // file path, for messages
  Market market;
  std::vector<Firm> firms;
  std::vector<Link> links;
  std::vector<Chain> chains;
  int option_count() const;
};

// Reads and validates a network file. Throws std::invalid_argument naming the file, the key and
// the allowed range on any problem.
Network load_network(const std::string& path);
Network parse_network(const std::string& text, const std::string& source_name);

}  // namespace eqsweep::ma_sue
