// A `list` design reads its points from a CSV file; a bad field is refused before any work with
// file:line:column and the allowed range, and a good file becomes the design's points in order.

#include <string>

#include <gtest/gtest.h>

#include "engine/sweep_spec.hpp"
#include "support/test_support.hpp"
#include "support/toy_models.hpp"

namespace eqsweep {
namespace {

using testing::ScratchDir;

const ModelCatalog& catalog() {
  static const testing::cubic::CubicRootModel cubic;
  static const ModelCatalog c = [] {
    ModelCatalog m;
    m.add(cubic);
    return m;
  }();
  return c;
}

std::string refusal(const std::string& csv) {
  ScratchDir dir("design_csv_bad");
  testing::write_text(dir.file("points.csv"), csv);
  const std::string spec = dir.file("list.toml");
  testing::write_text(spec, "model = \"cubic\"\n[fixed]\nfail_a = 99\n[design]\nkind = \"list\"\nfile = \"points.csv\"\n");
  try {
    load_spec(spec, catalog());
  } catch (const SpecError& e) {
    const std::string what = e.what();
    const std::string prefix = dir.file("points.csv") + ":";
    EXPECT_EQ(what.rfind(prefix, 0), 0u) << what;
    return what.substr(prefix.size());
  }
  ADD_FAILURE() << "the list was accepted";
  return {};
}

TEST(DesignCsv, ABadRowIsRefusedWithFileLineAndColumn) {
  // b's domain is (0, inf): row 3 has b = -1 in column 5 ("2.5, -1": '-' is character 6).
  EXPECT_EQ(refusal("a,b\n1.0,2.0\n2.5, -1\n").substr(0, 6), "3:6: b") << refusal("a,b\n1.0,2.0\n2.5, -1\n");
  EXPECT_NE(refusal("a,b\n1.0,2.0\n2.5, -1\n").find("(0, inf)"), std::string::npos);
  EXPECT_EQ(refusal("a,b\n1,2\n\n1,x\n").substr(0, 4), "4:3:");
  EXPECT_EQ(refusal("a,b\n1,2\n1,2,3\n").substr(0, 4), "3:5:");
  EXPECT_EQ(refusal("a,c\n1,2\n").substr(0, 4), "1:3:");
  EXPECT_EQ(refusal("a,a\n1,2\n").substr(0, 4), "1:3:");
  EXPECT_EQ(refusal("a,b\n1,nan\n").substr(0, 4), "2:3:");
  EXPECT_NE(refusal("a,b\n").find("no points"), std::string::npos);
}

TEST(DesignCsv, AGoodListBecomesThePointsInFileOrder) {
  ScratchDir dir("design_csv_good");
  testing::write_text(dir.file("points.csv"), "b,a\n1.5,0.25\n# a comment\n2,-3\r\n0.5,7\n");
  testing::write_text(dir.file("list.toml"),
                      "model = \"cubic\"\n[fixed]\nfail_a = 99\n[design]\nkind = \"list\"\nfile = \"points.csv\"\n");
  const SweepSpec spec = load_spec(dir.file("list.toml"), catalog());
  ASSERT_TRUE(spec.design);
  EXPECT_EQ(spec.point_count(), 3u);
  ASSERT_EQ(spec.design->parameters.size(), 2u);
  EXPECT_EQ(spec.design->parameters[0].name, "b");
  EXPECT_EQ(spec.design->values, (std::vector<double>{1.5, 0.25, 2, -3, 0.5, 7}));
  // The points enter the fingerprint: another file, another cube.
  testing::write_text(dir.file("points.csv"), "b,a\n1.5,0.25\n2,-3\n0.5,8\n");
  EXPECT_NE(load_spec(dir.file("list.toml"), catalog()).fingerprint(), spec.fingerprint());
}

TEST(DesignSpec, BoundsOutsideTheDomainAndMisusedKeysAreRefusedNamingTheKey) {
  auto error = [](const std::string& design) -> std::string {
    try {
      parse_spec("model = \"cubic\"\n[fixed]\nfail_a = 99\n" + design, "d.toml", catalog());
    } catch (const SpecError& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(error("[design]\nkind = \"sobol\"\npoints = 8\n[design.parameters]\na = [0, 1]\nb = [-1, 1]\n")
                .find("design.parameters.b"), std::string::npos);
  EXPECT_NE(error("[design]\nkind = \"sobol\"\npoints = 8\n[design.parameters]\nb = { range = [0, 1], log = true }\na = [0, 1]\n")
                .find("lower > 0"), std::string::npos);
  EXPECT_NE(error("[design]\nkind = \"halton\"\npoints = 8\n").find("design.kind"), std::string::npos);
  EXPECT_NE(error("[design]\nkind = \"morris\"\npoints = 8\nlevels = 5\n[design.parameters]\na = [0, 1]\nb = [1, 2]\n")
                .find("design.levels"), std::string::npos);
  EXPECT_NE(error("[design]\nkind = \"sobol\"\npoints = 8\n[design.parameters]\na = [0, 1]\nb = [1, 2]\n"
                  "[[analysis]]\nmethod = \"sobol\"\nindicator = \"x\"\n")
                .find("saltelli"), std::string::npos);
  EXPECT_NE(error("[design]\nkind = \"sobol\"\npoints = 8\n[design.parameters]\na = [0, 1]\nb = [1, 2]\n"
                  "[[threshold]]\nindicator = \"x\"\naxis = \"point\"\n")
                .find("not available with a [design]"), std::string::npos);
}

}  // namespace
}  // namespace eqsweep
