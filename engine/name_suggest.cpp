#include "engine/name_suggest.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace eqsweep {

namespace {

// Short lists read better whole than as a guess.
constexpr std::size_t kListWholeUpTo = 12;

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// A name is "close" when at most about a third of it differs (and always for two edits), so
// short names do not suggest everything and long ones still forgive a slip or two.
int closeness_limit(std::string_view wanted) {
  return 2 * std::max<int>(2, static_cast<int>(wanted.size()) / 3);
}

}  // namespace

int name_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  // Optimal string alignment distance over three rows (the swap looks two rows back).
  std::vector<int> before(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = 2 * static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = 2 * static_cast<int>(i);
    for (std::size_t j = 1; j <= m; ++j) {
      const char x = a[i - 1], y = b[j - 1];
      const int sub = x == y ? 0 : fold(x) == fold(y) ? 1 : 2;
      int best = std::min({prev[j] + 2, cur[j - 1] + 2, prev[j - 1] + sub});
      if (i > 1 && j > 1 && fold(x) == fold(b[j - 2]) && fold(a[i - 2]) == fold(y) && fold(x) != fold(y))
        best = std::min(best, before[j - 2] + 2);
      cur[j] = best;
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::vector<std::string> nearest_names(std::string_view wanted, std::span<const std::string> names, std::size_t limit) {
  std::vector<int> dist(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    // Each character of length difference costs an edit, so a name that far off is never close;
    // skipping it keeps a 1 MB mistyped value from costing seconds per name.
    const std::size_t gap = wanted.size() > names[i].size() ? wanted.size() - names[i].size() : names[i].size() - wanted.size();
    dist[i] = 2 * gap > static_cast<std::size_t>(closeness_limit(wanted)) ? std::numeric_limits<int>::max()
                                                                           : name_distance(wanted, names[i]);
  }
  std::vector<std::size_t> order(names.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return dist[x] < dist[y]; });
  std::vector<std::string> out;
  for (std::size_t i : order) {
    if (out.size() >= limit || dist[i] > closeness_limit(wanted)) break;
    out.push_back(names[i]);
  }
  return out;
}

std::string suggestion_text(std::string_view wanted, std::span<const std::string> names, std::string_view listed_by) {
  const auto near = nearest_names(wanted, names);
  std::string out = near.empty() ? "" : fmt::format("; did you mean {}?", fmt::join(near, ", "));
  if (names.size() <= kListWholeUpTo) return out + fmt::format("; allowed: {}", fmt::join(names, ", "));
  return out + fmt::format("; {} names in all, listed by {}", names.size(), listed_by);
}

}  // namespace eqsweep
