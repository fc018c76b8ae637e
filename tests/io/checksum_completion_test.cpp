#include "checksum_completion.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "masq/net/byte_order.hpp"
#include "offload_frames.hpp"
#include "support/checksum_oracle.hpp"
#include "support/packet_spec.hpp"

namespace masq::io {
namespace {

using test::L4Kind;
using test::PacketSpec;
using Bytes = std::vector<std::uint8_t>;
const std::vector<std::string> kNoProblems;

PacketSpec spec_of(L4Kind kind, std::size_t payload_bytes) {
  PacketSpec s;
  s.kind = kind;
  s.src = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  s.dst = net::Ipv4Addr::from_octets(198, 51, 100, 9);
  s.src_port = 1234;
  s.dst_port = 53;
  s.payload = test::pattern_payload(payload_bytes);
  return s;
}

std::span<const std::uint8_t> ipv4_of(const Bytes& frame) {
  return std::span(frame).subspan(test::kEthernetBytes);
}

class CompleteChecksum : public ::testing::TestWithParam<L4Kind> {};

TEST_P(CompleteChecksum, FinishesAPartialChecksumAtStartPlusOffset) {
  Bytes frame = test::ethernet_frame(spec_of(GetParam(), 333));
  test::make_partial(frame, 14);
  ASSERT_NE(test::checksum_problems(ipv4_of(frame)), kNoProblems);
  const std::size_t start = 14 + 20;
  const std::size_t offset = test::l4_checksum_offset(frame, 14) - start;
  ASSERT_TRUE(complete_checksum(frame, start, offset));
  EXPECT_EQ(test::checksum_problems(ipv4_of(frame)), kNoProblems);
}

TEST_P(CompleteChecksum, RepairFindsThePartialFormAndCompletesIt) {
  Bytes frame = test::ethernet_frame(spec_of(GetParam(), 1000));
  test::make_partial(frame, 14);
  EXPECT_EQ(repair_partial_checksum(frame), L4Checksum::completed);
  EXPECT_EQ(test::checksum_problems(ipv4_of(frame)), kNoProblems);
  EXPECT_EQ(repair_partial_checksum(frame), L4Checksum::valid);
}

TEST_P(CompleteChecksum, RepairLeavesAGoodChecksumAlone) {
  Bytes frame = test::ethernet_frame(spec_of(GetParam(), 57));
  const Bytes before = frame;
  EXPECT_EQ(repair_partial_checksum(frame), L4Checksum::valid);
  EXPECT_EQ(frame, before);
}

TEST_P(CompleteChecksum, RepairLeavesAWrongChecksumForTheReceiverToDrop) {
  PacketSpec spec = spec_of(GetParam(), 57);
  spec.corrupt_l4_checksum = true;
  Bytes frame = test::ethernet_frame(spec);
  const Bytes before = frame;
  EXPECT_EQ(repair_partial_checksum(frame), L4Checksum::invalid);
  EXPECT_EQ(frame, before);
}

// A short frame padded to the 60-byte Ethernet minimum: the sum must stop
// at the IPv4 total length, not at the padding.
TEST_P(CompleteChecksum, RepairIgnoresLinkPadding) {
  Bytes frame = test::ethernet_frame(spec_of(GetParam(), 1));
  test::make_partial(frame, 14);
  frame.resize(60, 0xEE);
  EXPECT_EQ(repair_partial_checksum(frame), L4Checksum::completed);
  EXPECT_EQ(test::checksum_problems(std::span(ipv4_of(frame))), kNoProblems);
}

INSTANTIATE_TEST_SUITE_P(TcpAndUdp, CompleteChecksum, ::testing::Values(L4Kind::tcp, L4Kind::udp),
                         [](const auto& p) { return p.param == L4Kind::tcp ? "Tcp" : "Udp"; });

// Linux stores a computed 0 as 0xFFFF (CSUM_MANGLED_0); for UDP a 0 would
// mean "no checksum" (RFC 768). A two-byte payload equal to the checksum C
// of the same datagram with a zero payload makes the checksum compute to 0.
TEST(CompleteChecksumUdp, ComputedZeroIsStoredAsAllOnes) {
  PacketSpec spec = spec_of(L4Kind::udp, 2);
  spec.payload = {0, 0};
  const std::uint16_t c = net::load_be16(test::ethernet_frame(spec).data() + 40);
  ASSERT_NE(c, 0xFFFF);
  spec.payload = {static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)};
  Bytes frame = test::ethernet_frame(spec);
  test::make_partial(frame, 14);
  ASSERT_TRUE(complete_checksum(frame, 34, 6));
  EXPECT_EQ(net::load_be16(frame.data() + 40), 0xFFFF);
  EXPECT_EQ(test::checksum_problems(ipv4_of(frame)), kNoProblems);
}

TEST(CompleteChecksumBounds, RefusesAFieldOutsideTheFrame) {
  Bytes frame = test::ethernet_frame(spec_of(L4Kind::udp, 10));
  const Bytes before = frame;
  EXPECT_FALSE(complete_checksum(frame, frame.size() + 1, 0));
  EXPECT_FALSE(complete_checksum(frame, 34, frame.size()));
  EXPECT_FALSE(complete_checksum(frame, frame.size() - 1, 0));  // a field needs two bytes
  EXPECT_EQ(frame, before);
  EXPECT_TRUE(complete_checksum(frame, frame.size() - 2, 0));
}

TEST(RepairPartialChecksum, ChecksOnlyWholeTcpAndUdpOverIpv4) {
  Bytes udp_none = [] {
    PacketSpec s = spec_of(L4Kind::udp, 20);
    s.udp_no_checksum = true;
    return test::ethernet_frame(s);
  }();
  EXPECT_EQ(repair_partial_checksum(udp_none), L4Checksum::valid);

  Bytes icmp = test::ethernet_frame(spec_of(L4Kind::icmp, 20));
  EXPECT_EQ(repair_partial_checksum(icmp), L4Checksum::not_checked);

  PacketSpec fragment = spec_of(L4Kind::udp, 20);
  fragment.more_fragments = true;
  Bytes fragment_frame = test::ethernet_frame(fragment);
  EXPECT_EQ(repair_partial_checksum(fragment_frame), L4Checksum::not_checked);

  Bytes arp(42, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;
  EXPECT_EQ(repair_partial_checksum(arp), L4Checksum::not_checked);

  Bytes cut = test::ethernet_frame(spec_of(L4Kind::tcp, 20));
  cut.resize(14 + 20 + 10);  // total length now runs past the frame
  EXPECT_EQ(repair_partial_checksum(cut), L4Checksum::not_checked);
}

}  // namespace
}  // namespace masq::io
