// EventQueue: order, a full queue refusing and counting, and one producer
// and one consumer thread at once (the tsan preset runs this with
// ThreadSanitizer).
#include "event_queue.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace masq::app {
namespace {

nat::SessionEvent numbered(std::uint64_t n) {
  nat::SessionEvent e;
  e.time_ns = n;
  return e;
}

TEST(EventQueue, KeepsOrderAndCountsWhatAFullQueueRefuses) {
  EventQueue q(3);  // rounded up to 4
  for (std::uint64_t n = 0; n < 6; ++n) EXPECT_EQ(q.push(numbered(n)), n < 4);
  EXPECT_EQ(q.dropped(), 2u);
  std::uint64_t next = 0;
  EXPECT_EQ(q.drain([&](const nat::SessionEvent& e) { EXPECT_EQ(e.time_ns, next++); }), 4u);
  EXPECT_TRUE(q.push(numbered(9)));  // room again
  EXPECT_EQ(q.drain([](const nat::SessionEvent& e) { EXPECT_EQ(e.time_ns, 9u); }), 1u);
}

TEST(EventQueue, OneProducerOneConsumer) {
  EventQueue q(64);
  constexpr std::uint64_t kEvents = 50000;
  std::thread producer([&q] {
    for (std::uint64_t n = 0; n < kEvents; ++n) {
      while (!q.push(numbered(n))) std::this_thread::yield();
    }
  });
  std::uint64_t next = 0;
  while (next < kEvents) {
    q.drain([&](const nat::SessionEvent& e) { ASSERT_EQ(e.time_ns, next++); });
  }
  producer.join();
  EXPECT_EQ(next, kEvents);
}

}  // namespace
}  // namespace masq::app
