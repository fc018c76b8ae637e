#include "masq/router/routes.hpp"

#include <gtest/gtest.h>

namespace masq::router {
namespace {

using net::Ipv4Addr;

const net::Ipv4Prefix kLan(Ipv4Addr::from_octets(192, 168, 1, 0), 24);
const net::Ipv4Prefix kWan(Ipv4Addr::from_octets(203, 0, 113, 0), 24);
const Ipv4Addr kGateway = Ipv4Addr::from_octets(203, 0, 113, 254);
const Ipv4Addr kRemote = Ipv4Addr::from_octets(198, 51, 100, 7);
const Ipv4Addr kLanHost = Ipv4Addr::from_octets(192, 168, 1, 10);
const Ipv4Addr kWanHost = Ipv4Addr::from_octets(203, 0, 113, 9);
const std::vector<nat::AddressRange> kExternals = {
    {Ipv4Addr::from_octets(203, 0, 113, 1), Ipv4Addr::from_octets(203, 0, 113, 1)},
    {Ipv4Addr::from_octets(100, 64, 0, 0), Ipv4Addr::from_octets(100, 64, 0, 3)}};

TEST(Routes, ConnectedThenGateway) {
  const Routes r(kLan, kWan, kGateway, kExternals);
  EXPECT_EQ(r.next_hop(Side::wan, kWanHost), kWanHost);
  EXPECT_EQ(r.next_hop(Side::wan, kRemote), kGateway);
  EXPECT_EQ(r.next_hop(Side::lan, kLanHost), kLanHost);
  // Only the LAN prefix is reachable on the LAN side.
  EXPECT_EQ(r.next_hop(Side::lan, kRemote), std::nullopt);
}

TEST(Routes, NoGatewayNoRoute) {
  const Routes r(kLan, kWan, std::nullopt, kExternals);
  EXPECT_EQ(r.next_hop(Side::wan, kRemote), std::nullopt);
  EXPECT_EQ(r.next_hop(Side::wan, kWanHost), kWanHost);
}

TEST(Routes, ExpectedEgress) {
  const Routes r(kLan, kWan, kGateway, kExternals);
  EXPECT_EQ(r.egress_for(Side::wan, kWanHost), Side::lan);
  EXPECT_EQ(r.egress_for(Side::lan, kRemote), Side::wan);
  EXPECT_EQ(r.egress_for(Side::lan, kLanHost), Side::lan);
  EXPECT_EQ(r.egress_for(Side::lan, Ipv4Addr::from_octets(203, 0, 113, 1)), Side::lan);  // hairpin
  EXPECT_EQ(r.egress_for(Side::lan, Ipv4Addr::from_octets(100, 64, 0, 3)), Side::lan);
  EXPECT_EQ(r.egress_for(Side::lan, Ipv4Addr::from_octets(100, 64, 0, 4)), Side::wan);
}

TEST(Routes, ExternalRangesAreInclusive) {
  const Routes r(kLan, kWan, kGateway, kExternals);
  EXPECT_TRUE(r.is_external(Ipv4Addr::from_octets(100, 64, 0, 0)));
  EXPECT_TRUE(r.is_external(Ipv4Addr::from_octets(100, 64, 0, 3)));
  EXPECT_FALSE(r.is_external(Ipv4Addr::from_octets(100, 63, 255, 255)));
  EXPECT_FALSE(r.is_external(kWanHost));
  EXPECT_EQ(r.prefix(Side::lan), kLan);
  EXPECT_EQ(r.prefix(Side::wan), kWan);
}

}  // namespace
}  // namespace masq::router
