// Reassembler: joins IPv4 fragments back into their datagram before the NAT
// engine sees them (RFC 791 §3.2 "Reassembly", RFC 4787 REQ-14), as Linux
// conntrack defrag does; the egress path fragments the translated datagram
// again when it does not fit the egress MTU.
//
// A fixed number of contexts, each keyed by (side, src, dst, id, protocol:
// the side too, so that one side cannot complete the other's datagram) and
// holding one datagram's buffer and a bitmap of the 8-byte blocks received,
// are allocated at construction. Fragments may come in any order. Anything
// inconsistent drops the whole datagram (RFC 5722 §4 with errata 3089, the
// safe choice against overlap attacks): any overlap, identical bytes and
// exact duplicates included, two different last fragments, data beyond the
// last fragment, a non-last fragment whose length is not a
// multiple of 8, data past what an IPv4 datagram can hold, or a datagram
// larger than the configured maximum. When every context is busy the
// oldest is evicted: memory stays bounded under a fragment flood. Contexts
// older than the timeout are freed lazily, by add() and expire().
//
// A completed datagram is the first fragment's header (options included)
// with MF, DF and the offset cleared, the total length and the header
// checksum recomputed, followed by the data. It lies in its context's
// buffer, with kEthernetHeader writable bytes in front, until release():
// the router calls that at the start of its next call, after the frames
// went out, so a context is never reused while its datagram is being sent.
//
// Every drop is counted in RouterCounters (reassembly_* reasons), once per
// datagram. No allocation after construction, no syscalls, no clocks, no
// logging. Cold: only fragments come here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/side.hpp"
#include "masq/router/counters.hpp"

namespace masq::router {

class Reassembler {
 public:
  // 1 <= contexts; 576 <= max_bytes <= 65535 (RFC 791 §3.2: every host
  // takes 576); `counters` outlives the Reassembler.
  Reassembler(std::uint32_t contexts, std::size_t max_bytes, std::uint64_t timeout_ns,
              RouterCounters& counters);

  // `fragment` is one that parse_ipv4 accepted, exactly its total length,
  // with MF set or a non-zero offset, received on `side`. Returns the whole
  // datagram when this fragment completes it, else an empty span.
  std::span<std::uint8_t> add(std::span<const std::uint8_t> fragment, Side side,
                              std::uint64_t now_ns) noexcept;

  // Frees the contexts of the datagrams add() returned so far.
  void release() noexcept;

  // Drops (counted as reassembly_timeout) the datagrams whose first
  // fragment came timeout_ns or more before now_ns.
  void expire(std::uint64_t now_ns) noexcept;

  // Datagrams being collected (not counting those returned and not yet released).
  std::size_t in_progress() const noexcept;

 private:
  enum class State : std::uint8_t { free, collecting, delivered };
  struct Context {
    State state = State::free;
    Side side = Side::lan;
    net::Ipv4Addr src;
    net::Ipv4Addr dst;
    std::uint16_t id = 0;
    std::uint8_t protocol = 0;
    std::uint8_t header_length = 0;  // of the offset-0 fragment; 0 until it came
    std::uint64_t created_ns = 0;
    std::uint64_t seq = 0;        // creation order, for eviction
    std::size_t total_data = 0;   // from the last fragment (MF clear) ...
    bool total_known = false;     // ... once it came
    std::size_t highest_end = 0;  // the furthest data byte received
    std::size_t blocks_received = 0;
    std::uint8_t* buffer = nullptr;  // headroom, header slot, data
    std::uint64_t* bitmap = nullptr;
  };

  Context* find_or_claim(std::span<const std::uint8_t> fragment, Side side,
                         std::uint64_t now_ns) noexcept;
  DropReason merge(Context& c, std::span<const std::uint8_t> fragment) noexcept;
  std::span<std::uint8_t> finish(Context& c) noexcept;
  void drop(Context& c, DropReason reason) noexcept;
  bool has_block(const Context& c, std::size_t block) const noexcept;

  std::vector<Context> contexts_;
  std::vector<std::uint8_t> buffers_;
  std::vector<std::uint64_t> bitmaps_;
  std::size_t max_bytes_;
  std::size_t buffer_bytes_;
  std::size_t bitmap_words_;
  std::uint64_t timeout_ns_;
  std::uint64_t next_seq_ = 0;
  RouterCounters& counters_;
};

}  // namespace masq::router
