// The snapshot file: written atomically (no temporary file left, the old
// snapshot replaced whole), read back; a missing file is a first start, an
// unreadable or corrupt one an error that names it.
#include "masq/state/snapshot_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "state/sample_snapshot.hpp"

namespace masq::state {
namespace {

class SnapshotFile : public ::testing::Test {
 protected:
  SnapshotFile()
      : dir_(std::filesystem::temp_directory_path() /
             ("masq-state-test-" + std::to_string(::getpid()))) {}
  ~SnapshotFile() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SnapshotFile, WrittenAtomicallyAndReadBack) {
  const std::filesystem::path path = dir_ / "sub" / "masqd.state";
  ASSERT_EQ(write_atomically(path, encode(Snapshot{})), "");
  const Snapshot s = test::sample_snapshot();
  ASSERT_EQ(write_atomically(path, encode(s)), "");
  // Only the snapshot is left in the directory.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(path.parent_path())) {
    EXPECT_EQ(e.path().filename(), "masqd.state");
    ++files;
  }
  EXPECT_EQ(files, 1u);
  const Loaded l = load(path);
  ASSERT_TRUE(l.snapshot) << l.error;
  EXPECT_EQ(l.snapshot->sessions.size(), s.sessions.size());
  EXPECT_EQ(l.snapshot->mappings.size(), s.mappings.size());
}

TEST_F(SnapshotFile, AMissingFileIsAbsentNotAnError) {
  const Loaded l = load(dir_ / "none");
  EXPECT_FALSE(l.snapshot);
  EXPECT_TRUE(l.absent);
  EXPECT_EQ(l.error, "");
}

TEST_F(SnapshotFile, ACorruptFileIsAnError) {
  std::filesystem::create_directories(dir_);
  const std::filesystem::path path = dir_ / "masqd.state";
  std::vector<std::uint8_t> bytes = encode(test::sample_snapshot());
  bytes[100] ^= 1;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  const Loaded l = load(path);
  EXPECT_FALSE(l.snapshot);
  EXPECT_FALSE(l.absent);
  EXPECT_NE(l.error.find("corrupt body"), std::string::npos) << l.error;
}

TEST_F(SnapshotFile, AnUnwritableDirectoryIsAnError) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "file") << "x";
  EXPECT_NE(write_atomically(dir_ / "file" / "masqd.state", encode(Snapshot{})), "");
}

}  // namespace
}  // namespace masq::state
