#include "cluster-ref/mount/archive_fs.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cluster-ref/mount/dir_marker.h"
#include "cluster-ref/mount/errno_map.h"

namespace cairn {
namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string parent_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 ? std::string("/") : path.substr(0, slash);
}

std::string name_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

bool reserved(const std::string& path) { return name_of(path) == kDirMarkerName; }

std::string prefix_of(const std::string& dir) { return dir == "/" ? dir : dir + "/"; }

// `path` lies strictly beneath folder `dir`.
bool beneath(const std::string& path, const std::string& dir) {
  const std::string prefix = prefix_of(dir);
  return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

struct ArchiveFs::OpenFile {
  std::mutex mutex;  // guards everything below but `handles`
  std::string path;
  std::vector<std::byte> data;
  bool loaded = false;    // `data` holds the file (read from the cluster or written here)
  bool dirty = false;     // changed since it was last stored
  bool unlinked = false;  // removed while open: never stored again
  // The cluster may hold a stored copy (false only for a file created here
  // and not stored yet, which no retention can hold).
  bool maybe_stored = true;
  int64_t mtime_ns = 0;
  uint32_t handles = 0;  // guarded by ArchiveFs::open_mutex_
};

struct ArchiveFs::Handle {
  std::shared_ptr<OpenFile> file;
};

ArchiveFs::ArchiveFs(std::unique_ptr<Client> client)
    : client_(std::move(client)), uid_(::getuid()), gid_(::getgid()) {}

ArchiveFs::~ArchiveFs() = default;

uint64_t ArchiveFs::lost_at_release() const { return lost_at_release_.load(); }

std::shared_ptr<ArchiveFs::OpenFile> ArchiveFs::open_file(const std::string& path) const {
  std::lock_guard lock(open_mutex_);
  auto it = open_.find(path);
  return it == open_.end() ? nullptr : it->second;
}

std::shared_ptr<ArchiveFs::OpenFile> ArchiveFs::acquire(const std::string& path) {
  std::lock_guard lock(open_mutex_);
  auto& slot = open_[path];
  if (!slot) {
    slot = std::make_shared<OpenFile>();
    slot->path = path;
  }
  ++slot->handles;
  return slot;
}

void ArchiveFs::fill_attr(const Entry& entry, struct stat* out) const {
  *out = {};
  out->st_mode = entry.dir ? (S_IFDIR | 0755) : (S_IFREG | 0644);
  out->st_nlink = entry.dir ? 2 : 1;
  out->st_uid = uid_;
  out->st_gid = gid_;
  out->st_size = static_cast<off_t>(entry.bytes);
  out->st_blksize = 4096;
  out->st_blocks = static_cast<blkcnt_t>((entry.bytes + 511) / 512);
  out->st_mtim.tv_sec = entry.mtime_ns / 1'000'000'000;
  out->st_mtim.tv_nsec = entry.mtime_ns % 1'000'000'000;
  out->st_atim = out->st_mtim;
  out->st_ctim = out->st_mtim;
}

Result<ArchiveFs::Listing> ArchiveFs::listing(const std::string& dir, bool fresh, bool ahead) {
  uint64_t seq_before = 0;
  std::promise<Result<Listing>> mine;
  std::shared_future<Result<Listing>> theirs;
  {
    std::lock_guard lock(listing_mutex_);
    auto it = listings_.find(dir);
    if (!fresh && !ahead && it != listings_.end() &&
        std::chrono::steady_clock::now() - it->second.fetched < kListingTtl) {
      return it->second;
    }
    // Lookups that find the same folder's listing out of date share one list.
    if (!fresh) {
      auto [running, started] = listing_in_flight_.try_emplace(dir);
      if (started) {
        running->second = mine.get_future().share();
      } else {
        theirs = running->second;
      }
    }
    seq_before = change_seq_;
  }
  if (theirs.valid()) return theirs.get();
  if (fresh) return fetch_listing(dir, seq_before);
  // Whatever happens to this list, the folder stops waiting on it.
  struct Done {
    ArchiveFs& fs;
    const std::string& dir;
    ~Done() {
      std::lock_guard lock(fs.listing_mutex_);
      fs.listing_in_flight_.erase(dir);
    }
  } done{*this, dir};
  try {
    Result<Listing> out = fetch_listing(dir, seq_before);
    mine.set_value(out);
    return out;
  } catch (...) {
    mine.set_exception(std::current_exception());
    throw;
  }
}

Result<ArchiveFs::Listing> ArchiveFs::fetch_listing(const std::string& dir, uint64_t seq_before) {
  const std::string prefix = prefix_of(dir);
  // What the list shows is as of its start: its age counts from then.
  const auto started = std::chrono::steady_clock::now();
  auto files = client_->list(prefix);
  if (!files) return files.status();
  Listing out;
  out.fetched = started;
  out.files = files->size();
  for (const ListedFile& f : *files) {
    const std::string rest = f.path.substr(prefix.size());
    const size_t slash = rest.find('/');
    if (slash != std::string::npos) {
      out.children[rest.substr(0, slash)] = Entry{true, 0, 0};
    } else if (rest != kDirMarkerName) {
      out.children[rest] = Entry{false, f.record.file_bytes, f.record.mtime_ns};
    }
  }
  std::lock_guard lock(listing_mutex_);
  // Changes this mount made while the list was under way may be missing from it.
  for (const Change& c : changes_) {
    if (c.seq <= seq_before || !beneath(c.path, dir)) continue;
    const std::string rest = c.path.substr(prefix.size());
    const size_t slash = rest.find('/');
    if (slash != std::string::npos) {
      if (c.entry) out.children[rest.substr(0, slash)] = Entry{true, 0, 0};
    } else if (c.entry) {
      out.children[rest] = *c.entry;
    } else {
      out.children.erase(rest);
    }
  }
  for (const auto& [name, entry] : out.children) {
    if (entry.dir) known_dirs_[prefix + name] = out.fetched;
  }
  prune_locked(started);
  listings_[dir] = out;
  return out;
}

void ArchiveFs::prune_locked(std::chrono::steady_clock::time_point now) {
  if (now - pruned_ < kListingTtl) return;
  pruned_ = now;
  std::erase_if(listings_, [&](const auto& kv) { return now - kv.second.fetched > kListingKept; });
  std::erase_if(known_dirs_, [&](const auto& kv) { return now - kv.second > kKnownDirTtl; });
}

void ArchiveFs::note(const std::string& path, std::optional<Entry> entry) {
  std::lock_guard lock(listing_mutex_);
  const auto now = std::chrono::steady_clock::now();
  prune_locked(now);  // also for a mount whose folders are too large to be listed
  changes_.push_back({++change_seq_, path, entry});
  // A list takes well under a second: the changes it may miss are among the last few thousand.
  while (changes_.size() > kChangesKept) changes_.pop_front();
  // The parent lists the entry; every ancestor above lists the folder below it.
  std::string child = path;
  for (std::string dir = parent_of(path);; dir = parent_of(dir)) {
    auto it = listings_.find(dir);
    if (it != listings_.end()) {
      const std::string name = name_of(child);
      if (child == path) {
        if (entry) {
          it->second.children[name] = *entry;
        } else {
          it->second.children.erase(name);
        }
      } else if (entry) {
        it->second.children[name] = Entry{true, 0, 0};
      }
    }
    if (dir == "/") break;
    child = dir;
  }
  if (entry) {
    if (entry->dir) known_dirs_[path] = now;
    for (std::string dir = parent_of(path); dir != "/"; dir = parent_of(dir)) known_dirs_[dir] = now;
  } else {
    listings_.erase(path);
    for (auto it = known_dirs_.lower_bound(path); it != known_dirs_.end() && it->first.starts_with(path);) {
      it = it->first == path || beneath(it->first, path) ? known_dirs_.erase(it) : std::next(it);
    }
  }
}

// The three questions go out at once: the file's record from its group, the
// folder's marker, and a list of what lies beneath (a folder made by `cairn
// put` has no marker; a name that does not exist lists nothing). A create
// asks them all about its new name, so their latency is on every write.
int ArchiveFs::lookup_by_probe(const std::string& path, Entry* out) {
  auto marker = std::async(std::launch::async, [&] { return client_->stat(dir_marker_path(path)); });
  auto under = std::async(std::launch::async, [&] { return client_->list(prefix_of(path)); });
  auto record = client_->stat(path);
  auto marker_record = marker.get();
  auto listed = under.get();
  if (record) {
    *out = Entry{false, record->file_bytes, record->mtime_ns};
    return 0;
  }
  if (record.status().code() != StatusCode::kNotFound) return -errno_of(record.status());
  // A marker read can fail where no folder is (under a deleted file's name,
  // the disk finds a file where a folder would be): the list decides then.
  bool dir = marker_record.is_ok();
  if (!dir) {
    if (!listed && listed.status().code() != StatusCode::kRefused) return -errno_of(listed.status());
    dir = !listed || !listed->empty();  // too many to list is not empty
  }
  if (!dir) return -ENOENT;
  *out = Entry{true, 0, 0};
  std::lock_guard lock(listing_mutex_);
  known_dirs_[path] = std::chrono::steady_clock::now();
  return 0;
}

// A folder's listing (from readdir, or an empty one from mkdir) answers for
// its children while fresh. When it is out of date and was small, the folder
// is listed again (one list, shared by the lookups waiting for it), which
// answers the next names for another kListingTtl: a folder being filled
// costs one list every kListingRefreshAfter, not a probe of every new name. Otherwise
// the path is asked about alone, since re-listing a large folder for one
// name would cost the nodes a walk of all of it.
int ArchiveFs::lookup(const std::string& path, Entry* out) {
  if (path == "/") {
    *out = Entry{true, 0, 0};
    return 0;
  }
  if (reserved(path)) return -ENOENT;
  const std::string parent_dir = parent_of(path);
  bool relist = false, ahead = false;
  {
    std::lock_guard lock(listing_mutex_);
    const auto now = std::chrono::steady_clock::now();
    auto parent = listings_.find(parent_dir);
    const bool small = parent != listings_.end() && parent->second.files <= kRelistFilesMax;
    if (parent != listings_.end() && now - parent->second.fetched < kListingTtl) {
      // Listed again shortly before it runs out, by this one lookup while
      // the others still answer from it: a folder being filled does not
      // stop for its list.
      ahead = small && now - parent->second.fetched >= kListingRefreshAfter &&
              !listing_in_flight_.contains(parent_dir);
      if (!ahead) return answer_from(parent->second, path, out);
    } else {
      auto dir = known_dirs_.find(path);
      if (dir != known_dirs_.end() && now - dir->second < kKnownDirTtl) {
        *out = Entry{true, 0, 0};
        return 0;
      }
      relist = small;
    }
  }
  if (relist || ahead) {
    auto fresh = listing(parent_dir, false, ahead);
    if (fresh) return answer_from(*fresh, path, out);
  }
  return lookup_by_probe(path, out);
}

int ArchiveFs::answer_from(const Listing& parent, const std::string& path, Entry* out) const {
  auto it = parent.children.find(name_of(path));
  if (it == parent.children.end()) return -ENOENT;
  *out = it->second;
  return 0;
}

int ArchiveFs::getattr(const std::string& path, struct stat* out) {
  if (auto file = open_file(path)) {
    std::lock_guard lock(file->mutex);
    if (file->loaded && !file->unlinked) {
      fill_attr(Entry{false, file->data.size(), file->mtime_ns}, out);
      return 0;
    }
  }
  Entry entry;
  if (int r = lookup(path, &entry); r != 0) return r;
  fill_attr(entry, out);
  return 0;
}

int ArchiveFs::ensure_loaded(OpenFile& file) {
  if (file.loaded) return 0;
  auto stored = client_->get(file.path);
  if (!stored) return -errno_of(stored.status());
  file.data = std::move(stored->data);
  file.mtime_ns = stored->record.mtime_ns;
  file.loaded = true;
  return 0;
}

int ArchiveFs::store_locked(OpenFile& file) {
  if (!file.dirty || file.unlinked) return 0;
  auto reply = client_->put(file.path, file.data, file.mtime_ns);
  if (!reply) {
    std::cerr << "cairn mount: storing " << file.path << ": " << reply.status().message() << "\n";
    return -errno_of(reply.status());
  }
  file.dirty = false;
  file.maybe_stored = true;
  note(file.path, Entry{false, file.data.size(), file.mtime_ns});
  return 0;
}

int ArchiveFs::create(const std::string& path, Handle** handle) {
  if (reserved(path)) return -EINVAL;
  auto file = acquire(path);
  {
    std::lock_guard lock(file->mutex);
    file->data.clear();
    file->loaded = true;
    file->dirty = true;  // an empty file is stored at close too
    file->unlinked = false;
    file->maybe_stored = false;
    file->mtime_ns = now_ns();
  }
  *handle = new Handle{std::move(file)};
  return 0;
}

int ArchiveFs::refuse_if_retained(const std::string& path) {
  const Status verdict = client_->check_changeable(path, now_ns());
  return verdict.code() == StatusCode::kRetained ? -EPERM : 0;
}

int ArchiveFs::open(const std::string& path, int flags, Handle** handle) {
  if (reserved(path)) return -ENOENT;
  // A retained file is not opened for writing: its writer (a shell's `>`,
  // which never checks close) would otherwise see success until close.
  if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0) {
    if (int r = refuse_if_retained(path); r != 0) return r;
  }
  auto file = acquire(path);
  if ((flags & O_TRUNC) != 0 && (flags & O_ACCMODE) != O_RDONLY) {
    std::lock_guard lock(file->mutex);
    file->data.clear();
    file->loaded = true;
    file->dirty = true;
    file->mtime_ns = now_ns();
  }
  *handle = new Handle{std::move(file)};
  return 0;
}

int ArchiveFs::read(Handle* handle, char* buffer, size_t size, int64_t offset) {
  OpenFile& file = *handle->file;
  std::lock_guard lock(file.mutex);
  if (int r = ensure_loaded(file); r != 0) return r;
  if (offset < 0) return -EINVAL;
  const auto start = static_cast<uint64_t>(offset);
  if (start >= file.data.size()) return 0;
  const size_t n = std::min<uint64_t>(size, file.data.size() - start);
  std::memcpy(buffer, file.data.data() + start, n);
  return static_cast<int>(n);
}

int ArchiveFs::write(Handle* handle, const char* data, size_t size, int64_t offset) {
  if (offset < 0) return -EINVAL;
  const uint64_t end = static_cast<uint64_t>(offset) + size;
  if (end > wire::kFileBytesMax) return -EFBIG;
  OpenFile& file = *handle->file;
  std::lock_guard lock(file.mutex);
  if (int r = ensure_loaded(file); r != 0) return r;
  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  if (static_cast<uint64_t>(offset) == file.data.size()) {
    file.data.insert(file.data.end(), bytes, bytes + size);  // appending: no zero-fill to overwrite
  } else {
    if (file.data.size() < end) file.data.resize(end);
    std::memcpy(file.data.data() + offset, bytes, size);
  }
  file.dirty = true;
  file.mtime_ns = now_ns();
  return static_cast<int>(size);
}

int ArchiveFs::flush(Handle* handle) {
  OpenFile& file = *handle->file;
  std::lock_guard lock(file.mutex);
  return store_locked(file);
}

void ArchiveFs::release(Handle* handle) {
  std::unique_ptr<Handle> owned(handle);
  OpenFile& file = *handle->file;
  std::lock_guard lock(file.mutex);
  // Changed after the last close's flush (utimensat before release): store now.
  if (file.dirty && !file.unlinked && store_locked(file) != 0) lost_at_release_.fetch_add(1);
  std::lock_guard open_lock(open_mutex_);
  if (--file.handles == 0) {
    auto it = open_.find(file.path);
    if (it != open_.end() && it->second == handle->file) open_.erase(it);
  }
}

int ArchiveFs::truncate(const std::string& path, int64_t size, Handle* handle) {
  if (size < 0) return -EINVAL;
  if (static_cast<uint64_t>(size) > wire::kFileBytesMax) return -EFBIG;
  auto file = handle != nullptr ? handle->file : open_file(path);
  if (file) {
    std::lock_guard lock(file->mutex);
    // The change would be stored at some handle's close, too late to refuse it.
    if (file->maybe_stored) {
      if (int r = refuse_if_retained(path); r != 0) return r;
    }
    if (size == 0) {
      file->loaded = true;
    } else if (int r = ensure_loaded(*file); r != 0) {
      return r;
    }
    file->data.resize(static_cast<size_t>(size));
    file->dirty = true;
    file->mtime_ns = now_ns();
    return 0;
  }
  Entry entry;
  if (int r = lookup(path, &entry); r != 0) return r;
  if (entry.dir) return -EISDIR;
  std::vector<std::byte> data;
  if (size != 0) {
    auto stored = client_->get(path);
    if (!stored) return -errno_of(stored.status());
    data = std::move(stored->data);
  }
  data.resize(static_cast<size_t>(size));
  const int64_t mtime = now_ns();
  auto reply = client_->put(path, data, mtime);
  if (!reply) return -errno_of(reply.status());
  note(path, Entry{false, data.size(), mtime});
  return 0;
}

int ArchiveFs::set_mtime(const std::string& path, int64_t mtime_ns, Handle* handle) {
  auto file = handle != nullptr ? handle->file : open_file(path);
  if (file) {
    std::lock_guard lock(file->mutex);
    if (int r = ensure_loaded(*file); r != 0) return r;
    if (file->mtime_ns != mtime_ns) {
      if (file->maybe_stored) {
        if (int r = refuse_if_retained(path); r != 0) return r;
      }
      file->mtime_ns = mtime_ns;
      file->dirty = true;  // stored at the next flush, fsync or the last release
    }
    return 0;
  }
  Entry entry;
  if (int r = lookup(path, &entry); r != 0) return r;
  if (entry.dir || entry.mtime_ns == mtime_ns) return 0;  // folders keep no times
  // The time is part of the file's record: store the file again with it.
  auto stored = client_->get(path);
  if (!stored) return -errno_of(stored.status());
  auto reply = client_->put(path, stored->data, mtime_ns);
  if (!reply) return -errno_of(reply.status());
  note(path, Entry{false, stored->data.size(), mtime_ns});
  return 0;
}

int ArchiveFs::unlink(const std::string& path) {
  if (reserved(path)) return -ENOENT;
  auto file = open_file(path);
  std::unique_lock<std::mutex> file_lock;
  if (file) file_lock = std::unique_lock(file->mutex);
  Entry entry;
  int r = lookup(path, &entry);
  const bool never_stored = r == -ENOENT && file && file->loaded && !file->unlinked;
  if (r != 0 && !never_stored) return r;
  if (r == 0 && entry.dir) return -EISDIR;
  if (r == 0) {
    auto reply = client_->remove(path);
    if (!reply) return -errno_of(reply.status());
  }
  note(path, std::nullopt);
  if (file) {
    file->unlinked = true;
    file->dirty = false;
    std::lock_guard open_lock(open_mutex_);
    auto it = open_.find(path);
    if (it != open_.end() && it->second == file) open_.erase(it);
  }
  return 0;
}

int ArchiveFs::rename(const std::string& from, const std::string& to, unsigned int flags) {
  if ((flags & RENAME_EXCHANGE) != 0) return -EINVAL;
  if (reserved(from)) return -ENOENT;
  if (reserved(to)) return -EINVAL;
  if (from == to) return 0;
  auto file = open_file(from);
  std::unique_lock<std::mutex> file_lock;
  if (file) file_lock = std::unique_lock(file->mutex);
  const bool from_buffer = file && file->loaded && !file->unlinked;
  if (!from_buffer) {
    Entry source;
    if (int r = lookup(from, &source); r != 0) return r;
    if (source.dir) return -EXDEV;  // mv falls back to copying and deleting
  }
  // The old name is deleted after the new one is stored: a retained file
  // would leave a copy behind and stay where it is.
  if (!from_buffer || file->maybe_stored) {
    if (int r = refuse_if_retained(from); r != 0) return r;
  }
  Entry target;
  const int found = lookup(to, &target);
  if (found != 0 && found != -ENOENT) return found;
  if (found == 0 && target.dir) return -EISDIR;
  if (found == 0 && (flags & RENAME_NOREPLACE) != 0) return -EEXIST;
  std::vector<std::byte> data;
  int64_t mtime = 0;
  if (from_buffer) {
    data = file->data;
    mtime = file->mtime_ns;
  } else {
    auto stored = client_->get(from);
    if (!stored) return -errno_of(stored.status());
    data = std::move(stored->data);
    mtime = stored->record.mtime_ns;
  }
  // Stored under the new path first: a crash in between leaves both, never neither.
  auto put = client_->put(to, data, mtime);
  if (!put) return -errno_of(put.status());
  note(to, Entry{false, data.size(), mtime});
  Entry stored_from;
  if (lookup(from, &stored_from) == 0) {
    auto removed = client_->remove(from);
    if (!removed) return -errno_of(removed.status());
  }
  note(from, std::nullopt);
  if (file) {
    file->dirty = false;
    std::lock_guard open_lock(open_mutex_);
    auto it = open_.find(from);
    if (it != open_.end() && it->second == file) open_.erase(it);
    // A handle still open on the target keeps the file it opened.
    if (auto old = open_.find(to); old != open_.end()) open_.erase(old);
    file->path = to;
    open_[to] = file;
  }
  return 0;
}

int ArchiveFs::mkdir(const std::string& path) {
  if (reserved(path)) return -EINVAL;
  Entry entry;
  const int r = lookup(path, &entry);
  if (r == 0) return -EEXIST;
  if (r != -ENOENT) return r;
  const auto marker = encode_dir_marker();
  const auto made = std::chrono::steady_clock::now();
  auto reply = client_->put(dir_marker_path(path), marker, now_ns());
  if (!reply) return -errno_of(reply.status());
  note(path, Entry{true, 0, 0});
  // A folder just made holds nothing: its first names need no lookup in the cluster.
  std::lock_guard lock(listing_mutex_);
  listings_.try_emplace(path, Listing{{}, made, 0});
  return 0;
}

int ArchiveFs::rmdir(const std::string& path) {
  if (path == "/") return -EBUSY;
  Entry entry;
  if (int r = lookup(path, &entry); r != 0) return r;
  if (!entry.dir) return -ENOTDIR;
  auto children = listing(path, true);
  if (!children) return -errno_of(children.status());
  if (!children->children.empty()) return -ENOTEMPTY;
  {
    std::lock_guard open_lock(open_mutex_);
    for (const auto& [open_path, file] : open_) {
      if (beneath(open_path, path)) return -ENOTEMPTY;
    }
  }
  // A folder with no marker existed only through files now gone.
  const std::string marker = dir_marker_path(path);
  auto record = client_->stat(marker);
  if (record) {
    auto reply = client_->remove(marker);
    if (!reply) return -errno_of(reply.status());
  } else if (record.status().code() != StatusCode::kNotFound) {
    return -errno_of(record.status());
  }
  note(path, std::nullopt);
  return 0;
}

int ArchiveFs::list_dir(const std::string& path, std::vector<DirEntry>* out) {
  auto children = listing(path, true);
  if (!children) {
    if (children.status().code() == StatusCode::kRefused) {
      std::cerr << "cairn mount: " << path << ": " << children.status().message() << "\n";
      return -EOVERFLOW;
    }
    return -errno_of(children.status());
  }
  out->clear();
  out->reserve(children->children.size());
  for (const auto& [name, entry] : children->children) {
    DirEntry e{name, {}};
    fill_attr(entry, &e.attr);
    out->push_back(std::move(e));
  }
  // Files created here and not stored yet.
  std::vector<std::shared_ptr<OpenFile>> fresh;
  {
    std::lock_guard open_lock(open_mutex_);
    for (const auto& [open_path, file] : open_) {
      if (parent_of(open_path) == path && !children->children.contains(name_of(open_path))) fresh.push_back(file);
    }
  }
  for (const auto& file : fresh) {
    std::lock_guard lock(file->mutex);
    if (!file->loaded || file->unlinked) continue;
    DirEntry e{name_of(file->path), {}};
    fill_attr(Entry{false, file->data.size(), file->mtime_ns}, &e.attr);
    out->push_back(std::move(e));
  }
  return 0;
}

int ArchiveFs::statfs(struct statvfs* out) {
  std::lock_guard lock(statfs_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (statfs_cache_ && now - statfs_cache_->first < std::chrono::seconds(5)) {
    *out = statfs_cache_->second;
    return 0;
  }
  uint64_t used = 0, capacity = 0, answered = 0;
  for (const auto& status : client_->node_status()) {
    if (!status) continue;
    const auto json = nlohmann::json::parse(*status, nullptr, false);
    if (!json.is_object() || !json.contains("disks")) continue;
    ++answered;
    for (const auto& d : json["disks"]) {
      used += d.value("used_bytes", uint64_t{0});
      capacity += d.value("capacity_bytes", uint64_t{0});
    }
  }
  if (answered == 0) return -EIO;
  // Raw bytes over the scheme's overhead: what files can still take.
  const double overhead = client_->map()->pool.spec.scheme.overhead();
  const uint64_t block = 4096;
  *out = {};
  out->f_bsize = block;
  out->f_frsize = block;
  out->f_blocks = static_cast<fsblkcnt_t>(static_cast<double>(capacity) / overhead / block);
  out->f_bfree = static_cast<fsblkcnt_t>(static_cast<double>(capacity - std::min(used, capacity)) / overhead / block);
  out->f_bavail = out->f_bfree;
  out->f_namemax = 255;
  statfs_cache_ = {now, *out};
  return 0;
}

}  // namespace cairn
