// PendingQueue: IPv4 packets waiting for their next hop's MAC address
// (RFC 1122 §2.3.2.2), copied into slots allocated once. Each slot keeps
// kEthernetHeader bytes of headroom in front of the packet, so a released
// packet is sent from where it lies once its Ethernet header is written.
//
// Bounds: `slots` packets in all, `per_hop` per next hop. A full hop
// drops its oldest packet to keep the newest (RFC 1122 §2.3.2.2 "SHOULD
// save ... the latest"); a full queue refuses the new packet.
//
// A taken packet (take()) stays readable until reclaim(), which the
// router calls at the start of its next call, after the frames went out.
// Cold: used only while a neighbour is unresolved.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/side.hpp"

namespace masq::router {

// Enough of a datagram for an ICMP error about it: the largest IPv4
// header and the first 64 bits of its data (RFC 792).
inline constexpr std::size_t kQuoteBytes = 60 + 8;

// The datagram as it arrived, before translation, and the side it came
// from: what RFC 1812 §4.3.3.1 host unreachable must quote and where it
// goes when the next hop never answers. Empty (length 0) for the router's
// own packets, which get no error.
struct Origin {
  Side from = Side::lan;
  std::uint8_t length = 0;
  std::array<std::uint8_t, kQuoteBytes> quote{};

  static Origin of(std::span<const std::uint8_t> datagram, Side from) noexcept;
  std::span<const std::uint8_t> bytes() const noexcept { return {quote.data(), length}; }
};

struct PendingPacket {
  Side egress = Side::lan;
  net::Ipv4Addr next_hop;
  std::uint8_t* packet = nullptr;  // kEthernetHeader bytes of headroom in front
  std::uint32_t length = 0;
  std::uint16_t gso_size = 0;  // a TCP super-frame (router.hpp)
  Origin origin;
};

class PendingQueue {
 public:
  enum class Push : std::uint8_t {
    queued,
    queued_dropped_oldest,  // the hop was at its bound: its oldest packet was dropped
    full,                   // no free slot: the new packet was dropped
    too_large,              // larger than max_packet (a reassembled datagram): dropped
  };

  // `max_packet` is the largest packet a slot holds.
  PendingQueue(std::uint32_t slots, std::uint32_t per_hop, std::size_t max_packet);

  // Copies `packet` into a slot when it holds at most max_packet bytes.
  Push push(Side egress, net::Ipv4Addr next_hop, std::span<const std::uint8_t> packet,
            const Origin& origin, std::uint16_t gso_size = 0) noexcept;

  // Removes every packet waiting for (egress, next_hop) from the queue and
  // returns them, oldest first. The span is valid until the next take(),
  // the packets until reclaim(); push() may be called meanwhile.
  std::span<PendingPacket* const> take(Side egress, net::Ipv4Addr next_hop) noexcept;

  // Frees the slots of the packets taken so far.
  void reclaim() noexcept;

  std::size_t waiting() const noexcept { return waiting_; }

 private:
  enum class State : std::uint8_t { free, waiting, taken };
  struct Slot {
    State state = State::free;
    std::uint64_t seq = 0;  // arrival order
    PendingPacket pkt;
  };

  std::size_t oldest_of(Side egress, net::Ipv4Addr next_hop, std::size_t& count) const noexcept;

  std::vector<std::uint8_t> storage_;
  std::vector<Slot> slots_;
  std::vector<std::size_t> order_;     // take() scratch, reserved for per_hop
  std::vector<PendingPacket*> taken_;  // take()'s answer, reserved for per_hop
  std::size_t slot_bytes_ = 0;
  std::uint32_t per_hop_ = 0;
  std::size_t waiting_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace masq::router
