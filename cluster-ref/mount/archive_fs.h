// ArchiveFs: the file-system view of a reference cluster that the FUSE mount
// (fuse_mount.h) serves — POSIX operations by path on top of the client
// library, each returning 0 or a negative errno (errno_map.h).
//
// Files: an open file is buffered whole in memory, shared by every handle
// open on its path, and stored with the cluster's write protocol
// (Client::put) when a handle is flushed (each close) or fsync'd, if it was
// changed; the file is durable when that call returns. A file may not grow
// past wire::kFileBytesMax (EFBIG).
//
// Folders: the keyspace is paths, so a folder exists while a file lies
// beneath it or it holds a directory marker (dir_marker.h, made by mkdir).
// readdir lists a folder with one Client::list of its prefix; that listing
// answers lookups in the folder for kListingTtl, kept current by this
// mount's own changes (mkdir starts a folder with an empty one). A small
// folder whose listing is out of date is listed again at its next lookup;
// otherwise a name is looked up alone (the file's record, then a folder's
// marker, then what lies beneath), and a folder seen to exist is believed
// for kKnownDirTtl. A change made by another client shows after at most
// those times.
//
// Rename of a file stores it under the new path, then deletes the old one:
// not atomic across a crash, which can leave both paths (never neither).
// Folders are not renamed (EXDEV: mv copies then deletes instead).
//
// WORM retention is judged by the nodes: a store or delete of a retained
// file is refused (EPERM). The mount also asks first wherever a refusal
// would come too late: an open of a retained file for writing (or with
// O_TRUNC) is refused at open; a rename before the new copy is made; a
// truncation or a new time of a file some handle holds open before the
// buffer changes (a close would store it after the caller heard success).
// A file retained while a handle has it open for writing (committed by an
// fsync) takes later writes into the buffer; their store is refused at the
// next fsync or close, which return EPERM.
//
// Thread-safe: the FUSE loop calls every operation from several threads.
#pragma once
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster-ref/client/client.h"

namespace cairn {

class ArchiveFs {
 public:
  static constexpr std::chrono::milliseconds kListingTtl{2000};
  // How long a folder seen to exist is believed to (folders rarely vanish).
  static constexpr std::chrono::milliseconds kKnownDirTtl{10000};
  // A lookup in a folder whose listing is out of date lists it again when
  // the last list returned at most this many files (its whole subtree);
  // larger folders are probed name by name.
  static constexpr uint64_t kRelistFilesMax = 16384;
  // Such a folder's listing is listed again by the first lookup after this
  // age, while the others still answer from it.
  static constexpr std::chrono::milliseconds kListingRefreshAfter{1500};
  // How long an out-of-date listing is kept to tell that its folder is small.
  static constexpr std::chrono::milliseconds kListingKept{30000};

  explicit ArchiveFs(std::unique_ptr<Client> client);
  ~ArchiveFs();

  // One open handle's view of its file (fuse_file_info::fh points at one).
  struct Handle;
  // An open folder's listing, taken when it was opened.
  struct DirEntry {
    std::string name;
    struct stat attr {};
  };

  int getattr(const std::string& path, struct stat* out);
  int create(const std::string& path, Handle** handle);
  int open(const std::string& path, int flags, Handle** handle);
  int read(Handle* handle, char* buffer, size_t size, int64_t offset);
  int write(Handle* handle, const char* data, size_t size, int64_t offset);
  int flush(Handle* handle);  // close(2) and fsync(2) both land here
  void release(Handle* handle);
  int truncate(const std::string& path, int64_t size, Handle* handle);
  int set_mtime(const std::string& path, int64_t mtime_ns, Handle* handle);
  int unlink(const std::string& path);
  int rename(const std::string& from, const std::string& to, unsigned int flags);
  int mkdir(const std::string& path);
  int rmdir(const std::string& path);
  int list_dir(const std::string& path, std::vector<DirEntry>* out);
  int statfs(struct statvfs* out);
  // Files whose last store failed when their last handle closed (their
  // writers were told at close).
  uint64_t lost_at_release() const;

 private:
  struct OpenFile;
  struct Entry {
    bool dir = false;
    uint64_t bytes = 0;
    int64_t mtime_ns = 0;
  };
  struct Listing {
    std::map<std::string, Entry> children;
    std::chrono::steady_clock::time_point fetched;  // when its list started
    uint64_t files = 0;                              // files the list returned, subtree included
  };

  std::shared_ptr<OpenFile> open_file(const std::string& path) const;
  std::shared_ptr<OpenFile> acquire(const std::string& path);
  int ensure_loaded(OpenFile& file);
  // -EPERM when retention forbids changing the stored `path` (the nodes
  // would refuse the change anyway; asking first keeps a change from doing
  // half its work or an open for writing from pretending), else 0: other
  // errors are left to the change itself.
  int refuse_if_retained(const std::string& path);
  int store_locked(OpenFile& file);
  // The entry for `path` from its parent's listing, or ENOENT / an error.
  int lookup(const std::string& path, Entry* out);
  int lookup_by_probe(const std::string& path, Entry* out);
  // `dir`'s listing: the one kept while fresh (unless `fresh` or `ahead`
  // asks for a new list), else a new list, shared with other lookups
  // waiting for it (also when `ahead`; `fresh` starts a list of its own).
  Result<Listing> listing(const std::string& dir, bool fresh, bool ahead = false);
  Result<Listing> fetch_listing(const std::string& dir, uint64_t seq_before);
  int answer_from(const Listing& parent, const std::string& path, Entry* out) const;
  // Forgets listings and folders too old to answer or to tell a size.
  void prune_locked(std::chrono::steady_clock::time_point now);
  void note(const std::string& path, std::optional<Entry> entry);
  void fill_attr(const Entry& entry, struct stat* out) const;

  std::unique_ptr<Client> client_;
  const uint32_t uid_;
  const uint32_t gid_;

  mutable std::mutex open_mutex_;  // guards open_
  std::map<std::string, std::shared_ptr<OpenFile>> open_;

  std::mutex listing_mutex_;  // guards listings_, listing_in_flight_, known_dirs_, changes_, change_seq_, pruned_
  std::map<std::string, Listing> listings_;
  std::map<std::string, std::shared_future<Result<Listing>>> listing_in_flight_;
  std::chrono::steady_clock::time_point pruned_;
  std::map<std::string, std::chrono::steady_clock::time_point> known_dirs_;  // folder -> when seen
  // This mount's changes, by sequence number, re-applied over a listing that
  // was fetched while they happened.
  struct Change {
    uint64_t seq;
    std::string path;
    std::optional<Entry> entry;
  };
  static constexpr size_t kChangesKept = 4096;
  std::deque<Change> changes_;
  uint64_t change_seq_ = 0;

  std::mutex statfs_mutex_;
  std::optional<std::pair<std::chrono::steady_clock::time_point, struct statvfs>> statfs_cache_;
  std::atomic<uint64_t> lost_at_release_{0};
};

}  // namespace cairn
