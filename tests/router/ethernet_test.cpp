#include "masq/router/ethernet.hpp"

#include <gtest/gtest.h>

#include <array>

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

}  // namespace
}  // namespace masq::router
