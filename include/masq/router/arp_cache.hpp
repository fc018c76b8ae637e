// ArpCache: the neighbour table of one interface (RFC 826, RFC 1122 §2.3.2.1):
// IPv4 address -> MAC address, with a fixed capacity allocated once
// (open addressing, linear probing, at most half full).
//
// Life of an entry:
//   incomplete  a request went out, no answer yet; after max_retries
//               unanswered requests it fails (the caller drops what waited).
//   reachable   an answer was heard; used for reachable_ms.
//   probing     reachable_ms passed without news: the MAC stays in use while
//               requests go to it by unicast (RFC 1122 §2.3.2.1 "unicast
//               poll"); after max_retries unanswered ones the entry is gone.
// Requests for one address go out at most once per retry_ms (RFC 1122
// §2.3.2.1 recommends at most one per second).
// Hot: lookup(). Cold: the rest. tick() costs one pass over the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "masq/net/ipv4_addr.hpp"
#include "masq/router/ethernet.hpp"

namespace masq::router {

struct ArpTimings {
  std::uint32_t reachable_ms = 30000;
  std::uint32_t retry_ms = 1000;
  std::uint8_t max_retries = 3;  // requests per resolution or poll, >= 1
  bool operator==(const ArpTimings&) const = default;
};

// What tick() asks the owner to do.
struct ArpEvent {
  enum class Kind : std::uint8_t {
    request,  // send an ARP request for `ip` to `to` (broadcast, or the old MAC when polling)
    failed,   // resolution of `ip` failed: drop what waits for it
  };
  Kind kind = Kind::request;
  net::Ipv4Addr ip;
  MacAddr to;
  bool operator==(const ArpEvent&) const = default;
};

class ArpCache {
 public:
  enum class Learned : std::uint8_t {
    ignored,    // unknown address, and not asked to add it
    refreshed,  // known address confirmed (its MAC may have changed)
    resolved,   // an incomplete entry got its answer: release what waits for it
    added,      // a new entry
    full,       // a new entry was wanted but the table is full
  };
  enum class Resolve : std::uint8_t {
    waiting,  // already being resolved: nothing to send
    request,  // a new incomplete entry: send a broadcast request now
    full,     // no room for the entry
  };

  ArpCache(std::uint32_t capacity, const ArpTimings& timings);

  // The MAC of a reachable (or probing) neighbour, or null.
  const MacAddr* lookup(net::Ipv4Addr ip) const noexcept;

  // RFC 826 "merge": a known address takes the new MAC; an unknown one is
  // added only when `create` (the packet was addressed to us).
  Learned learn(net::Ipv4Addr ip, const MacAddr& mac, bool create, std::uint64_t now_ns) noexcept;

  // Starts resolving `ip`; call it after lookup() missed.
  Resolve resolve(net::Ipv4Addr ip, std::uint64_t now_ns) noexcept;

  // Advances every entry whose deadline has passed and returns what to
  // send or drop, at most one event per address. The span is valid until
  // the next tick(); acting on it may call resolve() and learn() freely.
  std::span<const ArpEvent> tick(std::uint64_t now_ns);

  std::size_t size() const noexcept { return size_; }
  std::uint32_t capacity() const noexcept { return capacity_; }

 private:
  enum class State : std::uint8_t { free, incomplete, reachable, probing };
  struct Entry {
    net::Ipv4Addr ip;
    MacAddr mac;
    State state = State::free;
    std::uint8_t requests = 0;      // requests sent in the current resolution or poll
    std::uint64_t deadline_ns = 0;  // reachable: end of validity; otherwise: next request
  };
  static constexpr std::size_t kNone = ~std::size_t{0};

  std::size_t home(net::Ipv4Addr ip) const noexcept;
  std::size_t find(net::Ipv4Addr ip) const noexcept;
  Entry* add(net::Ipv4Addr ip) noexcept;
  void erase(std::size_t index) noexcept;

  std::vector<Entry> slots_;
  std::vector<ArpEvent> events_;  // tick()'s answer, reserved for one event per entry
  std::size_t mask_ = 0;
  std::uint32_t capacity_ = 0;
  std::size_t size_ = 0;
  std::uint64_t reachable_ns_ = 0;
  std::uint64_t retry_ns_ = 0;
  std::uint8_t max_retries_ = 1;
};

}  // namespace masq::router
