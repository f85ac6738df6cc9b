#define FUSE_USE_VERSION 35
#include "cluster-ref/mount/fuse_mount.h"

#include <fcntl.h>
#include <fuse.h>
#include <malloc.h>

#include <cerrno>
#include <chrono>
#include <iostream>
#include <new>

#include "cluster-ref/mount/archive_fs.h"

namespace cairn {
namespace {

struct MountState {
  std::unique_ptr<ArchiveFs> fs;
};

ArchiveFs& fs() { return *static_cast<MountState*>(fuse_get_context()->private_data)->fs; }

ArchiveFs::Handle* handle_of(const fuse_file_info* fi) {
  return fi == nullptr ? nullptr : reinterpret_cast<ArchiveFs::Handle*>(fi->fh);
}

// No exception crosses into libfuse: running out of memory while buffering
// a file is ENOMEM for that call.
template <class Op>
int guarded(Op op) {
  try {
    return op();
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  } catch (const std::exception& e) {
    std::cerr << "cairn mount: " << e.what() << "\n";
    return -EIO;
  }
}

void* op_init(fuse_conn_info* conn, fuse_config* cfg) {
  cfg->use_ino = 0;
  cfg->hard_remove = 1;  // an unlinked open file is not renamed to .fuse_hidden (a copy here)
  cfg->entry_timeout = 1.0;
  cfg->attr_timeout = 1.0;
  cfg->negative_timeout = 0;  // a name just created elsewhere is seen at once
  // open(O_TRUNC) arrives as one open, not as a truncate (a store) then an open.
  if ((conn->capable & FUSE_CAP_ATOMIC_O_TRUNC) != 0) conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
  return fuse_get_context()->private_data;
}

int op_getattr(const char* path, struct stat* st, fuse_file_info*) {
  return guarded([&] { return fs().getattr(path, st); });
}

// A handle open only for writing sends its writes straight to the mount,
// not through the kernel's page cache: one copy of the bytes fewer, and an
// archive written once does not evict what readers cached. Such a handle
// cannot be mapped (mmap needs read access), so nothing is lost; handles
// that can read keep the page cache.
void set_handle(fuse_file_info* fi, ArchiveFs::Handle* h) {
  fi->fh = reinterpret_cast<uint64_t>(h);
  if ((fi->flags & O_ACCMODE) == O_WRONLY) fi->direct_io = 1;
}

int op_create(const char* path, mode_t, fuse_file_info* fi) {
  return guarded([&] {
    ArchiveFs::Handle* h = nullptr;
    const int r = fs().create(path, &h);
    if (r == 0) set_handle(fi, h);
    return r;
  });
}

int op_open(const char* path, fuse_file_info* fi) {
  return guarded([&] {
    ArchiveFs::Handle* h = nullptr;
    const int r = fs().open(path, fi->flags, &h);
    if (r == 0) set_handle(fi, h);
    return r;
  });
}

int op_read(const char*, char* buffer, size_t size, off_t offset, fuse_file_info* fi) {
  return guarded([&] { return fs().read(handle_of(fi), buffer, size, offset); });
}

int op_write(const char*, const char* data, size_t size, off_t offset, fuse_file_info* fi) {
  return guarded([&] { return fs().write(handle_of(fi), data, size, offset); });
}

int op_flush(const char*, fuse_file_info* fi) {
  return guarded([&] { return fs().flush(handle_of(fi)); });
}

int op_fsync(const char*, int, fuse_file_info* fi) {
  return guarded([&] { return fs().flush(handle_of(fi)); });
}

int op_release(const char*, fuse_file_info* fi) {
  return guarded([&] {
    fs().release(handle_of(fi));
    return 0;
  });
}

int op_truncate(const char* path, off_t size, fuse_file_info* fi) {
  return guarded([&] { return fs().truncate(path, size, handle_of(fi)); });
}

int op_utimens(const char* path, const struct timespec tv[2], fuse_file_info* fi) {
  return guarded([&] {
    if (tv[1].tv_nsec == UTIME_OMIT) return 0;
    int64_t mtime_ns = 0;
    if (tv[1].tv_nsec == UTIME_NOW) {
      mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    } else {
      mtime_ns = static_cast<int64_t>(tv[1].tv_sec) * 1'000'000'000 + tv[1].tv_nsec;
    }
    return fs().set_mtime(path, mtime_ns, handle_of(fi));
  });
}

// Modes and owners are not stored: files read 0644 and folders 0755, owned
// by the mounting user. Changing them succeeds without effect, as on other
// object-store mounts, so that cp -p and rsync -a work.
int op_chmod(const char* path, mode_t, fuse_file_info*) {
  return guarded([&] {
    struct stat st {};
    return fs().getattr(path, &st);
  });
}

int op_chown(const char* path, uid_t, gid_t, fuse_file_info*) {
  return guarded([&] {
    struct stat st {};
    return fs().getattr(path, &st);
  });
}

int op_unlink(const char* path) {
  return guarded([&] { return fs().unlink(path); });
}

int op_rename(const char* from, const char* to, unsigned int flags) {
  return guarded([&] { return fs().rename(from, to, flags); });
}

int op_mkdir(const char* path, mode_t) {
  return guarded([&] { return fs().mkdir(path); });
}

int op_rmdir(const char* path) {
  return guarded([&] { return fs().rmdir(path); });
}

int op_opendir(const char* path, fuse_file_info* fi) {
  return guarded([&] {
    auto entries = std::make_unique<std::vector<ArchiveFs::DirEntry>>();
    const int r = fs().list_dir(path, entries.get());
    if (r == 0) fi->fh = reinterpret_cast<uint64_t>(entries.release());
    return r;
  });
}

int op_readdir(const char*, void* buffer, fuse_fill_dir_t fill, off_t, fuse_file_info* fi,
               fuse_readdir_flags) {
  return guarded([&] {
    const auto* entries = reinterpret_cast<const std::vector<ArchiveFs::DirEntry>*>(fi->fh);
    fill(buffer, ".", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
    fill(buffer, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
    for (const auto& e : *entries) {
      if (fill(buffer, e.name.c_str(), &e.attr, 0, FUSE_FILL_DIR_PLUS) != 0) return -ENOMEM;
    }
    return 0;
  });
}

int op_releasedir(const char*, fuse_file_info* fi) {
  delete reinterpret_cast<std::vector<ArchiveFs::DirEntry>*>(fi->fh);
  return 0;
}

int op_statfs(const char*, struct statvfs* out) {
  return guarded([&] { return fs().statfs(out); });
}

fuse_operations operations() {
  fuse_operations ops{};
  ops.init = op_init;
  ops.getattr = op_getattr;
  ops.create = op_create;
  ops.open = op_open;
  ops.read = op_read;
  ops.write = op_write;
  ops.flush = op_flush;
  ops.fsync = op_fsync;
  ops.release = op_release;
  ops.truncate = op_truncate;
  ops.utimens = op_utimens;
  ops.chmod = op_chmod;
  ops.chown = op_chown;
  ops.unlink = op_unlink;
  ops.rename = op_rename;
  ops.mkdir = op_mkdir;
  ops.rmdir = op_rmdir;
  ops.opendir = op_opendir;
  ops.readdir = op_readdir;
  ops.releasedir = op_releasedir;
  ops.statfs = op_statfs;
  return ops;
}

}  // namespace

int run_mount(const MountOptions& options, ClusterMap map, SecretPtr secret, std::ostream& err) {
  std::string mount_opts = "fsname=cairn:" + map.config.name + ",subtype=cairn";
  if (options.allow_other) mount_opts += ",allow_other";
  std::string argv0 = "cairn-mount", dash_o = "-o";
  char* argv[] = {argv0.data(), dash_o.data(), mount_opts.data()};
  fuse_args args = FUSE_ARGS_INIT(3, argv);
  MountState state;
  const fuse_operations ops = operations();
  fuse* f = fuse_new(&args, &ops, sizeof ops, &state);
  if (f == nullptr) {
    err << "cairn mount: error: libfuse refused the mount options " << mount_opts << "\n";
    return 1;
  }
  if (fuse_mount(f, options.mountpoint.c_str()) != 0) {
    fuse_destroy(f);
    err << "cairn mount: error: cannot mount at " << options.mountpoint
        << " (is /dev/fuse there, fusermount3 installed, and the folder not already a mount?)\n";
    return 1;
  }
  err << "cairn mount: cluster " << map.config.name << " mounted at " << options.mountpoint
      << "; unmount with: fusermount3 -u " << options.mountpoint
      << (options.foreground ? " (or Ctrl-C)" : "") << "\n";
  err.flush();
  if (fuse_daemonize(options.foreground ? 1 : 0) != 0) {
    fuse_unmount(f);
    fuse_destroy(f);
    return 1;
  }
  // Every file is buffered whole (a CT slice is 256 KiB). glibc serves blocks
  // that large with mmap and unmaps them at free, so each file cost its pages'
  // first-touch faults and an munmap; kept in the heap, freed buffers are
  // reused by the next files. Files up to 32 MiB stay in the heap, which
  // keeps at most what the open files once held.
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
  // The client (its sockets) is made after the fork into the daemon.
  auto client = Client::from_map(std::move(map), std::move(secret));
  if (!client) {
    std::cerr << "cairn mount: error: " << client.status().message() << "\n";
    fuse_unmount(f);
    fuse_destroy(f);
    return 1;
  }
  state.fs = std::make_unique<ArchiveFs>(std::move(client).value());
  fuse_session* session = fuse_get_session(f);
  if (fuse_set_signal_handlers(session) != 0) {
    fuse_unmount(f);
    fuse_destroy(f);
    return 1;
  }
  fuse_loop_config config{};
  config.clone_fd = 0;
  config.max_idle_threads = 16;
  const int loop = fuse_loop_mt(f, &config);
  fuse_remove_signal_handlers(session);
  fuse_unmount(f);
  fuse_destroy(f);
  const uint64_t lost = state.fs->lost_at_release();
  if (lost > 0) std::cerr << "cairn mount: " << lost << " file(s) could not be stored when last closed\n";
  if (options.foreground) std::cerr << "cairn mount: unmounted " << options.mountpoint << "\n";
  // The loop ends with the number of the signal that stopped it (a clean end) or a negative error.
  return loop < 0 ? 1 : 0;
}

}  // namespace cairn
