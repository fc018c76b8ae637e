#include "masq/net/flow_key.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

namespace masq::net {
namespace {

FlowKey key(std::uint32_t src, std::uint16_t sport) {
  return FlowKey{Ipv4Addr(src), Ipv4Addr(0xCB007101u), Port(sport), Port(53), Proto::udp, {}};
}

TEST(FlowKey, ReversedSwapsEndpoints) {
  const FlowKey k = key(0xC0A84D02u, 5000);
  const FlowKey r = k.reversed();
  EXPECT_EQ(r.src, k.dst);
  EXPECT_EQ(r.dst, k.src);
  EXPECT_EQ(r.src_port, k.dst_port);
  EXPECT_EQ(r.dst_port, k.src_port);
  EXPECT_EQ(r.reversed(), k);
}

TEST(FlowKey, HashDependsOnEveryFieldAndSeed) {
  const FlowKey k = key(0xC0A84D02u, 5000);
  FlowKey other = k;
  other.proto = Proto::tcp;
  EXPECT_NE(k.hash(1), other.hash(1));
  EXPECT_NE(k.hash(1), k.reversed().hash(1));
  EXPECT_NE(k.hash(1), k.hash(2));
  EXPECT_EQ(k.hash(7), key(0xC0A84D02u, 5000).hash(7));
}

TEST(FlowKey, HashSpreadsSequentialKeys) {
  // Low bits drive table positions: sequential ports must not collide there.
  std::unordered_set<std::uint64_t> low;
  for (std::uint16_t p = 0; p < 4096; ++p) low.insert(key(0x0A000001u, p).hash(42) & 0xFFFFF);
  EXPECT_GT(low.size(), 4000u);
}

TEST(FlowKey, OfEqualsTheAggregate) {
  const FlowKey a{
      Ipv4Addr(0xC0A84D02u), Ipv4Addr(0xCB007101u), Port(5000), Port(53), Proto::tcp, {}};
  const FlowKey b = FlowKey::of(0xC0A84D02u, 0xCB007101u, 5000, 53, Proto::tcp);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(9), b.hash(9));
  EXPECT_EQ(b.src, Ipv4Addr(0xC0A84D02u));
  EXPECT_EQ(b.dst_port, Port(53));
  EXPECT_EQ(b.proto, Proto::tcp);
}

}  // namespace
}  // namespace masq::net
