#include "mac_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace masq::replay {
namespace {

using Bytes = std::vector<std::uint8_t>;

const MacAddr kMacA{0x52, 0x54, 0x00, 0x00, 0x00, 0x0a};
const MacAddr kMacB{0x52, 0x54, 0x00, 0x00, 0x00, 0x0b};
const net::Ipv4Addr kHost = net::Ipv4Addr::from_octets(192, 168, 77, 2);

// The first 20 bytes of an IPv4 header from `src` (only what learn() reads matters).
Bytes ipv4_from(net::Ipv4Addr src) {
  Bytes ip(20, 0);
  ip[0] = 0x45;
  for (int i = 0; i < 4; ++i) {
    ip[static_cast<std::size_t>(12 + i)] = static_cast<std::uint8_t>(src.value() >> (24 - 8 * i));
  }
  return ip;
}

TEST(MacTableTest, UnknownHostsGetBroadcast) {
  const MacTable table;
  EXPECT_EQ(table.lookup(kHost), kBroadcastMac);
}

TEST(MacTableTest, LearnsTheLastSourceMacPerSourceAddress) {
  MacTable table;
  table.learn(kMacA, ipv4_from(kHost));
  EXPECT_EQ(table.lookup(kHost), kMacA);
  EXPECT_EQ(table.lookup(net::Ipv4Addr::from_octets(192, 168, 77, 3)), kBroadcastMac);
  table.learn(kMacB, ipv4_from(kHost));
  EXPECT_EQ(table.lookup(kHost), kMacB);
}

TEST(MacTableTest, IgnoresGroupSourcesAndPacketsThatAreNotIpv4) {
  MacTable table;
  const MacAddr multicast{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
  table.learn(multicast, ipv4_from(kHost));
  EXPECT_EQ(table.lookup(kHost), kBroadcastMac);

  Bytes v6 = ipv4_from(kHost);
  v6[0] = 0x60;
  table.learn(kMacA, v6);
  EXPECT_EQ(table.lookup(kHost), kBroadcastMac);

  const Bytes full = ipv4_from(kHost);
  table.learn(kMacA, Bytes(full.begin(), full.end() - 1));
  EXPECT_EQ(table.lookup(kHost), kBroadcastMac);
}

}  // namespace
}  // namespace masq::replay
