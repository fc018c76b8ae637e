#include "masq/net/ipv4_addr.hpp"

#include <gtest/gtest.h>

namespace masq::net {
namespace {

TEST(Ipv4Addr, ParsesDottedQuad) {
  const auto a = Ipv4Addr::parse("192.168.77.1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->value(), 0xC0A84D01u);
  EXPECT_EQ(a->to_string(), "192.168.77.1");
}

TEST(Ipv4Addr, RejectsMalformed) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "a.b.c.d",
                          "1.2.3.4 ", "-1.2.3.4", "1.2.3.4/24"}) {
    EXPECT_FALSE(Ipv4Addr::parse(bad)) << bad;
  }
}

TEST(Ipv4Addr, ClassifiesSpecialAddresses) {
  EXPECT_TRUE(Ipv4Addr::from_octets(0, 0, 0, 0).is_unspecified());
  EXPECT_TRUE(Ipv4Addr::from_octets(127, 0, 0, 1).is_loopback());
  EXPECT_TRUE(Ipv4Addr::from_octets(224, 0, 0, 1).is_multicast());
  EXPECT_TRUE(Ipv4Addr::from_octets(255, 255, 255, 255).is_limited_broadcast());
  EXPECT_TRUE(Ipv4Addr::from_octets(240, 0, 0, 1).is_reserved_class_e());
  EXPECT_FALSE(Ipv4Addr::from_octets(8, 8, 8, 8).is_multicast());
}

TEST(Ipv4Prefix, ParsesAndMasks) {
  const auto p = Ipv4Prefix::parse("192.168.77.9/24");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->network(), Ipv4Addr::from_octets(192, 168, 77, 0));
  EXPECT_EQ(p->broadcast(), Ipv4Addr::from_octets(192, 168, 77, 255));
  EXPECT_TRUE(p->contains(Ipv4Addr::from_octets(192, 168, 77, 200)));
  EXPECT_FALSE(p->contains(Ipv4Addr::from_octets(192, 168, 78, 1)));
  EXPECT_EQ(p->to_string(), "192.168.77.0/24");
}

TEST(Ipv4Prefix, EdgeLengths) {
  const auto all = Ipv4Prefix::parse("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->contains(Ipv4Addr::from_octets(203, 0, 113, 1)));
  const auto host = Ipv4Prefix::parse("10.1.2.3");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->length(), 32);
  EXPECT_FALSE(Ipv4Prefix::parse("10.0.0.0/33"));
  EXPECT_FALSE(Ipv4Prefix::parse("10.0.0.0/"));
}

}  // namespace
}  // namespace masq::net
