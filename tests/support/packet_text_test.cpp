#include "support/packet_text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace masq::test {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

PacketSpec parse(std::string_view line, const PacketSpec& base = {}) {
  return parse_packet_text(split_words(line), base, no_variables).spec;
}

net::Ipv4Addr addr(std::string_view text) {
  return *net::Ipv4Addr::parse(text);
}

TEST(PacketText, Udp) {
  const PacketSpec s = parse("udp 192.168.77.2:5000 > 198.51.100.7:53 len=20 ttl=9 df ipid=0x10");
  EXPECT_EQ(s.kind, L4Kind::udp);
  EXPECT_EQ(s.src, addr("192.168.77.2"));
  EXPECT_EQ(s.dst, addr("198.51.100.7"));
  EXPECT_EQ(s.src_port, 5000);
  EXPECT_EQ(s.dst_port, 53);
  EXPECT_EQ(s.payload, pattern_payload(20));
  EXPECT_EQ(s.ttl, 9);
  EXPECT_TRUE(s.dont_fragment);
  EXPECT_EQ(s.ip_id, 0x10);
}

TEST(PacketText, TcpFlagsAndNumbers) {
  const PacketSpec s =
      parse("tcp 10.0.0.1:1 > 10.0.0.2:2 flags=SA seq=7 ack=8 win=100 tcpopts=020405b4");
  EXPECT_EQ(s.tcp_flags, tcp_flag::kSyn | tcp_flag::kAck);
  EXPECT_EQ(s.tcp_seq, 7u);
  EXPECT_EQ(s.tcp_ack, 8u);
  EXPECT_EQ(s.tcp_window, 100);
  EXPECT_EQ(s.tcp_options.size(), 4u);
  EXPECT_EQ(parse("tcp 10.0.0.1:1 > 10.0.0.2:2 flags=-").tcp_flags, 0);
}

TEST(PacketText, IcmpEchoAndErrorWithInner) {
  const PacketSpec echo = parse("icmp echo 10.0.0.1 > 10.0.0.2 id=7 seq=3");
  EXPECT_EQ(echo.icmp_type, 8);
  EXPECT_EQ(echo.icmp_rest_high, 7);
  EXPECT_EQ(echo.icmp_rest_low, 3);
  const PacketSpec err = parse(
      "icmp 3/4 10.0.0.9 > 10.0.0.1 mtu=1280 quote=28 inner udp 10.0.0.1:5 > 10.0.0.2:6 ttl=3");
  EXPECT_EQ(err.icmp_type, 3);
  EXPECT_EQ(err.icmp_code, 4);
  EXPECT_EQ(err.icmp_rest_low, 1280);
  EXPECT_EQ(err.quote_bytes, 28u);
  ASSERT_EQ(err.inner.size(), 1u);
  EXPECT_EQ(err.inner[0].dst_port, 6);
  EXPECT_EQ(err.inner[0].ttl, 3);
  EXPECT_EQ(err.ttl, 64);
}

TEST(PacketText, MalformationKnobs) {
  const PacketSpec s = parse(
      "udp 10.0.0.1:1 > 10.0.0.2:2 ihl=4 totlen=9 udplen=3 corrupt=ipcsum,l4csum truncate=12 "
      "frag=16 mf version=6 opts=9404");
  EXPECT_EQ(s.ihl_override, 4);
  EXPECT_EQ(s.total_length_override, 9);
  EXPECT_EQ(s.udp_length_override, 3);
  EXPECT_TRUE(s.corrupt_ip_checksum);
  EXPECT_TRUE(s.corrupt_l4_checksum);
  EXPECT_EQ(s.truncate_to, 12u);
  EXPECT_EQ(s.fragment_offset_bytes, 16);
  EXPECT_TRUE(s.more_fragments);
  EXPECT_EQ(s.version, 6);
  EXPECT_EQ(s.ip_options.size(), 2u);
  const PacketSpec other = parse("ip 10.0.0.1 > 10.0.0.2 proto=47 len=4");
  EXPECT_EQ(other.kind, L4Kind::other);
  EXPECT_EQ(other.protocol_override, 47);
  EXPECT_EQ(parse("raw 4500 0014").raw, (std::vector<std::uint8_t>{0x45, 0x00, 0x00, 0x14}));
}

// Unmentioned fields keep the base's values; the base's inner packet is the
// base of the new inner one.
TEST(PacketText, StartsFromTheBase) {
  const PacketSpec in =
      parse("icmp 3/3 10.0.0.9 > 10.0.0.1 ttl=50 inner udp 10.0.0.1:5 > 10.0.0.2:6 ttl=3 len=9");
  const PacketText out = parse_packet_text(
      split_words("icmp 3/3 10.0.0.9 > 10.0.0.7 inner udp 10.0.0.7:5 > 10.0.0.2:6"), in,
      no_variables);
  EXPECT_EQ(out.spec.ttl, 50);
  EXPECT_EQ(out.spec.dst, addr("10.0.0.7"));
  EXPECT_EQ(out.spec.inner[0].ttl, 3);
  EXPECT_EQ(out.spec.inner[0].payload, pattern_payload(9));
  EXPECT_TRUE(out.given.empty());
  EXPECT_THAT(
      parse_packet_text(split_words("udp 1.1.1.1:1 > 2.2.2.2:2 ttl=5 df"), {}, no_variables).given,
      ElementsAre("df", "ttl"));
}

TEST(PacketText, VariablesNameTheFieldTheyStandFor) {
  std::map<std::string, std::string> asked;
  const VariableResolver resolve = [&](std::string_view name, std::string_view field) {
    asked[std::string(name)] = std::string(field);
    return name == "a" ? 0x0A000001u : 4242u;
  };
  const PacketSpec s =
      parse_packet_text(split_words("icmp 3/3 $a > 10.0.0.2 inner tcp 10.0.0.2:$p > 10.0.0.3:80"),
                        {}, resolve)
          .spec;
  EXPECT_EQ(s.src, addr("10.0.0.1"));
  EXPECT_EQ(s.inner[0].src_port, 4242);
  EXPECT_THAT(asked, ElementsAre(Pair("a", "ip.src"), Pair("p", "inner.tcp.src_port")));
  const PacketSpec echo =
      parse_packet_text(split_words("icmp echo 10.0.0.1 > 10.0.0.2 id=$i"), {}, resolve).spec;
  EXPECT_EQ(echo.icmp_rest_high, 4242);
  EXPECT_EQ(asked["i"], "icmp.id");
}

TEST(PacketText, RejectsMistakes) {
  EXPECT_THROW(parse("udp 10.0.0.1:1 10.0.0.2:2"), TextError);
  EXPECT_THROW(parse("udp 10.0.0.1 > 10.0.0.2:2"), TextError);
  EXPECT_THROW(parse("udp 10.0.0.1:1 > 10.0.0.2:2 flags=S"), TextError);
  EXPECT_THROW(parse("udp 10.0.0.1:1 > 10.0.0.2:2 colour=red"), TextError);
  EXPECT_THROW(parse("udp 10.0.0.1:70000 > 10.0.0.2:2"), TextError);
  EXPECT_THROW(parse("tcp 10.0.0.1:1 > 10.0.0.2:2 flags=SX"), TextError);
  EXPECT_THROW(parse("ip 10.0.0.1 > 10.0.0.2"), TextError);
  EXPECT_THROW(parse("sctp 10.0.0.1:1 > 10.0.0.2:2"), TextError);
  EXPECT_THROW(parse("udp 10.0.0.1:1 > 10.0.0.2:2 inner udp 1.1.1.1:1 > 2.2.2.2:2"), TextError);
  EXPECT_THROW(parse("udp $x:1 > 10.0.0.2:2"), TextError);
  EXPECT_THROW(parse("udp 10.0.0.1:1 > 10.0.0.2:2 frag=3"), TextError);
}

}  // namespace
}  // namespace masq::test
