#include "cluster-ref/store/posix_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>

namespace cairn::posix {
namespace {

std::array<std::atomic<uint32_t>, kStoreOpKinds> g_op_counts{};

void count(StoreOp op) { g_op_counts[static_cast<size_t>(op)].fetch_add(1, std::memory_order_relaxed); }

// strerror_r is the GNU variant (returns the text) or the XSI one (fills the
// buffer); these overloads accept either, and both are thread-safe.
[[maybe_unused]] const char* strerror_text(const char* gnu, const char*) { return gnu; }
[[maybe_unused]] const char* strerror_text(int, const char* buffer) { return buffer; }

// Closes `fd` on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports close(2)'s error (which can carry a deferred
  // write error on some file systems).
  int close_checked() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// `path` opened for reading, with its size; kNotFound when there is no file
// there (absent, or a directory).
struct OpenFile {
  Fd fd;
  off_t size;
};
Result<OpenFile> open_regular(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  count(fd.get() < 0 && errno == ENOENT ? StoreOp::kLookup : StoreOp::kOpen);
  if (fd.get() < 0 && errno == ENOENT) return not_found("no file " + path);
  if (fd.get() < 0) return io_error("open", path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("fstat", path, errno);
  if (S_ISDIR(st.st_mode)) return not_found(path + " is a directory");
  return OpenFile{std::move(fd), st.st_size};
}

Status write_all(int fd, const std::string& path, std::span<const std::byte> bytes) {
  count(StoreOp::kWrite);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("write", path, errno);
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
  return Status::ok();
}

// An extended attribute value is at most 64 KiB (XATTR_SIZE_MAX); a value
// that grows between asking its size and reading it is asked again, this
// many times.
constexpr int kAttrReadAttemptsMax = 4;

Status set_attr(int fd, const std::string& path, const char* name, std::span<const std::byte> value) {
  count(StoreOp::kSetAttr);
  int rc;
  do {
    rc = ::fsetxattr(fd, name, value.data(), value.size(), 0);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return io_error(std::string("setxattr ") + name, path, errno);
  return Status::ok();
}

Status write_new_file(const std::string& path, std::span<const std::byte> bytes, const char* attr_name,
                      std::span<const std::byte> attr_value) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  count(StoreOp::kCreate);
  if (fd.get() < 0) return io_error("open", path, errno);
  if (Status s = write_all(fd.get(), path, bytes); !s.is_ok()) return s;
  if (attr_name != nullptr) {
    if (Status s = set_attr(fd.get(), path, attr_name, attr_value); !s.is_ok()) return s;
  }
  count(StoreOp::kFsync);
  if (::fsync(fd.get()) != 0) return io_error("fsync", path, errno);
  if (fd.close_checked() != 0) return io_error("close", path, errno);
  return Status::ok();
}

// fgetxattr of the whole value into `out`; -1 with errno set on failure.
ssize_t get_attr(int fd, const char* name, std::vector<std::byte>& out) {
  count(StoreOp::kGetAttr);
  for (int attempt = 0;; ++attempt) {
    const ssize_t n = ::fgetxattr(fd, name, out.data(), out.size());
    if (n >= 0) {
      out.resize(static_cast<size_t>(n));
      return n;
    }
    if (errno == EINTR) continue;
    if (errno != ERANGE || attempt + 1 == kAttrReadAttemptsMax) return -1;
    const ssize_t size = ::fgetxattr(fd, name, nullptr, 0);  // longer than asked: fetch it whole
    if (size < 0) return -1;
    out.resize(static_cast<size_t>(size));
  }
}

}  // namespace

StoreOps op_counts() {
  StoreOps out;
  for (size_t i = 0; i < kStoreOpKinds; ++i) out.count[i] = g_op_counts[i].load(std::memory_order_relaxed);
  return out;
}

Status io_error(std::string_view op, const std::string& path, int err) {
  char buffer[256] = {};
  const char* text = strerror_text(strerror_r(err, buffer, sizeof buffer), buffer);
  return Status(StatusCode::kIoError, std::string(op) + " " + path + ": " + text);
}

Status write_new_file_synced(const std::string& path, std::span<const std::byte> bytes) {
  return write_new_file(path, bytes, nullptr, {});
}

Status write_new_file_synced(const std::string& path, std::span<const std::byte> bytes, const char* attr_name,
                             std::span<const std::byte> attr_value) {
  CAIRN_ASSERT(attr_name != nullptr);
  return write_new_file(path, bytes, attr_name, attr_value);
}

Result<std::optional<std::vector<std::byte>>> read_attr(const std::string& path, const char* attr_name,
                                                        size_t bytes_max) {
  auto file = open_regular(path);
  if (!file) return file.status();
  std::vector<std::byte> value(bytes_max);
  if (get_attr(file->fd.get(), attr_name, value) < 0) {
    if (errno == ENODATA) return std::optional<std::vector<std::byte>>();
    return io_error(std::string("getxattr ") + attr_name, path, errno);
  }
  if (value.size() > bytes_max) value.resize(bytes_max);
  return std::optional<std::vector<std::byte>>(std::move(value));
}

Result<std::vector<std::byte>> read_file(const std::string& path, size_t bytes_max) {
  auto file = open_regular(path);
  if (!file) return file.status();
  const Fd& fd = file->fd;
  count(StoreOp::kRead);
  std::vector<std::byte> out(std::min(bytes_max, static_cast<size_t>(std::max<off_t>(file->size, 0))));
  size_t filled = 0;
  for (;;) {
    if (filled == out.size()) {
      if (filled == bytes_max) break;
      out.resize(std::min(bytes_max, std::max<size_t>(2 * filled, 4096)));  // the file grew
    }
    const ssize_t n = ::read(fd.get(), out.data() + filled, out.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("read", path, errno);
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  out.resize(filled);
  return out;
}

Status sync_dir(const std::string& path) {
  count(StoreOp::kSyncDir);
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("open directory", path, errno);
  if (::fsync(fd.get()) != 0) return io_error("fsync directory", path, errno);
  return Status::ok();
}

Status sync_filesystem(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("open directory", path, errno);
  if (::syncfs(fd.get()) != 0) return io_error("syncfs", path, errno);
  return Status::ok();
}

Status rename_file(const std::string& from, const std::string& to) {
  count(StoreOp::kRename);
  if (::rename(from.c_str(), to.c_str()) != 0) return io_error("rename " + from + " to", to, errno);
  return Status::ok();
}

Status unlink_file(const std::string& path, bool* removed) {
  count(StoreOp::kUnlink);
  const int rc = ::unlink(path.c_str());
  if (removed != nullptr) *removed = rc == 0;
  if (rc != 0 && errno != ENOENT) return io_error("unlink", path, errno);
  return Status::ok();
}

Status link_file(const std::string& from, const std::string& to) {
  if (::link(from.c_str(), to.c_str()) != 0) return io_error("link", from + " to " + to, errno);
  return Status::ok();
}

Result<DirOutcome> make_dir(const std::string& path) {
  count(StoreOp::kMkdir);
  if (::mkdir(path.c_str(), 0755) == 0) return DirOutcome::kCreated;
  if (errno != EEXIST) return io_error("mkdir", path, errno);
  Result<Kind> kind = kind_of(path);
  if (!kind) return kind.status();
  return *kind == Kind::kDirectory ? DirOutcome::kExisted : DirOutcome::kNotADirectory;
}

Result<Kind> kind_of(const std::string& path) {
  count(StoreOp::kLookup);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Kind::kAbsent;
    return io_error("lstat", path, errno);
  }
  if (S_ISREG(st.st_mode)) return Kind::kFile;
  if (S_ISDIR(st.st_mode)) return Kind::kDirectory;
  return Kind::kOther;
}

std::string parent_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  CAIRN_ASSERT(slash != std::string::npos);
  return slash == 0 ? std::string("/") : path.substr(0, slash);
}

Result<DirLock> DirLock::acquire(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open directory", dir, errno);
  DirLock lock(fd);
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0 && errno == EWOULDBLOCK) return refused(dir + " is already open by another DiskStore");
  if (rc != 0) return io_error("flock", dir, errno);
  return lock;
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

Status replace_file_durably(const std::string& path, std::string_view text) {
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  const std::string tmp = file + ".tmp";
  (void)unlink_file(tmp);
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(text.data()), text.size());
  if (Status st = write_new_file_synced(tmp, bytes); !st.is_ok()) return st;
  if (Status st = rename_file(tmp, file); !st.is_ok()) return st;
  return sync_dir(parent_of(file));
}

}  // namespace cairn::posix
