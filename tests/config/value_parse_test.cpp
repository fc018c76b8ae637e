#include "config/value_parse.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace masq::config {
namespace {

using net::Ipv4Addr;
using net::Ipv4Prefix;
using ::testing::HasSubstr;

Ipv4Addr addr(std::string_view text) {
  return *Ipv4Addr::parse(text);
}

TEST(ParseAddress, AcceptsDottedQuadAndQuotesBadText) {
  EXPECT_EQ(parse_address("203.0.113.1").value, addr("203.0.113.1"));
  const auto bad = parse_address("203.0.113");
  EXPECT_FALSE(bad.value);
  EXPECT_EQ(bad.error, "bad address '203.0.113'");
}

TEST(ParsePrefix, AcceptsNetworkAndRejectsHostBits) {
  EXPECT_EQ(parse_prefix("10.99.0.0/16").value, Ipv4Prefix(addr("10.99.0.0"), 16));
  EXPECT_EQ(parse_prefix("10.99.0.1/16").error,
            "host bits set in '10.99.0.1/16' (did you mean 10.99.0.0/16?)");
  EXPECT_THAT(parse_prefix("10.99.0.0").error, HasSubstr("want ADDR/LEN"));
  EXPECT_THAT(parse_prefix("10.99.0.0/33").error, HasSubstr("bad prefix '10.99.0.0/33'"));
}

TEST(ParseAddressOnLink, SplitsAddressAndConnectedPrefix) {
  const auto on_link = parse_address_on_link("192.168.77.1/24");
  ASSERT_TRUE(on_link.value);
  EXPECT_EQ(on_link.value->address, addr("192.168.77.1"));
  EXPECT_EQ(on_link.value->prefix, Ipv4Prefix(addr("192.168.77.0"), 24));
}

TEST(ParseAddressOnLink, RefusesNetworkAndBroadcastButNotOnPointToPointLinks) {
  EXPECT_THAT(parse_address_on_link("192.168.77.0/24").error, HasSubstr("network address"));
  EXPECT_THAT(parse_address_on_link("192.168.77.255/24").error, HasSubstr("broadcast address"));
  EXPECT_TRUE(parse_address_on_link("192.168.77.0/31").value);
  EXPECT_TRUE(parse_address_on_link("192.168.77.255/32").value);
  EXPECT_THAT(parse_address_on_link("192.168.77.1").error, HasSubstr("want ADDR/LEN"));
}

TEST(ParseInterfaceName, FollowsLinuxRules) {
  EXPECT_EQ(parse_interface_name("wan0").value, "wan0");
  EXPECT_TRUE(parse_interface_name("abcdefghijklmno").value);
  EXPECT_THAT(parse_interface_name("abcdefghijklmnop").error, HasSubstr("longer than 15"));
  EXPECT_EQ(parse_interface_name("").error, "empty interface name");
  EXPECT_EQ(parse_interface_name("a/b").error, "bad interface name 'a/b'");
  EXPECT_FALSE(parse_interface_name("lan 0").value);
}

TEST(ParsePoolEntry, AcceptsSingleRangeAndPrefix) {
  EXPECT_EQ(parse_pool_entry("203.0.113.1").value,
            (nat::AddressRange{addr("203.0.113.1"), addr("203.0.113.1")}));
  EXPECT_EQ(parse_pool_entry("198.51.100.10-198.51.100.20").value,
            (nat::AddressRange{addr("198.51.100.10"), addr("198.51.100.20")}));
  EXPECT_EQ(parse_pool_entry("198.51.100.64/30").value,
            (nat::AddressRange{addr("198.51.100.64"), addr("198.51.100.67")}));
}

TEST(ParsePoolEntry, RejectsReversedRangesAndBadParts) {
  EXPECT_EQ(parse_pool_entry("198.51.100.20-198.51.100.10").error,
            "bad range '198.51.100.20-198.51.100.10' (first address after last)");
  EXPECT_EQ(parse_pool_entry("198.51.100.10-198.51.100").error, "bad address '198.51.100'");
  EXPECT_THAT(parse_pool_entry("198.51.100.65/30").error, HasSubstr("host bits set"));
}

TEST(ParsePort, AcceptsOneTo65535Only) {
  EXPECT_EQ(parse_port("1").value, 1);
  EXPECT_EQ(parse_port("65535").value, 65535);
  EXPECT_EQ(parse_port("0").error, "bad port '0'");
  EXPECT_EQ(parse_port("65536").error, "bad port '65536'");
  EXPECT_EQ(parse_port("80x").error, "bad port '80x'");
  EXPECT_EQ(parse_port("").error, "bad port ''");
  EXPECT_EQ(parse_port("-1").error, "bad port '-1'");
}

TEST(ParsePortRange, AcceptsOneOrTwoPortsInOrder) {
  EXPECT_EQ(parse_port_range("8080").value, (nat::PortRange{8080, 8080}));
  EXPECT_EQ(parse_port_range("8000-8010").value, (nat::PortRange{8000, 8010}));
  EXPECT_EQ(parse_port_range("8010-8000").error,
            "bad port range '8010-8000' (first port after last)");
  EXPECT_EQ(parse_port_range("8000-").error, "bad port ''");
}

TEST(ParseEndpoint, NeedsAddressAndPort) {
  const auto endpoint = parse_endpoint("192.168.77.3:8080");
  ASSERT_TRUE(endpoint.value);
  EXPECT_EQ(endpoint.value->address, addr("192.168.77.3"));
  EXPECT_EQ(endpoint.value->port, 8080);
  EXPECT_THAT(parse_endpoint("192.168.77.3").error, HasSubstr("want ADDR:PORT"));
  EXPECT_EQ(parse_endpoint("192.168.77.3:http").error, "bad port 'http'");
  EXPECT_EQ(parse_endpoint("192.168.77:80").error, "bad address '192.168.77'");
}

TEST(ParseNames, MapEveryKnownNameAndRejectOthers) {
  EXPECT_EQ(parse_forward_proto("tcp").value, net::Proto::tcp);
  EXPECT_EQ(parse_forward_proto("udp").value, net::Proto::udp);
  EXPECT_EQ(parse_forward_proto("icmp").error, "bad protocol 'icmp' (want tcp or udp)");
  EXPECT_EQ(parse_io_backend("af_packet").value, IoBackend::af_packet);
  EXPECT_EQ(parse_io_backend("af_xdp").value, IoBackend::af_xdp);
  EXPECT_EQ(parse_io_backend("dpdk").error, "bad backend 'dpdk' (want af_packet or af_xdp)");
  EXPECT_EQ(parse_pool_mode("overload").value, nat::PoolMode::overload);
  EXPECT_EQ(parse_pool_mode("exclusive").value, nat::PoolMode::exclusive);
  EXPECT_THAT(parse_pool_mode("shared").error, HasSubstr("'shared'"));
}

TEST(MakeForward, KeepsTheInternalRangeBelow65536) {
  const Endpoint internal{addr("192.168.77.3"), 65525};
  const auto fits = make_forward(net::Proto::udp, {5000, 5010}, internal);
  ASSERT_TRUE(fits.value);
  EXPECT_EQ(fits.value->proto, net::Proto::udp);
  EXPECT_EQ(fits.value->external_ports, (nat::PortRange{5000, 5010}));
  EXPECT_EQ(fits.value->internal_addr, addr("192.168.77.3"));
  EXPECT_EQ(fits.value->internal_port, 65525);
  EXPECT_EQ(make_forward(net::Proto::udp, {5000, 5011}, internal).error,
            "internal ports 65525..65536 run past 65535");
}

}  // namespace
}  // namespace masq::config
