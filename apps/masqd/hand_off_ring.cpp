#include "hand_off_ring.hpp"

#include <bit>
#include <cstring>

namespace masq::app {

HandOffRing::HandOffRing(std::size_t slots, std::size_t slot_bytes)
    : slot_bytes_(slot_bytes),
      stride_((sizeof(SlotHeader) + kHeadroom + slot_bytes + 63) / 64 * 64),
      mask_(std::bit_ceil(slots < 2 ? std::size_t{2} : slots) - 1),
      data_(std::make_unique<std::uint8_t[]>((mask_ + 1) * stride_)) {}

bool HandOffRing::push(HandOffKind kind, Side side, std::span<const std::uint8_t> bytes) noexcept {
  if (bytes.size() > slot_bytes_) return false;
  const std::uint64_t head = producer_.head.load(std::memory_order_relaxed);
  if (head - producer_.tail_seen > mask_) {
    producer_.tail_seen = consumer_.tail.load(std::memory_order_acquire);
    if (head - producer_.tail_seen > mask_) return false;
  }
  std::uint8_t* const s = slot(head);
  const SlotHeader h{static_cast<std::uint32_t>(bytes.size()), kind, side};
  std::memcpy(s, &h, sizeof h);
  std::memcpy(s + sizeof h + kHeadroom, bytes.data(), bytes.size());
  producer_.head.store(head + 1, std::memory_order_release);
  return true;
}

std::size_t HandOffRing::peek(std::span<HandOffMessage> out) noexcept {
  const std::uint64_t tail = consumer_.tail.load(std::memory_order_relaxed);
  if (consumer_.head_seen == tail) {
    consumer_.head_seen = producer_.head.load(std::memory_order_acquire);
  }
  std::size_t n = 0;
  for (std::uint64_t i = tail; i != consumer_.head_seen && n < out.size(); ++i, ++n) {
    std::uint8_t* const s = slot(i);
    SlotHeader h;
    std::memcpy(&h, s, sizeof h);
    out[n] = {h.kind, h.side, {s + sizeof h + kHeadroom, h.length}};
  }
  return n;
}

void HandOffRing::pop(std::size_t n) noexcept {
  consumer_.tail.store(consumer_.tail.load(std::memory_order_relaxed) + n,
                       std::memory_order_release);
}

}  // namespace masq::app
