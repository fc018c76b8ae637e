#include "masq/router/reassembler.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "router/frames.hpp"
#include "support/packet_builder.hpp"

namespace masq::router {
namespace {

using test::Bytes;

constexpr std::uint64_t kSecond = 1'000'000'000;
constexpr std::uint64_t kTimeout = 30 * kSecond;

masq::test::PacketSpec udp_spec(std::uint16_t id, std::size_t payload) {
  masq::test::PacketSpec s;
  s.src = net::Ipv4Addr::from_octets(198, 51, 100, 7);
  s.dst = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  s.ip_id = id;
  s.src_port = 53;
  s.dst_port = 4000;
  s.payload = masq::test::pattern_payload(payload);
  return s;
}

Bytes udp_datagram(std::uint16_t id = 0x4242, std::size_t payload = 3000) {
  return masq::test::build_packet(udp_spec(id, payload));
}

class ReassemblerTest : public ::testing::Test {
 protected:
  explicit ReassemblerTest(std::uint32_t contexts = 4, std::size_t max_bytes = 65535)
      : reassembler_(contexts, max_bytes, kTimeout, counters_) {}

  // Adds the fragments in the given order; only the last may complete the datagram.
  Bytes add_all(const std::vector<Bytes>& fragments, const std::vector<std::size_t>& order,
                std::uint64_t now_ns = 0) {
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
      EXPECT_TRUE(add(fragments[order[i]], now_ns).empty()) << "early at fragment " << order[i];
    }
    return add(fragments[order.back()], now_ns);
  }

  Bytes add(const Bytes& fragment, std::uint64_t now_ns = 0) {
    const std::span<std::uint8_t> whole = reassembler_.add(fragment, Side::wan, now_ns);
    return Bytes(whole.begin(), whole.end());
  }

  std::uint64_t drops(DropReason r) const { return counters_.drop(r); }

  RouterCounters counters_;
  Reassembler reassembler_;
};

TEST_F(ReassemblerTest, InOrder) {
  const Bytes d = udp_datagram();
  const auto frags = test::split(d, 1200);
  ASSERT_EQ(frags.size(), 3u);
  const Bytes whole = add_all(frags, {0, 1, 2});
  EXPECT_EQ(whole, d);
  EXPECT_EQ(test::checksum_report(whole), "");
  EXPECT_EQ(counters_.datagrams_reassembled, 1u);
  EXPECT_EQ(reassembler_.in_progress(), 0u);
  EXPECT_EQ(counters_.total_drops(), 0u);
}

TEST_F(ReassemblerTest, Reversed) {
  const Bytes d = udp_datagram();
  EXPECT_EQ(add_all(test::split(d, 1200), {2, 1, 0}), d);
}

TEST_F(ReassemblerTest, Shuffled) {
  const Bytes d = udp_datagram(0x4242, 5000);
  const auto frags = test::split(d, 800);
  ASSERT_EQ(frags.size(), 7u);
  EXPECT_EQ(add_all(frags, {3, 6, 0, 5, 1, 4, 2}), d);
}

TEST_F(ReassemblerTest, InterleavedDatagramsStayApart) {
  const Bytes a = udp_datagram(1);
  const Bytes b = udp_datagram(2, 2000);
  const auto fa = test::split(a, 1200);
  const auto fb = test::split(b, 1200);
  EXPECT_TRUE(add(fa[0]).empty());
  EXPECT_TRUE(add(fb[1]).empty());
  EXPECT_TRUE(add(fa[2]).empty());
  EXPECT_EQ(reassembler_.in_progress(), 2u);
  EXPECT_EQ(add(fb[0]), b);
  EXPECT_EQ(add(fa[1]), a);
}

TEST_F(ReassemblerTest, ASideCannotCompleteTheOtherSidesDatagram) {
  const Bytes d = udp_datagram();
  const auto frags = test::split(d, 1200);
  EXPECT_TRUE(reassembler_.add(frags[0], Side::wan, 0).empty());
  EXPECT_TRUE(reassembler_.add(frags[1], Side::wan, 0).empty());
  EXPECT_TRUE(reassembler_.add(frags[2], Side::lan, 0).empty());
  EXPECT_EQ(reassembler_.in_progress(), 2u);
  EXPECT_EQ(add(frags[2]), d);
}

// RFC 5722 §4 (errata 3089): overlaps drop the datagram even when they
// repeat the same bytes, and so does an exact duplicate.
TEST_F(ReassemblerTest, AnOverlapWithIdenticalBytesDropsTheDatagram) {
  const Bytes d = udp_datagram();
  const std::size_t data = d.size() - 20;
  EXPECT_TRUE(add(test::slice(d, 0, 1600)).empty());
  EXPECT_TRUE(add(test::slice(d, 800, 1600)).empty());  // overlaps, same bytes
  EXPECT_EQ(drops(DropReason::reassembly_overlap), 1u);
  EXPECT_EQ(reassembler_.in_progress(), 0u);
  EXPECT_TRUE(add(test::slice(d, 2400, data - 2400)).empty());
  EXPECT_EQ(counters_.datagrams_reassembled, 0u);
}

TEST_F(ReassemblerTest, AnExactDuplicateDropsTheDatagram) {
  const Bytes d = udp_datagram();
  const std::size_t data = d.size() - 20;
  EXPECT_TRUE(add(test::slice(d, 0, 1600)).empty());
  EXPECT_TRUE(add(test::slice(d, 0, 1600)).empty());
  EXPECT_EQ(drops(DropReason::reassembly_overlap), 1u);
  EXPECT_TRUE(add(test::slice(d, 1600, data - 1600)).empty());
  EXPECT_EQ(counters_.datagrams_reassembled, 0u);
}

TEST_F(ReassemblerTest, OverlapWithDifferentDataDropsTheDatagram) {
  const Bytes d = udp_datagram();
  const std::size_t data = d.size() - 20;
  Bytes forged = test::slice(d, 800, 1600);
  forged[20 + 100] ^= 0xFF;  // data byte 900: the first fragment carries it too
  EXPECT_TRUE(add(test::slice(d, 0, 1600)).empty());
  EXPECT_TRUE(add(forged).empty());
  EXPECT_EQ(drops(DropReason::reassembly_overlap), 1u);
  EXPECT_EQ(reassembler_.in_progress(), 0u);
  // What was held is gone: the rest alone completes nothing.
  EXPECT_TRUE(add(test::slice(d, 1600, data - 1600)).empty());
  EXPECT_EQ(counters_.datagrams_reassembled, 0u);
}

TEST_F(ReassemblerTest, InconsistentFragmentsDropTheDatagram) {
  const Bytes d = udp_datagram();
  const std::size_t data = d.size() - 20;
  const std::span<const std::uint8_t> header(d.data(), 20);
  const std::span<const std::uint8_t> bytes(d.data() + 20, 1200);

  // Two different last fragments.
  EXPECT_TRUE(add(test::slice(d, 2400, data - 2400)).empty());
  EXPECT_TRUE(add(test::fragment(header, 1200, bytes, false)).empty());
  EXPECT_EQ(drops(DropReason::reassembly_inconsistent), 1u);
  // Data beyond the last fragment.
  EXPECT_TRUE(add(test::slice(d, 1200, 1200)).empty());
  EXPECT_TRUE(add(test::fragment(header, 2400, bytes, true)).empty());
  EXPECT_EQ(drops(DropReason::reassembly_inconsistent), 1u);
  EXPECT_TRUE(add(test::fragment(header, 1200, bytes.first(800), false)).empty());
  EXPECT_EQ(drops(DropReason::reassembly_inconsistent), 2u);
  // A fragment with MF whose data is not whole 8-byte blocks.
  EXPECT_TRUE(add(test::fragment(header, 0, bytes.first(100), true)).empty());
  EXPECT_EQ(drops(DropReason::reassembly_inconsistent), 3u);
  // Data past the largest datagram IPv4 can describe (offset 65528 + 16).
  EXPECT_TRUE(add(test::fragment(header, 65528, bytes.first(16), false)).empty());
  EXPECT_EQ(drops(DropReason::reassembly_inconsistent), 4u);
  EXPECT_EQ(reassembler_.in_progress(), 0u);
}

TEST_F(ReassemblerTest, FirstFragmentGivesTheHeaderWithItsOptions) {
  masq::test::PacketSpec s = udp_spec(7, 2000);
  s.ip_options = {0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00};  // router alert (RFC 2113)
  const Bytes d = masq::test::build_packet(s);
  ASSERT_EQ(d.size(), 28u + 2008u);
  s.ip_options.clear();
  const Bytes plain = masq::test::build_packet(s);  // what later fragments carry
  const Bytes first = test::slice(d, 0, 1000);
  const Bytes second = test::slice(plain, 1000, 1008);
  EXPECT_TRUE(add(second).empty());
  EXPECT_EQ(add(first), d);
}

TEST_F(ReassemblerTest, TimeoutFreesTheContext) {
  const Bytes d = udp_datagram();
  const auto frags = test::split(d, 1200);
  EXPECT_TRUE(add(frags[0], 0).empty());
  reassembler_.expire(kTimeout - 1);
  EXPECT_EQ(reassembler_.in_progress(), 1u);
  EXPECT_TRUE(add(frags[1], kTimeout - 1).empty());
  // The timer runs from the first fragment (RFC 791 §3.2).
  reassembler_.expire(kTimeout);
  EXPECT_EQ(reassembler_.in_progress(), 0u);
  EXPECT_EQ(drops(DropReason::reassembly_timeout), 1u);
  // Late fragments start over, and complete nothing.
  EXPECT_TRUE(add(frags[2], kTimeout).empty());
  EXPECT_EQ(reassembler_.in_progress(), 1u);
  // add() expires lazily too.
  EXPECT_TRUE(add(test::split(udp_datagram(9), 1200)[0], 2 * kTimeout).empty());
  EXPECT_EQ(drops(DropReason::reassembly_timeout), 2u);
  EXPECT_EQ(reassembler_.in_progress(), 1u);
}

TEST_F(ReassemblerTest, EvictsTheOldestWhenFull) {
  std::vector<std::vector<Bytes>> frags;
  for (std::uint16_t id = 1; id <= 5; ++id) frags.push_back(test::split(udp_datagram(id), 1200));
  for (std::uint64_t i = 0; i < 4; ++i) EXPECT_TRUE(add(frags[i][0], i).empty());
  EXPECT_EQ(reassembler_.in_progress(), 4u);
  EXPECT_TRUE(add(frags[4][0], 4).empty());
  EXPECT_EQ(drops(DropReason::reassembly_evicted), 1u);
  EXPECT_EQ(reassembler_.in_progress(), 4u);
  // Datagram 1 was the oldest: its rest evicts datagram 2 and completes nothing.
  EXPECT_TRUE(add(frags[0][1], 5).empty());
  EXPECT_TRUE(add(frags[0][2], 5).empty());
  EXPECT_EQ(drops(DropReason::reassembly_evicted), 2u);
  EXPECT_EQ(add_all(frags[2], {1, 2}, 6), udp_datagram(3));
  EXPECT_EQ(add_all(frags[4], {1, 2}, 6), udp_datagram(5));
}

class SmallReassemblerTest : public ReassemblerTest {
 protected:
  SmallReassemblerTest() : ReassemblerTest(1, 1500) {}
};

TEST_F(SmallReassemblerTest, TooBigIsDropped) {
  const Bytes d = udp_datagram(1, 2000);
  EXPECT_TRUE(add(test::slice(d, 0, 1200)).empty());
  EXPECT_TRUE(add(test::slice(d, 1200, 808)).empty());
  EXPECT_EQ(drops(DropReason::reassembly_too_big), 1u);
  EXPECT_EQ(reassembler_.in_progress(), 0u);
  // The largest datagram allowed still passes.
  const Bytes fits = udp_datagram(2, 1500 - 28);
  EXPECT_EQ(add_all(test::split(fits, 1000), {1, 0}), fits);
}

TEST_F(SmallReassemblerTest, ADeliveredDatagramIsNotReusedBeforeRelease) {
  const Bytes a = udp_datagram(1, 1000);
  const auto fa = test::split(a, 600);
  EXPECT_TRUE(reassembler_.add(fa[0], Side::wan, 0).empty());
  const std::span<std::uint8_t> held = reassembler_.add(fa[1], Side::wan, 0);
  ASSERT_EQ(Bytes(held.begin(), held.end()), a);
  // The only context holds a datagram being sent: a new one has no room.
  const auto fb = test::split(udp_datagram(2, 1000), 600);
  EXPECT_TRUE(add(fb[0]).empty());
  EXPECT_EQ(drops(DropReason::reassembly_no_context), 1u);
  EXPECT_EQ(Bytes(held.begin(), held.end()), a);
  reassembler_.release();
  EXPECT_TRUE(add(fb[0]).empty());
  EXPECT_EQ(reassembler_.in_progress(), 1u);
}

}  // namespace
}  // namespace masq::router
