// EventQueue: a lock-free single-producer single-consumer queue of
// session events (masq/nat/session_event.hpp) from a worker, which moves
// its engine's events here between batches, to the control plane, which
// writes the translation log and feeds `masqctl events`. Fixed capacity,
// allocated at construction; a push into a full queue is refused and
// counted (dropped()): the worker never waits for the control plane. The
// producer publishes with a release store of its head, the consumer
// frees slots with a release store of its tail (as HandOffRing does).
// Hot side: push(), on the worker's thread; drain() on the control plane's.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "masq/nat/session_event.hpp"

namespace masq::app {

class EventQueue {
 public:
  // `capacity` is rounded up to a power of two.
  explicit EventQueue(std::size_t capacity)
      : slots_(std::bit_ceil(capacity)), mask_(slots_.size() - 1) {}
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // Producer. False (and counted) when full.
  bool push(const nat::SessionEvent& e) noexcept {
    const std::uint64_t head = producer_.head.load(std::memory_order_relaxed);
    if (head - producer_.tail_seen == slots_.size()) {
      producer_.tail_seen = consumer_.tail.load(std::memory_order_acquire);
      if (head - producer_.tail_seen == slots_.size()) {
        producer_.dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    }
    slots_[head & mask_] = e;
    producer_.head.store(head + 1, std::memory_order_release);
    return true;
  }

  // Consumer: hands every queued event to visit(const SessionEvent&),
  // oldest first; returns how many.
  template <class Visit>
  std::size_t drain(Visit&& visit) {
    const std::uint64_t tail = consumer_.tail.load(std::memory_order_relaxed);
    const std::uint64_t head = producer_.head.load(std::memory_order_acquire);
    for (std::uint64_t i = tail; i != head; ++i) visit(slots_[i & mask_]);
    consumer_.tail.store(head, std::memory_order_release);
    return static_cast<std::size_t>(head - tail);
  }

  // Events refused because the queue was full; readable from any thread.
  std::uint64_t dropped() const { return producer_.dropped.load(std::memory_order_relaxed); }

 private:
  std::vector<nat::SessionEvent> slots_;
  std::uint64_t mask_;
  static constexpr std::size_t kLine = 64;
  struct alignas(kLine) Producer {
    std::atomic<std::uint64_t> head{0};  // next slot to fill
    std::uint64_t tail_seen = 0;         // the consumer's tail, as last read
    std::atomic<std::uint64_t> dropped{0};
  } producer_;
  struct alignas(kLine) Consumer {
    std::atomic<std::uint64_t> tail{0};  // next slot to read
  } consumer_;
};

}  // namespace masq::app
