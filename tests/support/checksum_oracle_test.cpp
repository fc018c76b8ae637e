#include "support/checksum_oracle.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/inet_checksum.hpp"
#include "support/packet_builder.hpp"

namespace masq::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const net::Ipv4Addr kLan = net::Ipv4Addr::from_octets(192, 168, 77, 2);
const net::Ipv4Addr kWan = net::Ipv4Addr::from_octets(203, 0, 113, 1);
const net::Ipv4Addr kServer = net::Ipv4Addr::from_octets(198, 51, 100, 7);

PacketSpec udp(std::size_t payload = 11) {
  PacketSpec s;
  s.kind = L4Kind::udp;
  s.src = kLan;
  s.dst = kServer;
  s.src_port = 5000;
  s.dst_port = 53;
  s.payload = pattern_payload(payload);
  return s;
}

PacketSpec tcp() {
  PacketSpec s = udp(7);
  s.kind = L4Kind::tcp;
  s.tcp_flags = tcp_flag::kSyn;
  s.tcp_options = {0x02, 0x04, 0x05, 0xb4};  // MSS 1460
  return s;
}

PacketSpec echo() {
  PacketSpec s = udp(5);
  s.kind = L4Kind::icmp;
  s.icmp_type = 8;
  s.icmp_rest_high = 77;
  s.icmp_rest_low = 1;
  return s;
}

// Port unreachable from the server about a translated UDP datagram.
PacketSpec port_unreachable(const PacketSpec& quoted) {
  PacketSpec s;
  s.kind = L4Kind::icmp;
  s.icmp_type = 3;
  s.icmp_code = 3;
  s.src = kServer;
  s.dst = kWan;
  s.inner = {quoted};
  return s;
}

std::vector<std::string> problems(const PacketSpec& s) {
  return checksum_problems(build_packet(s));
}

TEST(ChecksumOracle, AcceptsCorrectPackets) {
  EXPECT_THAT(problems(udp()), IsEmpty());
  EXPECT_THAT(problems(udp(0)), IsEmpty());
  EXPECT_THAT(problems(tcp()), IsEmpty());
  EXPECT_THAT(problems(echo()), IsEmpty());
  EXPECT_THAT(problems(port_unreachable(udp())), IsEmpty());
  PacketSpec with_options = udp();
  with_options.ip_options = {0x94, 0x04, 0x00, 0x00};  // router alert
  EXPECT_THAT(problems(with_options), IsEmpty());
}

TEST(ChecksumOracle, UdpZeroMeansNoChecksum) {
  PacketSpec s = udp();
  s.udp_no_checksum = true;
  EXPECT_THAT(problems(s), IsEmpty());
}

TEST(ChecksumOracle, FindsEachBadOuterChecksum) {
  PacketSpec bad_ip = udp();
  bad_ip.corrupt_ip_checksum = true;
  EXPECT_THAT(problems(bad_ip), ElementsAre(HasSubstr("ip: header checksum")));
  PacketSpec bad_udp = udp();
  bad_udp.corrupt_l4_checksum = true;
  EXPECT_THAT(problems(bad_udp), ElementsAre(HasSubstr("udp: checksum")));
  PacketSpec bad_tcp = tcp();
  bad_tcp.corrupt_l4_checksum = true;
  EXPECT_THAT(problems(bad_tcp), ElementsAre(HasSubstr("tcp: checksum")));
  PacketSpec bad_icmp = echo();
  bad_icmp.corrupt_l4_checksum = true;
  EXPECT_THAT(problems(bad_icmp), ElementsAre(HasSubstr("icmp: checksum")));
}

// Addresses are in the pseudo-header: rewriting one without fixing the
// transport checksum must be caught, which is the NAT bug this exists for.
TEST(ChecksumOracle, PseudoHeaderCoversAddresses) {
  auto bytes = build_packet(udp());
  bytes[15] = 3;  // 192.168.77.3, with a correct IP header checksum
  bytes[10] = 0;
  bytes[11] = 0;
  OnesSum header;
  header.add(std::span(bytes).first(20));
  bytes[10] = static_cast<std::uint8_t>(header.checksum() >> 8);
  bytes[11] = static_cast<std::uint8_t>(header.checksum());
  EXPECT_THAT(checksum_problems(bytes), ElementsAre(HasSubstr("udp: checksum")));
}

TEST(ChecksumOracle, ChecksInnerHeaderAndCompleteInnerTransport) {
  PacketSpec bad_inner_ip = udp();
  bad_inner_ip.corrupt_ip_checksum = true;
  EXPECT_THAT(problems(port_unreachable(bad_inner_ip)),
              ElementsAre(HasSubstr("inner.ip: header checksum")));
  PacketSpec bad_inner_udp = udp();
  bad_inner_udp.corrupt_l4_checksum = true;
  EXPECT_THAT(problems(port_unreachable(bad_inner_udp)),
              ElementsAre(HasSubstr("inner.udp: checksum")));
  PacketSpec bad_inner_tcp = tcp();
  bad_inner_tcp.corrupt_l4_checksum = true;
  EXPECT_THAT(problems(port_unreachable(bad_inner_tcp)),
              ElementsAre(HasSubstr("inner.tcp: checksum")));
}

// RFC 792 quotes may stop after 8 transport bytes: nothing to verify there.
TEST(ChecksumOracle, TruncatedQuoteSkipsInnerTransport) {
  PacketSpec bad_inner_udp = udp();
  bad_inner_udp.corrupt_l4_checksum = true;
  PacketSpec error = port_unreachable(bad_inner_udp);
  error.quote_bytes = 28;
  EXPECT_THAT(problems(error), IsEmpty());
  error.corrupt_l4_checksum = true;
  EXPECT_THAT(problems(error), ElementsAre(HasSubstr("icmp: checksum")));
}

TEST(ChecksumOracle, ReportsUnreadablePackets) {
  auto bytes = build_packet(udp());
  bytes.resize(30);
  EXPECT_THAT(checksum_problems(bytes), ElementsAre(HasSubstr("total length")));
  bytes.resize(12);
  EXPECT_THAT(checksum_problems(bytes), ElementsAre(HasSubstr("not an IPv4 header")));
}

TEST(ChecksumOracle, FragmentsAreCheckedUpToTheIpHeader) {
  PacketSpec s = udp();
  s.more_fragments = true;
  s.corrupt_l4_checksum = true;
  EXPECT_THAT(problems(s), IsEmpty());
  s.corrupt_ip_checksum = true;
  EXPECT_THAT(problems(s), ElementsAre(HasSubstr("ip: header checksum")));
}

}  // namespace
}  // namespace masq::test
