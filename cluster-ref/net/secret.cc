#include "cluster-ref/net/secret.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace cairn {
namespace {

constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::filesystem::path secret_file_for(const std::filesystem::path& cluster_file) {
  std::filesystem::path out = cluster_file;
  out.replace_extension(".secret");
  return out;
}

void random_bytes(std::span<std::byte> out) {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0 && errno == EINTR) continue;
    CAIRN_ASSERT(n > 0);  // getrandom on Linux >= 3.17 does not fail once seeded
    done += static_cast<size_t>(n);
  }
}

Result<SecretPtr> load_secret(const std::filesystem::path& file) {
  const std::string name = file.string();
  const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) {
      return not_found("no cluster secret " + name + " (it lives beside the cluster file; `cairn lab up` writes it)");
    }
    return Status(StatusCode::kIoError, "cannot read cluster secret " + name + ": " + std::strerror(e));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return invalid_argument("cluster secret " + name + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return refused("cluster secret " + name + " has mode " + mode +
                   ": others may read it; only its owner may (chmod 600 " + name + ")");
  }
  char text[2 * wire::kSecretBytes + 2] = {};
  const ssize_t n = ::read(fd, text, sizeof text);
  ::close(fd);
  const bool newline = n == static_cast<ssize_t>(2 * wire::kSecretBytes + 1) && text[2 * wire::kSecretBytes] == '\n';
  if (n != static_cast<ssize_t>(2 * wire::kSecretBytes) && !newline) {
    return invalid_argument("cluster secret " + name + " is not 64 hex digits");
  }
  auto secret = std::make_shared<wire::Secret>();
  for (size_t i = 0; i < wire::kSecretBytes; ++i) {
    const int hi = hex_value(text[2 * i]);
    const int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return invalid_argument("cluster secret " + name + " is not 64 lowercase hex digits");
    (*secret)[i] = static_cast<std::byte>(hi * 16 + lo);
  }
  return SecretPtr(std::move(secret));
}

Result<SecretPtr> load_cluster_secret(const std::filesystem::path& cluster_file) {
  return load_secret(secret_file_for(cluster_file));
}

Status write_new_secret(const std::filesystem::path& file) {
  const std::string name = file.string();
  const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int e = errno;
    if (e == EEXIST) return refused("cluster secret " + name + " exists; it is never overwritten");
    return Status(StatusCode::kIoError, "cannot create " + name + ": " + std::strerror(e));
  }
  wire::Secret secret{};
  random_bytes(secret);
  std::string text;
  for (std::byte b : secret) {
    text += kHex[std::to_integer<unsigned>(b) >> 4];
    text += kHex[std::to_integer<unsigned>(b) & 15];
  }
  text += '\n';
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = written && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    ::unlink(name.c_str());
    return Status(StatusCode::kIoError, "cannot write " + name);
  }
  return Status::ok();
}

}  // namespace cairn
