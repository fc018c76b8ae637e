// PCP requests handed to the worker of the host they name.
#include "pcp_hand_off.hpp"

#include <gtest/gtest.h>

#include <array>

#include "pcp/pcp_bytes.hpp"

namespace masq::app {
namespace {

router::LocalDatagram datagram(std::span<const std::uint8_t> payload) {
  router::LocalDatagram d;
  d.src_mac = router::MacAddr({0x02, 0, 0, 0, 0, 0x07});
  d.src = net::Ipv4Addr::from_octets(192, 168, 1, 10);
  d.src_port = 40001;
  d.dst = net::Ipv4Addr::from_octets(192, 168, 1, 1);
  d.dst_port = 5351;
  d.payload = payload;
  return d;
}

TEST(PcpHandOff, AThirdPartyRequestNamesItsHost) {
  pcp::test::Writer w = pcp::test::header(1, 3600);
  pcp::test::map_body(w, pcp::test::kNonceA, 6, 8000, 0, 0, 0, 0, 0);
  const auto own = w.bytes();
  EXPECT_FALSE(third_party_host(datagram(own)));
  pcp::test::third_party(w, 192, 168, 1, 20);
  const auto other = w.bytes();
  EXPECT_EQ(third_party_host(datagram(other)), net::Ipv4Addr::from_octets(192, 168, 1, 20));
  // NAT-PMP, and what does not decode, stay with the requester's worker.
  const std::array<std::uint8_t, 2> natpmp{0, 0};
  EXPECT_FALSE(third_party_host(datagram(natpmp)));
  const std::array<std::uint8_t, 3> junk{2, 1, 0};
  EXPECT_FALSE(third_party_host(datagram(junk)));
}

TEST(PcpHandOff, PackedDatagramsComeBackWhole) {
  const std::array<std::uint8_t, 4> payload{2, 1, 0, 0};
  const router::LocalDatagram d = datagram(payload);
  std::array<std::uint8_t, kPackedDatagramHeader + 4> buffer{};
  ASSERT_EQ(pack(d, buffer), buffer.size());
  std::array<std::uint8_t, kPackedDatagramHeader + 3> small{};
  EXPECT_EQ(pack(d, small), 0u);
  const auto back = unpack(buffer);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->side, Side::lan);
  EXPECT_EQ(back->src_mac, d.src_mac);
  EXPECT_EQ(back->src, d.src);
  EXPECT_EQ(back->src_port, d.src_port);
  EXPECT_EQ(back->dst, d.dst);
  EXPECT_EQ(back->dst_port, d.dst_port);
  EXPECT_TRUE(
      std::equal(back->payload.begin(), back->payload.end(), payload.begin(), payload.end()));
  EXPECT_FALSE(unpack(std::span<const std::uint8_t>(buffer).first(kPackedDatagramHeader - 1)));
}

}  // namespace
}  // namespace masq::app
