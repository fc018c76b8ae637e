#include "support/packet_builder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "masq/net/byte_order.hpp"
#include "support/checksum_oracle.hpp"
#include "support/inet_checksum.hpp"
#include "support/sample_udp.hpp"

namespace masq::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

PacketSpec udp() {
  PacketSpec s = sample_udp();
  s.ttl = 17;
  s.ip_id = 0xBEEF;
  s.dont_fragment = true;
  s.payload = {1, 2, 3};
  return s;
}

bool header_verifies(const std::vector<std::uint8_t>& p, std::size_t length = 20) {
  OnesSum sum;
  sum.add(std::span(p).first(length));
  return sum.verifies();
}

TEST(PacketBuilder, LaysOutUdp) {
  const auto p = build_packet(udp());
  ASSERT_EQ(p.size(), 31u);
  EXPECT_EQ(p[0], 0x45);
  EXPECT_EQ(net::load_be16(p.data() + 2), 31);
  EXPECT_EQ(net::load_be16(p.data() + 4), 0xBEEF);
  EXPECT_EQ(p[6], 0x40);  // DF
  EXPECT_EQ(p[8], 17);
  EXPECT_EQ(p[9], 17);
  EXPECT_EQ(net::load_be32(p.data() + 12), 0xC0A84D02u);
  EXPECT_EQ(net::load_be32(p.data() + 16), 0xC6336407u);
  EXPECT_EQ(net::load_be16(p.data() + 20), 5000);
  EXPECT_EQ(net::load_be16(p.data() + 22), 53);
  EXPECT_EQ(net::load_be16(p.data() + 24), 11);
  EXPECT_EQ(p[30], 3);
  EXPECT_THAT(checksum_problems(p), IsEmpty());
}

// Transport checksums that tcpdump -vv, an independent implementation,
// reported as correct for these exact packets.
TEST(PacketBuilder, KnownAnswersCheckedWithTcpdump) {
  PacketSpec u = udp();
  u.ttl = 64;
  u.ip_id = 1000;
  u.dont_fragment = false;
  u.payload = pattern_payload(13);
  EXPECT_EQ(net::load_be16(build_packet(u).data() + 26), 0xc175);
  PacketSpec syn = u;
  syn.kind = L4Kind::tcp;
  syn.src_port = 40000;
  syn.dst_port = 80;
  syn.tcp_flags = tcp_flag::kSyn;
  syn.tcp_options = {0x02, 0x04, 0x05, 0xb4};
  syn.payload = pattern_payload(3);
  EXPECT_EQ(net::load_be16(build_packet(syn).data() + 36), 0x3b83);
  PacketSpec data = syn;
  data.tcp_flags = tcp_flag::kPsh | tcp_flag::kAck;
  data.tcp_seq = 123456;
  data.tcp_ack = 99;
  data.tcp_options.clear();
  data.payload = pattern_payload(101);
  EXPECT_EQ(net::load_be16(build_packet(data).data() + 36), 0x9e17);
}

TEST(PacketBuilder, LaysOutTcpWithOptions) {
  PacketSpec s = udp();
  s.kind = L4Kind::tcp;
  s.tcp_flags = tcp_flag::kSyn | tcp_flag::kAck;
  s.tcp_seq = 0x01020304;
  s.tcp_ack = 0x0A0B0C0D;
  s.tcp_options = {0x02, 0x04, 0x05};  // padded to a word
  const auto p = build_packet(s);
  ASSERT_EQ(p.size(), 20u + 24u + 3u);
  EXPECT_EQ(p[9], 6);
  EXPECT_EQ(net::load_be32(p.data() + 24), 0x01020304u);
  EXPECT_EQ(net::load_be32(p.data() + 28), 0x0A0B0C0Du);
  EXPECT_EQ(p[32], 6 << 4);
  EXPECT_EQ(p[33], 0x12);
  EXPECT_EQ(p[43], 0);  // EOL padding
  EXPECT_THAT(checksum_problems(p), IsEmpty());
}

TEST(PacketBuilder, PadsIpOptionsAndCountsThemInIhl) {
  PacketSpec s = udp();
  s.ip_options = {0x01, 0x01};
  const auto p = build_packet(s);
  EXPECT_EQ(p[0], 0x46);
  EXPECT_EQ(p[22], 0);
  EXPECT_TRUE(header_verifies(p, 24));
  EXPECT_THAT(checksum_problems(p), IsEmpty());
}

TEST(PacketBuilder, IcmpErrorQuotesTheInnerDatagram) {
  PacketSpec error;
  error.kind = L4Kind::icmp;
  error.icmp_type = 3;
  error.icmp_code = 4;
  error.icmp_rest_low = 1280;
  error.src = net::Ipv4Addr::from_octets(198, 51, 100, 7);
  error.dst = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  error.inner = {udp()};
  error.quote_bytes = 28;
  const auto inner = build_packet(udp());
  const auto p = build_packet(error);
  ASSERT_EQ(p.size(), 20u + 8u + 28u);
  EXPECT_EQ(p[20], 3);
  EXPECT_EQ(p[21], 4);
  EXPECT_EQ(net::load_be16(p.data() + 26), 1280);
  EXPECT_TRUE(std::equal(p.begin() + 28, p.end(), inner.begin()));
  EXPECT_THAT(checksum_problems(p), IsEmpty());
}

// Overrides are written before the checksums: the packet is wrong in that
// one field only.
TEST(PacketBuilder, OverridesKeepChecksumsRight) {
  PacketSpec s = udp();
  s.total_length_override = 999;
  s.udp_length_override = 4;
  const auto p = build_packet(s);
  EXPECT_EQ(net::load_be16(p.data() + 2), 999);
  EXPECT_EQ(net::load_be16(p.data() + 24), 4);
  EXPECT_TRUE(header_verifies(p));
  s.ihl_override = 4;
  const auto q = build_packet(s);
  EXPECT_EQ(q[0], 0x44);
  EXPECT_TRUE(header_verifies(q));
}

TEST(PacketBuilder, CorruptionBreaksOnlyItsChecksum) {
  PacketSpec s = udp();
  s.corrupt_ip_checksum = true;
  EXPECT_THAT(checksum_problems(build_packet(s)), ElementsAre(HasSubstr("ip:")));
  s = udp();
  s.corrupt_l4_checksum = true;
  const auto p = build_packet(s);
  EXPECT_NE(net::load_be16(p.data() + 26), 0);  // never turned into "no checksum"
  EXPECT_THAT(checksum_problems(p), ElementsAre(HasSubstr("udp:")));
}

TEST(PacketBuilder, TruncatesAndPassesRawBytes) {
  PacketSpec s = udp();
  s.truncate_to = 10;
  EXPECT_EQ(build_packet(s).size(), 10u);
  PacketSpec raw;
  raw.raw = {0x45, 0x00};
  EXPECT_EQ(build_packet(raw), raw.raw);
}

TEST(PacketBuilder, FragmentFields) {
  PacketSpec s = udp();
  s.dont_fragment = false;
  s.more_fragments = true;
  s.fragment_offset_bytes = 1480;
  const auto p = build_packet(s);
  EXPECT_EQ(net::load_be16(p.data() + 6), 0x2000 | 185);
}

TEST(PacketBuilder, OtherProtocolCarriesPayloadOnly) {
  PacketSpec s = udp();
  s.kind = L4Kind::other;
  s.protocol_override = 47;
  const auto p = build_packet(s);
  EXPECT_EQ(p.size(), 23u);
  EXPECT_EQ(p[9], 47);
}

}  // namespace
}  // namespace masq::test
