// A full disk for one process, without root: LD_PRELOAD this library and set
//   EQSWEEP_TEST_DISK_FREE=N    bytes the "disk" has free for this process (unset: unlimited)
//   EQSWEEP_TEST_DISK_MODE=reserve (default) | cow
//   EQSWEEP_TEST_DISK_REPORT=F  at exit, write the bytes consumed to file F (to size N)
// Writes to regular files (not stdin/stdout/stderr) and fallocate calls consume the free bytes;
// once a call needs more than is left it fails with ENOSPC, as on a real full disk.
//
// Shrinking a file (ftruncate) gives its bytes back on a reserving disk.
//
// reserve: an extent-based file system (ext4, xfs): bytes past a file's current size cost disk
//   space, rewriting bytes inside it (or inside space fallocate reserved) costs nothing.
// cow: a copy-on-write file system (btrfs, ZFS): every byte written costs new space and
//   fallocate succeeds without guaranteeing any, so a reservation does not protect later writes.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static long long g_free = -1;  // -1: unlimited
static long long g_used = 0;
static int g_cow = 0;

__attribute__((constructor)) static void full_disk_init(void) {
  const char* free_bytes = getenv("EQSWEEP_TEST_DISK_FREE");
  if (free_bytes && *free_bytes) g_free = atoll(free_bytes);
  const char* mode = getenv("EQSWEEP_TEST_DISK_MODE");
  g_cow = mode && strcmp(mode, "cow") == 0;
}

__attribute__((destructor)) static void full_disk_report(void) {
  const char* report = getenv("EQSWEEP_TEST_DISK_REPORT");
  // The shell that runs the program under test loads this library too; it writes nothing.
  if (!report || !*report || g_used == 0) return;
  FILE* f = fopen(report, "w");
  if (!f) return;
  fprintf(f, "%lld\n", g_used);
  fclose(f);
}

// Whether fd is an anonymous in-memory file (memfd_create), which lives in memory, not on disk.
static int in_memory(int fd) {
  char link[64], target[32];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof target);
  return n >= 7 && memcmp(target, "/memfd:", 7) == 0;
}

// Bytes a write or reservation of [offset, offset + length) of fd costs; -1 when fd is not a
// regular file on the disk.
static long long cost(int fd, long long offset, long long length, int is_fallocate) {
  if (fd <= STDERR_FILENO || length <= 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || in_memory(fd)) return -1;
  if (g_cow) return is_fallocate ? 0 : length;
  const long long end = offset + length;
  return end > (long long)st.st_size ? end - (long long)st.st_size : 0;
}

// Takes the bytes from the free space (0), or says the disk is full (ENOSPC).
static int take(int fd, long long offset, long long length, int is_fallocate) {
  pthread_mutex_lock(&g_mutex);
  const long long need = cost(fd, offset, length, is_fallocate);
  int rc = 0;
  if (need > 0) {
    if (g_free >= 0 && g_used + need > g_free) rc = ENOSPC;
    else g_used += need;
  }
  pthread_mutex_unlock(&g_mutex);
  return rc;
}

static long long current_offset(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  if (flags >= 0 && (flags & O_APPEND)) {
    struct stat st;
    return fstat(fd, &st) == 0 ? (long long)st.st_size : 0;
  }
  return (long long)lseek(fd, 0, SEEK_CUR);
}

static long long iov_length(const struct iovec* iov, int count) {
  long long n = 0;
  for (int i = 0; i < count; ++i) n += (long long)iov[i].iov_len;
  return n;
}

// dlsym returns the next definition as an object pointer; POSIX allows the conversion.
#pragma GCC diagnostic ignored "-Wpedantic"
#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t write(int fd, const void* buf, size_t n) {
  if (take(fd, current_offset(fd), (long long)n, 0)) {
    errno = ENOSPC;
    return -1;
  }
  return REAL(write)(fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t offset) {
  if (take(fd, offset, (long long)n, 0)) {
    errno = ENOSPC;
    return -1;
  }
  return REAL(pwrite)(fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t offset) {
  if (take(fd, offset, (long long)n, 0)) {
    errno = ENOSPC;
    return -1;
  }
  return REAL(pwrite64)(fd, buf, n, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int count) {
  if (take(fd, current_offset(fd), iov_length(iov, count), 0)) {
    errno = ENOSPC;
    return -1;
  }
  return REAL(writev)(fd, iov, count);
}

ssize_t pwritev(int fd, const struct iovec* iov, int count, off_t offset) {
  if (take(fd, offset, iov_length(iov, count), 0)) {
    errno = ENOSPC;
    return -1;
  }
  return REAL(pwritev)(fd, iov, count, offset);
}

ssize_t pwritev64(int fd, const struct iovec* iov, int count, off64_t offset) {
  if (take(fd, offset, iov_length(iov, count), 0)) {
    errno = ENOSPC;
    return -1;
  }
  return REAL(pwritev64)(fd, iov, count, offset);
}

int fallocate(int fd, int mode, off_t offset, off_t length) {
  if (take(fd, offset, length, 1)) {
    errno = ENOSPC;
    return -1;
  }
  return REAL(fallocate)(fd, mode, offset, length);
}

int fallocate64(int fd, int mode, off64_t offset, off64_t length) {
  if (take(fd, offset, length, 1)) {
    errno = ENOSPC;
    return -1;
  }
  return REAL(fallocate64)(fd, mode, offset, length);
}

// posix_fallocate reports errors by its return value, not errno.
int posix_fallocate(int fd, off_t offset, off_t length) {
  if (take(fd, offset, length, 1)) return ENOSPC;
  return REAL(posix_fallocate)(fd, offset, length);
}

int posix_fallocate64(int fd, off64_t offset, off64_t length) {
  if (take(fd, offset, length, 1)) return ENOSPC;
  return REAL(posix_fallocate64)(fd, offset, length);
}

// Gives back the bytes past `length` of a regular file on the disk. Not on a cow disk, where
// fallocate took nothing, so a truncated reservation gives nothing back either.
static void give_back(int fd, long long length) {
  if (g_cow) return;
  pthread_mutex_lock(&g_mutex);
  struct stat st;
  if (fd > STDERR_FILENO && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !in_memory(fd) &&
      (long long)st.st_size > length) {
    g_used -= (long long)st.st_size - length;
    if (g_used < 0) g_used = 0;
  }
  pthread_mutex_unlock(&g_mutex);
}

int ftruncate(int fd, off_t length) {
  give_back(fd, length);
  return REAL(ftruncate)(fd, length);
}

int ftruncate64(int fd, off64_t length) {
  give_back(fd, length);
  return REAL(ftruncate64)(fd, length);
}
