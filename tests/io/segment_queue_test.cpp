#include "segment_queue.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "offload_frames.hpp"
#include "support/packet_spec.hpp"

namespace masq::io::detail {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes super_frame(std::size_t payload_bytes, std::uint32_t seq) {
  test::PacketSpec s;
  s.kind = test::L4Kind::tcp;
  s.src = net::Ipv4Addr::from_octets(10, 0, 0, 1);
  s.dst = net::Ipv4Addr::from_octets(10, 0, 0, 2);
  s.tcp_seq = seq;
  s.payload = test::pattern_payload(payload_bytes);
  return test::ethernet_frame(s);
}

// What segment_gso makes of the frame on its own: the reference.
std::vector<Bytes> reference(const Bytes& frame, std::uint16_t mss) {
  std::vector<std::uint8_t> arena(1 << 20);
  std::vector<std::span<std::uint8_t>> views(1024);
  const SegmentResult r = segment_gso(frame, GsoKind::tcp4, mss, arena, views);
  std::vector<Bytes> out;
  for (std::size_t i = 0; i < r.frames; ++i) out.emplace_back(views[i].begin(), views[i].end());
  return out;
}

Bytes copy(std::span<const std::uint8_t> s) {
  return {s.begin(), s.end()};
}

TEST(SegmentQueue, HandsOutSegmentsInOrderAndEmptiesOnRelease) {
  SegmentQueue q(64 * 1024, 64);
  const Bytes a = super_frame(3000, 1), b = super_frame(2000, 9000);
  ASSERT_EQ(q.push(a, GsoKind::tcp4, 1000).error, SegmentError::ok);
  ASSERT_EQ(q.push(b, GsoKind::tcp4, 1000).error, SegmentError::ok);
  std::vector<Bytes> expected = reference(a, 1000);
  for (const Bytes& f : reference(b, 1000)) expected.push_back(f);
  for (const Bytes& want : expected) {
    ASSERT_TRUE(q.has_pending());
    EXPECT_EQ(copy(q.pop()), want);
  }
  EXPECT_FALSE(q.has_pending());
  EXPECT_FALSE(q.empty());
  q.release();
  EXPECT_TRUE(q.empty());
}

// The caller's batch filled up mid-way: the rest must survive release()
// intact while the arena space of the handed-out ones is reclaimed.
TEST(SegmentQueue, PendingSegmentsSurviveReleaseAndTheirSpaceIsReused) {
  const Bytes big = super_frame(6000, 100);
  const std::size_t need = gso_arena_bytes(big, GsoKind::tcp4, 1000);
  SegmentQueue q(need + need / 2, 64);
  ASSERT_EQ(q.push(big, GsoKind::tcp4, 1000).error, SegmentError::ok);
  const std::vector<Bytes> expected = reference(big, 1000);
  ASSERT_EQ(expected.size(), 6u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(copy(q.pop()), expected[static_cast<std::size_t>(i)]);
  EXPECT_EQ(q.push(big, GsoKind::tcp4, 1000).error, SegmentError::no_room);
  q.release();
  // After the slide, two pending segments use a third of `need`: room again.
  ASSERT_EQ(q.push(big, GsoKind::tcp4, 1000).error, SegmentError::ok);
  EXPECT_EQ(copy(q.pop()), expected[4]);
  EXPECT_EQ(copy(q.pop()), expected[5]);
  for (const Bytes& want : expected) EXPECT_EQ(copy(q.pop()), want);
  EXPECT_FALSE(q.has_pending());
}

TEST(SegmentQueue, AFrameThatNeverFitsIsReportedOnAnEmptyQueue) {
  SegmentQueue q(1000, 64);
  const SegmentResult r = q.push(super_frame(3000, 1), GsoKind::tcp4, 1000);
  EXPECT_EQ(r.error, SegmentError::no_room);
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace masq::io::detail
