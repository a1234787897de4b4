#pragma once
// Model M's outputs, each declared once, next to the value it takes. The outputs follow the
// network (one lead time per lead-time decision, six values per option, three profits per
// chain), so they are not a fixed table but one walk over a configured layout: configure() runs it
// to name the outputs, the point solver runs it to write a solved point. Adding an output is one
// emit() below.

#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "engine/model.hpp"
#include "models/ma_sue/game.hpp"
#include "models/ma_sue/network.hpp"
#include "models/ma_sue/segmentation.hpp"

namespace eqsweep::ma_sue {

// What a point's outputs are read from.
struct PointValues {
  const Instance* in = nullptr;  // the menus solved: the layout, or fewer options where segmentation chose
  const Strategy* s = nullptr;
  const Outcome* o = nullptr;    // evaluated only where a needed output reads it (outcome_needed)
  bool ok = false;               // converged and verified: prices, lead times, demand and profits are stored
  bool stackelberg = false;      // manufacturer and retailer are separate players: profit_m, profit_n exist
  double kkt_residual = kNaN, deviation_gain = kNaN, solver_error = kNaN;
  const Segmented* segmented = nullptr;  // the segmentation stage's choices (segments = "optimal")
};

namespace detail {

// The paper names no currency, time or quantity unit: CF units "1" (UDUNITS-parseable), the
// paper's unit in the long name.
inline OutputInfo in_units(std::string name, std::string description, const char* paper_unit) {
  return {std::move(name), description + " (in the paper's " + paper_unit + ")", "1"};
}

// Slot of `in` that is lead-time decision q of `layout`, or -1 where `in` does not offer it.
inline int matching_slot(const Instance& layout, const Instance& in, int q) {
  if (&in == &layout) return q;
  for (int j = 0; j < in.n_slots; ++j)
    if (in.slots[j].chain == layout.slots[q].chain && in.slots[j].link == layout.slots[q].link &&
        in.slots[j].copy == layout.slots[q].copy)
      return j;
  return -1;
}

// Calls emit(info, reads_outcome, value) for every output of `layout` in storage order: info() is
// the OutputInfo, value(v) the output at a point, reads_outcome whether value reads v.o. The
// names come from `net`, the network `layout` was configured from.
template <class Emit>
void walk_outputs(const Network& net, const Instance& layout, bool segmented, Emit&& emit) {
  // Names are built inside info() only: a point solver walks this for every point.
  for (int q = 0; q < layout.n_slots; ++q) {
    const Slot& slot = layout.slots[q];
    const std::string& link = net.links[slot.link].name;
    const bool shared = slot.copy < 0;
    const bool one_copy = shared || layout.option_count[slot.chain] == 1;
    emit([&] {
           return detail::in_units(one_copy ? fmt::format("t.{}", link) : fmt::format("t.{}.{}", link, slot.copy + 1),
                             fmt::format("lead time of link {}{}", link, shared ? " (all options)" : ""), "time unit");
         },
         false, [&layout, q](const PointValues& v) {
           const int r = matching_slot(layout, *v.in, q);
           return v.ok && r >= 0 ? v.s->t[r] : kNaN;
         });
  }
  for (int c = 0; c < layout.n_chains; ++c) {
    const std::string& chain = net.chains[c].name;
    for (int k = 0; k < layout.option_count[c]; ++k) {
      const auto sfx = [&] { return fmt::format("{}.{}", chain, k + 1); };
      // Options the solved menus do not offer are NaN.
      const auto option = [c, k](auto read) {
        return [c, k, read](const PointValues& v) {
          const int i = v.in->first_option[c] + k;
          return v.ok && k < v.in->option_count[c] ? read(v, i) : kNaN;
        };
      };
      emit([&] { return detail::in_units("p." + sfx(), "retail price of option " + sfx(), "money unit"); }, false,
           option([](const PointValues& v, int i) { return v.s->p[i]; }));
      emit([&] {
             return detail::in_units("wp." + sfx(),
                               "wholesale price of option " + sfx() + " (centralized: manufacturer's unit cost)", "money unit");
           },
           false, option([](const PointValues& v, int i) { return v.s->wh[i]; }));
      emit([&] { return detail::in_units("T." + sfx(), "lead time of option " + sfx() + " (eq. 1)", "time unit"); }, true,
           option([](const PointValues& v, int i) { return v.o->lead_time[i]; }));
      emit([&] { return detail::in_units("x." + sfx(), "flow of option " + sfx(), "units of product"); }, true,
           option([](const PointValues& v, int i) { return v.o->x[i]; }));
      emit([&] { return OutputInfo{"P." + sfx(), "choice probability of option " + sfx(), "1"}; }, true,
           option([](const PointValues& v, int i) { return v.o->P[i]; }));
      emit([&] { return OutputInfo{"beta." + sfx(), "segment time sensitivity of option " + sfx(), "1"}; }, false,
           option([](const PointValues& v, int i) { return v.in->beta_bar[i]; }));
    }
    emit([&] { return detail::in_units("profit." + chain, "profit of chain " + chain, "money unit"); }, true,
         [c](const PointValues& v) { return v.ok ? v.o->profit_chain[c] : kNaN; });
    emit([&] { return detail::in_units("profit_m." + chain, "profit of the manufacturer of " + chain + " (decentralized)", "money unit"); },
         true, [c](const PointValues& v) { return v.ok && v.stackelberg ? v.o->profit_m[c] : kNaN; });
    emit([&] { return detail::in_units("profit_n." + chain, "profit of the retailer of " + chain + " (decentralized)", "money unit"); },
         true, [c](const PointValues& v) { return v.ok && v.stackelberg ? v.o->profit_n[c] : kNaN; });
  }
  emit([] { return OutputInfo{"no_purchase", "share of customers that buy nothing", "1"}; }, true,
       [](const PointValues& v) { return v.ok ? v.o->no_purchase : kNaN; });
  emit([] { return OutputInfo{"kkt_residual", "largest relative first-order residual over all players", "1"}; }, false,
       [](const PointValues& v) { return v.kkt_residual; });
  emit([] { return OutputInfo{"deviation_gain", "largest relative profit gain of a unilateral deviation found", "1"}; },
       false, [](const PointValues& v) { return v.deviation_gain; });
  emit([] { return OutputInfo{"solver_error", "the solver's own final error", "1"}; }, false,
       [](const PointValues& v) { return v.solver_error; });
  if (!segmented) return;
  emit([] {
         return OutputInfo{"boundary_gain",
                           "largest relative profit gain of an owner moving its segment boundaries with its other "
                           "decisions (part of deviation_gain only with segment_boundaries = equilibrium)",
                           "1"};
       },
       false, [](const PointValues& v) { return v.segmented->ok ? v.segmented->boundary_gain : kNaN; });
  for (int c = 0; c < layout.n_chains; ++c) {
    const int options = layout.option_count[c];
    if (options == 1) continue;
    const std::string& chain = net.chains[c].name;
    emit([&] {
           OutputInfo info{"options." + chain, "optimal number of options of chain " + chain + " (categorical)", "1"};
           for (int k = 1; k <= options; ++k) info.flags.push_back({k, fmt::format("options_{}", k)});
           return info;
         },
         false, [c](const PointValues& v) { return v.segmented->ok ? v.segmented->count[c] : kNaN; });
    for (int k = 1; k < options; ++k)
      emit([&] {
             return OutputInfo{fmt::format("h.{}.{}", chain, k), fmt::format("boundary {} of the chosen menu of {}", k, chain),
                               "1"};
           },
           false, [c, k](const PointValues& v) { return v.segmented->ok ? v.segmented->h[c][k - 1] : kNaN; });
    for (int k = 1; k <= options; ++k)
      emit([&] {
             return detail::in_units(
                 fmt::format("profit_k.{}.{}", chain, k),
                 fmt::format("equilibrium profit of {} offering {} options, the others at their chosen menus", chain, k), "money unit");
           },
           false, [c, k](const PointValues& v) {
             return v.segmented->ok ? v.segmented->profit_by_count[c][k - 1] : kNaN;
           });
  }
}

}  // namespace detail

// The outputs of a model configured from `net` with base instance `layout`.
inline std::vector<OutputInfo> declare_outputs(const Network& net, const Instance& layout, bool segmented) {
  std::vector<OutputInfo> outputs;
  detail::walk_outputs(net, layout, segmented, [&](auto info, bool, auto) { outputs.push_back(info()); });
  return outputs;
}

// Writes output k of point `v` to out[k * stride] where needed[k] (every k if needed is empty).
inline void write_outputs(const Network& net, const Instance& layout, bool segmented, const PointValues& v, double* out,
                          std::size_t stride, const std::vector<bool>& needed) {
  std::size_t k = 0;
  detail::walk_outputs(net, layout, segmented, [&](auto, bool, auto value) {
    if (needed.empty() || needed[k]) out[k * stride] = value(v);
    ++k;
  });
}

// Whether a needed output reads the outcome (demand, lead times, profits), which costs an evaluate().
inline bool outcome_needed(const Network& net, const Instance& layout, bool segmented, const std::vector<bool>& needed) {
  bool any = false;
  std::size_t k = 0;
  detail::walk_outputs(net, layout, segmented, [&](auto, bool reads_outcome, auto) {
    any = any || (reads_outcome && (needed.empty() || needed[k]));
    ++k;
  });
  return any;
}

}  // namespace eqsweep::ma_sue
