// The cluster secret file (net/secret.h): written with mode 0600 from the
// OS's random source, never overwritten; read back exactly; refused, naming
// the file, when missing, readable by others or malformed.
#include "cluster-ref/net/secret.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace cairn {
namespace {

namespace fs = std::filesystem;

class ClusterSecret : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cairn-secret-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const fs::path& file, const std::string& text, fs::perms mode) {
    std::ofstream(file) << text;
    fs::permissions(file, mode);
  }
  fs::path dir_;
};

TEST_F(ClusterSecret, LivesBesideTheClusterFile) {
  EXPECT_EQ(secret_file_for("/srv/lab/cluster.yaml"), fs::path("/srv/lab/cluster.secret"));
  EXPECT_EQ(secret_file_for("site-a.yaml"), fs::path("site-a.secret"));
}

TEST_F(ClusterSecret, WrittenOwnerOnlyAndReadBack) {
  const fs::path file = dir_ / "cluster.secret";
  ASSERT_TRUE(write_new_secret(file).is_ok());
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  auto a = load_secret(file);
  ASSERT_TRUE(a.is_ok()) << a.status().message();
  auto b = load_cluster_secret(dir_ / "cluster.yaml");
  ASSERT_TRUE(b.is_ok()) << b.status().message();
  EXPECT_TRUE(**a == **b);
  EXPECT_FALSE(**a == wire::Secret{});
  // Never overwritten: the clients holding it would be locked out.
  EXPECT_EQ(write_new_secret(file).code(), StatusCode::kRefused);
  EXPECT_TRUE(**load_secret(file) == **a);
}

TEST_F(ClusterSecret, TwoSecretsDiffer) {
  ASSERT_TRUE(write_new_secret(dir_ / "a.secret").is_ok());
  ASSERT_TRUE(write_new_secret(dir_ / "b.secret").is_ok());
  EXPECT_FALSE(**load_secret(dir_ / "a.secret") == **load_secret(dir_ / "b.secret"));
}

TEST_F(ClusterSecret, ReadsTheHexDigits) {
  const fs::path file = dir_ / "x.secret";
  write(file, std::string(62, '0') + "1f\n", fs::perms::owner_read | fs::perms::owner_write);
  auto s = load_secret(file);
  ASSERT_TRUE(s.is_ok()) << s.status().message();
  EXPECT_EQ((**s)[31], std::byte{0x1f});
  EXPECT_EQ((**s)[0], std::byte{0});
}

TEST_F(ClusterSecret, MissingIsNotFoundNamingTheFile) {
  auto s = load_secret(dir_ / "none.secret");
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("none.secret"), std::string::npos);
  EXPECT_NE(s.status().message().find("cairn lab up"), std::string::npos);
}

TEST_F(ClusterSecret, ReadableByOthersIsRefused) {
  const fs::path file = dir_ / "open.secret";
  ASSERT_TRUE(write_new_secret(file).is_ok());
  for (fs::perms extra : {fs::perms::others_read, fs::perms::group_read, fs::perms::group_write}) {
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | extra);
    auto s = load_secret(file);
    EXPECT_EQ(s.status().code(), StatusCode::kRefused);
    EXPECT_NE(s.status().message().find("chmod 600 " + file.string()), std::string::npos) << s.status().message();
  }
  fs::permissions(file, fs::perms::owner_read);
  EXPECT_TRUE(load_secret(file).is_ok());  // 0400 is fine too
}

TEST_F(ClusterSecret, MalformedIsRefused) {
  const auto owner = fs::perms::owner_read | fs::perms::owner_write;
  for (const std::string& text : {std::string(""), std::string(63, 'a') + "\n", std::string(64, 'g') + "\n",
                                  std::string(64, 'A') + "\n", std::string(66, 'a'), std::string(64, 'a') + "\n\n"}) {
    const fs::path file = dir_ / "bad.secret";
    fs::remove(file);
    write(file, text, owner);
    auto s = load_secret(file);
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << "'" << text << "'";
  }
}

}  // namespace
}  // namespace cairn
