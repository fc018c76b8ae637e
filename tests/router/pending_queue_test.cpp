#include "masq/router/pending_queue.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "masq/router/ethernet.hpp"

namespace masq::router {
namespace {

const auto kHopA = net::Ipv4Addr::from_octets(10, 0, 0, 1);
const auto kHopB = net::Ipv4Addr::from_octets(10, 0, 0, 2);

std::vector<std::uint8_t> packet(std::uint8_t tag, std::size_t size = 40) {
  return std::vector<std::uint8_t>(size, tag);
}

std::vector<std::uint8_t> take_tags(PendingQueue& q, Side side, net::Ipv4Addr hop) {
  std::vector<std::uint8_t> tags;
  for (const PendingPacket* p : q.take(side, hop)) {
    EXPECT_EQ(p->egress, side);
    EXPECT_EQ(p->next_hop, hop);
    tags.push_back(p->packet[0]);
  }
  return tags;
}

TEST(Origin, KeepsTheStartOfTheDatagram) {
  const auto big = packet(7, 1500);
  const Origin o = Origin::of(big, Side::wan);
  EXPECT_EQ(o.from, Side::wan);
  EXPECT_EQ(o.bytes().size(), kQuoteBytes);
  const auto small = packet(9, 28);
  EXPECT_EQ(Origin::of(small, Side::lan).bytes().size(), 28u);
  EXPECT_EQ(Origin{}.bytes().size(), 0u);
}

TEST(PendingQueue, ReleasesPerHopOldestFirst) {
  PendingQueue q(8, 4, 1500);
  EXPECT_EQ(q.push(Side::wan, kHopA, packet(1), {}), PendingQueue::Push::queued);
  EXPECT_EQ(q.push(Side::wan, kHopB, packet(2), {}), PendingQueue::Push::queued);
  EXPECT_EQ(q.push(Side::wan, kHopA, packet(3), {}), PendingQueue::Push::queued);
  EXPECT_EQ(q.push(Side::lan, kHopA, packet(4), {}), PendingQueue::Push::queued);
  EXPECT_EQ(q.waiting(), 4u);
  EXPECT_EQ(take_tags(q, Side::wan, kHopA), (std::vector<std::uint8_t>{1, 3}));
  EXPECT_EQ(q.waiting(), 2u);
  EXPECT_TRUE(take_tags(q, Side::wan, kHopA).empty());
  EXPECT_EQ(take_tags(q, Side::lan, kHopA), (std::vector<std::uint8_t>{4}));
  EXPECT_EQ(take_tags(q, Side::wan, kHopB), (std::vector<std::uint8_t>{2}));
}

TEST(PendingQueue, KeepsHeadroomAndOriginAndLength) {
  PendingQueue q(2, 2, 100);
  const Origin origin = Origin::of(packet(5, 60), Side::lan);
  q.push(Side::wan, kHopA, packet(6, 100), origin);
  const auto taken = q.take(Side::wan, kHopA);
  ASSERT_EQ(taken.size(), 1u);
  const PendingPacket& p = *taken[0];
  EXPECT_EQ(p.length, 100u);
  EXPECT_EQ(p.origin.bytes().size(), 60u);
  EXPECT_EQ(p.origin.from, Side::lan);
  // The headroom in front of the packet is writable and belongs to it.
  std::memset(p.packet - kEthernetHeader, 0xEE, kEthernetHeader);
  EXPECT_EQ(p.packet[0], 6);
  EXPECT_EQ(p.packet[99], 6);
}

TEST(PendingQueue, FullHopDropsItsOldest) {
  PendingQueue q(8, 2, 1500);
  q.push(Side::wan, kHopA, packet(1), {});
  q.push(Side::wan, kHopA, packet(2), {});
  EXPECT_EQ(q.push(Side::wan, kHopA, packet(3), {}), PendingQueue::Push::queued_dropped_oldest);
  EXPECT_EQ(q.waiting(), 2u);
  EXPECT_EQ(take_tags(q, Side::wan, kHopA), (std::vector<std::uint8_t>{2, 3}));
}

TEST(PendingQueue, FullQueueRefusesAndTakenSlotsWaitForReclaim) {
  PendingQueue q(2, 2, 1500);
  q.push(Side::wan, kHopA, packet(1), {});
  q.push(Side::wan, kHopB, packet(2), {});
  EXPECT_EQ(q.push(Side::lan, kHopA, packet(3), {}), PendingQueue::Push::full);
  take_tags(q, Side::wan, kHopA);
  // Taken but not reclaimed: still in use (its bytes are being sent).
  EXPECT_EQ(q.push(Side::lan, kHopA, packet(3), {}), PendingQueue::Push::full);
  q.reclaim();
  EXPECT_EQ(q.push(Side::lan, kHopA, packet(3), {}), PendingQueue::Push::queued);
}

TEST(PendingQueue, RefusesAPacketLargerThanASlot) {
  PendingQueue q(2, 2, 1500);
  EXPECT_EQ(q.push(Side::wan, kHopA, packet(1, 1501), {}), PendingQueue::Push::too_large);
  EXPECT_EQ(q.waiting(), 0u);
  EXPECT_EQ(q.push(Side::wan, kHopA, packet(2, 1500), {}), PendingQueue::Push::queued);
}

TEST(PendingQueue, PushWhileWorkingThroughATakeLeavesItAlone) {
  PendingQueue q(4, 2, 1500);
  q.push(Side::wan, kHopA, packet(1), {});
  q.push(Side::wan, kHopA, packet(2), {});
  std::vector<std::uint8_t> seen;
  for (const PendingPacket* p : q.take(Side::wan, kHopA)) {
    seen.push_back(p->packet[0]);
    // Same hop, pushed mid-way: it must wait, not replace a taken packet.
    EXPECT_EQ(q.push(Side::wan, kHopA, packet(static_cast<std::uint8_t>(10 + p->packet[0])), {}),
              PendingQueue::Push::queued);
  }
  EXPECT_EQ(seen, (std::vector<std::uint8_t>{1, 2}));
  EXPECT_EQ(take_tags(q, Side::wan, kHopA), (std::vector<std::uint8_t>{11, 12}));
}

}  // namespace
}  // namespace masq::router
