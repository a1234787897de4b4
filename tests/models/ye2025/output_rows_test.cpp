// The engine hands a tile's chunk buffers to the solver as output rows (BatchView::output_rows),
// scattered anywhere in memory. Model Y declares it reaches its outputs only through
// BatchView::row(): with rows in separate buffers it must store exactly the bits of the dense
// layout, for every variant, whatever outputs a sweep reads; and it declares itself closed-form,
// so every result must carry iterations 0 and a NaN residual.

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "models/ye2025/parameters.hpp"
#include "models/ye2025/ye2025_model.hpp"
#include "random_batch.hpp"

namespace eqsweep::ye2025 {
namespace {

void expect_rows_match_dense(const Ye2025Model& model, const std::vector<bool>& needed) {
  const std::size_t n_out = model.outputs().size(), n = 96, stride = 101;
  const std::vector<double> params = testing::random_batch(model, n, stride, 3);
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  for (const char* variant : {"published", "derived", "both"}) {
    ASSERT_TRUE(model.make_solver({variant, {}, needed})->writes_output_rows());
    std::vector<double> dense(n_out * stride, -7.0);
    std::vector<PointResult> dense_r(n), rows_r(n);
    model.make_solver({variant, {}, needed})->solve_batch({n, stride, params.data(), dense.data(), dense_r.data()});
    // One buffer per output, each of its own size, so that any stride arithmetic on `outputs`
    // would land in the wrong place (or in the null pointer the view carries).
    std::vector<std::vector<double>> separate(n_out);
    std::vector<double*> rows(n_out);
    for (std::size_t o = 0; o < n_out; ++o) {
      separate[o].assign(n + o % 5, -7.0);
      rows[o] = separate[o].data();
    }
    BatchView view{n, stride, params.data(), nullptr, rows_r.data()};
    view.output_rows = rows.data();
    model.make_solver({variant, {}, needed})->solve_batch(view);
    std::size_t solved = 0;
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(dense_r[i].status, rows_r[i].status) << variant << " point " << i;
      EXPECT_EQ(rows_r[i].iterations, 0) << variant << " point " << i;
      EXPECT_TRUE(std::isnan(rows_r[i].residual)) << variant << " point " << i;
      solved += rows_r[i].status == PointStatus::solved;
      for (std::size_t o = 0; o < n_out; ++o) {
        if (!needed.empty() && !needed[o]) continue;
        EXPECT_EQ(bits(dense[o * stride + i]), bits(separate[o][i])) << variant << " " << model.outputs()[o].name;
      }
    }
    EXPECT_GT(solved, n / 4) << "too few interior points for the comparison to mean anything";
  }
}

TEST(Ye2025OutputRows, EveryOutputInSeparateRowsMatchesTheDenseLayout) {
  const Ye2025Model model;
  ASSERT_TRUE(model.closed_form());
  expect_rows_match_dense(model, {});
}

TEST(Ye2025OutputRows, ScenariosNAndYAloneInSeparateRowsMatchTheDenseLayout) {
  const Ye2025Model model;
  std::vector<bool> needed(model.outputs().size(), false);
  for (std::size_t o = 0; o < needed.size(); ++o) {
    const std::string& name = model.outputs()[o].name;
    needed[o] = name.starts_with("N.") || name.starts_with("Y.");
  }
  expect_rows_match_dense(model, needed);
}

}  // namespace
}  // namespace eqsweep::ye2025
