// `cairn mount MOUNTPOINT`: the cluster as a folder, for a PACS or a DICOM
// receiver that writes files (cluster-ref/mount/fuse_mount.h).
#include <filesystem>
#include <iostream>

#include "cli/cluster_common.h"
#include "cli/commands.h"
#include "cluster-ref/mount/fuse_mount.h"
#include "cluster-ref/net/secret.h"

namespace cairn::cli {
namespace {

struct MountCmdOptions {
  std::string cluster;
  MountOptions mount;
};

int run(MountCmdOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_directory(o.mount.mountpoint, ec)) {
    return usage_error("mount", o.mount.mountpoint + ": not a folder (create it first)");
  }
  o.mount.mountpoint = std::filesystem::absolute(o.mount.mountpoint, ec).lexically_normal().string();
  if (o.mount.mountpoint.size() > 1 && o.mount.mountpoint.back() == '/') o.mount.mountpoint.pop_back();
  auto client = open_client("mount", o.cluster);
  if (!client) return 2;
  // A mount on a cluster that is not there would fail every write later,
  // where a receiver might not show it: say so now.
  bool any_up = false;
  for (const auto& status : client->node_status()) any_up = any_up || status.is_ok();
  if (!any_up) return usage_error("mount", "no node of the cluster answers (is it up? see cairn status)");
  ClusterMap map = *client->map();
  client.reset();
  auto secret = load_cluster_secret(cluster_file_of("mount", o.cluster));  // open_client read it already
  if (!secret) return usage_error("mount", secret.status().message());
  return run_mount(o.mount, std::move(map), std::move(secret).value(), std::cerr);
}

}  // namespace

void add_mount_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<MountCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "mount",
      "Mount the cluster as a folder: files written there are stored in the cluster when closed or fsync'd "
      "(unmount with fusermount3 -u MOUNTPOINT)");
  cmd->add_option("mountpoint", o->mount.mountpoint, "an existing empty folder")->required();
  cmd->add_flag("-f,--foreground", o->mount.foreground,
                "stay in the foreground until unmounted or interrupted (Ctrl-C unmounts)");
  cmd->add_flag("--allow-other", o->mount.allow_other,
                "let other users use the mount (for a receiver running as its own account; "
                "non-root mounts need user_allow_other in /etc/fuse.conf)");
  add_cluster_option(cmd, &o->cluster);
  cmd->callback([o, exit_code] { *exit_code = run(*o); });
}

}  // namespace cairn::cli
