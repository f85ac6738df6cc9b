// Thin POSIX file operations for the disk store: each does one system call's
// worth of work, retries EINTR and short transfers, opens with O_CLOEXEC, and
// turns every OS error into Status kIoError "<operation> <path>: <strerror>".
// Nothing here throws. Functions hold no state: safe from any thread.
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "engine/store_ops.h"

namespace cairn::posix {

// The calls below made so far in this process, all threads, counted by the
// kinds of engine/store_ops.h: the store's tests check that a put, read or
// remove makes exactly the operations the engine says it does, and
// `cairn lab calibrate` divides a disk's measured time by them.
StoreOps op_counts();

// kIoError "<op> <path>: <strerror(err)>".
Status io_error(std::string_view op, const std::string& path, int err);

// Creates `path` (kIoError if it exists), writes `bytes`, fsyncs and closes it.
Status write_new_file_synced(const std::string& path, std::span<const std::byte> bytes);

// The same, and sets the extended attribute `attr_name` to `attr_value`
// before the fsync, which makes both durable at once. kIoError "setxattr ..."
// when the file system has no such attributes (ENOTSUP).
Status write_new_file_synced(const std::string& path, std::span<const std::byte> bytes, const char* attr_name,
                             std::span<const std::byte> attr_value);

// The first `bytes_max` bytes of extended attribute `attr_name` of the file
// `path` (ask for one byte more than expected to detect a longer value);
// nullopt when the file has no such attribute. kNotFound when there is no
// file there (absent, or a directory).
Result<std::optional<std::vector<std::byte>>> read_attr(const std::string& path, const char* attr_name,
                                                        size_t bytes_max);

// The first `bytes_max` bytes of `path` (fewer if it is shorter): ask for one
// byte more than expected to detect a file that is too long. kNotFound when
// there is no file there (absent, or a directory).
Result<std::vector<std::byte>> read_file(const std::string& path, size_t bytes_max);

// fsync of a directory, so that the entries created, renamed or removed in it
// survive a crash.
Status sync_dir(const std::string& path);

// syncfs(2): makes everything written to the file system holding `path`
// durable, including what a process that crashed left unsynced.
Status sync_filesystem(const std::string& path);

// rename(2): atomically replaces `to`.
Status rename_file(const std::string& from, const std::string& to);

// unlink(2); ok when the file is already absent. `removed` (if given) says
// whether a file was there.
Status unlink_file(const std::string& path, bool* removed = nullptr);

// link(2): a second name `to` for the file `from` (same inode, same extended
// attributes). kIoError when `to` exists. Not counted in op_counts(): only a
// snapshot's preservation makes it, which the model does not charge.
Status link_file(const std::string& from, const std::string& to);

enum class DirOutcome { kCreated, kExisted, kNotADirectory };
// mkdir(2) with mode 0755. kNotADirectory when `path` exists as something else.
Result<DirOutcome> make_dir(const std::string& path);

enum class Kind { kAbsent, kFile, kDirectory, kOther };
// What `path` is, without following a final symlink (a symlink is kOther).
Result<Kind> kind_of(const std::string& path);

// Replaces `path`'s content with `text` durably: a temporary file beside it,
// synced, renamed over it, the directory synced. Readers see the old file or
// the new one, never a part (cluster files, a node's persisted map).
Status replace_file_durably(const std::string& path, std::string_view text);

// The directory part of `path` ("a/b/c" -> "a/b"); `path` must contain '/'.
std::string parent_of(const std::string& path);

// Holds an exclusive advisory lock (flock) on a directory for the life of the
// object, so that two processes cannot own one store at once.
class DirLock {
 public:
  // kRefused when another open file description holds the lock.
  static Result<DirLock> acquire(const std::string& dir);
  DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirLock& operator=(DirLock&&) = delete;
  DirLock(const DirLock&) = delete;
  ~DirLock();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace cairn::posix
