#include "gso_segment.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "offload_frames.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_spec.hpp"

namespace masq::io {
namespace {

using test::L4Kind;
using test::PacketSpec;
namespace tcp_flag = test::tcp_flag;

PacketSpec tcp_spec(std::size_t payload_bytes) {
  PacketSpec s;
  s.kind = L4Kind::tcp;
  s.src = net::Ipv4Addr::from_octets(10, 1, 0, 2);
  s.dst = net::Ipv4Addr::from_octets(10, 2, 0, 2);
  s.src_port = 40000;
  s.dst_port = 5001;
  s.ip_id = 0xFFFE;  // the per-segment increment wraps
  s.dont_fragment = true;
  s.tcp_seq = 0xFFFFF000;  // and so do the sequence numbers
  s.tcp_ack = 77;
  s.payload = test::pattern_payload(payload_bytes);
  return s;
}

PacketSpec udp_spec(std::size_t payload_bytes) {
  PacketSpec s = tcp_spec(payload_bytes);
  s.kind = L4Kind::udp;
  return s;
}

// Everything a test wants to see about one segmentation.
struct Segmented {
  SegmentResult result;
  std::vector<std::vector<std::uint8_t>> frames;
};

Segmented segment(const std::vector<std::uint8_t>& frame, GsoKind kind, std::uint16_t gso_size,
                  std::size_t arena_bytes = 256 * 1024, std::size_t max_frames = 256) {
  std::vector<std::uint8_t> arena(arena_bytes);
  std::vector<std::span<std::uint8_t>> views(max_frames);
  Segmented s;
  s.result = segment_gso(frame, kind, gso_size, arena, views);
  for (std::size_t i = 0; i < s.result.frames; ++i) {
    s.frames.emplace_back(views[i].begin(), views[i].end());
  }
  return s;
}

// Bytes [from, to) of two frames are equal.
bool same_bytes(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b,
                std::size_t from, std::size_t to) {
  return std::ranges::equal(std::span(a).subspan(from, to - from),
                            std::span(b).subspan(from, to - from));
}

std::span<const std::uint8_t> ipv4_of(const std::vector<std::uint8_t>& frame, std::size_t l3) {
  return std::span(frame).subspan(l3);
}

TEST(GsoSegment, TcpSuperFrameBecomesMssSegmentsWithTcpSemantics) {
  PacketSpec spec = tcp_spec(10000);
  spec.tcp_flags = tcp_flag::kAck | tcp_flag::kPsh | tcp_flag::kFin | 0x80 /* CWR */;
  std::vector<std::uint8_t> frame = test::ethernet_frame(spec);
  test::make_partial(frame, test::kEthernetBytes);
  constexpr std::uint16_t kMss = 1448;

  const Segmented s = segment(frame, GsoKind::tcp4, kMss);
  ASSERT_EQ(s.result.error, SegmentError::ok);
  ASSERT_EQ(s.frames.size(), 7u);  // ceil(10000 / 1448)
  EXPECT_EQ(s.result.bytes, 7 * (14 + 20 + 20) + 10000u);

  std::vector<std::uint8_t> payload;
  for (std::size_t i = 0; i < s.frames.size(); ++i) {
    SCOPED_TRACE(i);
    const auto& f = s.frames[i];
    const std::uint8_t* ip = f.data() + 14;
    const std::uint8_t* tcp = ip + 20;
    const std::size_t len = std::min<std::size_t>(kMss, 10000 - i * kMss);
    ASSERT_EQ(f.size(), 14 + 20 + 20 + len);
    EXPECT_TRUE(same_bytes(f, frame, 0, 14));  // link header copied
    EXPECT_EQ(test::checksum_problems(ipv4_of(f, 14)), std::vector<std::string>{});
    EXPECT_EQ(net::load_be16(ip + 2), 20 + 20 + len);
    EXPECT_EQ(net::load_be16(ip + 4), static_cast<std::uint16_t>(0xFFFE + i));
    EXPECT_EQ(ip[6] & 0x40, 0x40);  // DF kept
    EXPECT_EQ(net::load_be32(tcp + 4), static_cast<std::uint32_t>(0xFFFFF000u + i * kMss));
    EXPECT_EQ(net::load_be32(tcp + 8), 77u);
    const std::uint8_t flags = tcp[13];
    EXPECT_EQ(flags & tcp_flag::kAck, tcp_flag::kAck);
    EXPECT_EQ((flags & 0x80) != 0, i == 0) << "CWR only on the first segment";
    const bool last = i + 1 == s.frames.size();
    EXPECT_EQ((flags & tcp_flag::kFin) != 0, last) << "FIN only on the last segment";
    EXPECT_EQ((flags & tcp_flag::kPsh) != 0, last) << "PSH only on the last segment";
    payload.insert(payload.end(), f.begin() + 54, f.end());
  }
  EXPECT_EQ(payload, spec.payload);
}

TEST(GsoSegment, OptionsAndVlanTagAreRepeatedInEverySegment) {
  PacketSpec spec = tcp_spec(3000);
  spec.ip_options = {0x94, 0x04, 0x00, 0x00};                           // router alert, RFC 2113
  spec.tcp_options = {0x01, 0x01, 0x08, 0x0A, 0, 0, 0, 1, 0, 0, 0, 2};  // NOP NOP timestamps
  std::vector<std::uint8_t> frame = test::ethernet_frame(spec, /*vlan=*/true);
  const std::size_t l3 = test::ipv4_offset(true);
  test::make_partial(frame, l3);
  const std::size_t headers = l3 + 24 + 32;

  const Segmented s = segment(frame, GsoKind::tcp4, 1000);
  ASSERT_EQ(s.result.error, SegmentError::ok);
  ASSERT_EQ(s.frames.size(), 3u);
  for (const auto& f : s.frames) {
    ASSERT_EQ(f.size(), headers + 1000);
    EXPECT_TRUE(same_bytes(f, frame, 0, l3));             // Ethernet and VLAN tag
    EXPECT_TRUE(same_bytes(f, frame, l3 + 20, l3 + 24));  // IPv4 options
    EXPECT_TRUE(same_bytes(f, frame, l3 + 44, headers));  // TCP options
    EXPECT_EQ(test::checksum_problems(ipv4_of(f, l3)), std::vector<std::string>{});
  }
}

TEST(GsoSegment, PayloadOfExactMultipleAndOfLessThanOneMss) {
  std::vector<std::uint8_t> exact = test::ethernet_frame(tcp_spec(2 * 536));
  EXPECT_EQ(segment(exact, GsoKind::tcp4, 536).frames.size(), 2u);

  PacketSpec small_spec = tcp_spec(100);
  small_spec.tcp_flags = tcp_flag::kAck | tcp_flag::kFin | tcp_flag::kPsh | 0x80;
  std::vector<std::uint8_t> small = test::ethernet_frame(small_spec);
  test::make_partial(small, 14);
  const Segmented s = segment(small, GsoKind::tcp4, 1448);
  ASSERT_EQ(s.frames.size(), 1u);
  EXPECT_EQ(s.frames[0][14 + 20 + 13], small[14 + 20 + 13]) << "a lone segment keeps every flag";
  EXPECT_EQ(test::checksum_problems(ipv4_of(s.frames[0], 14)), std::vector<std::string>{});
}

// BIG TCP (Linux 6.3+) writes 0 in the IPv4 total length of super-frames
// over 64 KiB; the frame's own length then bounds the datagram.
TEST(GsoSegment, ZeroTotalLengthMeansTheWholeFrame) {
  PacketSpec spec = tcp_spec(4000);
  spec.total_length_override = 0;
  const std::vector<std::uint8_t> frame = test::ethernet_frame(spec);
  const Segmented s = segment(frame, GsoKind::tcp4, 1448);
  ASSERT_EQ(s.result.error, SegmentError::ok);
  ASSERT_EQ(s.frames.size(), 3u);
  for (const auto& f : s.frames) {
    EXPECT_EQ(test::checksum_problems(ipv4_of(f, 14)), std::vector<std::string>{});
  }
}

TEST(GsoSegment, UdpL4CutsThePayloadIntoDatagrams) {
  const PacketSpec spec = udp_spec(3500);
  std::vector<std::uint8_t> frame = test::ethernet_frame(spec);
  test::make_partial(frame, 14);

  const Segmented s = segment(frame, GsoKind::udp_l4, 1000);
  ASSERT_EQ(s.result.error, SegmentError::ok);
  ASSERT_EQ(s.frames.size(), 4u);
  std::vector<std::uint8_t> payload;
  for (std::size_t i = 0; i < s.frames.size(); ++i) {
    SCOPED_TRACE(i);
    const auto& f = s.frames[i];
    const std::size_t len = i < 3 ? 1000 : 500;
    ASSERT_EQ(f.size(), 14 + 20 + 8 + len);
    EXPECT_EQ(net::load_be16(f.data() + 14 + 2), 20 + 8 + len);
    EXPECT_EQ(net::load_be16(f.data() + 14 + 4), static_cast<std::uint16_t>(0xFFFE + i));
    EXPECT_EQ(net::load_be16(f.data() + 34 + 4), 8 + len);
    EXPECT_EQ(test::checksum_problems(ipv4_of(f, 14)), std::vector<std::string>{});
    payload.insert(payload.end(), f.begin() + 42, f.end());
  }
  EXPECT_EQ(payload, spec.payload);
}

// RFC 768: a UDP checksum that computes to 0 is sent as 0xFFFF, since 0
// means "no checksum". With a two-byte payload of zero the datagram's
// checksum is C; a payload equal to C then makes the sum all ones, so the
// checksum computes to zero.
TEST(GsoSegment, UdpChecksumThatComputesToZeroIsSentAsAllOnes) {
  PacketSpec spec = udp_spec(2);
  spec.payload = {0, 0};
  const std::uint16_t c = net::load_be16(test::ethernet_frame(spec).data() + 34 + 6);
  ASSERT_NE(c, 0xFFFF);
  spec.payload = {static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)};
  const Segmented s = segment(test::ethernet_frame(spec), GsoKind::udp_l4, 100);
  ASSERT_EQ(s.frames.size(), 1u);
  EXPECT_EQ(net::load_be16(s.frames[0].data() + 34 + 6), 0xFFFF);
  EXPECT_EQ(test::checksum_problems(ipv4_of(s.frames[0], 14)), std::vector<std::string>{});
}

TEST(GsoSegment, RefusesWhatItCannotOrNeedNotSegment) {
  const std::vector<std::uint8_t> tcp = test::ethernet_frame(tcp_spec(3000));
  const std::vector<std::uint8_t> udp = test::ethernet_frame(udp_spec(3000));
  EXPECT_EQ(segment(tcp, GsoKind::tcp6, 1000).result.error, SegmentError::unsupported);
  EXPECT_EQ(segment(udp, GsoKind::udp4, 1000).result.error, SegmentError::unsupported);
  EXPECT_EQ(segment(tcp, GsoKind::unknown, 1000).result.error, SegmentError::unsupported);
  EXPECT_EQ(segment(tcp, GsoKind::none, 1000).result.error, SegmentError::malformed);
  EXPECT_EQ(segment(tcp, GsoKind::tcp4, 0).result.error, SegmentError::malformed);
  EXPECT_EQ(segment(udp, GsoKind::tcp4, 1000).result.error, SegmentError::malformed);
  EXPECT_EQ(segment(tcp, GsoKind::udp_l4, 1000).result.error, SegmentError::malformed);

  std::vector<std::uint8_t> ipv6 = tcp;
  ipv6[12] = 0x86;
  ipv6[13] = 0xDD;
  EXPECT_EQ(segment(ipv6, GsoKind::tcp4, 1000).result.error, SegmentError::unsupported);

  PacketSpec fragment = tcp_spec(3000);
  fragment.more_fragments = true;
  EXPECT_EQ(segment(test::ethernet_frame(fragment), GsoKind::tcp4, 1000).result.error,
            SegmentError::malformed);

  const std::vector<std::uint8_t> cut(tcp.begin(), tcp.begin() + 14 + 20 + 10);
  EXPECT_EQ(segment(cut, GsoKind::tcp4, 1000).result.error, SegmentError::unsupported);
}

TEST(GsoSegment, ReportsNoRoomAndTheExactArenaItNeeds) {
  const std::vector<std::uint8_t> frame = test::ethernet_frame(tcp_spec(3000));
  const std::size_t need = gso_arena_bytes(frame, GsoKind::tcp4, 1000);
  EXPECT_EQ(need, 3 * 54 + 3000u);
  EXPECT_EQ(gso_arena_bytes(frame, GsoKind::tcp6, 1000), 0u);

  EXPECT_EQ(segment(frame, GsoKind::tcp4, 1000, need - 1).result.error, SegmentError::no_room);
  EXPECT_EQ(segment(frame, GsoKind::tcp4, 1000, need, 2).result.error, SegmentError::no_room);
  const Segmented fits = segment(frame, GsoKind::tcp4, 1000, need, 3);
  EXPECT_EQ(fits.result.error, SegmentError::ok);
  EXPECT_EQ(fits.result.bytes, need);
}

}  // namespace
}  // namespace masq::io
