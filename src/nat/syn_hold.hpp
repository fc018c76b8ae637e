// SynHold: unsolicited inbound TCP SYNs kept for RFC 5382 REQ-4. Such a
// SYN must draw no answer for at least 6 s, and none at all when an
// outbound SYN for the same connection follows (simultaneous open through
// the NAT, TCP hole punching); after that a NAT SHOULD answer ICMP port
// unreachable. The engine holds each one here, keyed by its flow key as it
// arrived; an outbound SYN whose session has that key as its out2in key
// cancels it; what is left after kHoldNs is released to be answered.
//
// Fixed capacity, allocated at construction; a FIFO in arrival order, so
// that what is due is always at the front. Full: a new SYN is not held
// (it is dropped silently, as without the option). Repeats of a held SYN
// (retransmissions) are held once. Pure: time is a parameter.
// Private to the engine. Cold: unsolicited SYNs only.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "masq/net/flow_key.hpp"

namespace masq::nat {

class SynHold {
 public:
  // RFC 5382 REQ-4: "at least 6 seconds".
  static constexpr std::uint64_t kHoldNs = 6'000'000'000;
  // An ICMP error quotes the IP header and the first 8 bytes after it
  // (RFC 792); the IP header is at most 60 bytes.
  static constexpr std::size_t kQuoteBytes = 68;

  explicit SynHold(std::size_t capacity);

  // Holds `packet`, the SYN as it arrived with key `key`. False when it is
  // not held: already held, or no room.
  bool hold(const net::FlowKey& key, std::span<const std::uint8_t> packet, std::uint64_t now_ns);
  // The outbound SYN of the connection whose inbound SYN would have `key`
  // came: the held one is dropped without an answer. True if one was held.
  bool cancel(const net::FlowKey& key);
  // Hands each SYN held for kHoldNs or more, oldest first, to `visit`
  // (its quote), and forgets it.
  template <typename Visit>
  std::size_t release_due(std::uint64_t now_ns, Visit&& visit) {
    std::size_t released = 0;
    while (count_ > 0) {
      Held& h = slots_[head_];
      if (h.live && now_ns - h.since_ns < kHoldNs) break;
      if (h.live) {
        visit(std::span<const std::uint8_t>(h.quote.data(), h.length));
        ++released;
      }
      pop();
    }
    return released;
  }

  bool empty() const { return live_ == 0; }
  std::size_t held() const { return live_; }

 private:
  struct Held {
    net::FlowKey key;
    std::uint64_t since_ns = 0;
    std::uint16_t length = 0;
    bool live = false;
    std::array<std::uint8_t, kQuoteBytes> quote{};
  };
  Held* find(const net::FlowKey& key);
  void pop();

  std::vector<Held> slots_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;  // slots in use, cancelled ones included
  std::size_t live_ = 0;
};

}  // namespace masq::nat
