#include "pcap_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "pcap_files.hpp"
#include "replay_error.hpp"

namespace masq::replay {
namespace {

using test::ScratchDir;
using test::TestFrame;
using ::testing::StartsWith;

TEST(PcapWriterTest, WritesFramesWithExactStampsAndTheLinkType) {
  const std::vector<TestFrame> frames{{1'700'000'000'987'654'321, {0x45, 0, 0, 20}},
                                      {1'700'000'001'000'000'000, {1, 2, 3, 4, 5}},
                                      {3, {}}};
  for (const LinkType type : {LinkType::ethernet, LinkType::raw_ip, LinkType::raw_ipv4}) {
    const ScratchDir dir;
    PcapWriter writer(dir / "out.pcap", type);
    for (const TestFrame& f : frames) writer.write(f.timestamp_ns, f.bytes);
    writer.close();
    const test::TestCapture back = test::read_capture(dir / "out.pcap");
    EXPECT_EQ(back.dlt, to_dlt(type));
    EXPECT_EQ(back.frames, frames);
  }
}

TEST(PcapWriterTest, AnUnwrittenFileIsAValidEmptyCapture) {
  const ScratchDir dir;
  PcapWriter(dir / "out.pcap", LinkType::raw_ip).close();
  const test::TestCapture back = test::read_capture(dir / "out.pcap");
  EXPECT_EQ(back.dlt, to_dlt(LinkType::raw_ip));
  EXPECT_TRUE(back.frames.empty());
}

TEST(PcapWriterTest, AFileThatCannotBeCreatedIsAUsageError) {
  const ScratchDir dir;
  const auto path = dir / "no-such-dir" / "out.pcap";
  try {
    PcapWriter writer(path, LinkType::ethernet);
    ADD_FAILURE() << "created " << path;
  } catch (const ReplayError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_THAT(e.what(), StartsWith(path.string() + ": "));
  }
}

TEST(PcapWriterTest, AFailedWriteIsReportedOnClose) {
  // /dev/full accepts the open and fails every flush with ENOSPC.
  PcapWriter writer("/dev/full", LinkType::raw_ip);
  writer.write(1, std::vector<std::uint8_t>(64, 0x45));
  try {
    writer.close();
    ADD_FAILURE() << "a write to /dev/full succeeded";
  } catch (const ReplayError& e) {
    EXPECT_EQ(e.exit_code(), kExitRuntime);
    EXPECT_THAT(e.what(), StartsWith("/dev/full: "));
  }
}

}  // namespace
}  // namespace masq::replay
