#include "engine/shard.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/hdf5_cube_sink.hpp"

namespace eqsweep {

std::string shard_path(const std::string& output, std::size_t index, std::size_t count) {
  const std::string tag = fmt::format(".shard-{}-of-{}", index, count);
  if (output.size() > 3 && output.compare(output.size() - 3, 3, ".h5") == 0)
    return output.substr(0, output.size() - 3) + tag + ".h5";
  return output + tag;
}

namespace {

std::vector<SpecOverride> overrides_of(const std::string& text) {
  std::vector<SpecOverride> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    const auto eq = line.find(" = ");
    if (eq != std::string::npos) out.push_back({line.substr(0, eq), line.substr(eq + 3), {}});
    start = end + 1;
  }
  return out;
}

// "3 tiles: 4, 12, 20" with at most a few listed.
std::string tile_list(const std::vector<std::size_t>& tiles) {
  constexpr std::size_t kShown = 8;
  std::vector<std::size_t> shown(tiles.begin(), tiles.begin() + static_cast<std::ptrdiff_t>(std::min(tiles.size(), kShown)));
  return fmt::format("{} tile{}: {}{}", tiles.size(), tiles.size() == 1 ? "" : "s", fmt::join(shown, ", "),
                     tiles.size() > kShown ? ", ..." : "");
}

}  // namespace

SweepSpec load_spec_from_cube(const std::string& cube_path, const ModelCatalog& catalog) {
  const CubeReader cube(cube_path);
  for (const char* attr : {"spec", "spec_path", "spec_fingerprint"})
    if (!cube.has_attribute(attr))
      throw std::runtime_error(fmt::format("{} has no '{}' attribute: not an eqsweep cube", cube_path, attr));
  const std::string overrides = cube.has_attribute("spec_overrides") ? cube.string_attribute("spec_overrides") : "";
  // Long value lists are stored once, as the coordinates (SweepSpec::cube_text).
  SweepSpec spec = parse_spec(cube.string_attribute("spec"), cube.string_attribute("spec_path"), catalog,
                              overrides_of(overrides), [&](const std::string& axis) {
                                try {
                                  return cube.read_f64(axis);
                                } catch (const std::exception&) {
                                  return std::vector<double>{};  // refused with the counts
                                }
                              });
  const std::string stored = cube.string_attribute("spec_fingerprint");
  if (spec.fingerprint() != stored)
    throw std::runtime_error(fmt::format(
        "{}: its spec ({}) no longer gives the cube's fingerprint ({} in the cube, {} now): {}", cube_path,
        cube.string_attribute("spec_path"), stored.substr(0, 12), spec.fingerprint().substr(0, 12),
        fmt::join(canonical_differences(cube.string_attribute("spec_canonical"), spec.canonical_json()), "; ")));
  return spec;
}

std::vector<MergeSource> open_merge_sources(const RunPlan& plan) {
  std::vector<MergeSource> sources;
  std::vector<std::string> problems;
  std::map<std::size_t, std::string> by_index;
  const std::size_t tiles = plan.grid.tile_count();
  for (const auto& path : plan.sources) {
    MergeSource s;
    s.path = path;
    try {
      s.reader = std::make_unique<CubeReader>(path);
    } catch (const std::exception& e) {
      problems.push_back(fmt::format("{}: cannot be read ({})", path, e.what()));
      continue;
    }
    const CubeReader& r = *s.reader;
    if (!r.has_attribute("shard") || !r.has_attribute("spec_fingerprint")) {
      problems.push_back(fmt::format("{}: not a shard cube (written without --shard)", path));
      continue;
    }
    if (r.string_attribute("spec_fingerprint") != plan.fingerprint) {
      problems.push_back(fmt::format("{}: written by a different spec (fingerprint {}, {} expected)", path,
                                     r.string_attribute("spec_fingerprint").substr(0, 12), plan.fingerprint.substr(0, 12)));
      continue;
    }
    const std::string shard = r.string_attribute("shard");
    if (std::sscanf(shard.c_str(), "%zu/%zu", &s.index, &s.count) != 2 || s.count == 0 || s.index >= s.count) {
      problems.push_back(fmt::format("{}: malformed shard attribute '{}'", path, shard));
      continue;
    }
    if (!sources.empty() && s.count != sources.front().count) {
      problems.push_back(fmt::format("{}: shard {} of {}, but {} is a shard of {}", path, s.index, s.count,
                                     sources.front().path, sources.front().count));
      continue;
    }
    if (auto [it, fresh] = by_index.emplace(s.index, path); !fresh) {
      problems.push_back(fmt::format("{}: shard {} of {} is given twice (also {})", path, s.index, s.count, it->second));
      continue;
    }
    const auto done = r.tiles_done();
    if (done.size() != tiles) {
      problems.push_back(fmt::format("{}: {} tiles, the spec has {}", path, done.size(), tiles));
      continue;
    }
    std::vector<std::size_t> foreign, missing;
    for (std::size_t t = 0; t < tiles; ++t) {
      const bool owner = t % s.count == s.index;
      if (done[t] && !owner) foreign.push_back(t);
      if (done[t]) ++s.tiles_done;
      else if (owner) missing.push_back(t);
    }
    if (!foreign.empty())
      problems.push_back(fmt::format("{}: holds tiles another shard owns ({})", path, tile_list(foreign)));
    if (!missing.empty() && !plan.partial_merge)
      problems.push_back(fmt::format("{}: shard {} of {} is unfinished, missing {} (rerun its command to resume it, "
                                     "or merge with --partial)",
                                     path, s.index, s.count, tile_list(missing)));
    sources.push_back(std::move(s));
  }
  if (problems.empty() && !sources.empty() && !plan.partial_merge) {
    // Name the missing shards' files the way the given ones are named.
    const MergeSource& given = sources.front();
    const std::string tag = fmt::format(".shard-{}-of-{}", given.index, given.count);
    const auto at = given.path.rfind(tag);
    auto expected_path = [&](std::size_t k) {
      if (at == std::string::npos) return shard_path(plan.output_path, k, given.count);
      return given.path.substr(0, at) + fmt::format(".shard-{}-of-{}", k, given.count) + given.path.substr(at + tag.size());
    };
    std::vector<std::size_t> absent;
    for (std::size_t k = 0; k < sources.front().count; ++k)
      if (!by_index.count(k)) absent.push_back(k);
    if (!absent.empty())
      problems.push_back(fmt::format("shard{} {} of {} missing (expected {})", absent.size() == 1 ? "" : "s",
                                     fmt::join(absent, ", "), sources.front().count,
                                     fmt::join([&] {
                                       std::vector<std::string> names;
                                       for (std::size_t k : absent)
                                         names.push_back(expected_path(k));
                                       return names;
                                     }(), ", ")));
  }
  if (!problems.empty())
    throw OutputRefused(fmt::format("cannot merge into {}, nothing was written:\n  {}", plan.output_path,
                                    fmt::join(problems, "\n  ")));
  return sources;
}

}  // namespace eqsweep
