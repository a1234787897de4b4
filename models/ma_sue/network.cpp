#include "models/ma_sue/network.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "engine/input_file.hpp"
#include "engine/name_suggest.hpp"
#include "engine/toml_screen.hpp"

namespace eqsweep::ma_sue {

int Network::option_count() const {
  int n = 0;
  for (const auto& c : chains) n += c.options;
  return n;
}

namespace {

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& key, const toml::node* node, const std::string& msg) const {
    const int line = node ? static_cast<int>(node->source().begin.line) : 0;
    throw std::invalid_argument(line > 0 ? fmt::format("{}:{}: {}: {}", source_, line, key, msg)
                                         : fmt::format("{}: {}: {}", source_, key, msg));
  }

  // The message names the table in context (e.g. chain[2]) with its line, so a typo in the third
  // of several similar tables is found at once.
  void allow(const toml::table& t, const std::string& prefix, std::initializer_list<std::string_view> keys) const {
    for (auto&& [k, v] : t) {
      bool ok = false;
      for (auto a : keys) ok = ok || k.str() == a;
      if (!ok) {
        const std::vector<std::string> names(keys.begin(), keys.end());
        const auto near = nearest_names(k.str(), names);
        fail(prefix + std::string(k.str()), &v,
             fmt::format("unknown key '{}'{}; allowed in {}: {}", k.str(),
                         near.empty() ? "" : fmt::format(" (did you mean {}?)", fmt::join(near, ", ")),
                         prefix.empty() ? std::string("the top level") : prefix.substr(0, prefix.size() - 1),
                         fmt::join(names, ", ")));
      }
    }
  }

  double number(const toml::table& t, const std::string& prefix, std::string_view key, double lo, bool lo_open,
                double hi, std::optional<double> fallback) const {
    const toml::node* n = t.get(key);
    const std::string full = prefix + std::string(key);
    if (!n) {
      if (fallback) return *fallback;
      fail(full, nullptr, "missing (required)");
    }
    if (!n->is_number()) fail(full, n, "must be a number");
    const double v = *n->value<double>();
    const bool ok = std::isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
    if (!ok)
      fail(full, n, fmt::format("value {} is outside the allowed range {}{}, {}", v, lo_open ? '(' : '[', lo,
                                std::isinf(hi) ? std::string("inf)") : fmt::format("{}]", hi)));
    return v;
  }

  std::string text(const toml::table& t, const std::string& prefix, std::string_view key,
                   std::optional<std::string> fallback) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (fallback) return *fallback;
      fail(prefix + std::string(key), nullptr, "missing (required)");
    }
    if (!n->is_string()) fail(prefix + std::string(key), n, "must be a string");
    return std::string(n->as_string()->get());
  }

  const toml::array* array_of_tables(const toml::table& root, std::string_view key, bool required) const {
    const toml::node* n = root.get(key);
    if (!n) {
      if (required) fail(std::string(key), nullptr, fmt::format("missing: give at least one [[{}]]", key));
      return nullptr;
    }
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables() || a->empty())
      fail(std::string(key), n, fmt::format("must be one or more [[{}]] tables", key));
    return a;
  }

  Network read(const toml::table& root) {
    Network net;
    net.source = source_;
    allow(root, "", {"market", "firm", "link", "chain"});
    read_market(root, net);
    std::map<std::string, int> firm_index, link_index, chain_index;
    const toml::array* firms = array_of_tables(root, "firm", true);
    for (std::size_t i = 0; i < firms->size(); ++i) {
      const toml::table& t = *firms->get(i)->as_table();
      const std::string p = fmt::format("firm[{}].", i);
      allow(t, p, {"name", "role"});
      Firm f;
      f.name = text(t, p, "name", std::nullopt);
      const std::string role = text(t, p, "role", std::nullopt);
      if (role == "manufacturer") f.role = Role::manufacturer;
      else if (role == "retailer") f.role = Role::retailer;
      else fail(p + "role", t.get("role"), fmt::format("'{}' is not allowed; choose manufacturer or retailer", role));
      if (!firm_index.emplace(f.name, static_cast<int>(net.firms.size())).second)
        fail(p + "name", t.get("name"), fmt::format("firm '{}' is declared twice", f.name));
      net.firms.push_back(f);
    }
    const toml::array* links = array_of_tables(root, "link", true);
    for (std::size_t i = 0; i < links->size(); ++i) {
      const toml::table& t = *links->get(i)->as_table();
      const std::string p = fmt::format("link[{}].", i);
      Link l;
      l.name = text(t, p, "name", std::nullopt);
      const std::string kind = text(t, p, "kind", std::nullopt);
      if (kind == "operation") {
        allow(t, p, {"name", "kind", "owner", "a", "k", "b", "form"});
        l.operation = true;
        const std::string owner = text(t, p, "owner", std::nullopt);
        auto it = firm_index.find(owner);
        if (it == firm_index.end()) fail(p + "owner", t.get("owner"), fmt::format("no firm named '{}'", owner));
        l.owner = it->second;
        const std::string form = text(t, p, "form", std::string("inverse"));
        double k_default = 1.0;
        if (form == "inverse") k_default = 1.0;
        else if (form == "inverse_sqrt") k_default = 0.5;
        else if (form == "power") k_default = NAN;
        else fail(p + "form", t.get("form"), fmt::format("'{}' is not allowed; choose inverse (a/t+b), inverse_sqrt (a/sqrt(t)+b) or power (a/t^k+b)", form));
        if (form != "power" && t.contains("k")) fail(p + "k", t.get("k"), "only form = \"power\" takes an exponent k");
        l.cost.a = number(t, p, "a", 0.0, true, INFINITY, std::nullopt);
        l.cost.k = form == "power" ? number(t, p, "k", 0.0, true, 10.0, std::nullopt) : k_default;
        l.cost.b = number(t, p, "b", 0.0, false, INFINITY, 0.0);
      } else if (kind == "interface") {
        allow(t, p, {"name", "kind", "cost", "lead_time", "paid_by"});
        l.operation = false;
        l.interface_cost = number(t, p, "cost", 0.0, false, INFINITY, std::nullopt);
        l.interface_time = number(t, p, "lead_time", 0.0, false, INFINITY, std::nullopt);
        const std::string payer = text(t, p, "paid_by", std::string("retailer"));
        if (payer != "retailer" && payer != "manufacturer")
          fail(p + "paid_by", t.get("paid_by"), fmt::format("'{}' is not allowed; choose retailer or manufacturer", payer));
        l.paid_by_retailer = payer == "retailer";
      } else {
        fail(p + "kind", t.get("kind"), fmt::format("'{}' is not allowed; choose operation or interface", kind));
      }
      if (!link_index.emplace(l.name, static_cast<int>(net.links.size())).second)
        fail(p + "name", t.get("name"), fmt::format("link '{}' is declared twice", l.name));
      net.links.push_back(l);
    }
    const toml::array* chains = array_of_tables(root, "chain", true);
    if (chains->size() > kMaxChains)
      fail("chain", chains, fmt::format("{} chains given; allowed at most {}", chains->size(), kMaxChains));
    std::vector<int> firm_chain(net.firms.size(), -1);
    for (std::size_t i = 0; i < chains->size(); ++i) {
      const toml::table& t = *chains->get(i)->as_table();
      const std::string p = fmt::format("chain[{}].", i);
      allow(t, p, {"name", "links", "options", "shared", "boundaries", "fixed_cost_per_option"});
      Chain c;
      c.name = text(t, p, "name", std::nullopt);
      if (!chain_index.emplace(c.name, static_cast<int>(i)).second)
        fail(p + "name", t.get("name"), fmt::format("chain '{}' is declared twice", c.name));
      const toml::array* path = t.get("links") ? t.get("links")->as_array() : nullptr;
      if (!path || path->empty()) fail(p + "links", t.get("links"), "must be a non-empty array of link names");
      for (const auto& n : *path) {
        if (!n.is_string()) fail(p + "links", &n, "must be link names (strings)");
        const std::string name(n.as_string()->get());
        auto it = link_index.find(name);
        if (it == link_index.end()) fail(p + "links", &n, fmt::format("no link named '{}'", name));
        // A chain is a path: a link listed twice would be priced and costed twice.
        if (std::find(c.links.begin(), c.links.end(), it->second) != c.links.end())
          fail(p + "links", &n, fmt::format("link '{}' is listed twice in chain {}; list each link of the path once", name, c.name));
        c.links.push_back(it->second);
      }
      c.options = static_cast<int>(number(t, p, "options", 1.0, false, kMaxOptions, 1.0));
      if (static_cast<double>(c.options) != number(t, p, "options", 1.0, false, kMaxOptions, 1.0))
        fail(p + "options", t.get("options"), "must be an integer");
      c.shared.assign(c.links.size(), false);
      if (const toml::node* s = t.get("shared")) {
        const toml::array* arr = s->as_array();
        if (!arr) fail(p + "shared", s, "must be an array of link names of this chain");
        for (const auto& n : *arr) {
          const std::string name = n.is_string() ? std::string(n.as_string()->get()) : "";
          bool found = false;
          for (std::size_t j = 0; j < c.links.size(); ++j)
            if (net.links[c.links[j]].name == name && net.links[c.links[j]].operation) c.shared[j] = found = true;
          if (!found) fail(p + "shared", &n, fmt::format("'{}' is not an operation link of chain {}", name, c.name));
        }
      }
      if (const toml::node* b = t.get("boundaries")) {
        const toml::array* arr = b->as_array();
        if (!arr || arr->size() != static_cast<std::size_t>(c.options - 1))
          fail(p + "boundaries", b, fmt::format("must be an array of options - 1 = {} increasing numbers", c.options - 1));
        for (const auto& n : *arr) {
          if (!n.is_number()) fail(p + "boundaries", &n, "must be numbers");
          const double h = *n.value<double>();
          if (!(h > net.market.beta_lower) || (!c.boundaries.empty() && !(h > c.boundaries.back())))
            fail(p + "boundaries", &n,
                 fmt::format("value {} must exceed the truncation point {} and the previous boundary", h,
                             net.market.beta_lower));
          c.boundaries.push_back(h);
        }
      }
      c.fixed_cost_per_option = number(t, p, "fixed_cost_per_option", 0.0, false, INFINITY, 0.0);
      bool any_operation = false;
      for (int l : c.links) {
        const Link& link = net.links[l];
        if (!link.operation) continue;
        any_operation = true;
        const Firm& f = net.firms[link.owner];
        int& slot = f.role == Role::manufacturer ? c.manufacturer : c.retailer;
        if (slot >= 0 && slot != link.owner)
          fail(p + "links", t.get("links"),
               fmt::format("chain {} has two {}s ({} and {}); one firm per role and chain is supported", c.name,
                           f.role == Role::manufacturer ? "manufacturer" : "retailer", net.firms[slot].name, f.name));
        slot = link.owner;
        if (firm_chain[link.owner] >= 0 && firm_chain[link.owner] != static_cast<int>(i))
          fail(p + "links", t.get("links"),
               fmt::format("firm {} already serves chain {}; a firm serving several chains is not supported",
                           f.name, net.chains[firm_chain[link.owner]].name));
        firm_chain[link.owner] = static_cast<int>(i);
      }
      if (!any_operation) fail(p + "links", t.get("links"), "a chain needs at least one operation link");
      net.chains.push_back(c);
    }
    if (net.option_count() > kMaxOptions)
      fail("chain", chains, fmt::format("{} options in all; allowed at most {}", net.option_count(), kMaxOptions));
    return net;
  }

  void read_market(const toml::table& root, Network& net) {
    const toml::node* n = root.get("market");
    if (!n || !n->is_table()) fail("market", n, "missing: a [market] table is required");
    const toml::table& t = *n->as_table();
    allow(t, "market.", {"Q", "alpha", "w", "beta_mean", "sigma", "beta_lower"});
    Market& m = net.market;
    m.Q = number(t, "market.", "Q", 0.0, true, INFINITY, std::nullopt);
    m.alpha = number(t, "market.", "alpha", 0.0, true, INFINITY, std::nullopt);
    m.w = number(t, "market.", "w", -INFINITY, false, INFINITY, std::nullopt);
    m.beta_mean = number(t, "market.", "beta_mean", 0.0, true, INFINITY, std::nullopt);
    m.sigma = number(t, "market.", "sigma", 0.0, true, INFINITY, std::nullopt);
    m.beta_lower = number(t, "market.", "beta_lower", 0.0, false, INFINITY, 0.0);
  }

 private:
  std::string source_;
};

}  // namespace

Network parse_network(const std::string& text, const std::string& source_name) {
  toml::table root;
  if (const auto bad = screen_toml_text(text))
    throw std::invalid_argument(fmt::format("{}:{}: column {}: {}", source_name, bad->line, bad->column, bad->message));
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument(
        fmt::format("{}:{}: malformed TOML: {}", source_name, e.source().begin.line, e.description()));
  }
  return Reader(source_name).read(root);
}

Network load_network(const std::string& path) {
  try {
    return parse_network(read_input_file(path, "sweeps/ma_sue/networks/example1.toml"), path);
  } catch (const InputFileError& e) {
    throw std::invalid_argument(fmt::format("{}: network file {}", path, e.what()));
  }
}

}  // namespace eqsweep::ma_sue
