// The FUSE mount end to end (label `cluster`): a real lab cluster of
// cairn-node processes, a real `cairn mount` process and the kernel's FUSE
// driver between this test and it. POSIX operations with their results and
// errno values, WORM retention's refusals (EPERM), `cp -r` and `rsync -a` of
// a tree, a DICOM study stored by dcmtk's storescp into the mount and read
// back through `cairn get`, and clean unmounts by fusermount3 -u and by
// SIGINT; and `cairn bench put|get --through` taking turns between the
// local directory, the client library and the mount.
//
// Skips only when /dev/fuse is absent. Seeded: CAIRN_TEST_SEED replays a run.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "cluster-ref/mount/dir_marker.h"
#include "lab_fixture.h"

namespace cairn {
namespace {
namespace fs = std::filesystem;

struct ShellRun {
  int rc = -1;
  std::string out;
};

// Runs `command` under sh, stdout and stderr together.
ShellRun sh(const std::string& command) {
  ShellRun run;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
  const int status = ::pclose(pipe);
  run.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

bool mounted(const fs::path& dir) {
  std::ifstream mounts("/proc/self/mounts");
  std::string device, where, type;
  std::string line;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    fields >> device >> where >> type;
    if (where == dir.string() && type == "fuse.cairn") return true;
  }
  return false;
}

std::vector<std::byte> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(bytes.size());
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

void write_file(const fs::path& file, std::span<const std::byte> data) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

// A lab cluster with a folder mounted on it by `cairn mount` (a daemon),
// unmounted by fusermount3 -u at the end unless a test did it.
class MountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access("/dev/fuse", R_OK | W_OK) != 0) GTEST_SKIP() << "/dev/fuse is absent: no FUSE mount possible here";
    seed_ = testing::test_seed(20261205);
    lab_ = std::make_unique<testing::LabCluster>(3, 2, Scheme::replica(3), capacity_bytes());
    ASSERT_TRUE(lab_->up().is_ok());
    mnt_ = lab_->spec().dir / "mnt";
    scratch_ = lab_->spec().dir / "scratch";
    fs::create_directories(mnt_);
    fs::create_directories(scratch_);
    const ShellRun run = sh(cairn_cmd("mount " + q(mnt_)));
    ASSERT_EQ(run.rc, 0) << run.out;
    ASSERT_TRUE(mounted(mnt_)) << run.out;
    auto client = Client::open(lab_->cluster_file());
    ASSERT_TRUE(client) << client.status().message();
    client_ = std::move(client).value();
  }
  void TearDown() override {
    if (!mnt_.empty() && mounted(mnt_)) {
      const ShellRun run = sh("fusermount3 -u " + q(mnt_));
      EXPECT_EQ(run.rc, 0) << run.out;
    }
  }
  virtual uint64_t capacity_bytes() const { return uint64_t{4} << 30; }
  std::string cairn_cmd(const std::string& sub) const {
    return std::string(CAIRN_BIN) + " " + sub + " --cluster " + q(lab_->cluster_file());
  }
  std::vector<std::byte> seeded(uint32_t i, uint64_t min_bytes, uint64_t spread_bytes) const {
    return testing::seeded_file(seed_, i, min_bytes, spread_bytes);
  }

  uint64_t seed_ = 0;
  std::unique_ptr<testing::LabCluster> lab_;
  fs::path mnt_, scratch_;
  std::unique_ptr<Client> client_;
};

TEST_F(MountTest, PosixOperationsAndErrno) {
  // create, write, close: stored, and read back by the client and by ranges.
  const auto data = seeded(1, 300'000, 100'000);
  const fs::path file = mnt_ / "a.dcm";
  int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_EXCL, 0644);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  ASSERT_EQ(::close(fd), 0);
  auto stored = client_->get("/a.dcm");
  ASSERT_TRUE(stored) << stored.status().message();
  EXPECT_EQ(stored->data, data);
  struct stat st{};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(static_cast<uint64_t>(st.st_size), data.size());
  fd = ::open(file.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  for (const size_t offset : {size_t{0}, size_t{4095}, size_t{131'072}, data.size() - 10}) {
    std::vector<std::byte> part(5000);
    const ssize_t n = ::pread(fd, part.data(), part.size(), static_cast<off_t>(offset));
    const size_t expect = std::min<size_t>(part.size(), data.size() - offset);
    ASSERT_EQ(n, static_cast<ssize_t>(expect)) << "offset " << offset;
    EXPECT_TRUE(std::equal(part.begin(), part.begin() + n, data.begin() + static_cast<std::ptrdiff_t>(offset)));
  }
  ::close(fd);
  // O_EXCL on an existing name.
  errno = 0;
  EXPECT_EQ(::open(file.c_str(), O_CREAT | O_WRONLY | O_EXCL, 0644), -1);
  EXPECT_EQ(errno, EEXIST);

  // fsync: durable (in the cluster) before close.
  const auto more = seeded(2, 10'000, 10'000);
  fd = ::open((mnt_ / "b.dcm").c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, more.data(), more.size()), static_cast<ssize_t>(more.size()));
  ASSERT_EQ(::fsync(fd), 0);
  auto synced = client_->get("/b.dcm");
  ASSERT_TRUE(synced) << synced.status().message();
  EXPECT_EQ(synced->data, more);
  // ftruncate on the open file, then close stores the shorter file.
  ASSERT_EQ(::ftruncate(fd, 1000), 0);
  ASSERT_EQ(::close(fd), 0);
  EXPECT_EQ(client_->get("/b.dcm")->data, std::vector<std::byte>(more.begin(), more.begin() + 1000));
  // truncate by path (no file open) and growing with zeros.
  ASSERT_EQ(::truncate((mnt_ / "b.dcm").c_str(), 1500), 0);
  auto grown = client_->get("/b.dcm");
  ASSERT_TRUE(grown);
  ASSERT_EQ(grown->data.size(), 1500U);
  EXPECT_EQ(grown->data[1200], std::byte{0});
  errno = 0;
  EXPECT_EQ(::truncate((mnt_ / "none").c_str(), 10), -1);
  EXPECT_EQ(errno, ENOENT);

  // mkdir: an empty folder exists (its marker), twice is EEXIST.
  ASSERT_EQ(::mkdir((mnt_ / "study").c_str(), 0755), 0);
  errno = 0;
  EXPECT_EQ(::mkdir((mnt_ / "study").c_str(), 0755), -1);
  EXPECT_EQ(errno, EEXIST);
  ASSERT_EQ(::stat((mnt_ / "study").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_TRUE(client_->stat(dir_marker_path("/study")));
  EXPECT_TRUE(fs::is_empty(mnt_ / "study"));
  // The marker name is reserved.
  errno = 0;
  EXPECT_EQ(::open((mnt_ / "study" / std::string(kDirMarkerName)).c_str(), O_CREAT | O_WRONLY, 0644), -1);
  EXPECT_EQ(errno, EINVAL);

  // rename: the file moves with its bytes and its time; the old name is gone.
  ASSERT_EQ(::rename((mnt_ / "a.dcm").c_str(), (mnt_ / "study" / "a.dcm").c_str()), 0);
  errno = 0;
  EXPECT_EQ(::stat((mnt_ / "a.dcm").c_str(), &st), -1);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(client_->get("/study/a.dcm")->data, data);
  EXPECT_EQ(client_->get("/a.dcm").status().code(), StatusCode::kNotFound);
  errno = 0;
  EXPECT_EQ(::rename((mnt_ / "missing").c_str(), (mnt_ / "x").c_str()), -1);
  EXPECT_EQ(errno, ENOENT);
  // A folder is not renamed in place (mv copies it instead).
  ASSERT_EQ(::mkdir((mnt_ / "dir2").c_str(), 0755), 0);
  errno = 0;
  EXPECT_EQ(::rename((mnt_ / "dir2").c_str(), (mnt_ / "dir3").c_str()), -1);
  EXPECT_EQ(errno, EXDEV);

  // rmdir: not empty, not a folder, then empty.
  errno = 0;
  EXPECT_EQ(::rmdir((mnt_ / "study").c_str()), -1);
  EXPECT_EQ(errno, ENOTEMPTY);
  errno = 0;
  EXPECT_EQ(::rmdir((mnt_ / "b.dcm").c_str()), -1);
  EXPECT_EQ(errno, ENOTDIR);
  ASSERT_EQ(::rmdir((mnt_ / "dir2").c_str()), 0);
  EXPECT_FALSE(fs::exists(mnt_ / "dir2"));
  EXPECT_EQ(client_->stat(dir_marker_path("/dir2")).status().code(), StatusCode::kNotFound);

  // unlink, and unlink of what is not there.
  ASSERT_EQ(::unlink((mnt_ / "b.dcm").c_str()), 0);
  EXPECT_EQ(client_->get("/b.dcm").status().code(), StatusCode::kNotFound);
  errno = 0;
  EXPECT_EQ(::unlink((mnt_ / "b.dcm").c_str()), -1);
  EXPECT_EQ(errno, ENOENT);
  errno = 0;
  EXPECT_EQ(::unlink((mnt_ / "study").c_str()), -1);
  EXPECT_EQ(errno, EISDIR);

  // A file past the cluster's limit: EFBIG at the write.
  fd = ::open((mnt_ / "big").c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  errno = 0;
  EXPECT_EQ(::pwrite(fd, "x", 1, static_cast<off_t>(wire::kFileBytesMax)), -1);
  EXPECT_EQ(errno, EFBIG);
  ASSERT_EQ(::close(fd), 0);  // stored empty, as created
  ASSERT_EQ(::unlink((mnt_ / "big").c_str()), 0);

  // statfs: the cluster's usable capacity (raw over the scheme's overhead).
  struct statvfs vfs{};
  ASSERT_EQ(::statvfs(mnt_.c_str(), &vfs), 0);
  const double usable = 3.0 * 2 * static_cast<double>(capacity_bytes()) / 3.0;
  EXPECT_NEAR(static_cast<double>(vfs.f_blocks) * static_cast<double>(vfs.f_frsize), usable, usable * 0.01);
  EXPECT_LE(vfs.f_bfree, vfs.f_blocks);

  // readdir of a folder with thousands of files (stored by the client: the
  // listing is what is tested), with their sizes.
  constexpr uint32_t kMany = 3000;
  for (uint32_t i = 0; i < kMany; ++i) {
    std::vector<std::byte> small(i % 7 + 1, std::byte{1});
    ASSERT_TRUE(client_->put("/many/IM-" + std::to_string(i) + ".dcm", small, 0));
  }
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(mnt_ / "many")) {
    names.insert(e.path().filename().string());
    const std::string stem = e.path().stem().string();
    const uint32_t i = static_cast<uint32_t>(std::stoul(stem.substr(3)));
    EXPECT_EQ(e.file_size(), i % 7 + 1);
  }
  EXPECT_EQ(names.size(), kMany);
  EXPECT_TRUE(names.contains("IM-2999.dcm"));

  // Every member down before the file is closed: close reports EIO, and
  // nothing claims success; a lookup that asks the cluster then is EIO too,
  // not a false ENOENT. (The create just listed `study`, whose listing
  // answers for its names for two seconds: the root, never listed, is asked.)
  fd = ::open((mnt_ / "study" / "late.dcm").c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, data.data(), 1000), 1000);
  for (uint32_t n = 0; n < 3; ++n) ASSERT_TRUE(lab_->kill(n).is_ok());
  errno = 0;
  EXPECT_EQ(::stat((mnt_ / "other.dcm").c_str(), &st), -1);
  EXPECT_EQ(errno, EIO);
  errno = 0;
  EXPECT_EQ(::close(fd), -1);
  EXPECT_EQ(errno, EIO);
}

// WORM retention through the mount: every way a POSIX program could change
// or remove a file under compliance retention is refused with EPERM, and
// the cluster still holds the bytes first written (read with `cairn get`).
// A write that lands in the buffer after the file was committed by an fsync
// is not reported as stored: its fsync and its close say EPERM.
TEST_F(MountTest, WormBypassesAreRefusedThroughTheMount) {
  // The policy is set after the mount started: the mount learns it with the cluster's next map.
  ShellRun run = sh(cairn_cmd("retention set /ct/ --period '1 day' --mode compliance"));
  ASSERT_EQ(run.rc, 0) << run.out;
  const auto original = seeded(20, 50'000, 50'000);
  const auto other = seeded(21, 1000, 1000);
  const fs::path kept = mnt_ / "ct" / "kept.dcm";
  ASSERT_EQ(::mkdir((mnt_ / "ct").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((mnt_ / "free").c_str(), 0755), 0);
  int fd = ::open(kept.c_str(), O_CREAT | O_WRONLY | O_EXCL, 0644);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(::write(fd, original.data(), original.size()), static_cast<ssize_t>(original.size()));
  ASSERT_EQ(::close(fd), 0) << std::strerror(errno);  // stored, so committed and retained
  auto record = client_->stat("/ct/kept.dcm");
  ASSERT_TRUE(record) << record.status().message();
  ASSERT_TRUE(record->committed);
  write_file(mnt_ / "free" / "other.dcm", other);
  ASSERT_TRUE(client_->get("/free/other.dcm"));

  // Each bypass, with the errno it gets.
  auto refused = [&](const char* what, int result) {
    const int error = errno;
    EXPECT_EQ(result, -1) << what << " was not refused";
    EXPECT_EQ(error, EPERM) << what << ": " << std::strerror(error);
    errno = 0;
  };
  // An open that is let through is closed again, with what its close says.
  auto open_refused = [&](const char* what, int flags) {
    errno = 0;
    const int opened = ::open(kept.c_str(), flags, 0644);
    if (opened >= 0) {
      const ssize_t wrote = ::write(opened, "x", 1);
      const int closed = ::close(opened);
      ADD_FAILURE() << what << " was let through (write " << wrote << ", close " << closed << ": "
                    << std::strerror(errno) << ")";
      return;
    }
    refused(what, opened);
  };
  open_refused("open O_TRUNC", O_WRONLY | O_TRUNC);
  open_refused("open O_CREAT|O_TRUNC", O_WRONLY | O_CREAT | O_TRUNC);
  open_refused("open O_APPEND", O_WRONLY | O_APPEND);
  open_refused("open O_RDWR", O_RDWR);
  refused("truncate to 0", ::truncate(kept.c_str(), 0));
  refused("truncate to 10", ::truncate(kept.c_str(), 10));
  refused("rename over it", ::rename((mnt_ / "free" / "other.dcm").c_str(), kept.c_str()));
  refused("rename it away", ::rename(kept.c_str(), (mnt_ / "free" / "moved.dcm").c_str()));
  refused("rename it within its folder", ::rename(kept.c_str(), (mnt_ / "ct" / "moved.dcm").c_str()));
  refused("unlink", ::unlink(kept.c_str()));
  const struct timespec times[2] = {{0, UTIME_OMIT}, {86400, 0}};
  refused("set its time", ::utimensat(AT_FDCWD, kept.c_str(), times, 0));
  // The same through the shell's tools, which report it.
  for (const std::string& command :
       {"echo x > " + q(kept), "echo x >> " + q(kept), "mv " + q(mnt_ / "free" / "other.dcm") + " " + q(kept),
        "mv " + q(kept) + " " + q(mnt_ / "free" / "moved2.dcm"), "rm -f " + q(kept), "truncate -s 0 " + q(kept)}) {
    run = sh("{ " + command + "; }");  // the shell's own message about a redirection too
    EXPECT_NE(run.rc, 0) << command << " succeeded";
    EXPECT_NE(run.out.find("Operation not permitted"), std::string::npos) << command << ": " << run.out;
  }
  // Nothing half done: no copy under the names it would have moved to, and
  // the file it would have been replaced by is still where it was.
  for (const char* gone : {"/free/moved.dcm", "/ct/moved.dcm", "/free/moved2.dcm"}) {
    EXPECT_EQ(client_->stat(gone).status().code(), StatusCode::kNotFound) << gone;
  }
  EXPECT_EQ(client_->get("/free/other.dcm")->data, other);

  // A file committed by fsync while still open: the write after it is taken
  // into the buffer, but its fsync and its close report EPERM, not success.
  const fs::path late = mnt_ / "ct" / "late.dcm";
  fd = ::open(late.c_str(), O_CREAT | O_WRONLY | O_EXCL, 0644);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(::write(fd, original.data(), 1000), 1000);
  ASSERT_EQ(::fsync(fd), 0) << std::strerror(errno);
  ASSERT_EQ(::pwrite(fd, other.data(), other.size(), 500), static_cast<ssize_t>(other.size()));
  refused("fsync of a changed retained file", ::fsync(fd));
  refused("close of a changed retained file", ::close(fd));

  // The bytes first written are what the cluster holds, read with the
  // command and through the mount.
  const fs::path got = scratch_ / "kept.dcm";
  run = sh(cairn_cmd("get /ct/kept.dcm " + q(got)));
  ASSERT_EQ(run.rc, 0) << run.out;
  EXPECT_EQ(read_file(got), original);
  EXPECT_EQ(read_file(kept), original);
  run = sh(cairn_cmd("get /ct/late.dcm " + q(scratch_ / "late.dcm")));
  ASSERT_EQ(run.rc, 0) << run.out;
  EXPECT_EQ(read_file(scratch_ / "late.dcm"), std::vector<std::byte>(original.begin(), original.begin() + 1000));
  EXPECT_EQ(read_file(late), read_file(scratch_ / "late.dcm"));
  EXPECT_EQ(client_->stat("/ct/kept.dcm")->version, record->version);
  // Outside the policy's prefix the same operations work.
  EXPECT_EQ(::truncate((mnt_ / "free" / "other.dcm").c_str(), 10), 0) << std::strerror(errno);
  EXPECT_EQ(::unlink((mnt_ / "free" / "other.dcm").c_str()), 0) << std::strerror(errno);
}

// Disks of 8 MiB: a 12 MiB file cannot be stored, and close says ENOSPC.
class SmallDiskMountTest : public MountTest {
  uint64_t capacity_bytes() const override { return uint64_t{8} << 20; }
};

TEST_F(SmallDiskMountTest, FullDisksAreEnospcAtClose) {
  const auto data = seeded(3, 12 << 20, 1);
  const int fd = ::open((mnt_ / "huge.dcm").c_str(), O_CREAT | O_WRONLY, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  errno = 0;
  EXPECT_EQ(::close(fd), -1);
  EXPECT_EQ(errno, ENOSPC);
}

TEST_F(MountTest, CpAndRsyncOfAStudyTree) {
  const fs::path src = scratch_ / "src";
  uint32_t i = 0;
  for (const char* series : {"series-1", "series-2", "series-2/sub"}) {
    fs::create_directories(src / series);
    for (int f = 0; f < 25; ++f, ++i) write_file(src / series / ("IM-" + std::to_string(f) + ".dcm"), seeded(100 + i, 1, 200'000));
  }
  fs::create_directories(src / "empty-series");
  ShellRun run = sh("cp -r " + q(src) + " " + q(mnt_ / "cp"));
  ASSERT_EQ(run.rc, 0) << run.out;
  run = sh("diff -r " + q(src) + " " + q(mnt_ / "cp"));
  EXPECT_EQ(run.rc, 0) << run.out;
  EXPECT_TRUE(fs::is_directory(mnt_ / "cp" / "empty-series"));
  run = sh("rsync -a " + q(src) + "/ " + q(mnt_ / "rs"));
  ASSERT_EQ(run.rc, 0) << run.out;
  run = sh("diff -r " + q(src) + " " + q(mnt_ / "rs"));
  EXPECT_EQ(run.rc, 0) << run.out;
  // rsync's temporary names are gone, and the file times it set are kept: a
  // second rsync finds nothing to send (folders keep no times: -O).
  run = sh("rsync -a -O --itemize-changes " + q(src) + "/ " + q(mnt_ / "rs"));
  ASSERT_EQ(run.rc, 0) << run.out;
  EXPECT_EQ(run.out, "") << "second rsync sent files again";
  auto listed = client_->list("/rs/");
  ASSERT_TRUE(listed);
  size_t markers = 0;
  for (const ListedFile& f : *listed) markers += f.path.ends_with(std::string("/") + std::string(kDirMarkerName));
  EXPECT_EQ(listed->size() - markers, 75U);  // no temporary file left behind
  EXPECT_EQ(markers, 5U);                    // rsync made each folder: rs/ and its four
  // The cluster holds what the tree holds, read with the client.
  EXPECT_EQ(client_->get("/rs/series-2/sub/IM-7.dcm")->data, read_file(src / "series-2/sub/IM-7.dcm"));
}

// A 24-bit BMP of `side`×`side` seeded pixels, for img2dcm.
void write_bmp(const fs::path& file, uint32_t side, uint64_t seed) {
  const uint32_t row = side * 3, image = row * side;
  std::vector<uint8_t> out(54 + image, 0);
  auto put32 = [&](size_t at, uint32_t v) {
    for (uint32_t b = 0; b < 4; ++b) out[at + b] = static_cast<uint8_t>(v >> (8 * b));
  };
  out[0] = 'B';
  out[1] = 'M';
  put32(2, static_cast<uint32_t>(out.size()));
  put32(10, 54);
  put32(14, 40);
  put32(18, side);
  put32(22, side);
  out[26] = 1;
  out[28] = 24;
  put32(34, image);
  SplitMix64 rng(seed);
  for (size_t b = 54; b < out.size(); ++b) out[b] = static_cast<uint8_t>(rng.next());
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
}

// dcmdump's text of the data set (the file meta header left out).
std::string dataset_dump(const fs::path& file) {
  const ShellRun run = sh("dcmdump +L " + q(file));
  EXPECT_EQ(run.rc, 0) << run.out;
  const size_t at = run.out.find("# Dicom-Data-Set");
  return at == std::string::npos ? "" : run.out.substr(at);
}

TEST_F(MountTest, DicomStudyStoredByStorescpIntoTheMount) {
  for (const char* tool : {"storescp", "storescu", "img2dcm", "dcmdump"}) {
    ASSERT_EQ(sh(std::string("command -v ") + tool).rc, 0) << tool << " missing: run scripts/setup.sh (dcmtk)";
  }
  // A study of 12 instances made as real DICOM files.
  constexpr uint32_t kInstances = 12;
  const std::string study_uid = "1.2.826.0.1.3680043.9.7433.1." + std::to_string(seed_ % 1000000);
  const fs::path made = scratch_ / "made";
  fs::create_directories(made);
  for (uint32_t i = 0; i < kInstances; ++i) {
    const fs::path bmp = scratch_ / ("im" + std::to_string(i) + ".bmp");
    write_bmp(bmp, 64, seed_ + i);
    const ShellRun run = sh("img2dcm -i BMP " + q(bmp) + " " + q(made / ("IM-" + std::to_string(i) + ".dcm")) +
                       " -k PatientName=Cairn^Test -k PatientID=CAIRN-" + std::to_string(seed_ % 1000) +
                       " -k StudyInstanceUID=" + study_uid + " -k SeriesInstanceUID=" + study_uid + ".1" +
                       " -k SOPInstanceUID=" + study_uid + ".1." + std::to_string(i + 1) +
                       " -k InstanceNumber=" + std::to_string(i + 1));
    ASSERT_EQ(run.rc, 0) << run.out;
  }
  // Two receivers with the same settings: one into the mount, one into a
  // local folder as the reference for the bytes a receiver writes.
  const fs::path into = mnt_ / "incoming";
  const fs::path local = scratch_ / "incoming";
  ASSERT_EQ(::mkdir(into.c_str(), 0755), 0);
  fs::create_directories(local);
  const int port_mount = 15000 + ::getpid() % 4000, port_local = port_mount + 4000;
  std::vector<pid_t> receivers;
  for (const auto& [port, dir] : {std::pair{port_mount, into}, std::pair{port_local, local}}) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const std::string p = std::to_string(port), d = dir.string();
      ::execlp("storescp", "storescp", "-aet", "CAIRN", "-od", d.c_str(), "-su", "", "-fe", ".dcm", p.c_str(),
               static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    receivers.push_back(pid);
  }
  for (const int port : {port_mount, port_local}) {
    bool up = false;
    for (int tries = 0; tries < 100 && !up; ++tries) {
      up = sh("echoscu -aec CAIRN 127.0.0.1 " + std::to_string(port)).rc == 0;
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(up) << "storescp on port " << port << " did not answer";
    const ShellRun sent = sh("storescu -aec CAIRN +sd " + std::string("127.0.0.1 ") + std::to_string(port) + " " + q(made));
    ASSERT_EQ(sent.rc, 0) << sent.out;
  }
  for (const pid_t pid : receivers) {
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
  }
  // storescp sorted the study into one folder named after its UID.
  std::vector<fs::path> received;
  for (const auto& e : fs::recursive_directory_iterator(local)) {
    if (e.is_regular_file()) received.push_back(fs::relative(e.path(), local));
  }
  ASSERT_EQ(received.size(), kInstances);
  std::map<std::string, std::string> made_by_sop;
  for (const auto& e : fs::directory_iterator(made)) made_by_sop[dataset_dump(e.path())] = e.path().string();
  for (const fs::path& rel : received) {
    const std::string archive = "/incoming/" + rel.generic_string();
    const fs::path got = scratch_ / "got" / rel;
    fs::create_directories(got.parent_path());
    const ShellRun run = sh(cairn_cmd("get " + q(archive) + " " + q(got)));
    ASSERT_EQ(run.rc, 0) << run.out;
    // What the receiver wrote into the mount is in the cluster, byte for
    // byte what it writes to a local disk.
    EXPECT_EQ(read_file(got), read_file(local / rel)) << archive;
    EXPECT_EQ(read_file(mnt_ / "incoming" / rel), read_file(got)) << archive;
    // dcmdump parses it, and its data set is one of the study made.
    const std::string dump = dataset_dump(got);
    EXPECT_NE(dump.find(study_uid), std::string::npos);
    EXPECT_TRUE(made_by_sop.contains(dump)) << archive << " does not match any instance sent";
  }
}

TEST_F(MountTest, FusermountUnmountsCleanly) {
  const ShellRun run = sh("fusermount3 -u " + q(mnt_));
  EXPECT_EQ(run.rc, 0) << run.out;
  EXPECT_FALSE(mounted(mnt_));
  // The folder is an ordinary empty folder again.
  EXPECT_TRUE(fs::is_empty(mnt_));
}

TEST_F(MountTest, SigintUnmountsAForegroundMount) {
  const fs::path fg = lab_->spec().dir / "fg";
  fs::create_directories(fg);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string cluster = lab_->cluster_file().string(), dir = fg.string();
    ::execl(CAIRN_BIN, CAIRN_BIN, "mount", dir.c_str(), "--foreground", "--cluster", cluster.c_str(),
            static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  for (int tries = 0; tries < 200 && !mounted(fg); ++tries) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(mounted(fg));
  const auto data = seeded(7, 1000, 1000);
  write_file(fg / "kept.dcm", data);
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_FALSE(mounted(fg));
  EXPECT_EQ(client_->get("/kept.dcm")->data, data);
}

// A handle open only for writing bypasses the kernel's page cache (direct
// I/O, fuse_mount.cc): a reader that cached the old bytes sees the new ones,
// an append lands at the end, and a mapping reads what was written.
TEST_F(MountTest, WriteOnlyHandlesStayCoherentWithReaders) {
  const fs::path file = mnt_ / "coherent.dcm";
  const auto old_bytes = seeded(31, 8192, 0), new_head = seeded(32, 4096, 0);
  write_file(file, old_bytes);
  const int reader = ::open(file.c_str(), O_RDONLY);
  ASSERT_GE(reader, 0);
  std::vector<std::byte> seen(4096);
  ASSERT_EQ(::pread(reader, seen.data(), seen.size(), 0), 4096);
  EXPECT_TRUE(std::equal(seen.begin(), seen.end(), old_bytes.begin()));
  const int writer = ::open(file.c_str(), O_WRONLY);
  ASSERT_GE(writer, 0);
  ASSERT_EQ(::pwrite(writer, new_head.data(), new_head.size(), 0), 4096);
  ASSERT_EQ(::pread(reader, seen.data(), seen.size(), 0), 4096);
  EXPECT_EQ(seen, new_head) << "a reader kept the bytes it had cached";
  ASSERT_EQ(::fsync(writer), 0);
  ASSERT_EQ(::close(writer), 0);
  const int appender = ::open(file.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(appender, 0);
  ASSERT_EQ(::write(appender, "tail", 4), 4);
  ASSERT_EQ(::close(appender), 0);
  struct stat st {};
  ASSERT_EQ(::fstat(reader, &st), 0);
  EXPECT_EQ(st.st_size, 8192 + 4);
  void* map = ::mmap(nullptr, 8196, PROT_READ, MAP_SHARED, reader, 0);
  ASSERT_NE(map, MAP_FAILED) << std::strerror(errno);
  const auto* mapped = static_cast<const std::byte*>(map);
  EXPECT_TRUE(std::equal(new_head.begin(), new_head.end(), mapped));
  EXPECT_TRUE(std::equal(old_bytes.begin() + 4096, old_bytes.end(), mapped + 4096));
  EXPECT_EQ(std::memcmp(mapped + 8192, "tail", 4), 0);
  ::munmap(map, 8196);
  ::close(reader);
  std::vector<std::byte> expected = new_head;
  expected.insert(expected.end(), old_bytes.begin() + 4096, old_bytes.end());
  for (char c : std::string("tail")) expected.push_back(static_cast<std::byte>(c));
  EXPECT_EQ(client_->get("/coherent.dcm")->data, expected);
}

// The benchmark behind the mount's figure: every path writes (then reads)
// the whole workload, the paths take turns in rounds whose order reverses
// every other round, and what went through the mount is in the cluster
// byte for byte as what the client library stored.
TEST_F(MountTest, BenchTakesTurnsBetweenTheClientAndTheMount) {
  const uint32_t files = 24, rounds = 4;
  for (const std::string verb : {"put", "get"}) {
    // Progress goes to stderr, kept apart from the JSON on stdout.
    const ShellRun run = sh("{ " + cairn_cmd("bench " + verb + " --files 24 --size 5000 --threads 2 --rounds 4 --json --through " + q(mnt_)) +
                            " 2>" + q(lab_->spec().dir / "bench-progress.txt") + "; }");
    ASSERT_EQ(run.rc, 0) << run.out;
    const auto json = nlohmann::json::parse(run.out, nullptr, false);
    ASSERT_TRUE(json.is_object()) << run.out;
    EXPECT_EQ(json["rounds"], rounds);
    ASSERT_EQ(json["per_round"].size(), rounds);
    uint32_t in_rounds = 0;
    for (uint32_t r = 0; r < rounds; ++r) {
      const auto& round = json["per_round"][r];
      in_rounds += round["files"].get<uint32_t>();
      const std::vector<std::string> order = round["order"];
      const std::vector<std::string> forward{"local_directory", "cluster", "mount"};
      const std::vector<std::string> backward(forward.rbegin(), forward.rend());
      EXPECT_EQ(order, r % 2 == 0 ? forward : backward) << "round " << r;
      for (const auto& key : forward) EXPECT_GT(round["files_per_s"][key].get<double>(), 0) << key;
      EXPECT_NEAR(round["mount_over_cluster"].get<double>(),
                  round["files_per_s"]["mount"].get<double>() / round["files_per_s"]["cluster"].get<double>(), 1e-9);
    }
    EXPECT_EQ(in_rounds, files);
    for (const char* path : {"local_directory", "cluster", "mount"}) {
      EXPECT_EQ(json[path]["files_ok"], files) << verb << " " << path;
      EXPECT_EQ(json[path]["files_failed"], 0) << verb << " " << path;
    }
    EXPECT_NEAR(json["mount_over_cluster"].get<double>(),
                json["mount"]["files_per_s"].get<double>() / json["cluster"]["files_per_s"].get<double>(), 1e-9);
  }
  // Each run wrote its workload both ways: /bench/RUN/fI by the client, /bench-RUN/fI through the mount.
  auto by_client = client_->list("/bench/");
  ASSERT_TRUE(by_client) << by_client.status().message();
  ASSERT_EQ(by_client->size(), 2 * files);
  for (const ListedFile& f : *by_client) {
    const std::string through = "/bench-" + f.path.substr(std::string("/bench/").size());
    auto stored = client_->get(f.path);
    auto mounted_copy = client_->get(through);
    ASSERT_TRUE(stored) << f.path;
    ASSERT_TRUE(mounted_copy) << through << ": " << mounted_copy.status().message();
    EXPECT_EQ(mounted_copy->data, stored->data) << through;
  }
  // Rounds are between 1 and the number of files.
  for (const std::string bad : {"--rounds 0", "--files 3 --rounds 4"}) {
    const ShellRun run = sh(cairn_cmd("bench put " + bad));
    EXPECT_EQ(run.rc, 2) << bad << ": " << run.out;
    EXPECT_NE(run.out.find("--rounds must be between 1 and --files"), std::string::npos) << run.out;
  }
}

}  // namespace
}  // namespace cairn
