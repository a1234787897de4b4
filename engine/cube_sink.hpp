#pragma once
// Where a run's encoded tiles go. The runner talks to a sink only through this interface: it
// opens one for a plan (creating the cube or resuming it), hands it encoded chunks from the
// writer thread, commits finished tiles, reads stored variables back for the analyses and
// writes their results, and finally closes it. The HDF5 cube (engine/hdf5_cube_sink.*) is the
// one sink today; a shard of a cluster run or another store is a new class behind this seam.
//
// All calls after opening come from one thread at a time.

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace eqsweep {

class CubeSink {
 public:
  virtual ~CubeSink() = default;

  // Tiles finished before this run (resumed), one flag per tile; updated by commit().
  virtual const std::vector<std::uint8_t>& tiles_done() const = 0;

  // Makes room for the next tile's `bytes` before anything of it is written: a full disk is met
  // here (a CubeIoError) and what is committed stays intact.
  virtual void reserve(std::size_t bytes) = 0;
  // One encoded chunk of `tile` for layout variable `variable`.
  virtual void write_chunk(std::size_t variable, std::size_t tile, std::span<const std::byte> bytes) = 0;
  // Makes the chunks written so far durable, then records `tiles` as finished.
  virtual void commit(std::span<const std::size_t> tiles) = 0;

  // Analyses, after the last tile: read a stored variable back, write an analysis result, mark
  // analysis `index` done (durably, like tiles).
  virtual const std::vector<std::uint8_t>& analysis_done() const = 0;
  virtual std::vector<double> read_variable(const std::string& name) = 0;
  virtual void write_extra(const std::string& name, const void* data) = 0;
  // For results whose length is known only now (rows of a growable dimension).
  virtual void write_extra_rows(const std::string& name, std::size_t rows, const void* data) = 0;
  virtual void mark_analysis_done(std::size_t index) = 0;

  // Ends a complete run, stamping the end provenance.
  virtual void finish(const std::map<std::string, std::string>& string_attrs,
                      const std::map<std::string, double>& number_attrs) = 0;
  // Ends an interrupted run: what is committed stays, nothing more is marked done.
  virtual void abandon() noexcept = 0;
  // Ends after a failure, without touching what the last commit made durable.
  virtual void close_after_failure() noexcept = 0;
};

}  // namespace eqsweep
