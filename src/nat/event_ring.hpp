// EventRing: the engine's bounded FIFO of SessionEvents
// (masq/nat/session_event.hpp), allocated once in the constructor. The
// engine pushes on its slow path; its owner drains between batches, on the
// same thread (no atomics). A push into a full ring is refused, and the
// engine counts it: the data path never waits for a reader. Capacity 0:
// events are off, and push() is one compare. Private to the engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "masq/nat/session_event.hpp"

namespace masq::nat {

class EventRing {
 public:
  explicit EventRing(std::uint32_t capacity) : slots_(capacity) {}

  bool enabled() const { return !slots_.empty(); }
  std::size_t size() const { return size_; }

  // False when the ring is full (or off).
  bool push(const SessionEvent& e) {
    if (size_ == slots_.size()) return false;
    std::size_t tail = head_ + size_;
    if (tail >= slots_.size()) tail -= slots_.size();
    slots_[tail] = e;
    ++size_;
    return true;
  }

  // Hands every event to visit(const SessionEvent&), oldest first, and
  // empties the ring; returns how many.
  template <class Visit>
  std::size_t drain(Visit&& visit) {
    const std::size_t n = size_;
    for (; size_ != 0; --size_) {
      visit(slots_[head_]);
      if (++head_ == slots_.size()) head_ = 0;
    }
    return n;
  }

 private:
  std::vector<SessionEvent> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace masq::nat
