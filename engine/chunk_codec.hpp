#pragma once
// How a tile's chunks become the bytes on disk. A codec encodes a chunk in a worker thread (so
// compression runs in parallel and the writer only hands finished bytes to H5Dwrite_chunk),
// names the HDF5 filters a dataset declares so that any HDF5 reader with those filters decodes
// the bytes, and decodes for the engine's own readback. A new codec is one class in
// engine/codecs/, one line in make_codec and one choice of the run.compression setting.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eqsweep {

// run.compression
enum class Compression { none, deflate, zstd, blosc };
// run.blosc_codec: the compressor inside Blosc (its compcode in the filter's cd_values).
enum class BloscCompressor { lz4, lz4hc, zstd, zlib };
// run.blosc_shuffle
enum class BloscShuffle { none, byte, bit };

std::string_view compression_name(Compression c);            // "deflate", ...
std::string_view blosc_compressor_name(BloscCompressor c);   // "lz4", ...
std::string_view blosc_shuffle_name(BloscShuffle s);         // "shuffle", "bitshuffle", "noshuffle"

// The storage choice as a spec makes it (run.compression and its sub-options).
struct ChunkEncoding {
  Compression compression = Compression::deflate;
  int level = 4;  // of the chosen compressor: deflate 1-9, zstd 1-19, blosc 1-9; unused for none
  BloscCompressor blosc_compressor = BloscCompressor::lz4;
  BloscShuffle blosc_shuffle = BloscShuffle::byte;
};

// One HDF5 filter of a dataset's pipeline, as H5Pset_filter takes it.
struct FilterDeclaration {
  unsigned id = 0;
  unsigned flags = 0;
  std::vector<unsigned> parameters;  // cd_values
};

class ChunkCodec {
 public:
  virtual ~ChunkCodec() = default;

  // The filters, in pipeline order, of a dataset whose elements are `element_size` bytes.
  virtual std::vector<FilterDeclaration> filters(std::size_t element_size) const = 0;
  // Replaces `out` with the encoded form of `raw`; `scratch` is reused between calls.
  virtual void encode(std::span<const std::byte> raw, std::size_t element_size, std::vector<std::byte>& scratch,
                      std::vector<std::byte>& out) const = 0;
  // Inverse of encode; throws std::runtime_error on bytes that do not decode to `raw_size`.
  virtual void decode(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                      std::vector<std::byte>& out) const = 0;
  // True when encoded bytes are the raw bytes.
  virtual bool identity() const { return false; }
  // True when encoding leaves the raw bytes where they are and at most appends a trailer (a
  // checksum of raw bytes): workers then solve straight into the buffers the writer takes and
  // finish them with encode_in_place, without a copy.
  virtual bool appends_in_place() const { return identity(); }
  // True when the appended trailer is the Fletcher-32 of the raw chunk, which a worker may then
  // take slice by slice while it solves (cheaper than reading the whole chunk back from memory).
  virtual bool uses_raw_checksum() const { return false; }
  // Replaces `chunk` (raw) with its encoded form; any codec can, appends_in_place() ones without
  // copying. `raw_checksum`, when given, is fletcher32(chunk) (only for uses_raw_checksum()).
  virtual void encode_in_place(std::vector<std::byte>& chunk, std::size_t element_size,
                               std::optional<std::uint32_t> /*raw_checksum*/ = {}) const {
    if (identity()) return;
    std::vector<std::byte> scratch, out;
    encode(chunk, element_size, scratch, out);
    chunk.swap(out);
  }
  // What the cube's eqsweep_layout attribute records about the encoding, as key and JSON value.
  virtual std::vector<std::pair<std::string, std::string>> layout_fields() const = 0;
};

std::shared_ptr<const ChunkCodec> make_codec(const ChunkEncoding& encoding);

// Registers, once per process, the HDF5 filters of the codecs that HDF5 does not build in
// (Blosc 32001, Zstd 32015), implemented by the codecs themselves, so that the engine reads
// (H5Dread) and writes such cubes without any HDF5 plugin installed. Called by CubeReader and
// CubeWriter; idempotent and thread-safe.
void register_codec_filters();

// What a reader needs to decode a cube encoded by `compression` (for `eqsweep info` and the
// cube's eqsweep_layout attribute).
std::string reader_requirements(Compression compression);

// One-call forms (tests, tools): make_codec(encoding) and encode or decode.
void encode_chunk(std::span<const std::byte> raw, std::size_t element_size, const ChunkEncoding& encoding,
                  std::vector<std::byte>& scratch, std::vector<std::byte>& out);
void decode_chunk(std::span<const std::byte> encoded, std::size_t element_size, std::size_t raw_size,
                  const ChunkEncoding& encoding, std::vector<std::byte>& out);

}  // namespace eqsweep
