#include "engine/cube_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <nlohmann/json.hpp>

#include "engine/codecs/fletcher32.hpp"

namespace eqsweep {

namespace {

// HDF5 reports errors through a stack; collect its innermost messages into our exception
// instead of letting the library print to stderr.
herr_t collect_error(unsigned, const H5E_error2_t* err, void* data) {
  auto* messages = static_cast<std::vector<std::string>*>(data);
  if (!err->desc || !*err->desc) return 0;
  std::string text = err->desc;
  // The file driver packs the system error into a long record (time, buffer address, ...);
  // keep its first words and the system's own message, e.g. "file write failed: File too large".
  const std::string marker = "error message = '";
  if (const auto at = text.find(marker); at != std::string::npos) {
    const auto end = text.find('\'', at + marker.size());
    text = text.substr(0, text.find(':')) + ": " + text.substr(at + marker.size(), end - at - marker.size());
  }
  messages->push_back(std::move(text));
  return 0;
}

std::string hdf5_error_text() {
  std::vector<std::string> messages;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &messages);
  H5Eclear2(H5E_DEFAULT);
  std::string text;
  // The deepest entries carry the system error (e.g. "No space left on device").
  for (auto it = messages.rbegin(); it != messages.rend() && it - messages.rbegin() < 3; ++it) {
    if (!text.empty()) text += "; ";
    text += *it;
  }
  return text.empty() ? "unknown HDF5 error" : text;
}

void silence_hdf5() {
  thread_local const bool once = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)once;
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw CubeIoError(fmt::format("{}: {}", what, hdf5_error_text()));
  return id;
}

void check_status(herr_t rc, const std::string& what) {
  if (rc < 0) throw CubeIoError(fmt::format("{}: {}", what, hdf5_error_text()));
}

// Closes an HDF5 identifier of any kind at scope exit.
class Handle {
 public:
  explicit Handle(hid_t id = -1) : id_(id) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = -1; }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }
  void reset() {
    if (id_ >= 0) H5Idec_ref(id_);
    id_ = -1;
  }

 private:
  hid_t id_;
};

hid_t native_type(ElementType t) {
  switch (t) {
    case ElementType::f64: return H5T_NATIVE_DOUBLE;
    case ElementType::u8: return H5T_NATIVE_UINT8;
    case ElementType::i32: return H5T_NATIVE_INT32;
  }
  return H5T_NATIVE_DOUBLE;
}

// File types are fixed little-endian so a cube's bytes do not depend on the writing machine.
hid_t file_type(ElementType t) {
  switch (t) {
    case ElementType::f64: return H5T_IEEE_F64LE;
    case ElementType::u8: return H5T_STD_U8LE;
    case ElementType::i32: return H5T_STD_I32LE;
  }
  return H5T_IEEE_F64LE;
}

Handle utf8_string_type() {
  Handle t(check(H5Tcopy(H5T_C_S1), "string type"));
  check_status(H5Tset_size(t, H5T_VARIABLE), "string type");
  check_status(H5Tset_cset(t, H5T_CSET_UTF8), "string type");
  return t;
}

void write_string_attribute(hid_t obj, const std::string& name, const std::string& value) {
  if (H5Aexists(obj, name.c_str()) > 0) check_status(H5Adelete(obj, name.c_str()), "delete attribute " + name);
  Handle type = utf8_string_type();
  Handle space(check(H5Screate(H5S_SCALAR), "dataspace"));
  Handle attr(check(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name));
  const char* ptr = value.c_str();
  check_status(H5Awrite(attr, type, &ptr), "write attribute " + name);
}

void write_number_attribute(hid_t obj, const std::string& name, double value) {
  if (H5Aexists(obj, name.c_str()) > 0) check_status(H5Adelete(obj, name.c_str()), "delete attribute " + name);
  Handle space(check(H5Screate(H5S_SCALAR), "dataspace"));
  Handle attr(check(H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT),
                    "create attribute " + name));
  check_status(H5Awrite(attr, H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

void write_int_array_attribute(hid_t obj, const std::string& name, const std::vector<std::int64_t>& values,
                               hid_t file_t) {
  const hsize_t n = values.size();
  Handle space(check(H5Screate_simple(1, &n, nullptr), "dataspace"));
  Handle attr(check(H5Acreate2(obj, name.c_str(), file_t, space, H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name));
  check_status(H5Awrite(attr, H5T_NATIVE_INT64, values.data()), "write attribute " + name);
}

std::string read_string_attribute(hid_t obj, const std::string& name) {
  Handle attr(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name));
  Handle ftype(check(H5Aget_type(attr), "attribute type"));
  if (H5Tget_class(ftype) != H5T_STRING) throw CubeIoError("attribute " + name + " is not a string");
  if (H5Tis_variable_str(ftype) > 0) {
    Handle type = utf8_string_type();
    char* ptr = nullptr;
    check_status(H5Aread(attr, type, &ptr), "read attribute " + name);
    std::string value = ptr ? ptr : "";
    Handle space(check(H5Aget_space(attr), "attribute space"));
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, &ptr);
    return value;
  }
  const std::size_t size = H5Tget_size(ftype);
  std::string value(size, '\0');
  Handle mtype(check(H5Tcopy(H5T_C_S1), "string type"));
  H5Tset_size(mtype, size);
  check_status(H5Aread(attr, mtype, value.data()), "read attribute " + name);
  value.resize(std::strlen(value.c_str()));
  return value;
}

std::vector<hsize_t> to_hsize(std::span<const std::size_t> v) { return {v.begin(), v.end()}; }

bool has_fletcher32(hid_t dataset) {
  Handle dcpl(check(H5Dget_create_plist(dataset), "creation properties"));
  unsigned flags = 0;
  std::size_t nelem = 0;
  const bool found = H5Pget_filter_by_id2(dcpl, H5Z_FILTER_FLETCHER32, &flags, &nelem, nullptr, 0, nullptr, nullptr) >= 0;
  H5Eclear2(H5E_DEFAULT);
  return found;
}

// The stored bytes of one chunk, or nothing when the chunk is missing or unreadable.
std::optional<std::vector<std::byte>> stored_chunk(hid_t dataset, const hsize_t* offset, std::uint32_t* mask) {
  hsize_t size = 0;
  if (H5Dget_chunk_storage_size(dataset, offset, &size) < 0 || size == 0) {
    H5Eclear2(H5E_DEFAULT);
    return std::nullopt;
  }
  std::vector<std::byte> bytes(size);
  if (H5Dread_chunk(dataset, H5P_DEFAULT, offset, mask, bytes.data()) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return std::nullopt;
  }
  return bytes;
}


}  // namespace

std::size_t element_size(ElementType t) {
  switch (t) {
    case ElementType::f64: return 8;
    case ElementType::u8: return 1;
    case ElementType::i32: return 4;
  }
  return 8;
}

std::vector<std::size_t> CubeLayout::shape() const {
  std::vector<std::size_t> s;
  for (const auto& a : axes) s.push_back(a.values.size());
  return s;
}

std::size_t CubeLayout::tile_count() const {
  std::size_t n = 1;
  for (std::size_t d = 0; d < axes.size(); ++d) n *= (axes[d].values.size() + chunk[d] - 1) / chunk[d];
  return n;
}

// ---------------------------------------------------------------------------------------------
// Superblock status flags (HDF5 1.10 format, superblock versions 2 and 3 at offset 0):
// signature (8 bytes), version, size of offsets, size of lengths, consistency flags, then the
// base, extension and end-of-file addresses.

namespace {

constexpr unsigned kSwmrWriteFlag = 0x04;
constexpr unsigned kMetadataReadAttempts = 4;

struct SuperblockHead {
  unsigned flags = 0;
  std::uint64_t end_of_file = 0;  // the end of allocation HDF5 last recorded on disk
  bool valid = false;
};

SuperblockHead read_superblock_head(int fd) {
  unsigned char b[36] = {};
  SuperblockHead head;
  if (::pread(fd, b, sizeof b, 0) != static_cast<ssize_t>(sizeof b)) return head;
  static constexpr unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (std::memcmp(b, signature, 8) != 0 || (b[8] != 2 && b[8] != 3) || b[9] != 8) return head;
  head.flags = b[11];
  for (int i = 7; i >= 0; --i) head.end_of_file = (head.end_of_file << 8) | b[28 + i];
  head.valid = true;
  return head;
}

// A SWMR writer's close does not truncate the file, so the space reserve() took ahead of HDF5's
// allocation stays allocated unless it is given back here. Past the end of allocation that the
// superblock on disk records, nothing on disk refers to any byte.
void release_reservation(const std::string& path) noexcept {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  const SuperblockHead head = read_superblock_head(fd);
  struct stat st {};
  if (head.valid && head.end_of_file > 0 && ::fstat(fd, &st) == 0 &&
      static_cast<std::uint64_t>(st.st_size) > head.end_of_file)
    (void)::ftruncate(fd, static_cast<off_t>(head.end_of_file));
  ::close(fd);
}

}  // namespace

unsigned open_for_write_flags(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  const SuperblockHead head = read_superblock_head(fd);
  ::close(fd);
  return head.valid ? head.flags : 0;
}

void disable_hdf5_exit_cleanup() { H5dont_atexit(); }

namespace {

// Bytes of the datasets a new cube writes when it is created: coordinates, bookkeeping, and the
// extras allocated up front (a growable one starts empty).
std::size_t creation_bytes(const CubeLayout& layout) {
  std::map<std::string, std::size_t> length;
  std::size_t bytes = 9 * layout.tile_count() + 5 * layout.analysis_count;
  for (const auto& axis : layout.axes) {
    length[axis.name] = axis.values.size();
    bytes += 8 * axis.values.size();
  }
  for (const auto& [name, n] : layout.index_dimensions) {
    length[name] = n;
    bytes += 4 * n;
  }
  for (const auto& name : layout.growable_dimensions) length[name] = 0;
  for (const auto& extra : layout.extras) {
    std::size_t cells = 1;
    for (const auto& d : extra.dims) cells *= length.count(d) ? length[d] : 0;
    bytes += cells * element_size(extra.type);
  }
  return bytes;
}

}  // namespace

bool clear_open_for_write(const std::string& path) {
  if (open_for_write_flags(path) == 0) return false;
  silence_hdf5();
  register_codec_filters();
  Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), "fapl"));
  hbool_t clear = true;
  // The property h5clear sets; HDF5 1.10 has no other public way to clear the flags.
  check_status(H5Pset(fapl, "clear_status_flags", &clear), "clear status flags");
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl);
  if (file < 0) throw CubeIoError(fmt::format("{}: cannot clear its open-for-write mark: {}", path, hdf5_error_text()));
  check_status(H5Fclose(file), fmt::format("{}: close after clearing its open-for-write mark", path));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Reader

CubeReader::CubeReader(const std::string& path) : path_(path) {
  silence_hdf5();
  register_codec_filters();  // Blosc and Zstd cubes read and write without HDF5 plugins
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw CubeIoError(fmt::format("{} is not a readable HDF5 file", path));
  }
  // A damaged checksum is retried by SWMR readers (100 times by default, per metadata read), which
  // made a corrupt cube hang for minutes; a live writer's torn read needs only a few retries.
  Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), "fapl"));
  check_status(H5Pset_metadata_read_attempts(fapl, kMetadataReadAttempts), "metadata read attempts");
  // SWMR read opens a file whose writer was killed; plain read opens files of older formats.
  file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl);
  if (file_ < 0) {
    H5Eclear2(H5E_DEFAULT);
    file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl);
  }
  if (file_ < 0) {
    const std::string why = hdf5_error_text();
    const unsigned flags = open_for_write_flags(path);
    if (flags != 0 && !(flags & kSwmrWriteFlag))
      throw CubeIoError(fmt::format(
          "{} was left marked open for write by a writer that was killed; rerun the same `eqsweep run` command to "
          "recover and finish it (or clear the mark with `h5clear -s {}`)",
          path, path));
    throw CubeIoError(fmt::format("open {}: {}", path, why));
  }
}

CubeReader::~CubeReader() {
  if (file_ >= 0) H5Fclose(file_);
}

bool CubeReader::has_attribute(const std::string& name) const { return H5Aexists(file_, name.c_str()) > 0; }

std::string CubeReader::string_attribute(const std::string& name) const { return read_string_attribute(file_, name); }

double CubeReader::number_attribute(const std::string& name) const {
  Handle attr(check(H5Aopen(file_, name.c_str(), H5P_DEFAULT), "open attribute " + name));
  double v = 0;
  check_status(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), "read attribute " + name);
  return v;
}

std::vector<std::string> CubeReader::attribute_names() const {
  std::vector<std::string> names;
  H5O_info_t info;
  check_status(H5Oget_info2(file_, &info, H5O_INFO_NUM_ATTRS), "object info");
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    char buf[256];
    const ssize_t n = H5Aget_name_by_idx(file_, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, buf, sizeof buf, H5P_DEFAULT);
    if (n < 0) {
      H5Eclear2(H5E_DEFAULT);
      H5Aget_name_by_idx(file_, ".", H5_INDEX_NAME, H5_ITER_INC, i, buf, sizeof buf, H5P_DEFAULT);
    }
    names.emplace_back(buf);
  }
  return names;
}

std::vector<std::uint8_t> CubeReader::tiles_done() const {
  Handle ds(check(H5Dopen2(file_, kTilesDonePath, H5P_DEFAULT), fmt::format("{}: no {} (not an eqsweep cube?)", path_, kTilesDonePath)));
  Handle space(check(H5Dget_space(ds), "dataspace"));
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<std::uint8_t> done(static_cast<std::size_t>(n));
  check_status(H5Dread(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, done.data()), "read tiles_done");
  return done;
}

std::vector<std::uint8_t> CubeReader::analysis_done() const {
  if (H5Lexists(file_, "/_eqsweep", H5P_DEFAULT) <= 0 || H5Lexists(file_, kAnalysisDonePath, H5P_DEFAULT) <= 0) return {};
  Handle ds(check(H5Dopen2(file_, kAnalysisDonePath, H5P_DEFAULT), "open analysis_done"));
  Handle space(check(H5Dget_space(ds), "dataspace"));
  std::vector<std::uint8_t> done(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  check_status(H5Dread(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, done.data()), "read analysis_done");
  return done;
}

std::vector<std::string> CubeReader::variable_names() const {
  std::vector<std::string> names;
  H5G_info_t info;
  check_status(H5Gget_info(file_, &info), "group info");
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    char buf[512];
    H5Lget_name_by_idx(file_, ".", H5_INDEX_NAME, H5_ITER_INC, i, buf, sizeof buf, H5P_DEFAULT);
    H5O_info_t oinfo;
    if (H5Oget_info_by_name2(file_, buf, &oinfo, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 && oinfo.type == H5O_TYPE_DATASET)
      names.emplace_back(buf);
  }
  return names;
}

std::vector<std::size_t> CubeReader::dataset_shape(const std::string& name) const {
  Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open dataset " + name));
  Handle space(check(H5Dget_space(ds), "dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return {dims.begin(), dims.end()};
}

std::vector<double> CubeReader::read_f64(const std::string& name) const {
  Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open dataset " + name));
  Handle space(check(H5Dget_space(ds), "dataspace"));
  std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (v.empty()) return v;  // e.g. a region map without refined cells
  check_status(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + name);
  return v;
}

std::vector<std::uint8_t> CubeReader::read_raw(const std::string& name) const {
  Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open dataset " + name));
  Handle space(check(H5Dget_space(ds), "dataspace"));
  Handle ftype(check(H5Dget_type(ds), "type"));
  Handle mtype(check(H5Tget_native_type(ftype, H5T_DIR_ASCEND), "native type"));
  const std::size_t n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<std::uint8_t> v(n * H5Tget_size(mtype));
  if (v.empty()) return v;
  check_status(H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + name);
  return v;
}

std::string CubeReader::dataset_string_attribute(const std::string& dataset, const std::string& attr) const {
  Handle ds(check(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open dataset " + dataset));
  return read_string_attribute(ds, attr);
}

void CubeReader::count_u8_block(const std::string& name, std::span<const std::size_t> origin,
                                std::span<const std::size_t> extent, std::span<std::size_t> counts) const {
  Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open dataset " + name));
  Handle space(check(H5Dget_space(ds), "dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0 || static_cast<std::size_t>(rank) != origin.size() || origin.size() != extent.size())
    throw CubeIoError(fmt::format("{}: a block of rank {} does not fit the dataset's rank {}", name, origin.size(), rank));
  std::vector<hsize_t> dims(origin.size()), start(origin.size()), count(origin.size());
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  std::size_t cells = 1;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (origin[d] >= dims[d]) return;
    start[d] = origin[d];
    count[d] = std::min<hsize_t>(extent[d], dims[d] - origin[d]);
    cells *= count[d];
  }
  check_status(H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
               "select block of " + name);
  Handle memory(check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "memory space"));
  std::vector<std::uint8_t> values(cells);
  check_status(H5Dread(ds, H5T_NATIVE_UINT8, memory, space, H5P_DEFAULT, values.data()), "read block of " + name);
  for (std::uint8_t v : values)
    if (v < counts.size()) ++counts[v];
}

std::vector<std::size_t> CubeReader::damaged_tiles(const std::vector<std::string>& variables,
                                                   const std::vector<std::vector<std::size_t>>& origins) const {
  const auto done = tiles_done();
  std::vector<Handle> sets;
  std::vector<bool> checked;
  for (const auto& name : variables) {
    sets.emplace_back(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), fmt::format("{}: open {}", path_, name)));
    checked.push_back(has_fletcher32(sets.back()));
  }
  std::vector<std::size_t> damaged;
  for (std::size_t t = 0; t < done.size() && t < origins.size(); ++t) {
    if (!done[t]) continue;
    const auto offset = to_hsize(origins[t]);
    for (std::size_t v = 0; v < sets.size(); ++v) {
      std::uint32_t mask = 0;
      const auto bytes = stored_chunk(sets[v], offset.data(), &mask);
      if (!bytes || (checked[v] && !fletcher32_intact(*bytes))) {
        damaged.push_back(t);
        break;
      }
    }
  }
  return damaged;
}

bool CubeReader::checksummed(const std::string& name) const {
  Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), fmt::format("{}: open {}", path_, name)));
  return has_fletcher32(ds);
}

bool CubeReader::dataset_reads(const std::string& name) const {
  const hid_t ds = H5Dopen2(file_, name.c_str(), H5P_DEFAULT);
  if (ds < 0) {
    H5Eclear2(H5E_DEFAULT);
    return false;
  }
  Handle owner(ds);
  Handle space(check(H5Dget_space(ds), "dataspace"));
  Handle ftype(check(H5Dget_type(ds), "type"));
  Handle mtype(check(H5Tget_native_type(ftype, H5T_DIR_ASCEND), "native type"));
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  if (n == 0) return true;
  std::vector<std::byte> buf(n * H5Tget_size(mtype));
  const bool ok = H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) >= 0;
  if (!ok) H5Eclear2(H5E_DEFAULT);
  return ok;
}

std::vector<std::byte> CubeReader::read_chunk(const std::string& name, std::span<const std::size_t> origin,
                                              std::uint32_t* filter_mask) const {
  Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "open dataset " + name));
  const auto offset = to_hsize(origin);
  hsize_t bytes = 0;
  check_status(H5Dget_chunk_storage_size(ds, offset.data(), &bytes), "chunk size of " + name);
  std::vector<std::byte> buf(bytes);
  check_status(H5Dread_chunk(ds, H5P_DEFAULT, offset.data(), filter_mask, buf.data()), "read chunk of " + name);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Writer

CubeWriter::CubeWriter(const std::string& path, const CubeLayout& layout) : path_(path), layout_(layout) {
  silence_hdf5();
  register_codec_filters();  // Blosc and Zstd cubes read and write without HDF5 plugins
  Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), "fapl"));
  // SWMR needs the 1.10 file format.
  check_status(H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST), "libver bounds");
  Handle fcpl(check(H5Pcreate(H5P_FILE_CREATE), "fcpl"));
  // netCDF-4 readers expect attribute and link creation order to be tracked.
  check_status(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "creation order");
  check_status(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "creation order");
  file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl);
  if (file_ < 0) throw CubeIoError(fmt::format("cannot create {}: {}", path, hdf5_error_text()));

  try {
    // HDF5 writes coordinates and early-allocated datasets while the cube is built (a dataset's
    // close flushes its chunks): their space is taken first, so that a full disk fails here
    // and no HDF5 write fails (a failed write leaves HDF5 unable to close the file cleanly).
    reserve(creation_bytes(layout_));
    const auto shape = layout_.shape();
    const std::size_t rank = shape.size();

    // Coordinates: one 1-D dimension scale per axis.
    std::vector<Handle> scales;
    for (const auto& axis : layout_.axes) {
      const hsize_t n = axis.values.size();
      Handle space(check(H5Screate_simple(1, &n, nullptr), "dataspace"));
      Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
      H5Pset_obj_track_times(dcpl, false);
      // Checksummed like the variables, so a damaged coordinate fails to read instead of
      // handing out wrong values; chunks of at most 1 MiB.
      const hsize_t axis_chunk = std::min<hsize_t>(std::max<hsize_t>(n, 1), hsize_t{1} << 17);
      check_status(H5Pset_chunk(dcpl, 1, &axis_chunk), "chunk coordinate " + axis.name);
      check_status(H5Pset_fletcher32(dcpl), "checksum coordinate " + axis.name);
      Handle ds(check(H5Dcreate2(file_, axis.name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                      "create coordinate " + axis.name));
      check_status(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, axis.values.data()),
                   "write coordinate " + axis.name);
      check_status(H5DSset_scale(ds, axis.name.c_str()), "dimension scale " + axis.name);
      write_string_attribute(ds, "long_name", axis.description);
      write_string_attribute(ds, "units", axis.units);
      scales.push_back(std::move(ds));
    }

    const auto dims = to_hsize(shape);
    const auto chunk = to_hsize(layout_.chunk);
    for (const auto& var : layout_.variables) {
      Handle space(check(H5Screate_simple(static_cast<int>(rank), dims.data(), nullptr), "dataspace"));
      Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
      H5Pset_obj_track_times(dcpl, false);
      check_status(H5Pset_chunk(dcpl, static_cast<int>(rank), chunk.data()), "chunk " + var.name);
      // Declared in pipeline order; the bytes themselves come encoded from the workers.
      for (const auto& f : layout_.codec->filters(element_size(var.type)))
        check_status(H5Pset_filter(dcpl, f.id, f.flags, f.parameters.size(), f.parameters.data()),
                     fmt::format("filter {} on {}", f.id, var.name));
      std::int64_t ifill = static_cast<std::int64_t>(var.fill);
      std::uint8_t ufill = static_cast<std::uint8_t>(var.fill);
      std::int32_t i32fill = static_cast<std::int32_t>(ifill);
      const void* fill = var.type == ElementType::f64 ? static_cast<const void*>(&var.fill)
                         : var.type == ElementType::u8 ? static_cast<const void*>(&ufill)
                                                       : static_cast<const void*>(&i32fill);
      check_status(H5Pset_fill_value(dcpl, native_type(var.type), fill), "fill value");
      Handle ds(check(H5Dcreate2(file_, var.name.c_str(), file_type(var.type), space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                      "create dataset " + var.name));
      for (std::size_t d = 0; d < rank; ++d)
        check_status(H5DSattach_scale(ds, scales[d], static_cast<unsigned>(d)), "attach scale to " + var.name);
      write_string_attribute(ds, "long_name", var.description);
      if (!var.units.empty()) write_string_attribute(ds, "units", var.units);
      for (const auto& [k, v] : var.string_attributes) write_string_attribute(ds, k, v);
      if (!var.flag_values.empty()) write_int_array_attribute(ds, "flag_values", var.flag_values, file_type(var.type));
      for (const auto& [k, v] : var.integer_attributes) write_int_array_attribute(ds, k, {v}, H5T_STD_I32LE);
      datasets_.push_back(ds.get());
      H5Iinc_ref(ds.get());
    }

    // Index dimensions and the extra datasets of analyses, allocated now so that filling them
    // later only rewrites bytes in place.
    std::map<std::string, hid_t> dim_scales;
    for (std::size_t d = 0; d < rank; ++d) dim_scales[layout_.axes[d].name] = scales[d];
    std::vector<Handle> index_scales;
    for (const auto& [name, n] : layout_.index_dimensions) {
      const hsize_t len = n;
      Handle space(check(H5Screate_simple(1, &len, nullptr), "dataspace"));
      Handle ds(check(H5Dcreate2(file_, name.c_str(), H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      "create index dimension " + name));
      std::vector<std::int32_t> idx(n);
      for (std::size_t i = 0; i < n; ++i) idx[i] = static_cast<std::int32_t>(i);
      check_status(H5Dwrite(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx.data()), "write " + name);
      check_status(H5DSset_scale(ds, name.c_str()), "dimension scale " + name);
      write_string_attribute(ds, "long_name", "index of the " + name.substr(0, name.find_first_of("0123456789")));
      dim_scales[name] = ds.get();
      index_scales.push_back(std::move(ds));
    }
    for (const auto& name : layout_.growable_dimensions) {
      const hsize_t len = 0, unlimited = H5S_UNLIMITED, chunk_len = kGrowableChunkRows;
      Handle space(check(H5Screate_simple(1, &len, &unlimited), "dataspace"));
      Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
      H5Pset_obj_track_times(dcpl, false);
      check_status(H5Pset_chunk(dcpl, 1, &chunk_len), "chunk " + name);
      Handle ds(check(H5Dcreate2(file_, name.c_str(), H5T_STD_I32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                      "create growable dimension " + name));
      check_status(H5DSset_scale(ds, name.c_str()), "dimension scale " + name);
      write_string_attribute(ds, "long_name", "index of the " + name);
      dim_scales[name] = ds.get();
      index_scales.push_back(std::move(ds));
    }
    for (const auto& extra : layout_.extras) {
      const bool growable =
          !extra.dims.empty() && std::find(layout_.growable_dimensions.begin(), layout_.growable_dimensions.end(),
                                           extra.dims.front()) != layout_.growable_dimensions.end();
      std::vector<hsize_t> edims;
      for (const auto& d : extra.dims) {
        const auto it = dim_scales.find(d);
        if (it == dim_scales.end()) throw CubeIoError("extra dataset " + extra.name + " names unknown dimension " + d);
        Handle sp(check(H5Dget_space(it->second), "dataspace"));
        edims.push_back(static_cast<hsize_t>(H5Sget_simple_extent_npoints(sp)));
      }
      std::vector<hsize_t> maxdims = edims;
      if (growable) maxdims.front() = H5S_UNLIMITED;
      Handle space(edims.empty() ? check(H5Screate(H5S_SCALAR), "dataspace")
                                 : check(H5Screate_simple(static_cast<int>(edims.size()), edims.data(), maxdims.data()),
                                         "dataspace"));
      Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
      H5Pset_obj_track_times(dcpl, false);
      if (growable) {
        std::vector<hsize_t> chunk_dims = edims;
        chunk_dims.front() = kGrowableChunkRows;
        check_status(H5Pset_chunk(dcpl, static_cast<int>(chunk_dims.size()), chunk_dims.data()), "chunk " + extra.name);
      } else {
        check_status(H5Pset_layout(dcpl, H5D_CONTIGUOUS), "layout");
        check_status(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), "alloc time");
      }
      const double f64fill = extra.fill;
      const std::int32_t i32fill = static_cast<std::int32_t>(extra.fill);
      const std::uint8_t u8fill = static_cast<std::uint8_t>(extra.fill);
      const void* fill = extra.type == ElementType::f64 ? static_cast<const void*>(&f64fill)
                         : extra.type == ElementType::i32 ? static_cast<const void*>(&i32fill)
                                                          : static_cast<const void*>(&u8fill);
      check_status(H5Pset_fill_value(dcpl, native_type(extra.type), fill), "fill value");
      check_status(H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC), "fill time");
      Handle ds(check(H5Dcreate2(file_, extra.name.c_str(), file_type(extra.type), space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                      "create " + extra.name));
      for (std::size_t d = 0; d < extra.dims.size(); ++d)
        check_status(H5DSattach_scale(ds, dim_scales[extra.dims[d]], static_cast<unsigned>(d)), "attach scale to " + extra.name);
      write_string_attribute(ds, "long_name", extra.description);
      if (!extra.units.empty()) write_string_attribute(ds, "units", extra.units);
      for (const auto& [k, v] : extra.string_attributes) write_string_attribute(ds, k, v);
      if (!extra.values.empty())
        check_status(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, extra.values.data()),
                     "write " + extra.name);
    }

    // Bookkeeping lives in its own group, with its own dimension, out of the way of xarray.
    Handle group(check(H5Gcreate2(file_, "_eqsweep", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create group"));
    const hsize_t ntiles = layout_.tile_count();
    Handle tspace(check(H5Screate_simple(1, &ntiles, nullptr), "dataspace"));
    Handle tile_scale(check(H5Dcreate2(group, "tile", H5T_STD_I64LE, tspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                            "create tile index"));
    {
      std::vector<std::int64_t> idx(ntiles);
      for (hsize_t i = 0; i < ntiles; ++i) idx[i] = static_cast<std::int64_t>(i);
      check_status(H5Dwrite(tile_scale, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx.data()), "tile index");
      check_status(H5DSset_scale(tile_scale, "tile"), "tile scale");
    }
    Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
    // Contiguous and allocated up front: marking a tile done rewrites bytes in place and never
    // touches metadata.
    check_status(H5Pset_layout(dcpl, H5D_CONTIGUOUS), "layout");
    check_status(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), "alloc time");
    const std::uint8_t zero = 0;
    check_status(H5Pset_fill_value(dcpl, H5T_NATIVE_UINT8, &zero), "fill");
    check_status(H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC), "fill time");
    done_dataset_ = check(H5Dcreate2(group, "tiles_done", H5T_STD_U8LE, tspace, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                          "create tiles_done");
    check_status(H5DSattach_scale(done_dataset_, tile_scale, 0), "attach tile scale");
    write_string_attribute(done_dataset_, "long_name", "1 where the tile (one HDF5 chunk of every variable) is finished");
    done_.assign(ntiles, 0);
    if (layout_.analysis_count > 0) {
      const hsize_t nan = layout_.analysis_count;
      Handle aspace(check(H5Screate_simple(1, &nan, nullptr), "dataspace"));
      Handle adcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
      check_status(H5Pset_layout(adcpl, H5D_CONTIGUOUS), "layout");
      check_status(H5Pset_alloc_time(adcpl, H5D_ALLOC_TIME_EARLY), "alloc time");
      check_status(H5Pset_fill_value(adcpl, H5T_NATIVE_UINT8, &zero), "fill");
      check_status(H5Pset_fill_time(adcpl, H5D_FILL_TIME_ALLOC), "fill time");
      Handle analysis_index(check(H5Dcreate2(group, "analysis", H5T_STD_I32LE, aspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                  "create analysis index"));
      std::vector<std::int32_t> idx(layout_.analysis_count);
      for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<std::int32_t>(i);
      check_status(H5Dwrite(analysis_index, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx.data()), "analysis index");
      check_status(H5DSset_scale(analysis_index, "analysis"), "analysis scale");
      analysis_dataset_ = check(H5Dcreate2(group, "analysis_done", H5T_STD_U8LE, aspace, H5P_DEFAULT, adcpl, H5P_DEFAULT),
                                "create analysis_done");
      check_status(H5DSattach_scale(analysis_dataset_, analysis_index, 0), "attach analysis scale");
      analysis_done_.assign(layout_.analysis_count, 0);
    }

    write_string_attribute(file_, "eqsweep_layout", [&] {
      nlohmann::ordered_json j;
      for (const auto& a : layout_.axes) j["axes"].push_back(a.name);
      for (const auto& v : layout_.variables) j["variables"].push_back(v.name);
      j["chunk"] = layout_.chunk;
      for (const auto& [key, value] : layout_.codec->layout_fields()) j[key] = nlohmann::ordered_json::parse(value);
      j["tile_count"] = ntiles;
      return j.dump();
    }());
    for (const auto& [k, v] : layout_.attributes) write_string_attribute(file_, k, v);
  } catch (...) {
    close_after_failure();
    throw;
  }
}

// Only a failed run (an exception between creation and finish/abandon) gets here with the file open.
CubeWriter::~CubeWriter() { close_after_failure(); }

void CubeWriter::close_after_failure() noexcept {
  if (!damaged_) {
    abandon();
    return;
  }
  // The file on disk is consistent as of the last commit (SWMR ordering), but HDF5's cache now
  // holds allocations whose data never reached the disk. Closing would flush a superblock whose
  // end-of-allocation lies past the real end of file, and HDF5 refuses to open such a
  // "truncated" file, and on a full disk the close fails and leaves HDF5 unable to close the
  // file at all. So swap HDF5's descriptor for an anonymous in-memory file first: the close
  // (flush, truncate) then succeeds there and the last committed state stays on disk.
  if (const int fd = file_ >= 0 ? descriptor() : -1; fd >= 0) {
    const int sink = ::memfd_create("eqsweep-abandoned-cube", 0);
    if (sink >= 0) {
      ::dup2(sink, fd);
      ::close(sink);
    }
  }
  abandon();
}

void CubeWriter::abandon() noexcept {
  for (hid_t ds : datasets_) H5Dclose(ds);
  datasets_.clear();
  if (analysis_dataset_ >= 0) H5Dclose(analysis_dataset_);
  analysis_dataset_ = -1;
  if (done_dataset_ >= 0) H5Dclose(done_dataset_);
  done_dataset_ = -1;
  const bool was_open = file_ >= 0;
  // A failed close (a flush of this file failed earlier: see disable_hdf5_exit_cleanup) leaves
  // the file open inside HDF5 for good; nothing of it reaches the disk any more.
  if (file_ >= 0) (void)H5Fclose(file_);
  file_ = -1;
  H5Eclear2(H5E_DEFAULT);
  if (was_open) release_reservation(path_);
}

std::size_t CubeWriter::copy_finished_tiles(const CubeReader& from,
                                            const std::vector<std::vector<std::size_t>>& tile_origins) {
  const auto done = from.tiles_done();
  if (done.size() != done_.size()) throw CubeIoError("earlier cube has a different tile count");
  damaged_ = true;  // until the commit below has flushed the copy
  // Each source dataset is opened once: a merge copies tens of thousands of chunks.
  std::vector<Handle> sources;
  std::vector<bool> source_checked, target_checked;
  for (std::size_t v = 0; v < layout_.variables.size(); ++v) {
    const auto& var = layout_.variables[v];
    sources.emplace_back(check(H5Dopen2(static_cast<hid_t>(from.id()), var.name.c_str(), H5P_DEFAULT),
                               "open dataset " + var.name));
    source_checked.push_back(has_fletcher32(sources.back()));
    target_checked.push_back(has_fletcher32(datasets_[v]));
  }
  std::vector<std::size_t> tiles;
  std::vector<std::vector<std::byte>> chunks(layout_.variables.size());
  std::vector<std::uint32_t> masks(layout_.variables.size());
  for (std::size_t t = 0; t < done.size(); ++t) {
    if (!done[t]) continue;
    const auto offset = to_hsize(tile_origins[t]);
    // A tile is kept only if every chunk of it reads back intact; otherwise it is recomputed.
    bool intact = true;
    for (std::size_t v = 0; v < layout_.variables.size() && intact; ++v) {
      auto bytes = stored_chunk(sources[v], offset.data(), &masks[v]);
      intact = bytes && (!source_checked[v] || fletcher32_intact(*bytes));
      if (!intact) break;
      chunks[v] = std::move(*bytes);
      // A cube written before checksums: the checksum goes last in the pipeline, so appending it
      // to the stored bytes makes the chunk the new dataset expects.
      if (target_checked[v] && !source_checked[v]) {
        const std::uint32_t sum = fletcher32(chunks[v]);
        for (int i = 0; i < 4; ++i) chunks[v].push_back(static_cast<std::byte>(sum >> (8 * i)));
      }
    }
    if (!intact) {
      damaged_tiles_.push_back(t);
      continue;
    }
    for (std::size_t v = 0; v < layout_.variables.size(); ++v)
      check_status(H5Dwrite_chunk(datasets_[v], H5P_DEFAULT, masks[v], offset.data(), chunks[v].size(), chunks[v].data()),
                   fmt::format("{}: write {}", path_, layout_.variables[v].name));
    tiles.push_back(t);
  }
  commit(tiles);
  return tiles.size();
}

void CubeWriter::start_swmr() {
  check_status(H5Fstart_swmr_write(file_), fmt::format("{}: start SWMR write", path_));
  damaged_ = false;  // it flushed everything
}

void CubeWriter::rename_to(const std::string& path) {
  std::filesystem::rename(path_, path);
  path_ = path;
}

void CubeWriter::write_chunk(std::size_t variable, std::span<const std::size_t> origin,
                             std::span<const std::byte> bytes) {
  silence_hdf5();  // error reporting is per thread, and chunks are written on the writer thread
  const auto offset = to_hsize(origin);
  if (H5Dwrite_chunk(datasets_[variable], H5P_DEFAULT, 0, offset.data(), bytes.size(), bytes.data()) < 0) {
    damaged_ = true;
    check_status(-1, fmt::format("{}: write {}", path_, layout_.variables[variable].name));
  }
  if (!sync_each_commit_ && !sync_at_end_) return;  // never synced: leave writeback to the kernel
  unsynced_bytes_ += bytes.size();
  if (unsynced_bytes_ >= kWritebackStep) start_writeback();
}

int CubeWriter::descriptor() const noexcept {
  int* fd = nullptr;
  if (H5Fget_vfd_handle(file_, H5P_DEFAULT, reinterpret_cast<void**>(&fd)) < 0 || !fd) return -1;
  return *fd;
}

void CubeWriter::start_writeback() {
  unsynced_bytes_ = 0;
  // Asynchronous: it queues the file's dirty pages for writing and returns. A failure here is
  // not an error of the run; the next sync reports whatever the disk refuses.
  if (const int fd = descriptor(); fd >= 0 && ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) == 0) ++writebacks_;
}

void CubeWriter::reserve(std::size_t bytes) {
  silence_hdf5();
  haddr_t eoa = 0;
  check_status(H5Fget_eoa(file_, &eoa), fmt::format("{}: end of allocation", path_));
  const int fd = descriptor();
  check_status(fd, fmt::format("{}: descriptor", path_));
  const auto want = static_cast<off_t>(bytes + kMetadataReserve);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && static_cast<off_t>(eoa) + want <= st.st_size) return;  // reserved earlier
  // Reserve ahead in large steps (one system call per many tiles); near a full disk fall back to
  // exactly what this tile needs, so the run stops only when the tile itself cannot fit. From
  // offset 0: before the first flush (a new cube, a resume copy) HDF5 has allocated addresses
  // below eoa that are not on disk yet, and blocks already there cost nothing.
  const off_t ahead = std::max<off_t>({want, off_t{64} << 20, static_cast<off_t>(eoa) / 4});
  int rc = ::posix_fallocate(fd, 0, static_cast<off_t>(eoa) + ahead);
  if (rc != 0 && ahead > want) rc = ::posix_fallocate(fd, 0, static_cast<off_t>(eoa) + want);
  if (rc != 0)
    throw CubeIoError(fmt::format("{}: cannot reserve {} bytes of disk space: {}", path_, want, std::strerror(rc)));
}

void CubeWriter::commit(std::span<const std::size_t> tiles) {
  if (tiles.empty()) return;
  silence_hdf5();
  // Any failure below leaves HDF5's cache ahead of the disk.
  damaged_ = true;
  check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), fmt::format("{}: flush", path_));
  // H5Fflush hands the bytes to the kernel only: without a sync, a power loss could keep the
  // tiles_done flags and lose the chunks they vouch for.
  if (sync_each_commit_) sync_to_disk();
  const auto [lo, hi] = std::minmax_element(tiles.begin(), tiles.end());
  for (std::size_t t : tiles) done_[t] = 1;
  const hsize_t start = *lo, count = *hi - *lo + 1;
  Handle fspace(check(H5Dget_space(done_dataset_), "dataspace"));
  check_status(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, nullptr, &count, nullptr), "select");
  Handle mspace(check(H5Screate_simple(1, &count, nullptr), "dataspace"));
  check_status(H5Dwrite(done_dataset_, H5T_NATIVE_UINT8, mspace, fspace, H5P_DEFAULT, done_.data() + start),
               fmt::format("{}: write tiles_done", path_));
  check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), fmt::format("{}: flush", path_));
  if (sync_each_commit_) sync_to_disk();
  damaged_ = false;
}

void CubeWriter::sync_to_disk() {
  ++syncs_;
  unsynced_bytes_ = 0;
  const int fd = descriptor();
  check_status(fd, fmt::format("{}: descriptor", path_));
  if (::fdatasync(fd) != 0)
    throw CubeIoError(fmt::format("{}: cannot sync to disk: {}", path_, std::strerror(errno)));
}

std::vector<double> CubeWriter::read_variable(const std::string& name) {
  // Reads see stale chunk addresses while a dataset opened before H5Dwrite_chunk stays open
  // (HDF5 1.10 caches the last chunk lookup), so tile writing ends here: close and reopen.
  for (hid_t d : datasets_) H5Dclose(d);
  datasets_.clear();
  Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), fmt::format("{}: open {}", path_, name)));
  Handle space(check(H5Dget_space(ds), "dataspace"));
  std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  check_status(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), fmt::format("{}: read {}", path_, name));
  return v;
}

void CubeWriter::write_extra(const std::string& name, const void* data) {
  for (const auto& extra : layout_.extras) {
    if (extra.name != name) continue;
    Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), fmt::format("{}: open {}", path_, name)));
    damaged_ = true;
    check_status(H5Dwrite(ds, native_type(extra.type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
                 fmt::format("{}: write {}", path_, name));
    damaged_ = false;
    return;
  }
  throw CubeIoError("no extra dataset " + name + " in the layout");
}

void CubeWriter::write_extra_rows(const std::string& name, std::size_t rows, const void* data) {
  for (const auto& extra : layout_.extras) {
    if (extra.name != name) continue;
    if (extra.dims.empty() || std::find(layout_.growable_dimensions.begin(), layout_.growable_dimensions.end(),
                                        extra.dims.front()) == layout_.growable_dimensions.end())
      throw CubeIoError("extra dataset " + name + " has no growable first dimension");
    Handle ds(check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), fmt::format("{}: open {}", path_, name)));
    Handle scale(check(H5Dopen2(file_, extra.dims.front().c_str(), H5P_DEFAULT),
                       fmt::format("{}: open {}", path_, extra.dims.front())));
    Handle fspace0(check(H5Dget_space(ds), "dataspace"));
    std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(fspace0)));
    H5Sget_simple_extent_dims(fspace0, dims.data(), nullptr);
    dims.front() = rows;
    const hsize_t n = rows;
    damaged_ = true;
    check_status(H5Dset_extent(ds, dims.data()), fmt::format("{}: extend {}", path_, name));
    check_status(H5Dset_extent(scale, &n), fmt::format("{}: extend {}", path_, extra.dims.front()));
    if (rows > 0) {
      check_status(H5Dwrite(ds, native_type(extra.type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
                   fmt::format("{}: write {}", path_, name));
      std::vector<std::int32_t> index(rows);
      for (std::size_t i = 0; i < rows; ++i) index[i] = static_cast<std::int32_t>(i);
      check_status(H5Dwrite(scale, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, index.data()),
                   fmt::format("{}: write {}", path_, extra.dims.front()));
    }
    damaged_ = false;
    return;
  }
  throw CubeIoError("no extra dataset " + name + " in the layout");
}

void CubeWriter::mark_analysis_done(std::size_t index) {
  damaged_ = true;
  check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), fmt::format("{}: flush", path_));
  analysis_done_[index] = 1;
  const hsize_t start = index, count = 1;
  Handle fspace(check(H5Dget_space(analysis_dataset_), "dataspace"));
  check_status(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, nullptr, &count, nullptr), "select");
  Handle mspace(check(H5Screate_simple(1, &count, nullptr), "dataspace"));
  check_status(H5Dwrite(analysis_dataset_, H5T_NATIVE_UINT8, mspace, fspace, H5P_DEFAULT, &analysis_done_[index]),
               fmt::format("{}: write analysis_done", path_));
  check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), fmt::format("{}: flush", path_));
  damaged_ = false;
}

void CubeWriter::finish(const std::map<std::string, std::string>& string_attrs,
                        const std::map<std::string, double>& number_attrs) {
  silence_hdf5();
  for (hid_t ds : datasets_) H5Dclose(ds);
  datasets_.clear();
  if (analysis_dataset_ >= 0) H5Dclose(analysis_dataset_);
  analysis_dataset_ = -1;
  H5Dclose(done_dataset_);
  done_dataset_ = -1;
  // Still in SWMR write mode (HDF5 1.10 lets a SWMR writer add attributes): the file on disk
  // stays SWMR-readable and resumable through the stamp, and the close below is the one step
  // that clears the open-for-write flags.
  // end_time goes last: a cube without it was not finished, and a rerun completes it.
  damaged_ = true;
  bool first = true;
  for (const auto& [k, v] : number_attrs) {
    write_number_attribute(file_, k, v);
    if (first && std::getenv("EQSWEEP_TEST_KILL_IN_FINAL_STAMP")) {
      // Tests aim a real kill -9 into the stamp: one attribute on disk, the others not.
      check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), fmt::format("{}: flush", path_));
      ::raise(SIGKILL);
    }
    first = false;
  }
  for (const auto& [k, v] : string_attrs)
    if (k != "end_time") write_string_attribute(file_, k, v);
  if (const auto end = string_attrs.find("end_time"); end != string_attrs.end())
    write_string_attribute(file_, end->first, end->second);
  check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), fmt::format("{}: flush", path_));
  if (sync_at_end_) sync_to_disk();
  damaged_ = false;
  const hid_t file = file_;
  file_ = -1;
  check_status(H5Fclose(file), fmt::format("{}: close", path_));
  release_reservation(path_);
}

}  // namespace eqsweep
