#include "link_layer.hpp"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cstdint>
#include <vector>

namespace masq::replay {
namespace {

using Bytes = std::vector<std::uint8_t>;

const MacAddr kHostMac{0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

// Destination, source, then the EtherType/tag words given, then the body.
Bytes ethernet(std::vector<std::uint16_t> type_words, const Bytes& body) {
  Bytes frame{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  frame.insert(frame.end(), kHostMac.begin(), kHostMac.end());
  for (const std::uint16_t w : type_words) {
    frame.push_back(static_cast<std::uint8_t>(w >> 8));
    frame.push_back(static_cast<std::uint8_t>(w));
  }
  frame.insert(frame.end(), body.begin(), body.end());
  return frame;
}

const Bytes kIpv4Start{0x45, 0x00, 0x00, 0x14};
const Bytes kIpv6Start{0x60, 0x00, 0x00, 0x00};

TEST(LinkTypeTest, AcceptsEthernetRawAndIpv4AndMapsBack) {
  for (const int dlt : {DLT_EN10MB, DLT_RAW, DLT_IPV4}) {
    const auto type = link_type_from_dlt(dlt);
    ASSERT_TRUE(type) << dlt;
    EXPECT_EQ(to_dlt(*type), dlt);
  }
  EXPECT_EQ(link_type_from_dlt(DLT_EN10MB), LinkType::ethernet);
  EXPECT_EQ(link_type_from_dlt(DLT_IPV4), LinkType::raw_ipv4);
}

TEST(LinkTypeTest, RejectsOtherLinkTypes) {
  EXPECT_FALSE(link_type_from_dlt(DLT_NULL));
  EXPECT_FALSE(link_type_from_dlt(DLT_LINUX_SLL));
  EXPECT_FALSE(link_type_from_dlt(DLT_IPV6));
}

TEST(StripLinkHeaderTest, EthernetIpv4StartsAfterFourteenBytes) {
  const Bytes frame = ethernet({0x0800}, kIpv4Start);
  const LinkFrame link = strip_link_header(LinkType::ethernet, frame);
  EXPECT_EQ(link.kind, FrameKind::ipv4);
  EXPECT_EQ(link.l3_offset, kEthernetHeader);
  EXPECT_EQ(link.src_mac, kHostMac);
}

TEST(StripLinkHeaderTest, VlanTagsAreSkipped) {
  const LinkFrame dot1q =
      strip_link_header(LinkType::ethernet, ethernet({0x8100, 0x0064, 0x0800}, kIpv4Start));
  EXPECT_EQ(dot1q.kind, FrameKind::ipv4);
  EXPECT_EQ(dot1q.l3_offset, kEthernetHeader + 4);

  const LinkFrame qinq = strip_link_header(
      LinkType::ethernet, ethernet({0x88A8, 0x0010, 0x8100, 0x0064, 0x0800}, kIpv4Start));
  EXPECT_EQ(qinq.kind, FrameKind::ipv4);
  EXPECT_EQ(qinq.l3_offset, kEthernetHeader + 8);
  EXPECT_EQ(qinq.src_mac, kHostMac);
}

TEST(StripLinkHeaderTest, OtherEtherTypesAreNotIpv4) {
  EXPECT_EQ(strip_link_header(LinkType::ethernet, ethernet({0x0806}, Bytes(28, 0))).kind,
            FrameKind::not_ipv4);
  EXPECT_EQ(strip_link_header(LinkType::ethernet, ethernet({0x86DD}, kIpv6Start)).kind,
            FrameKind::not_ipv4);
  EXPECT_EQ(
      strip_link_header(LinkType::ethernet, ethernet({0x8100, 0x0064, 0x86DD}, kIpv6Start)).kind,
      FrameKind::not_ipv4);
}

TEST(StripLinkHeaderTest, ShortFramesAreMalformed) {
  const Bytes header_only = ethernet({0x0800}, {});
  EXPECT_EQ(strip_link_header(LinkType::ethernet, header_only).kind, FrameKind::ipv4);
  EXPECT_EQ(
      strip_link_header(LinkType::ethernet, Bytes(header_only.begin(), header_only.end() - 1)).kind,
      FrameKind::malformed);
  EXPECT_EQ(strip_link_header(LinkType::ethernet, Bytes{}).kind, FrameKind::malformed);
  // A tag announced but cut off before its inner EtherType.
  const Bytes cut_tag = ethernet({0x8100, 0x0064}, {});
  EXPECT_EQ(strip_link_header(LinkType::ethernet, cut_tag).kind, FrameKind::malformed);
  EXPECT_EQ(strip_link_header(LinkType::ethernet, ethernet({0x8100, 0x0064, 0x0800}, {})).kind,
            FrameKind::ipv4);
}

TEST(StripLinkHeaderTest, RawIpSkipsOnlyIpv6) {
  EXPECT_EQ(strip_link_header(LinkType::raw_ip, kIpv6Start).kind, FrameKind::not_ipv4);
  const LinkFrame v4 = strip_link_header(LinkType::raw_ip, kIpv4Start);
  EXPECT_EQ(v4.kind, FrameKind::ipv4);
  EXPECT_EQ(v4.l3_offset, 0u);
  EXPECT_FALSE(v4.src_mac);
  // Garbage and empty packets go to the engine, which counts why they fail.
  EXPECT_EQ(strip_link_header(LinkType::raw_ip, Bytes{0x12, 0x34}).kind, FrameKind::ipv4);
  EXPECT_EQ(strip_link_header(LinkType::raw_ip, Bytes{}).kind, FrameKind::ipv4);
}

TEST(StripLinkHeaderTest, Ipv4LinkTypeSendsEverythingToTheEngine) {
  EXPECT_EQ(strip_link_header(LinkType::raw_ipv4, kIpv6Start).kind, FrameKind::ipv4);
  EXPECT_EQ(strip_link_header(LinkType::raw_ipv4, Bytes{}).kind, FrameKind::ipv4);
}

TEST(WriteEthernetHeaderTest, WritesDestinationSourceAndIpv4Type) {
  std::array<std::uint8_t, kEthernetHeader> out{};
  write_ethernet_header(out, kHostMac, kLanGatewayMac);
  const Bytes expected{0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x02,
                       0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00};
  EXPECT_EQ(Bytes(out.begin(), out.end()), expected);
  // What we write, we read back as IPv4 from the gateway.
  const LinkFrame link = strip_link_header(LinkType::ethernet, out);
  EXPECT_EQ(link.kind, FrameKind::ipv4);
  EXPECT_EQ(link.src_mac, kLanGatewayMac);
}

TEST(GatewayMacTest, LocallyAdministeredUnicastAndDistinct) {
  for (const MacAddr& mac : {kLanGatewayMac, kWanGatewayMac}) {
    EXPECT_EQ(mac[0] & 0x02, 0x02);  // U/L bit: locally administered
    EXPECT_EQ(mac[0] & 0x01, 0x00);  // I/G bit: unicast
  }
  EXPECT_NE(kLanGatewayMac, kWanGatewayMac);
}

}  // namespace
}  // namespace masq::replay
