#pragma once
// The analyses after the tiles: thresholds, then region maps. Each reads its indicator over the
// stored grid, refines it by new solves, writes its datasets and is marked done, so a resume
// runs only the ones not yet done.

#include <string>
#include <vector>

#include "engine/cube_sink.hpp"
#include "engine/run_plan.hpp"

namespace eqsweep {

// Runs every analysis the sink has not marked done; returns one summary line per analysis run.
std::vector<std::string> run_analyses(const RunPlan& plan, CubeSink& sink);

}  // namespace eqsweep
