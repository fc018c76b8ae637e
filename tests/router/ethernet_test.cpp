#include "masq/router/ethernet.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace masq::router {
namespace {

TEST(MacAddr, ParsesAndPrints) {
  const auto m = MacAddr::parse("02:0A:ff:00:5e:01");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->octets(), (MacAddr::Octets{0x02, 0x0A, 0xFF, 0x00, 0x5E, 0x01}));
  EXPECT_EQ(m->to_string(), "02:0a:ff:00:5e:01");
  EXPECT_EQ(MacAddr::parse(m->to_string()), m);
}

TEST(MacAddr, RefusesMalformedText) {
  for (const char* bad : {"", "02:00:00:00:00", "02:00:00:00:00:0g", "02-00-00-00-00-01",
                          "02:00:00:00:00:001", "2:00:00:00:00:01:"}) {
    EXPECT_FALSE(MacAddr::parse(bad).has_value()) << bad;
  }
}

TEST(MacAddr, Classifies) {
  EXPECT_TRUE(MacAddr().is_zero());
  EXPECT_TRUE(MacAddr::broadcast().is_broadcast());
  EXPECT_TRUE(MacAddr::broadcast().is_group());
  EXPECT_TRUE(MacAddr({0x01, 0x00, 0x5E, 0x00, 0x00, 0x01}).is_group());
  EXPECT_FALSE(MacAddr({0x02, 0x00, 0x00, 0x00, 0x00, 0x01}).is_group());
  EXPECT_FALSE(MacAddr({0x02, 0x00, 0x00, 0x00, 0x00, 0x01}).is_zero());
}

TEST(Ethernet, HeaderRoundTrip) {
  std::array<std::uint8_t, kEthernetHeader> frame{};
  const MacAddr dst({0x02, 1, 2, 3, 4, 5});
  const MacAddr src({0x02, 6, 7, 8, 9, 10});
  write_ethernet(frame.data(), dst, src, kEtherTypeArp);
  EXPECT_EQ(frame[0], 0x02);
  EXPECT_EQ(frame[11], 10);
  EXPECT_EQ(frame[12], 0x08);
  EXPECT_EQ(frame[13], 0x06);
  const EthernetHeader h = read_ethernet(frame.data());
  EXPECT_EQ(h.dst, dst);
  EXPECT_EQ(h.src, src);
  EXPECT_EQ(h.ether_type, kEtherTypeArp);
}

// Destination, source, then the EtherType/tag words given, then the body.
std::vector<std::uint8_t> tagged_frame(std::vector<std::uint16_t> type_words,
                                       std::size_t body_bytes) {
  std::vector<std::uint8_t> frame{0x02, 0, 0, 0, 0, 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56};
  for (const std::uint16_t w : type_words) {
    frame.push_back(static_cast<std::uint8_t>(w >> 8));
    frame.push_back(static_cast<std::uint8_t>(w));
  }
  frame.resize(frame.size() + body_bytes, 0x45);
  return frame;
}

TEST(Ethernet, ParseSeesThroughStackedVlanTags) {
  const auto plain = parse_ethernet(tagged_frame({kEtherTypeIpv4}, 20));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->payload_offset, kEthernetHeader);
  EXPECT_EQ(plain->vlan_tags, 0u);

  const auto dot1q = parse_ethernet(tagged_frame({kEtherTypeVlan, 100, kEtherTypeIpv4}, 20));
  ASSERT_TRUE(dot1q);
  EXPECT_EQ(dot1q->header.ether_type, kEtherTypeIpv4);
  EXPECT_EQ(dot1q->payload_offset, kEthernetHeader + kVlanTag);

  const auto qinq =
      parse_ethernet(tagged_frame({kEtherTypeQinQ, 16, kEtherTypeVlan, 100, kEtherTypeArp}, 28));
  ASSERT_TRUE(qinq);
  EXPECT_EQ(qinq->header.ether_type, kEtherTypeArp);
  EXPECT_EQ(qinq->vlan_tags, 2u);
  EXPECT_EQ(qinq->payload_offset, kEthernetHeader + 2 * kVlanTag);
  EXPECT_EQ(qinq->header.src, MacAddr({0x52, 0x54, 0, 0x12, 0x34, 0x56}));
}

TEST(Ethernet, ParseRefusesFramesShorterThanTheirTags) {
  EXPECT_FALSE(parse_ethernet(std::vector<std::uint8_t>(13, 0)));
  auto cut = tagged_frame({kEtherTypeVlan, 100}, 0);  // no inner EtherType
  EXPECT_FALSE(parse_ethernet(cut));
  EXPECT_EQ(strip_vlan_tags(cut).size(), cut.size());
}

TEST(Ethernet, StripVlanTagsLeavesAnUntaggedFrame) {
  auto frame = tagged_frame({kEtherTypeQinQ, 16, kEtherTypeVlan, 100, kEtherTypeIpv4}, 20);
  const auto untagged = strip_vlan_tags(frame);
  ASSERT_EQ(untagged.size(), kEthernetHeader + 20);
  const EthernetHeader h = read_ethernet(untagged.data());
  EXPECT_EQ(h.dst, MacAddr({0x02, 0, 0, 0, 0, 1}));
  EXPECT_EQ(h.src, MacAddr({0x52, 0x54, 0, 0x12, 0x34, 0x56}));
  EXPECT_EQ(h.ether_type, kEtherTypeIpv4);
  EXPECT_EQ(untagged[kEthernetHeader], 0x45);
}

}  // namespace
}  // namespace masq::router
