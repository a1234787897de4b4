#include "engine/codecs/zstd_filter.hpp"

#include <zstd.h>

namespace {

constexpr H5Z_filter_t kId = 32015;

// The filter of the 32015 convention: the chunk is one Zstandard frame with its content size;
// cd_values[0] is the compression level when encoding (3 when absent). Returns 0 on failure,
// as HDF5 expects, leaving *buf untouched.
size_t zstd_filter(unsigned flags, size_t cd_nelmts, const unsigned cd_values[], size_t nbytes, size_t* buf_size,
                   void** buf) {
  if (flags & H5Z_FLAG_REVERSE) {
    const unsigned long long size = ZSTD_getFrameContentSize(*buf, nbytes);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) return 0;
    void* out = H5allocate_memory(size > 0 ? size : 1, false);
    if (!out) return 0;
    const size_t n = ZSTD_decompress(out, size, *buf, nbytes);
    if (ZSTD_isError(n) || n != size) {
      H5free_memory(out);
      return 0;
    }
    H5free_memory(*buf);
    *buf = out;
    *buf_size = size;
    return n;
  }
  const int level = cd_nelmts > 0 ? static_cast<int>(cd_values[0]) : 3;
  const size_t bound = ZSTD_compressBound(nbytes);
  void* out = H5allocate_memory(bound, false);
  if (!out) return 0;
  const size_t n = ZSTD_compress(out, bound, *buf, nbytes, level);
  if (ZSTD_isError(n)) {
    H5free_memory(out);
    return 0;
  }
  H5free_memory(*buf);
  *buf = out;
  *buf_size = bound;
  return n;
}

const H5Z_class2_t kClass = {
    H5Z_CLASS_T_VERS, kId, 1, 1, "zstd", nullptr, nullptr, zstd_filter,
};

}  // namespace

extern "C" const H5Z_class2_t* eqsweep_zstd_filter_class(void) { return &kClass; }
