#pragma once
// The on-disk cube: one HDF5 file per sweep in the netCDF-4 layout (every axis a 1-D dimension
// scale attached to every variable), so xarray opens it with named coordinates.
//
// Crash safety: the file uses the HDF5 1.10 format in SWMR-write mode while a sweep runs. SWMR
// flushes metadata in dependency order, so the file on disk is a consistent snapshot at every
// instant, even after kill -9. A tile counts as finished only once `_eqsweep/tiles_done` says
// so, and that flag is written only after the flush that made the tile's chunks durable.
// All HDF5 calls of a sweep happen on one thread.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/chunk_codec.hpp"

namespace eqsweep {

class CubeIoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ElementType : std::uint8_t { f64, u8, i32 };
std::size_t element_size(ElementType t);

struct CubeAxis {
  std::string name, description, units;
  std::vector<double> values;
};

struct CubeVariable {
  std::string name, description, units;
  ElementType type = ElementType::f64;
  double fill = 0;  // cast to the element type; marks cells not yet computed
  std::map<std::string, std::string> string_attributes;  // e.g. flag_meanings
  std::vector<std::int64_t> flag_values;                 // CF flag_values, if any
  std::map<std::string, std::int64_t> integer_attributes = {};  // e.g. quantization_nsb
  int bitround_bits = 0;  // mantissa bits its stored values keep (engine/quantize.hpp); 0: exact
};

// A dataset written once after the sweep (e.g. a threshold cube), over named dimensions: axes
// of the cube or index dimensions of the layout. Created (and space allocated) with the cube, so
// writing it later changes no metadata and stays crash-safe under SWMR.
struct CubeExtra {
  std::string name, description, units;
  std::vector<std::string> dims;
  ElementType type = ElementType::f64;
  double fill = 0;
  std::map<std::string, std::string> string_attributes;
  // Written at creation when not empty (f64 only): data known before the sweep, such as a
  // design's coordinates along its point dimension.
  std::vector<double> values;
};

struct CubeLayout {
  std::vector<CubeAxis> axes;
  std::vector<CubeVariable> variables;
  std::vector<std::pair<std::string, std::size_t>> index_dimensions;  // e.g. {"crossing4", 4}
  // Index dimensions whose length is known only after an analysis ran (e.g. the refined cells of
  // a region map). They are created empty with an unlimited maximum, chunked, and an extra whose
  // first dimension is one of them grows with it: SWMR allows extending a dataset, not creating
  // one, so this keeps writing them crash-safe.
  std::vector<std::string> growable_dimensions;
  std::vector<CubeExtra> extras;
  std::size_t analysis_count = 0;  // entries of _eqsweep/analysis_done
  std::vector<std::size_t> chunk;
  std::shared_ptr<const ChunkCodec> codec;  // how chunks are encoded and which filters declare it
  std::map<std::string, std::string> attributes;  // provenance written at creation

  std::vector<std::size_t> shape() const;
  std::size_t tile_count() const;
};

inline constexpr const char* kTilesDonePath = "/_eqsweep/tiles_done";
inline constexpr const char* kAnalysisDonePath = "/_eqsweep/analysis_done";
// Rows per chunk of a growable extra: 4096 rows of a 9-column f64 table is 288 KiB.
inline constexpr std::size_t kGrowableChunkRows = 4096;

// Read access; opens files left behind by a killed writer too.
class CubeReader {
 public:
  // Throws CubeIoError; a file left open for write by a killed non-SWMR writer is named as such,
  // with the way to recover it (rerun, or clear_open_for_write below).
  explicit CubeReader(const std::string& path);
  ~CubeReader();
  CubeReader(const CubeReader&) = delete;
  CubeReader& operator=(const CubeReader&) = delete;

  bool has_attribute(const std::string& name) const;
  std::string string_attribute(const std::string& name) const;  // throws if missing
  double number_attribute(const std::string& name) const;
  std::vector<std::string> attribute_names() const;
  std::vector<std::uint8_t> tiles_done() const;
  std::vector<std::uint8_t> analysis_done() const;  // empty when the cube has no analyses

  std::vector<std::string> variable_names() const;  // datasets in the root group
  std::vector<std::size_t> dataset_shape(const std::string& name) const;
  std::vector<double> read_f64(const std::string& name) const;  // whole dataset, row-major
  std::vector<std::uint8_t> read_raw(const std::string& name) const;  // whole dataset, native bytes
  std::string dataset_string_attribute(const std::string& dataset, const std::string& attr) const;
  // Adds to counts[v] the number of cells equal to v (v < counts.size()) in the block of the u8
  // dataset `name` that starts at `origin` and spans `extent` (clipped to the dataset). Reads one
  // block at a time, so counting a whole cube tile by tile needs memory for one tile only.
  void count_u8_block(const std::string& name, std::span<const std::size_t> origin,
                      std::span<const std::size_t> extent, std::span<std::size_t> counts) const;

  // The finished tiles (of `origins`, one per tile) with a chunk of `variables` that is missing,
  // unreadable or fails its Fletcher-32 checksum (cubes written before checksums: missing or
  // unreadable only). Reads stored bytes, decodes nothing.
  std::vector<std::size_t> damaged_tiles(const std::vector<std::string>& variables,
                                         const std::vector<std::vector<std::size_t>>& origins) const;
  // Whether every chunk of the dataset is stored with a Fletcher-32 checksum.
  bool checksummed(const std::string& name) const;
  // Reads the whole dataset and discards it: false when HDF5 cannot (a failed checksum included).
  bool dataset_reads(const std::string& name) const;

  // The stored (filtered) bytes of the chunk starting at `origin`, and its filter mask.
  std::vector<std::byte> read_chunk(const std::string& name, std::span<const std::size_t> origin,
                                    std::uint32_t* filter_mask) const;

  std::int64_t id() const { return file_; }

 private:
  std::int64_t file_ = -1;
  std::string path_;
};

// The superblock's file-consistency flags ("open for write", "open for SWMR write"), or 0 for a
// file that is not HDF5 1.10 format or cannot be read. Set on disk while a writer has the file
// open, so a killed writer leaves them behind.
unsigned open_for_write_flags(const std::string& path);
// Clears those flags (what `h5clear -s` does), so that every reader opens the file again. Only
// safe while no process writes the file: callers hold the output lock. Returns whether flags
// were set.
bool clear_open_for_write(const std::string& path);

// Stops HDF5 from closing files at process exit; call first in main(), before any HDF5 call.
// HDF5 1.10.8 cannot close a file once a flush of it failed (a full disk): the close fails
// ("slist already enabled?") and leaves the file half closed, and the exit-time cleanup then
// closes it again and crashes (exit 139). eqsweep closes every file it opens itself, and a file
// that HDF5 cannot close is left as the last commit left it on disk.
void disable_hdf5_exit_cleanup();

// Write access for one sweep run. Create, optionally copy finished tiles from an earlier file,
// start_swmr(), then write tiles and commit them; finish() closes and stamps the end provenance.
class CubeWriter {
 public:
  CubeWriter(const std::string& path, const CubeLayout& layout);
  ~CubeWriter();
  CubeWriter(const CubeWriter&) = delete;
  CubeWriter& operator=(const CubeWriter&) = delete;

  // Copies the finished tiles of `from` chunk by chunk (no recompression); returns their count.
  // A tile with a missing, unreadable or checksum-damaged chunk is not copied (so it is
  // recomputed) and is listed in damaged_tiles().
  std::size_t copy_finished_tiles(const CubeReader& from, const std::vector<std::vector<std::size_t>>& tile_origins);
  void start_swmr();
  // Moves the file to its final name (atomic on one file system); the writer follows it.
  void rename_to(const std::string& path);

  // Reserves disk space for the next tile's chunks plus room for metadata, so that a full disk
  // is met here, before HDF5 allocates anything, and the file stays clean and resumable.
  void reserve(std::size_t bytes);
  void write_chunk(std::size_t variable, std::span<const std::size_t> origin, std::span<const std::byte> bytes);
  // Makes the chunks written so far durable, then records `tiles` as finished.
  void commit(std::span<const std::size_t> tiles);
  // run.durability: sync at every commit (the default), or commits hand the bytes to the kernel
  // only and finish() syncs once (`at_end`) or never.
  void set_durability(bool each_commit, bool at_end) {
    sync_each_commit_ = each_commit;
    sync_at_end_ = at_end;
  }
  std::size_t syncs() const { return syncs_; }  // fdatasync calls so far
  // Early writeback requests so far: a writer that will sync asks the kernel to start writing
  // every 16 MiB of chunks, so the disk works while tiles are solved and the sync finds little
  // left to wait for. Durability is unchanged: only the sync vouches for the bytes.
  std::size_t writebacks_started() const { return writebacks_; }

  const std::vector<std::uint8_t>& tiles_done() const { return done_; }
  const std::vector<std::size_t>& damaged_tiles() const { return damaged_tiles_; }

  // Analyses (thresholds) after the tiles: read a finished variable, write an extra dataset in
  // place, then mark analysis `index` done (after a flush, like tiles).
  // Ends tile writing: the tile datasets are closed first.
  std::vector<double> read_variable(const std::string& name);
  void write_extra(const std::string& name, const void* data);
  // For an extra whose first dimension is growable: sets that dimension (and its scale) to `rows`
  // and writes `data` (rows × the other dimensions, row-major). Idempotent: a second call replaces.
  void write_extra_rows(const std::string& name, std::size_t rows, const void* data);
  void mark_analysis_done(std::size_t index);
  const std::vector<std::uint8_t>& analysis_done() const { return analysis_done_; }

  // Stamps the end provenance while the SWMR session is still open, then closes. A kill at any
  // moment leaves a file that SWMR readers open and a rerun resumes; only the final close clears
  // the superblock's "open for write" flags.
  void finish(const std::map<std::string, std::string>& string_attrs, const std::map<std::string, double>& number_attrs);
  // Closes cleanly without marking anything more as done (after an interruption).
  void abandon() noexcept;
  // Closes after a failure. If an HDF5 write itself failed, HDF5 is not allowed to write
  // anything more, so that the state of the last commit stays on disk.
  void close_after_failure() noexcept;

 private:
  std::string path_;
  CubeLayout layout_;
  std::int64_t file_ = -1;
  std::vector<std::int64_t> datasets_;
  std::int64_t done_dataset_ = -1;
  std::vector<std::uint8_t> done_;
  std::vector<std::size_t> damaged_tiles_;
  std::int64_t analysis_dataset_ = -1;
  std::vector<std::uint8_t> analysis_done_;
  void sync_to_disk();
  // HDF5's cache may be ahead of the disk: from creation until the first flush (start_swmr or a
  // commit), and whenever a write failed after the last commit. A close must then not reach
  // the disk (close_after_failure).
  bool damaged_ = true;
  bool sync_each_commit_ = true;
  bool sync_at_end_ = false;
  std::size_t syncs_ = 0;
  void start_writeback();
  int descriptor() const noexcept;  // HDF5's file descriptor (sec2 driver), or -1
  std::size_t unsynced_bytes_ = 0;  // chunk bytes written since the last sync or writeback request
  std::size_t writebacks_ = 0;
  static constexpr std::size_t kWritebackStep = std::size_t{16} << 20;
  // Room for chunk-index pages and the tiles_done flush that follow a tile's chunks.
  static constexpr std::size_t kMetadataReserve = std::size_t{4} << 20;
};

}  // namespace eqsweep
