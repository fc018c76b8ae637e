#include "masq/config/router_config.hpp"

#include <gtest/gtest.h>

namespace masq::config {
namespace {

using net::Ipv4Addr;

Config two_sides() {
  QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = "wan0=203.0.113.1/24";
  flags.gateway = "203.0.113.254";
  flags.forwards = {"tcp/8080=192.168.77.3:8080"};
  const LoadResult loaded = load(std::nullopt, "command line", flags);
  EXPECT_TRUE(loaded.errors.empty());
  return loaded.config.value_or(Config{});
}

const Link kLan{{0x02, 0, 0, 0, 0, 1}, 1500};
const Link kWan{{0x02, 0, 0, 0, 0, 2}, 9000};

TEST(RouterConfig, TakesAddressesFromTheConfigAndMacsAndMtusFromTheLinks) {
  const router::RouterConfig rc = router_config(two_sides(), kLan, kWan);
  EXPECT_EQ(rc.lan.mac, router::MacAddr(kLan.mac));
  EXPECT_EQ(rc.wan.mac, router::MacAddr(kWan.mac));
  EXPECT_EQ(rc.lan.address, Ipv4Addr::from_octets(192, 168, 77, 1));
  EXPECT_EQ(rc.wan.prefix.to_string(), "203.0.113.0/24");
  EXPECT_EQ(rc.lan.mtu, 1500);
  EXPECT_EQ(rc.wan.mtu, 9000);
  EXPECT_EQ(rc.wan_gateway, Ipv4Addr::from_octets(203, 0, 113, 254));
  ASSERT_EQ(rc.externals.size(), 1u);  // the pool and the forward: the WAN address
  EXPECT_EQ(rc.externals[0].first, Ipv4Addr::from_octets(203, 0, 113, 1));
  EXPECT_TRUE(router::validate(rc).empty());
}

TEST(RouterConfig, AConfiguredMtuOnlyNarrowsTheLink) {
  Config cfg = two_sides();
  cfg.lan.mtu = 9000;  // more than the link carries: the link's 1500 holds
  cfg.wan.mtu = 576;
  const router::RouterConfig rc = router_config(cfg, kLan, kWan);
  EXPECT_EQ(rc.lan.mtu, 1500);
  EXPECT_EQ(rc.wan.mtu, 576);
}

}  // namespace
}  // namespace masq::config
