#include "mapping_table.hpp"

#include <gtest/gtest.h>

namespace masq::pcp {
namespace {

const net::Ipv4Addr kHostA = net::Ipv4Addr::from_octets(192, 168, 1, 10);
const net::Ipv4Addr kHostB = net::Ipv4Addr::from_octets(192, 168, 1, 11);

Mapping inbound(net::Ipv4Addr host, std::uint16_t port, std::uint64_t expire_s,
                Origin origin = Origin::pcp_map) {
  Mapping m;
  m.origin = origin;
  m.internal = Endpoint{host, port};
  m.external = Endpoint{net::Ipv4Addr::from_octets(203, 0, 113, 1), port};
  m.expire_s = expire_s;
  return m;
}

TEST(MappingTable, BoundedAndReusesFreedSlots) {
  MappingTable t(2);
  EXPECT_NE(t.insert(inbound(kHostA, 1, 10)), nullptr);
  Mapping* second = t.insert(inbound(kHostA, 2, 20));
  ASSERT_NE(second, nullptr);
  EXPECT_TRUE(t.full());
  EXPECT_EQ(t.insert(inbound(kHostA, 3, 30)), nullptr);
  t.erase(second);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_NE(t.insert(inbound(kHostA, 3, 30)), nullptr);
  t.clear();
  EXPECT_EQ(t.size(), 0u);
}

TEST(MappingTable, InboundAndPeerKeysAreSeparate) {
  MappingTable t(4);
  t.insert(inbound(kHostA, 5000, 10, Origin::natpmp));
  Mapping peer = inbound(kHostA, 5000, 10, Origin::pcp_peer);
  peer.peer = Endpoint{net::Ipv4Addr::from_octets(198, 51, 100, 9), 443};
  t.insert(peer);
  Mapping* in = t.find_inbound(net::Proto::udp, Endpoint{kHostA, 5000});
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->origin, Origin::natpmp);
  EXPECT_EQ(t.find_inbound(net::Proto::tcp, Endpoint{kHostA, 5000}), nullptr);
  Mapping* p = t.find_peer(net::Proto::udp, Endpoint{kHostA, 5000}, peer.peer);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->ref().peer, peer.peer);
  EXPECT_FALSE(in->ref().peer);
  EXPECT_EQ(t.find_peer(net::Proto::udp, Endpoint{kHostA, 5000}, Endpoint{kHostB, 443}), nullptr);
}

TEST(MappingTable, CountsHostsAndErasesByPredicate) {
  MappingTable t(8);
  t.insert(inbound(kHostA, 1, 50));
  t.insert(inbound(kHostA, 2, 10));
  t.insert(inbound(kHostB, 3, 30));
  EXPECT_EQ(t.count_host(kHostA), 2u);
  EXPECT_EQ(t.next_expiry_s(), 10u);
  int released = 0;
  EXPECT_EQ(t.erase_if([](const Mapping& m) { return m.expire_s <= 30; },
                       [&](const Mapping&) { ++released; }),
            2u);
  EXPECT_EQ(released, 2);
  EXPECT_EQ(t.next_expiry_s(), 50u);
  EXPECT_EQ(t.count_host(kHostB), 0u);
}

}  // namespace
}  // namespace masq::pcp
