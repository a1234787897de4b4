#include "engine/design_csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/sweep_spec.hpp"

namespace eqsweep {

namespace {

struct Field {
  std::string text;
  int column;  // 1-based character column where the field starts
};

std::string trim(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
  return std::string(t);
}

std::vector<Field> split(const std::string& line) {
  std::vector<Field> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::size_t end = comma == std::string::npos ? line.size() : comma;
    std::size_t lead = start;
    while (lead < end && (line[lead] == ' ' || line[lead] == '\t')) ++lead;
    fields.push_back({trim(std::string_view(line).substr(start, end - start)), static_cast<int>(lead) + 1});
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

}  // namespace

DesignTable read_design_csv(const std::string& path, const Model& model) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(path, "", 0, "cannot read the design's point list (does it exist and is it readable?)");
  auto fail = [&](int line, int column, const std::string& message) -> void {
    throw SpecError(fmt::format("{}:{}:{}", path, line, column), "", 0, message);
  };
  DesignTable table;
  std::string line;
  int line_no = 0;
  std::vector<std::string> all_names;
  for (const auto& p : model.parameters()) all_names.push_back(p.name);
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty() || trim(line).front() == '#') continue;
    const auto fields = split(line);
    if (table.names.empty()) {
      std::set<std::string> seen;
      for (const auto& f : fields) {
        const int idx = model.parameter_index(f.text);
        if (idx < 0)
          fail(line_no, f.column, fmt::format("header '{}' is not a parameter of model {}; parameters: {}", f.text,
                                              model.name(), fmt::join(all_names, ", ")));
        if (!seen.insert(f.text).second) fail(line_no, f.column, fmt::format("parameter {} appears twice in the header", f.text));
        table.names.push_back(f.text);
        table.parameters.push_back(idx);
      }
      continue;
    }
    if (fields.size() != table.names.size())
      fail(line_no, fields.size() > table.names.size() ? fields[table.names.size()].column : static_cast<int>(line.size()) + 1,
           fmt::format("{} fields; the header names {} ({})", fields.size(), table.names.size(), fmt::join(table.names, ", ")));
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const Field& f = fields[c];
      double v = 0;
      const char* end = f.text.data() + f.text.size();
      const auto [ptr, ec] = std::from_chars(f.text.data(), end, v);
      if (f.text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v))
        fail(line_no, f.column, fmt::format("{}: '{}' is not a finite number", table.names[c], f.text));
      const ParameterInfo& p = model.parameters()[static_cast<std::size_t>(table.parameters[c])];
      if (!p.domain.contains(v))
        fail(line_no, f.column, fmt::format("{} = {} is outside its domain {}", p.name, f.text, p.domain.describe()));
      table.values.push_back(v);
    }
  }
  if (table.names.empty()) fail(std::max(line_no, 1), 1, "empty: the first line must name the parameters");
  if (table.values.empty()) fail(line_no + 1, 1, "no points after the header");
  return table;
}

}  // namespace eqsweep
