#include "engine/run_plan.hpp"

#include <oneapi/tbb/info.h>

#include <fmt/format.h>

#include "engine/codecs/fletcher32.hpp"
#include "engine/cube_layout.hpp"
#include "engine/shard.hpp"

namespace eqsweep {

RunPlan make_run_plan(const SweepSpec& spec, const RunOptions& options) {
  const std::string fingerprint = spec.fingerprint();
  RunPlan plan{.spec = &spec,
               .output_path = options.output_path,
               .write_output = options.write_output,
               .stop_requested = options.stop_requested,
               .tiles_in_flight = options.tiles_in_flight,
               .points_done = options.points_done,
               .fingerprint = fingerprint,
               .analysis_fingerprint = spec.analysis_fingerprint(fingerprint),
               .layout = {},
               .grid = TileGrid(spec.shape(), spec.chunk),
               .codec = std::make_shared<Fletcher32Codec>(make_codec(spec.encoding())),  // every chunk checksummed (docs/cube-format.md)
               .element_sizes = {},
               .raw_checksums = {},
               .run = static_cast<const RunSettings&>(spec),
               .sources = options.sources,
               .compute = options.compute,
               .partial_merge = options.partial_merge};
  plan.layout = cube_layout(spec, plan.fingerprint, plan.analysis_fingerprint, plan.codec);
  for (const auto& v : plan.layout.variables) plan.element_sizes.push_back(element_size(v.type));
  if (plan.codec->uses_raw_checksum())
    for (const auto& v : plan.layout.variables) plan.raw_checksums.push_back(v.bitround_bits == 0);

  RunSettings& run = plan.run;
  if (options.threads > 0) run.threads = options.threads;
  if (run.threads <= 0) run.threads = tbb::info::default_concurrency();
  run.overwrite = run.overwrite || options.overwrite;
  if (options.progress) run.progress = *options.progress;
  if (options.progress_interval_s) run.progress_interval_s = *options.progress_interval_s;
  if (options.commit_interval_s) run.commit_interval_s = *options.commit_interval_s;
  if (plan.sharded()) {
    plan.output_path = shard_path(options.output_path, run.shard_index, run.shard_count);
    plan.layout.attributes["shard"] = fmt::format("{}/{}", run.shard_index, run.shard_count);
  }
  return plan;
}

}  // namespace eqsweep
