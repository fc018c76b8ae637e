#include "ip_options.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "router/frames.hpp"
#include "support/packet_builder.hpp"

namespace masq::router {
namespace {

using test::Bytes;

const net::Ipv4Addr kInside = net::Ipv4Addr::from_octets(192, 168, 1, 10);
const net::Ipv4Addr kOutside = net::Ipv4Addr::from_octets(198, 51, 100, 7);

Bytes with_options(std::vector<std::uint8_t> options) {
  masq::test::PacketSpec s;
  s.src = kInside;
  s.dst = kOutside;
  s.src_port = 4000;
  s.dst_port = 53;
  s.ip_options = std::move(options);
  s.payload = masq::test::pattern_payload(16);
  return masq::test::build_packet(s);
}

// Record Route with one slot filled by an inside router (RFC 791 §3.1).
const std::vector<std::uint8_t> kRecordRoute{7, 11, 8, 192, 168, 1, 1, 0, 0, 0, 0};
// Timestamp with addresses (flag 1), one entry filled, at an odd offset
// behind a NOP so that it shares words with its neighbours.
const std::vector<std::uint8_t> kNopTimestamp{1, 68, 12, 13, 0x01, 192, 168, 1, 1, 0, 0, 0, 1};
const std::vector<std::uint8_t> kLooseSourceRoute{131, 7, 4, 192, 168, 1, 1};
const std::vector<std::uint8_t> kStrictSourceRoute{137, 7, 4, 192, 168, 1, 1};

TEST(IpOptions, FindsSourceRoutesOnly) {
  Bytes plain = with_options({});
  Bytes loose = with_options(kLooseSourceRoute);
  Bytes strict = with_options(kStrictSourceRoute);
  std::vector<std::uint8_t> rr_then_loose = kRecordRoute;
  rr_then_loose.insert(rr_then_loose.end(), kLooseSourceRoute.begin(), kLooseSourceRoute.end());
  Bytes behind_record_route = with_options(rr_then_loose);
  Bytes record_route = with_options(kRecordRoute);
  EXPECT_FALSE(has_source_route(net::Ipv4View(plain.data())));
  EXPECT_TRUE(has_source_route(net::Ipv4View(loose.data())));
  EXPECT_TRUE(has_source_route(net::Ipv4View(strict.data())));
  EXPECT_TRUE(has_source_route(net::Ipv4View(behind_record_route.data())));
  EXPECT_FALSE(has_source_route(net::Ipv4View(record_route.data())));
}

TEST(IpOptions, OverwritesRecordRouteAndTimestampKeepingTheChecksumRight) {
  std::vector<std::uint8_t> options = kRecordRoute;
  options.insert(options.end(), kNopTimestamp.begin(), kNopTimestamp.end());
  Bytes packet = with_options(options);
  EXPECT_EQ(neutralise_recording_options(net::Ipv4View(packet.data())).options, 2u);
  // The same packet built with NOPs where the options were.
  EXPECT_EQ(packet, with_options(std::vector<std::uint8_t>(options.size(), kOptionNop)));
  EXPECT_EQ(test::checksum_report(packet), "");
}

TEST(IpOptions, LeavesOtherOptionsAsTheyAre) {
  std::vector<std::uint8_t> options = kLooseSourceRoute;
  options.insert(options.end(), kRecordRoute.begin(), kRecordRoute.end());
  Bytes packet = with_options(options);
  EXPECT_EQ(neutralise_recording_options(net::Ipv4View(packet.data())).options, 1u);
  std::vector<std::uint8_t> expected = kLooseSourceRoute;
  expected.resize(options.size(), kOptionNop);
  EXPECT_EQ(packet, with_options(expected));
  EXPECT_EQ(test::checksum_report(packet), "");

  Bytes plain = with_options({});
  const Bytes before = plain;
  EXPECT_EQ(neutralise_recording_options(net::Ipv4View(plain.data())).options, 0u);
  EXPECT_EQ(plain, before);
}

}  // namespace
}  // namespace masq::router
