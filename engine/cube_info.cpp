#include "engine/cube_info.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/cube_file.hpp"
#include "engine/tile_grid.hpp"

namespace eqsweep {

namespace {

std::array<std::size_t, 4> status_counts(const CubeReader& cube, const nlohmann::json& layout) {
  std::array<std::size_t, 4> counts{0, 0, 0, 0};
  const TileGrid grid(cube.dataset_shape("status"), layout["chunk"].get<std::vector<std::size_t>>());
  const auto done = cube.tiles_done();
  if (done.size() != grid.tile_count())
    throw CubeIoError(fmt::format("the cube records {} tiles but its grid has {}", done.size(), grid.tile_count()));
  for (std::size_t t = 0; t < done.size(); ++t) {
    if (done[t]) cube.count_u8_block("status", grid.tile_origin(t), grid.chunk(), counts);
    else counts[3] += grid.points_in_tile(t);
  }
  return counts;
}

}  // namespace

std::array<std::size_t, 4> cube_status_counts(const std::string& path) {
  CubeReader cube(path);
  return status_counts(cube, nlohmann::json::parse(cube.string_attribute("eqsweep_layout")));
}

nlohmann::ordered_json cube_info_json(const std::string& path) {
  CubeReader cube(path);
  if (!cube.has_attribute("eqsweep_layout")) throw CubeIoError(path + " is an HDF5 file but not an eqsweep cube");
  const auto layout = nlohmann::json::parse(cube.string_attribute("eqsweep_layout"));
  using Json = nlohmann::ordered_json;  // keeps the reading order, which the text follows
  auto attr = [&](const char* name) -> Json {
    return cube.has_attribute(name) ? Json(cube.string_attribute(name)) : Json(nullptr);
  };
  Json j;
  j["path"] = path;
  j["model"] = attr("model");
  j["variant"] = attr("variant");
  j["source"] = attr("source");
  j["fixed_parameters"] = attr("fixed_parameters");
  j["axes"] = Json::array();
  for (const auto& name : layout["axes"]) {
    const std::string n = name.get<std::string>();
    const auto values = cube.read_f64(n);
    j["axes"].push_back({{"name", n},
                         {"size", values.size()},
                         {"first", values.front()},
                         {"last", values.back()},
                         {"long_name", cube.dataset_string_attribute(n, "long_name")}});
  }
  j["variables"] = Json(layout["variables"]);
  j["chunk"] = Json(layout["chunk"]);
  j["compression"] = Json(layout["compression"]);
  // Cubes written before Blosc and Zstd existed have no reader_needs: their filters are built in.
  j["readers"] = layout.value("reader_needs", reader_requirements(Compression::deflate));
  const auto done = cube.tiles_done();
  std::size_t n_done = 0;
  for (auto d : done) n_done += d;
  Json progress{{"tiles_done", n_done}, {"tiles", done.size()}};
  std::size_t shard_index = 0, shard_count = 0;
  if (cube.has_attribute("shard") &&
      std::sscanf(cube.string_attribute("shard").c_str(), "%zu/%zu", &shard_index, &shard_count) == 2 &&
      shard_count > 0) {
    // A shard is complete when it holds its own tiles (t mod N = K), not the whole grid.
    std::size_t owned = 0;
    for (std::size_t t = shard_index; t < done.size(); t += shard_count) ++owned;
    progress["shard"] = {{"index", shard_index}, {"count", shard_count}, {"tiles_owned", owned}};
    progress["complete"] = n_done == owned;
  } else {
    progress["complete"] = n_done == done.size();
  }
  // end_time is the last attribute a run's final stamp writes; a cube killed before it holds its
  // tiles (and maybe not its analyses) and is finished by a rerun.
  progress["end_stamped"] = cube.has_attribute("end_time");
  if (!cube.has_attribute("end_time")) progress["complete"] = false;
  // Set while a writer has the file open, and left set by a killed one.
  progress["open_for_write"] = open_for_write_flags(path) != 0;
  j["progress"] = progress;
  const auto status = status_counts(cube, layout);
  j["status"] = {{"solved", status[0]}, {"infeasible", status[1]}, {"failed", status[2]}, {"not_computed", status[3]}};
  Json prov;
  for (const char* key : {"eqsweep_version", "git_revision", "spec_path", "spec_fingerprint", "created", "end_time"})
    prov[key] = attr(key);
  for (const char* key : {"threads", "wall_seconds", "resumes"})
    if (cube.has_attribute(key)) prov[key] = cube.number_attribute(key);
  j["provenance"] = prov;
  return j;
}

std::string describe_cube(const std::string& path) {
  const nlohmann::ordered_json j = cube_info_json(path);
  auto text = [](const nlohmann::ordered_json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); };
  std::string out = fmt::format("{}\n", path);
  out += fmt::format("  model      {} (variant {})\n", text(j["model"]), text(j["variant"]));
  out += fmt::format("  source     {}\n", text(j["source"]));
  out += fmt::format("  fixed      {}\n", text(j["fixed_parameters"]));
  out += "  axes\n";
  for (const auto& a : j["axes"])
    out += fmt::format("    {:<12} {:>8} points  [{:.6g} .. {:.6g}]  {}\n", a["name"].get<std::string>(),
                       a["size"].get<std::size_t>(), a["first"].get<double>(), a["last"].get<double>(),
                       a["long_name"].get<std::string>());
  out += "  variables\n   ";
  for (const auto& name : j["variables"]) out += " " + name.get<std::string>();
  out += "\n";
  out += fmt::format("  chunk      {} ({})\n", j["chunk"].dump(), j["compression"].get<std::string>());
  out += fmt::format("  readers    {}\n", j["readers"].get<std::string>());
  const auto& p = j["progress"];
  const auto n_done = p["tiles_done"].get<std::size_t>(), tiles = p["tiles"].get<std::size_t>();
  if (p.contains("shard")) {
    out += fmt::format("  progress   shard {} of {}: {}/{} of its tiles finished{}\n", p["shard"]["index"].get<std::size_t>(),
                       p["shard"]["count"].get<std::size_t>(), n_done, p["shard"]["tiles_owned"].get<std::size_t>(),
                       p["complete"].get<bool>() ? "; complete: merge the shards with `eqsweep merge` (docs/cluster.md)"
                                                 : "; incomplete: rerun the shard's command to resume");
  } else {
    const bool unstamped = n_done == tiles && !p["end_stamped"].get<bool>();
    out += fmt::format("  progress   {}/{} tiles finished ({:.1f}%){}\n", n_done, tiles,
                       tiles == 0 ? 100.0 : 100.0 * static_cast<double>(n_done) / static_cast<double>(tiles),
                       p["complete"].get<bool>() ? ", complete"
                       : unstamped
                           ? "; unfinished: the run stopped before its final stamp (no end_time), so its analyses and "
                             "provenance may be missing; rerun the same command to finish it (the tiles are kept)"
                           : ", incomplete: rerun the same command to resume");
  }
  if (p["open_for_write"].get<bool>())
    out += "  open       by its writer (still running, or killed): plain h5py, xarray and h5dump refuse it until a rerun\n"
           "             finishes it; read it now with h5py.File(path, \"r\", swmr=True) (docs/safety.md)\n";
  const auto& st = j["status"];
  const std::size_t solved = st["solved"], infeasible = st["infeasible"], failed = st["failed"],
                    not_computed = st["not_computed"];
  const std::size_t points = solved + infeasible + failed + not_computed;
  auto share = [&](std::size_t n) { return points ? 100.0 * static_cast<double>(n) / static_cast<double>(points) : 0.0; };
  out += fmt::format("  status     {} points: {} solved ({:.1f}%), {} infeasible ({:.1f}%), {} failed ({:.1f}%), {} not "
                     "computed ({:.1f}%)\n",
                     points, solved, share(solved), infeasible, share(infeasible), failed, share(failed), not_computed,
                     share(not_computed));
  out += "  provenance\n";
  for (const auto& [key, value] : j["provenance"].items())
    out += value.is_number() ? fmt::format("    {:<17} {:g}\n", key, value.get<double>())
                             : fmt::format("    {:<17} {}\n", key, text(value));
  return out;
}

}  // namespace eqsweep
