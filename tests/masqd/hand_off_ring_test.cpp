// HandOffRing: order, bounds, headroom, and one producer and one consumer
// thread at once (the tsan preset runs this with ThreadSanitizer).
#include "hand_off_ring.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <thread>
#include <vector>

namespace masq::app {
namespace {

std::vector<std::uint8_t> message(std::uint32_t seq, std::size_t length) {
  std::vector<std::uint8_t> m(length);
  for (std::size_t i = 0; i < length; ++i) m[i] = static_cast<std::uint8_t>(seq + i);
  if (length >= 4) std::memcpy(m.data(), &seq, 4);
  return m;
}

TEST(HandOffRing, KeepsOrderKindAndSide) {
  HandOffRing ring(4, 64);
  ASSERT_TRUE(ring.push(HandOffKind::ipv4, Side::wan, message(1, 10)));
  ASSERT_TRUE(ring.push(HandOffKind::arp, Side::lan, message(2, 64)));
  std::array<HandOffMessage, 8> out;
  ASSERT_EQ(ring.peek(out), 2u);
  EXPECT_EQ(out[0].kind, HandOffKind::ipv4);
  EXPECT_EQ(out[0].side, Side::wan);
  EXPECT_EQ(std::vector<std::uint8_t>(out[0].bytes.begin(), out[0].bytes.end()), message(1, 10));
  EXPECT_EQ(out[1].kind, HandOffKind::arp);
  EXPECT_EQ(out[1].side, Side::lan);
  EXPECT_EQ(out[1].bytes.size(), 64u);
  // The owner's router writes a link header in front of the packet.
  std::memset(out[0].bytes.data() - HandOffRing::kHeadroom, 0xEE, HandOffRing::kHeadroom);
  EXPECT_EQ(std::vector<std::uint8_t>(out[0].bytes.begin(), out[0].bytes.end()), message(1, 10));
  ring.pop(2);
  EXPECT_EQ(ring.peek(out), 0u);
}

TEST(HandOffRing, RefusesWhenFullOrTooLarge) {
  HandOffRing ring(4, 64);
  EXPECT_FALSE(ring.push(HandOffKind::ipv4, Side::lan, message(0, 65)));
  for (std::uint32_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(ring.push(HandOffKind::ipv4, Side::lan, message(i, 8)));
  }
  EXPECT_FALSE(ring.push(HandOffKind::ipv4, Side::lan, message(9, 8)));
  std::array<HandOffMessage, 2> out;
  ASSERT_EQ(ring.peek(out), 2u);  // at most what `out` holds
  ring.pop(1);
  EXPECT_TRUE(ring.push(HandOffKind::ipv4, Side::lan, message(4, 8)));
  EXPECT_FALSE(ring.push(HandOffKind::ipv4, Side::lan, message(5, 8)));
}

// A producer and a consumer on two threads: every message arrives once,
// in order, intact, however the two interleave.
TEST(HandOffRing, OneProducerOneConsumer) {
  constexpr std::uint32_t kMessages = 200'000;
  HandOffRing ring(64, 256);
  std::thread producer([&] {
    for (std::uint32_t seq = 0; seq < kMessages;) {
      if (ring.push(HandOffKind::ipv4, Side::wan, message(seq, 4 + seq % 200))) ++seq;
    }
  });
  std::array<HandOffMessage, 16> out;
  std::uint32_t next = 0;
  while (next < kMessages) {
    const std::size_t n = ring.peek(out);
    for (std::size_t i = 0; i < n; ++i, ++next) {
      ASSERT_EQ(std::vector<std::uint8_t>(out[i].bytes.begin(), out[i].bytes.end()),
                message(next, 4 + next % 200));
    }
    ring.pop(n);
  }
  producer.join();
}

}  // namespace
}  // namespace masq::app
