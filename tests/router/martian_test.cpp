#include "masq/router/martian.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace masq::router {
namespace {

using net::Ipv4Addr;

const Ipv4Addr kLanAddr = Ipv4Addr::from_octets(192, 168, 1, 1);
const Ipv4Addr kWanAddr = Ipv4Addr::from_octets(203, 0, 113, 1);
const MartianFilter kFilter(kLanAddr, net::Ipv4Prefix(kLanAddr, 24), kWanAddr,
                            net::Ipv4Prefix(kWanAddr, 24));
const Ipv4Addr kLanHost = Ipv4Addr::from_octets(192, 168, 1, 10);
const Ipv4Addr kRemote = Ipv4Addr::from_octets(198, 51, 100, 7);

struct Case {
  Side from;
  Ipv4Addr src;
  Ipv4Addr dst;
  DropReason expected;
};

TEST(MartianFilter, Table) {
  const auto a = Ipv4Addr::from_octets;
  const std::vector<Case> cases = {
      {Side::lan, kLanHost, kRemote, DropReason::none},
      {Side::wan, kRemote, kWanAddr, DropReason::none},
      // Sources (RFC 1812 §5.3.7).
      {Side::lan, a(0, 0, 0, 0), kRemote, DropReason::martian_source},
      {Side::lan, a(0, 1, 2, 3), kRemote, DropReason::martian_source},
      {Side::lan, a(127, 0, 0, 1), kRemote, DropReason::martian_source},
      {Side::wan, a(224, 0, 0, 5), kWanAddr, DropReason::martian_source},
      {Side::wan, a(240, 0, 0, 1), kWanAddr, DropReason::martian_source},
      {Side::wan, a(255, 255, 255, 255), kWanAddr, DropReason::martian_source},
      {Side::lan, a(192, 168, 1, 255), kRemote, DropReason::martian_source},
      {Side::wan, a(203, 0, 113, 255), kWanAddr, DropReason::martian_source},
      {Side::lan, kLanAddr, kRemote, DropReason::martian_source},
      {Side::wan, kWanAddr, kWanAddr, DropReason::martian_source},
      {Side::wan, kLanHost, kWanAddr, DropReason::martian_source},  // the LAN from the WAN
      // Broadcast and multicast destinations.
      {Side::lan, kLanHost, a(255, 255, 255, 255), DropReason::broadcast_destination},
      {Side::lan, kLanHost, a(192, 168, 1, 255), DropReason::broadcast_destination},
      {Side::wan, kRemote, a(192, 168, 1, 255), DropReason::broadcast_destination},
      {Side::wan, kRemote, a(203, 0, 113, 255), DropReason::broadcast_destination},
      {Side::lan, kLanHost, a(239, 255, 255, 250), DropReason::broadcast_destination},
      // Destinations that exist nowhere.
      {Side::lan, kLanHost, a(0, 0, 0, 1), DropReason::martian_destination},
      {Side::lan, kLanHost, a(127, 0, 0, 1), DropReason::martian_destination},
      {Side::wan, kRemote, a(250, 1, 2, 3), DropReason::martian_destination},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(kFilter.check(c.from, c.src, c.dst), c.expected)
        << (c.from == Side::lan ? "lan " : "wan ") << c.src.to_string() << " > "
        << c.dst.to_string() << ": " << to_string(c.expected);
  }
}

TEST(MartianFilter, PointToPointPrefixesHaveNoBroadcast) {
  // RFC 3021: both addresses of a /31 are hosts.
  const Ipv4Addr wan = Ipv4Addr::from_octets(198, 18, 0, 0);
  const MartianFilter f(kLanAddr, net::Ipv4Prefix(kLanAddr, 24), wan, net::Ipv4Prefix(wan, 31));
  const Ipv4Addr peer = Ipv4Addr::from_octets(198, 18, 0, 1);
  EXPECT_EQ(f.check(Side::wan, peer, wan), DropReason::none);
  EXPECT_EQ(f.check(Side::lan, kLanHost, peer), DropReason::none);
}

}  // namespace
}  // namespace masq::router
