#include "pcap_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "pcap_files.hpp"
#include "replay_error.hpp"

namespace masq::replay {
namespace {

using test::ScratchDir;
using test::TestCapture;
using test::TestFrame;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<TestFrame> read_all(PcapReader& reader) {
  std::vector<TestFrame> frames;
  CapturedFrame frame;
  while (reader.next(frame)) frames.push_back({frame.timestamp_ns, frame.bytes});
  return frames;
}

// The message a ReplayError carries, after checking it is a usage error.
std::string usage_error_of(const std::filesystem::path& path) {
  try {
    PcapReader reader(path);
    CapturedFrame frame;
    while (reader.next(frame)) {
    }
  } catch (const ReplayError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
  ADD_FAILURE() << path << " was accepted";
  return {};
}

TEST(PcapReaderTest, ReadsFramesInFileOrderWithNanosecondStamps) {
  const ScratchDir dir;
  const TestCapture capture{
      DLT_RAW,
      true,
      {{1'700'000'000'123'456'789, {0x45, 1, 2}}, {1'700'000'000'000'000'001, {0x45, 3}}, {5, {}}}};
  test::write_capture(dir / "in.pcap", capture);
  PcapReader reader(dir / "in.pcap");
  EXPECT_EQ(reader.link_type(), LinkType::raw_ip);
  EXPECT_EQ(read_all(reader), capture.frames);
}

TEST(PcapReaderTest, ScalesMicrosecondFilesToNanoseconds) {
  const ScratchDir dir;
  test::write_capture(dir / "in.pcap", {DLT_EN10MB, false, {{2'000'123'456'000, {1, 2, 3}}}});
  PcapReader reader(dir / "in.pcap");
  EXPECT_EQ(reader.link_type(), LinkType::ethernet);
  const std::vector<TestFrame> frames = read_all(reader);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].timestamp_ns, 2'000'123'456'000u);
}

TEST(PcapReaderTest, ReportsTheIpv4LinkType) {
  const ScratchDir dir;
  test::write_capture(dir / "in.pcap", {DLT_IPV4, true, {}});
  PcapReader reader(dir / "in.pcap");
  EXPECT_EQ(reader.link_type(), LinkType::raw_ipv4);
  EXPECT_TRUE(read_all(reader).empty());
}

TEST(PcapReaderTest, RejectsUnsupportedLinkTypesByName) {
  const ScratchDir dir;
  const auto path = dir / "sll.pcap";
  test::write_capture(path, {DLT_LINUX_SLL, true, {{1, {0}}}});
  const std::string message = usage_error_of(path);
  EXPECT_THAT(message, StartsWith(path.string() + ": "));
  EXPECT_THAT(message, HasSubstr("unsupported link type LINUX_SLL"));
}

TEST(PcapReaderTest, RejectsFilesThatAreNotCaptures) {
  const ScratchDir dir;
  const auto path = dir / "text.pcap";
  std::ofstream(path) << "this is not a capture file, just some text\n";
  EXPECT_THAT(usage_error_of(path), StartsWith(path.string() + ": "));
}

TEST(PcapReaderTest, RejectsMissingFiles) {
  const ScratchDir dir;
  EXPECT_THAT(usage_error_of(dir / "missing.pcap"),
              StartsWith((dir / "missing.pcap").string() + ": "));
}

TEST(PcapReaderTest, ReportsATruncatedRecordAfterTheGoodOnes) {
  const ScratchDir dir;
  const auto path = dir / "cut.pcap";
  test::write_capture(
      path, {DLT_RAW,
             true,
             {{1, std::vector<std::uint8_t>(40, 0x45)}, {2, std::vector<std::uint8_t>(40, 0x45)}}});
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 10);
  PcapReader reader(path);
  CapturedFrame frame;
  EXPECT_TRUE(reader.next(frame));
  try {
    reader.next(frame);
    ADD_FAILURE() << "the truncated record was accepted";
  } catch (const ReplayError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_THAT(e.what(), StartsWith(path.string() + ": "));
  }
}

}  // namespace
}  // namespace masq::replay
