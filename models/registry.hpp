#pragma once
// Every model this build of eqsweep knows, for the command line and the benchmarks.

#include "engine/model.hpp"

namespace eqsweep {

const ModelCatalog& builtin_models();

}  // namespace eqsweep
