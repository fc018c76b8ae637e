// HandOffRing: a lock-free single-producer single-consumer ring of
// fixed-size slots, one per ordered pair of workers, carrying copies of
// the packets one worker received and another owns (Router's
// Output::hand_offs()) and of the ARP frames every worker learns from
// (docs/architecture.md, "Workers and steering"), as VPP's NAT hand-off
// does. The producer copies into a slot and publishes it with a release
// store of its head; the consumer reads what the acquire of that head
// shows, works on the slots in place, and gives them back with a release
// store of its tail. Head and tail live on cache lines of their own, and
// each side keeps a cached copy of the other's index, so a push or a pop
// reads the shared line only when its cached view says full or empty.
// A message larger than a slot is refused (the caller counts it). Each
// message has kHeadroom writable bytes in front of it, where the owner's
// router writes the Ethernet header of the packet it sends on.
// Hot: push/peek/pop, one thread each side.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>

#include "masq/net/side.hpp"

namespace masq::app {

enum class HandOffKind : std::uint8_t {
  ipv4,  // an IPv4 packet without its link header, for the owner's router
  arp,   // an ARP frame, Ethernet header included, to learn from
  host,  // a whole Ethernet frame for the host interface of its side (worker 0's)
  pcp,   // a PCP request for the host the owner serves (pcp_hand_off.hpp)
};

struct HandOffMessage {
  HandOffKind kind = HandOffKind::ipv4;
  Side side = Side::lan;
  // The slot's copy, writable in place, with kHeadroom bytes before it.
  std::span<std::uint8_t> bytes;
};

class HandOffRing {
 public:
  static constexpr std::size_t kHeadroom = 16;  // >= router::kEthernetHeader

  // `slots` is rounded up to a power of two.
  HandOffRing(std::size_t slots, std::size_t slot_bytes);
  HandOffRing(const HandOffRing&) = delete;
  HandOffRing& operator=(const HandOffRing&) = delete;

  std::size_t slot_bytes() const { return slot_bytes_; }

  // Producer. False when the ring is full or `bytes` is larger than a slot.
  bool push(HandOffKind kind, Side side, std::span<const std::uint8_t> bytes) noexcept;

  // Consumer. Fills `out` with the oldest messages not yet popped (at most
  // out.size()), which stay valid and unchanged by the producer until
  // pop() gives their slots back; returns how many.
  std::size_t peek(std::span<HandOffMessage> out) noexcept;
  void pop(std::size_t n) noexcept;

 private:
  struct SlotHeader {
    std::uint32_t length;
    HandOffKind kind;
    Side side;
  };
  std::uint8_t* slot(std::uint64_t index) const { return data_.get() + (index & mask_) * stride_; }

  std::size_t slot_bytes_;
  std::size_t stride_;
  std::uint64_t mask_;
  std::unique_ptr<std::uint8_t[]> data_;

  static constexpr std::size_t kLine = 64;
  struct alignas(kLine) Producer {
    std::atomic<std::uint64_t> head{0};  // next slot to fill
    std::uint64_t tail_seen = 0;         // the consumer's tail, as last read
  } producer_;
  struct alignas(kLine) Consumer {
    std::atomic<std::uint64_t> tail{0};  // next slot to read
    std::uint64_t head_seen = 0;         // the producer's head, as last read
  } consumer_;
};

}  // namespace masq::app
