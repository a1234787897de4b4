#pragma once
// The cube a spec produces: coordinates, variables (outputs, sensitivities, status,
// iterations, residual), the datasets of the analyses, and the provenance attributes.

#include <memory>
#include <string>

#include "engine/chunk_codec.hpp"
#include "engine/cube_file.hpp"
#include "engine/sweep_spec.hpp"

namespace eqsweep {

CubeLayout cube_layout(const SweepSpec& spec, const std::string& fingerprint, const std::string& analysis_fingerprint,
                       std::shared_ptr<const ChunkCodec> codec);
// The same, computing the fingerprints and the codec from the spec.
CubeLayout cube_layout(const SweepSpec& spec);

}  // namespace eqsweep
