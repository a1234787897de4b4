#include "models/ma_sue/ma_sue_model.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "models/ma_sue/outputs.hpp"

namespace eqsweep::ma_sue {

namespace {

const char* kPer = "1";

std::string option_value(const OptionValues& o, const std::string& key) {
  auto it = o.find(key);
  return it == o.end() ? std::string() : it->second;
}

}  // namespace

Readings readings_from(const OptionValues& o) {
  Readings r;
  r.equilibrium = option_value(o, "equilibrium") == "decentralized" ? Equilibrium::decentralized : Equilibrium::centralized;
  if (option_value(o, "equilibrium") == "ue") r.equilibrium = Equilibrium::ue;  // ue_solver.cpp
  if (option_value(o, "equilibrium") == "ue_decentralized") r.equilibrium = Equilibrium::ue, r.ue_decentralized = true;
  r.beta = option_value(o, "beta_bar") == "partial" ? BetaReading::partial : BetaReading::conditional;
  r.demand = option_value(o, "demand") == "mass_weighted" ? DemandReading::mass_weighted : DemandReading::printed;
  r.choice = option_value(o, "choice") == "sealed" ? ChoiceReading::sealed : ChoiceReading::mnl;
  if (option_value(o, "demand") == "latent_class") {
    r.demand = DemandReading::latent_class;
    // The classes' choice sets replace both choice readings; the retail-stage re-equilibration, the
    // projection method and UE are derived for per-option shares, not for classes.
    auto refuse = [](const char* key, const char* what) {
      throw std::invalid_argument(fmt::format("options.{}: demand = \"latent_class\" {}", key, what));
    };
    if (option_value(o, "choice") == "sealed")
      refuse("choice", "sets each class's choice set itself (its own options, MNL); use choice = \"mnl\"");
    if (option_value(o, "anticipation") == "retail_equilibrium")
      refuse("anticipation", "is derived with anticipation = \"own_retailer\"");
    if (option_value(o, "solver") == "projection") refuse("solver", "is solved by solver = \"fast\"");
    const std::string eq = option_value(o, "equilibrium");
    if (eq == "ue" || eq == "ue_decentralized")
      refuse("equilibrium", "is derived for the SUE equilibria (centralized, decentralized)");
  }
  if (option_value(o, "segments") == "optimal" && r.demand == DemandReading::printed)
    throw std::invalid_argument(
        "options.demand: segments = \"optimal\" needs demand = \"mass_weighted\"; with x_i = Q P_i as printed a "
        "near-empty segment sells to the whole market and no optimal boundary exists (docs/model-m.md, "
        "\"Well-posedness of the literal reading\")");
  if (r.equilibrium == Equilibrium::ue && option_value(o, "segments") == "optimal")
    throw std::invalid_argument(
        "options.segments: \"optimal\" compares SUE equilibria; with equilibrium = \"ue\" or \"ue_decentralized\" use "
        "segments = \"fixed\"");
  r.anticipation = option_value(o, "anticipation") == "retail_equilibrium" ? Anticipation::retail_equilibrium
                                                                           : Anticipation::own_retailer;
  // The re-equilibrating retail stage is derived for printed MNL demand (one markup per chain, so a
  // chain's response is one scalar) and sealed segments (nothing to re-equilibrate); not for
  // mass-weighted MNL, where a retailer's markups differ per option (docs/model-m.md).
  if (r.equilibrium == Equilibrium::decentralized && r.anticipation == Anticipation::retail_equilibrium &&
      r.demand == DemandReading::mass_weighted && r.choice == ChoiceReading::mnl)
    throw std::invalid_argument(
        "options.anticipation: \"retail_equilibrium\" is derived for demand = \"printed\" or choice = \"sealed\"; "
        "with mass-weighted MNL demand use anticipation = \"own_retailer\"");
  r.leader_objective = option_value(o, "leader_objective") == "joint" ? LeaderObjective::joint : LeaderObjective::own_chain;
  if (r.leader_objective == LeaderObjective::joint) {
    // Derived for printed MNL demand (collusive_leaders.hpp); sealed options separate the joint objective.
    if (r.equilibrium != Equilibrium::decentralized)
      throw std::invalid_argument("options.leader_objective: \"joint\" (collusive leaders) needs equilibrium = "
                                  "\"decentralized\"; the other equilibria have no leaders");
    if (r.choice == ChoiceReading::mnl && r.demand != DemandReading::printed)
      throw std::invalid_argument("options.leader_objective: \"joint\" is derived for demand = \"printed\" or "
                                  "choice = \"sealed\"; use leader_objective = \"own_chain\" with this demand");
    if (option_value(o, "segments") == "optimal")
      throw std::invalid_argument("options.leader_objective: \"joint\" is implemented for segments = \"fixed\"");
  }
  // (G1) substitutes the retailer's markup as a function of the shares (decentralized_projection.hpp): derived
  // for the own retailer's response (or the joint leader's retail equilibrium) and these demand readings.
  if (r.equilibrium == Equilibrium::decentralized && option_value(o, "solver") == "projection") {
    if (r.anticipation == Anticipation::retail_equilibrium && r.leader_objective == LeaderObjective::own_chain &&
        r.choice == ChoiceReading::mnl)
      throw std::invalid_argument(
          "options.solver: the modified projection method on (G1) has each leader anticipate its own retailer; "
          "use solver = \"fast\" with anticipation = \"retail_equilibrium\"");
    if (r.demand != DemandReading::printed && r.demand != DemandReading::mass_weighted)
      throw std::invalid_argument(
          "options.solver: the modified projection method on (G1) is derived for demand = \"printed\" or "
          "\"mass_weighted\"; use solver = \"fast\"");
  }
  return r;
}

SolverOptions MaSueModel::solver_options(const OptionValues& o) {
  SolverOptions s;
  auto num = [&](const char* k, double d) {
    const std::string v = option_value(o, k);
    return v.empty() ? d : std::stod(v);
  };
  s.rho = num("rho", s.rho);
  s.epsilon = num("epsilon", s.epsilon);
  s.phi = num("phi", s.phi);
  const double limit = num("max_iterations", 0);
  s.max_iterations = limit > 0 ? static_cast<int>(limit) : option_value(o, "solver") == "projection" ? 2000000 : 200;
  s.printed_signs = option_value(o, "projection_signs") == "printed";
  return s;
}

namespace {

ModelDescription unconfigured_description() {
  return {
      .name = "ma_sue",
      .description = "Competing two-echelon supply chains offering price/lead-time menus to customers with normally "
                     "distributed time sensitivity (MNL choice); centralized, decentralized (Stackelberg) and UE "
                     "equilibria",
      .source = "Ma, Nault & Tu, Customer segmentation, pricing, and lead time decisions: a "
                "stochastic-user-equilibrium perspective; shared/papers/ma-nault-tu-sue-price-leadtime-segmentation.txt",
      .variants = {{"sue", "stochastic user equilibrium (MNL choice), eq. (4)-(11)"}},
      .options = {
          {"network", "network description file (TOML, docs/model-m.md), relative to the spec", "", {}, false, {}},
          {"equilibrium", "centralized (eq. 11), decentralized (Stackelberg, eq. 6-9), or ue: centralized chains with "
           "deterministic choice (Wardrop's UE, eq. 12; docs/model-m.md), or ue_decentralized: deterministic choice "
           "with Stackelberg chains", "centralized", {"centralized", "decentralized", "ue", "ue_decentralized"}, false, {}},
          {"solver", "fast (structured Newton) or projection (the paper's modified projection method)", "fast",
           {"fast", "projection"}, false, {}},
          {"beta_bar", "segment time sensitivity: conditional mean, or partial expectation as eq. (5) prints it",
           "conditional", {"conditional", "partial"}, false, {}},
          {"demand", "option demand Q*P_i as eq. (8) prints it, weighted by the segment's mass, or latent_class: each "
           "class of customers (the chains' segments refined) chooses by MNL among the options offered to it, "
           "weighted by its mass", "printed", {"printed", "mass_weighted", "latent_class"}, false, {}},
          {"choice", "MNL over all options (eq. 4) or sealed segments (footnote 2)", "mnl", {"mnl", "sealed"}, false, {}},
          {"anticipation", "decentralized leader anticipates its own retailer's best response (other chains fixed) or "
           "the retail-stage equilibrium (all retailers re-equilibrating)", "own_retailer",
           {"own_retailer", "retail_equilibrium"}, false, {}},
          {"leader_objective", "decentralized leaders maximise their own chain's manufacturer profit (own_chain), or "
           "collude (joint): one leader sets every wholesale price and manufacturer lead time to maximise the sum of "
           "the manufacturers' profits, every retailer re-equilibrating; printed MNL demand or sealed segments",
           "own_chain", {"own_chain", "joint"}, false, {}},
          {"projection_signs", "multiplier row of (J1) and (G1): corrected or as printed", "corrected",
           {"corrected", "printed"}, false, {}},
          {"rho", "projection step rho", "0.001", {}, true, Domain::open(0, 10)},
          {"epsilon", "projection stopping tolerance on ||X^k - X^{k-1}||", "0.0001", {}, true, Domain::open(0, 1)},
          {"phi", "augmented-Lagrangian penalty phi", "1", {}, true, Domain::at_least(0)},
          {"max_iterations", "iteration limit; 0: 200 for fast, 2e6 for projection", "0", {}, true,
           Domain::closed(0, 1e8)},
          {"segments", "fixed: the network's option counts; optimal: each chain offers the number of options 1..K "
           "(K its options in the network file) with the highest equilibrium profit", "fixed", {"fixed", "optimal"},
           false, {}},
          {"segment_boundaries", "with segments = optimal: joint_optimal (each chain's boundaries maximise its "
           "equilibrium profit, the price/lead-time game re-solved: a stage before the game), equilibrium (the "
           "paper's (G1)/(J1): boundaries are decisions of the chain, or of its manufacturer when decentralized, "
           "inside the game, and the deviation check includes them), or equal-mass quantiles",
           "joint_optimal", {"joint_optimal", "equilibrium", "quantiles"}, false, {}},
          {"time_sensitivity", "truncated: beta ~ N(beta_mean, sigma^2) truncated below at the network's beta_lower "
           "(default 0, Assumption 1); untruncated: on the whole line as eq. (5) prints it, so customers with beta < 0 "
           "(who prefer slower delivery) exist; a segment whose beta_bar is not positive has no finite lead time and "
           "its point fails", "truncated", {"truncated", "untruncated"}, false, {}},
          {"verification", "certificate (analytic KKT residual, Hessian check, Newton deviation probes) or audit "
           "(central differences and the deviation ladder); docs/model-m.md", "certificate", {"certificate", "audit"},
           false, {}},
      },
  };
}

}  // namespace

MaSueModel::MaSueModel() : Model(unconfigured_description()) {}

std::shared_ptr<const Model> MaSueModel::configure(const OptionValues& options, const std::string& spec_dir) const {
  const std::string file = option_value(options, "network");
  if (file.empty())
    throw std::invalid_argument("options.network: missing; model ma_sue needs network = \"<path to network file>\"");
  const std::filesystem::path path = std::filesystem::path(file).is_absolute()
                                         ? std::filesystem::path(file)
                                         : std::filesystem::path(spec_dir) / file;
  Network net = load_network(path.string());
  std::string configuration;
  {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    configuration = ss.str();
  }
  ModelDescription d = describe();
  Instance in;
  in.readings = readings_from(options);
  in.Q = net.market.Q;
  in.alpha = net.market.alpha;
  in.w = net.market.w;
  // untruncated: eq. (5) as printed, beta ~ N(mean, sigma^2) on the whole line (the network's beta_lower unused).
  const bool untruncated = option_value(options, "time_sensitivity") == "untruncated";
  in.beta = {net.market.beta_mean, net.market.sigma, untruncated ? -INFINITY : net.market.beta_lower};
  in.n_chains = static_cast<int>(net.chains.size());
  auto& P = d.parameters;
  P.clear();
  auto add = [&](std::string name, std::string symbol, std::string desc, Domain dom, double def) {
    P.push_back({std::move(name), std::move(symbol), std::move(desc), kPer, dom, def});
    return static_cast<int>(P.size()) - 1;
  };
  ParameterMap map;
  map.Q = add("Q", "Q", "number of customers in the market", Domain::above(0), net.market.Q);
  map.alpha = add("alpha", "ᾱ", "price sensitivity", Domain::above(0), net.market.alpha);
  map.w = add("w", "w", "intrinsic value of every option", Domain::real(), net.market.w);
  map.beta_mean = add("beta_mean", "β̄", "mean of the time sensitivity (before truncation)", Domain::above(0),
                      net.market.beta_mean);
  map.sigma = add("sigma", "σ", "standard deviation of the time sensitivity", Domain::above(0), net.market.sigma);
  map.link_a.assign(net.links.size(), -1);
  map.link_b.assign(net.links.size(), -1);
  map.iface_cost.assign(net.links.size(), -1);
  for (std::size_t l = 0; l < net.links.size(); ++l) {
    const Link& k = net.links[l];
    if (k.operation) {
      map.link_a[l] = add(k.name + ".a", "a", fmt::format("time-cost scale of link {} (c = a/t^{:g} + b)", k.name, k.cost.k),
                          Domain::above(0), k.cost.a);
      map.link_b[l] = add(k.name + ".b", "b", fmt::format("time-independent unit cost of link {}", k.name),
                          Domain::at_least(0), k.cost.b);
    } else {
      map.iface_cost[l] = add(k.name + ".cost", "c_b", fmt::format("unit cost of interface link {}", k.name),
                              Domain::at_least(0), k.interface_cost);
    }
  }
  int opt = 0, slot = 0;
  for (int c = 0; c < in.n_chains; ++c) {
    const Chain& ch = net.chains[c];
    in.first_option[c] = opt;
    in.option_count[c] = ch.options;
    in.fixed_cost[c] = ch.fixed_cost_per_option * ch.options;
    // Sweepable because sigma_h exists only where a second option costs something (docs/model-m.md).
    map.fixed_cost.push_back(add(ch.name + ".F", "F", fmt::format("fixed cost per option offered by chain {}", ch.name),
                                 Domain::at_least(0), ch.fixed_cost_per_option));
    for (int k = 0; k < ch.options - 1; ++k) {
      const double def = ch.boundaries.empty() ? in.beta.quantile(static_cast<double>(k + 1) / ch.options)
                                               : ch.boundaries[k];
      map.boundary.push_back(add(fmt::format("{}.h{}", ch.name, k + 1), "h",
                                 fmt::format("segment boundary {} of chain {}", k + 1, ch.name),
                                 untruncated ? Domain::real() : Domain::above(net.market.beta_lower), def));
    }
    for (int k = 0; k < ch.options; ++k) {
      const int i = opt + k;
      in.chain[i] = c;
      for (int l : ch.links) {
        const Link& link = net.links[l];
        if (link.operation) continue;
        in.fixed_time[i] += link.interface_time;
        (link.paid_by_retailer ? in.iface_cost_n[i] : in.iface_cost_m[i]) += link.interface_cost;
      }
    }
    for (std::size_t j = 0; j < ch.links.size(); ++j) {
      const Link& link = net.links[ch.links[j]];
      if (!link.operation) continue;
      const int copies = ch.shared[j] ? 1 : ch.options;
      for (int k = 0; k < copies; ++k) {
        if (slot >= kMaxSlots) throw std::invalid_argument(fmt::format("{}: more than {} lead-time decisions", net.source, kMaxSlots));
        Slot& s = in.slots[slot];
        s.chain = c;
        s.link = ch.links[j];
        s.retailer = net.firms[link.owner].role == Role::retailer;
        s.cost = link.cost;
        s.options = 0;
        s.copy = ch.shared[j] ? -1 : k;
        for (int q = 0; q < ch.options; ++q)
          if (ch.shared[j] || q == k) s.options |= 1u << (opt + q);
        ++slot;
      }
    }
    opt += ch.options;
  }
  in.n_options = opt;
  in.n_slots = slot;
  const bool segmented = option_value(options, "segments") == "optimal";
  d.outputs = declare_outputs(net, in, segmented);
  // The segmentation stage compares cold solves of several menus: no single state to hand on.
  d.warm_start_size = segmented ? 0 : static_cast<std::size_t>(2 * in.n_options + in.n_slots);
  std::vector<double> h(map.boundary.size());
  for (std::size_t k = 0; k < h.size(); ++k) h[k] = P[map.boundary[k]].default_value;
  in.set_boundaries(h.data());

  std::shared_ptr<MaSueModel> m(new MaSueModel(std::move(d)));
  m->configured_ = true;
  m->segmented_ = segmented;
  m->network_ = std::move(net);
  m->base_ = in;
  m->map_ = std::move(map);
  m->chosen_ = options;
  m->configuration_ = std::move(configuration);
  return m;
}

void MaSueModel::instance_at(const double* params, std::size_t st, Instance& in) const {
  in = base_;
  auto at = [&](int idx) { return params[static_cast<std::size_t>(idx) * st]; };
  in.Q = at(map_.Q);
  in.alpha = at(map_.alpha);
  in.w = at(map_.w);
  in.beta.mean = at(map_.beta_mean);
  in.beta.sigma = at(map_.sigma);
  for (int k = 0; k < in.n_slots; ++k) {
    in.slots[k].cost.a = at(map_.link_a[in.slots[k].link]);
    in.slots[k].cost.b = at(map_.link_b[in.slots[k].link]);
  }
  for (int i = 0; i < in.n_options; ++i) in.iface_cost_m[i] = in.iface_cost_n[i] = 0;
  for (int c = 0; c < in.n_chains; ++c)
    for (int l : network_.chains[c].links) {
      const Link& link = network_.links[l];
      if (link.operation) continue;
      for (int i = in.first_option[c]; i < in.first_option[c] + in.option_count[c]; ++i)
        (link.paid_by_retailer ? in.iface_cost_n[i] : in.iface_cost_m[i]) += at(map_.iface_cost[l]);
    }
  for (int c = 0; c < in.n_chains; ++c) in.fixed_cost[c] = at(map_.fixed_cost[c]) * in.option_count[c];
  double h[kMaxOptions];
  for (std::size_t k = 0; k < map_.boundary.size(); ++k) h[k] = at(map_.boundary[k]);
  in.set_boundaries(h);
}

}  // namespace eqsweep::ma_sue
