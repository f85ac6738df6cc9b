// The FUSE mount of a reference cluster (`cairn mount`): libfuse3's
// high-level API over ArchiveFs (archive_fs.h), served by a multi-threaded
// loop until `fusermount3 -u MOUNTPOINT`, SIGINT or SIGTERM, then unmounted
// cleanly. The only file that includes <fuse.h>.
#pragma once

#include <iosfwd>
#include <string>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/net/secret.h"

namespace cairn {

struct MountOptions {
  std::string mountpoint;
  bool foreground = false;   // stay attached to the terminal (else become a daemon once mounted)
  bool allow_other = false;  // let other users (e.g. a PACS service account) use the mount
};

// Mounts `map`'s cluster at options.mountpoint (talking to it with the
// cluster's `secret`) and serves it until
// unmounted. Returns 0 after a clean unmount, 1 when mounting failed (with
// the reason on `err`). Without `foreground` the calling process returns 0
// as soon as the mount is in place, and a daemon serves it.
int run_mount(const MountOptions& options, ClusterMap map, SecretPtr secret, std::ostream& err);

}  // namespace cairn
