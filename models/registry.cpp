#include "models/registry.hpp"

#include "models/ma_sue/ma_sue_model.hpp"
#include "models/ye2025/ye2025_model.hpp"

namespace eqsweep {

const ModelCatalog& builtin_models() {
  static const ye2025::Ye2025Model ye2025;
  static const ma_sue::MaSueModel ma_sue;
  static const ModelCatalog catalog = [] {
    ModelCatalog c;
    c.add(ye2025);
    c.add(ma_sue);
    return c;
  }();
  return catalog;
}

}  // namespace eqsweep
