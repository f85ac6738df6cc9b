// The cluster's secret: 32 random bytes that every node and client of a
// cluster holds and nothing else does (wire version 2 proves it on every
// connection; formats/auth.h). It lives in a file beside the cluster file,
// named after it — cluster.yaml's is cluster.secret — as 64 lowercase hex
// digits and a newline, readable by its owner only (mode 0600). `cairn lab
// up` writes it; a real cluster's administrator copies it to each machine.
#pragma once
#include <filesystem>
#include <memory>

#include "cluster-ref/formats/auth.h"
#include "engine/status.h"

namespace cairn {

using SecretPtr = std::shared_ptr<const wire::Secret>;

// The secret file of a cluster file: same folder, same stem, ".secret".
std::filesystem::path secret_file_for(const std::filesystem::path& cluster_file);

// kNotFound when the file is missing, kRefused when its group or others may
// access it (naming the chmod that fixes it), kInvalidArgument when it is not
// 64 hex digits. Every message names the file.
Result<SecretPtr> load_secret(const std::filesystem::path& secret_file);
// load_secret(secret_file_for(cluster_file)).
Result<SecretPtr> load_cluster_secret(const std::filesystem::path& cluster_file);

// Writes a new random secret to `secret_file`, created with mode 0600;
// kRefused when the file exists (a secret is never overwritten).
Status write_new_secret(const std::filesystem::path& secret_file);

// Bytes from the operating system's random source (getrandom).
void random_bytes(std::span<std::byte> out);

}  // namespace cairn
