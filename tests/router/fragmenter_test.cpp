#include "fragmenter.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "masq/net/byte_order.hpp"
#include "router/frames.hpp"
#include "support/inet_checksum.hpp"
#include "support/packet_builder.hpp"

namespace masq::router {
namespace {

using test::Bytes;

Bytes udp_datagram(std::size_t payload, std::vector<std::uint8_t> options = {}) {
  masq::test::PacketSpec s;
  s.src = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  s.dst = net::Ipv4Addr::from_octets(198, 51, 100, 7);
  s.ip_id = 0x1234;
  s.src_port = 4000;
  s.dst_port = 53;
  s.ip_options = std::move(options);
  s.payload = masq::test::pattern_payload(payload);
  return masq::test::build_packet(s);
}

std::vector<Bytes> fragment_all(const Bytes& datagram, std::size_t mtu) {
  Fragmenter f(datagram, mtu);
  std::vector<Bytes> out;
  while (!f.done()) {
    Bytes buf(mtu);
    buf.resize(f.next(buf));
    out.push_back(std::move(buf));
  }
  EXPECT_EQ(out.size(), f.count());
  return out;
}

std::size_t offset_of(const Bytes& f) {
  return std::size_t{net::load_be16(f.data() + 6) & 0x1FFFu} * 8;
}
bool more_of(const Bytes& f) {
  return (f[6] & 0x20) != 0;
}
std::size_t ihl_of(const Bytes& f) {
  return std::size_t{f[0] & 0x0Fu} * 4;
}

TEST(Fragmenter, SplitsAtMultiplesOfEightAndReassembles) {
  const Bytes d = udp_datagram(1472);  // 1500 bytes
  const auto frags = fragment_all(d, 576);
  ASSERT_EQ(frags.size(), 3u);  // 552 + 552 + 376 bytes of data
  for (std::size_t i = 0; i < frags.size(); ++i) {
    const Bytes& f = frags[i];
    EXPECT_LE(f.size(), 576u);
    EXPECT_EQ(test::checksum_report(f), "") << "fragment " << i;
    EXPECT_EQ(net::load_be16(f.data() + 4), 0x1234) << "same identification";
    EXPECT_EQ(more_of(f), i + 1 < frags.size());
    if (i + 1 < frags.size()) {
      EXPECT_EQ((f.size() - ihl_of(f)) % 8, 0u);
    }
  }
  EXPECT_EQ(offset_of(frags[0]), 0u);
  EXPECT_EQ(offset_of(frags[1]), 552u);
  EXPECT_EQ(offset_of(frags[2]), 1104u);
  const Bytes whole = test::reassemble(frags);
  EXPECT_EQ(whole, d);
  EXPECT_EQ(test::checksum_report(whole), "");
}

TEST(Fragmenter, OnlyCopiedOptionsRepeat) {
  // NOP; record route (7, not copied, 7 bytes); stream id (0x88, copied, 4 bytes).
  const std::vector<std::uint8_t> options = {1, 7, 7, 4, 0, 0, 0, 0, 0x88, 4, 0xAB, 0xCD};
  const Bytes d = udp_datagram(600, options);
  ASSERT_EQ(ihl_of(d), 32u);
  const auto frags = fragment_all(d, 300);
  ASSERT_GE(frags.size(), 3u);
  EXPECT_EQ(ihl_of(frags[0]), 32u);
  EXPECT_TRUE(std::equal(d.begin() + 20, d.begin() + 32, frags[0].begin() + 20));
  for (std::size_t i = 1; i < frags.size(); ++i) {
    ASSERT_EQ(ihl_of(frags[i]), 24u) << i;
    EXPECT_EQ(frags[i][20], 0x88);
    EXPECT_EQ(frags[i][21], 4);
    EXPECT_EQ(frags[i][22], 0xAB);
    EXPECT_EQ(frags[i][23], 0xCD);
    EXPECT_EQ(test::checksum_report(frags[i]), "") << i;
  }
  EXPECT_EQ(test::reassemble(frags), d);
}

TEST(Fragmenter, RefragmentsAFragment) {
  Bytes d = udp_datagram(1000);
  // Make it the middle fragment of a larger datagram: offset 800, MF set.
  net::store_be16(d.data() + 6, 0x2000 | (800 / 8));
  net::store_be16(d.data() + 10, 0);
  masq::test::OnesSum sum;
  sum.add({d.data(), 20});
  net::store_be16(d.data() + 10, sum.checksum());
  const auto frags = fragment_all(d, 500);
  ASSERT_EQ(frags.size(), 3u);
  EXPECT_EQ(offset_of(frags[0]), 800u);
  EXPECT_EQ(offset_of(frags[1]), 800u + 480u);
  for (const Bytes& f : frags) {
    EXPECT_TRUE(more_of(f)) << "the original's MF stays on its last piece";
    EXPECT_EQ(test::checksum_report(f), "");
  }
}

TEST(Fragmenter, MinimumMtuStillMakesProgress) {
  std::vector<std::uint8_t> options(40, 1);  // 40 NOPs: a 60-byte header
  const Bytes d = udp_datagram(100, options);
  const auto frags = fragment_all(d, kMinIpv4Mtu);
  EXPECT_EQ(frags.front().size(), kMinIpv4Mtu);
  EXPECT_EQ(ihl_of(frags.back()), 20u);  // NOPs are not copied
  EXPECT_EQ(test::reassemble(frags), d);
}

}  // namespace
}  // namespace masq::router
