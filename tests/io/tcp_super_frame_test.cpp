#include "tcp_super_frame.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "masq/net/byte_order.hpp"
#include "offload_frames.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_spec.hpp"

namespace masq::io::detail {
namespace {

using test::PacketSpec;
using Bytes = std::vector<std::uint8_t>;
const std::vector<std::string> kNoProblems;

// A TCP segment of 10 MSS-sized pieces, as a local sender's TSO hands it
// over: one frame, far over the MTU.
PacketSpec super_segment() {
  PacketSpec s;
  s.kind = test::L4Kind::tcp;
  s.src = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  s.dst = net::Ipv4Addr::from_octets(198, 51, 100, 9);
  s.src_port = 40000;
  s.dst_port = 5201;
  s.dont_fragment = true;
  s.tcp_options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};  // NOP NOP timestamps
  s.payload = test::pattern_payload(10 * 1448);
  return s;
}

std::span<const std::uint8_t> ipv4_of(const Bytes& frame, bool vlan = false) {
  return std::span(frame).subspan(test::ipv4_offset(vlan));
}

TEST(TcpSuperFrame, LocatesTheHeadersOfATcpDatagram) {
  for (const bool vlan : {false, true}) {
    const Bytes frame = test::ethernet_frame(super_segment(), vlan);
    const auto at = locate_tcp_super_frame(frame);
    ASSERT_TRUE(at.has_value());
    const std::size_t l3 = test::ipv4_offset(vlan);
    EXPECT_EQ(at->l3, l3);
    EXPECT_EQ(at->l4, l3 + 20);
    EXPECT_EQ(at->payload, l3 + 20 + 32);
    EXPECT_EQ(at->end, frame.size());
  }
}

TEST(TcpSuperFrame, RefusesWhatCannotTravelWhole) {
  PacketSpec udp = super_segment();
  udp.kind = test::L4Kind::udp;
  PacketSpec fragment = super_segment();
  fragment.dont_fragment = false;
  fragment.more_fragments = true;
  PacketSpec big_tcp = super_segment();  // Linux BIG TCP: a total length of 0
  big_tcp.total_length_override = 0;
  PacketSpec short_header = super_segment();
  short_header.tcp_offset_override = 4;
  for (const PacketSpec& s : {udp, fragment, big_tcp, short_header}) {
    EXPECT_FALSE(locate_tcp_super_frame(test::ethernet_frame(s)).has_value());
  }
  Bytes truncated = test::ethernet_frame(super_segment());
  truncated.resize(14 + 20 + 10);
  EXPECT_FALSE(locate_tcp_super_frame(truncated).has_value());
}

// The kernel hands a local sender's super-frame over with the seed, a
// GRO-merged one with its first segment's checksum: both leave with the
// seed, as does one that carried a complete checksum.
TEST(TcpSuperFrame, SeedsTheChecksumFieldWhateverArrives) {
  const Bytes complete = test::ethernet_frame(super_segment());
  Bytes seeded = complete;
  test::make_partial(seeded, 14);
  Bytes stale = complete;
  net::store_be16(stale.data() + test::l4_checksum_offset(stale, 14), 0x1234);
  for (Bytes frame : {complete, seeded, stale}) {
    const auto at = locate_tcp_super_frame(frame);
    ASSERT_TRUE(at.has_value());
    seed_tcp_checksum(frame, *at);
    EXPECT_EQ(frame, seeded);
    EXPECT_EQ(test::checksum_problems(ipv4_of(frame), test::TransportSum::seed), kNoProblems);
  }
}

TEST(TcpSuperFrame, SeedingIgnoresLinkPadding) {
  PacketSpec s = super_segment();
  s.payload = test::pattern_payload(3);
  Bytes frame = test::ethernet_frame(s);
  Bytes expected = frame;
  test::make_partial(expected, 14);
  expected.resize(expected.size() + 8, 0xEE);
  frame.resize(frame.size() + 8, 0xEE);
  const auto at = locate_tcp_super_frame(frame);
  ASSERT_TRUE(at.has_value());
  seed_tcp_checksum(frame, *at);
  EXPECT_EQ(frame, expected);
}

// What Linux itself asks for TSO: NEEDS_CSUM at the TCP checksum (whose
// field holds the seed), hdr_len covering every header.
TEST(TcpSuperFrame, SendLeavesSegmentationAndChecksumsToTheKernel) {
  const Bytes frame = test::ethernet_frame(super_segment());
  const auto at = locate_tcp_super_frame(frame);
  ASSERT_TRUE(at.has_value());
  const VnetOffload o = tcp_gso_offload(frame, *at, 1448);
  EXPECT_EQ(o.gso, GsoKind::tcp4);
  EXPECT_FALSE(o.ecn);
  EXPECT_EQ(o.gso_size, 1448);
  EXPECT_EQ(o.hdr_len, 14 + 20 + 32);
  EXPECT_TRUE(o.needs_csum);
  EXPECT_EQ(o.csum_start, 14 + 20);
  EXPECT_EQ(o.csum_offset, 16);
  EXPECT_EQ(tcp_checksum_field(*at), test::l4_checksum_offset(frame, 14));
}

// RFC 3168 §6.1.2: CWR belongs on the first segment only; the ECN flag
// tells the kernel's segmentation so.
TEST(TcpSuperFrame, SendMarksCwrForTheKernel) {
  PacketSpec s = super_segment();
  s.tcp_flags = test::tcp_flag::kAck | test::tcp_flag::kCwr;
  const Bytes frame = test::ethernet_frame(s);
  const auto at = locate_tcp_super_frame(frame);
  ASSERT_TRUE(at.has_value());
  EXPECT_TRUE(tcp_gso_offload(frame, *at, 1448).ecn);
}

}  // namespace
}  // namespace masq::io::detail
