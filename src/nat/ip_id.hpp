// IpIds: the IPv4 Identification of non-atomic datagrams leaving by the WAN
// (RFC 7857 §11, RFC 6864 §4.1). A receiver reassembles by (source,
// destination, protocol, ID); hosts that share an external address choose
// their IDs independently, so two of them may send fragments with one ID
// to one server, and the server would splice them together. The ID is
// therefore replaced, after translation, by the next value of a counter
// kept per (source, destination, protocol) bucket: datagrams of one such
// triple get successive IDs, and one ID returns only after 65,536 of them
// (RFC 6864 §4.1: unique within the maximum datagram lifetime, as far as
// the rate allows). Two triples may share a bucket; that only makes its
// counter run faster. Buckets start at seeded random values (RFC 6864 §5:
// not predictable from outside), like Linux's ip_idents.
//
// An atomic datagram (DF set, not a fragment, RFC 6864 §4) keeps its ID:
// it is never reassembled. Masq reassembles fragments before translating
// (RFC 4787 REQ-14) and fragments the translated datagram again from its
// one header, so every fragment it sends of a datagram carries the one ID
// given here.
//
// Workers: each engine keeps its own counters, and with several workers
// the ID space is partitioned so that two workers translating for one
// external address never give the same ID (slice_ip_id(), port_slice.hpp).
// Private to the engine. Hot, on the DF-clear path only.
#pragma once

#include <array>
#include <cstdint>

#include "masq/nat/engine_config.hpp"
#include "masq/nat/port_slice.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/ipv4_view.hpp"
#include "random.hpp"

namespace masq::nat {

class IpIds {
 public:
  static constexpr unsigned kBucketBits = 12;

  IpIds(std::uint64_t seed, WorkerSlice worker)
      : key_(SplitMix64(seed ^ kSeedSalt).next()), worker_(worker) {
    SplitMix64 random(key_);
    for (std::uint16_t& id : next_) id = static_cast<std::uint16_t>(random.next());
  }

  // Whether the datagram needs an ID of ours: any that may be fragmented.
  static bool non_atomic(const net::Ipv4View& ip) {
    return !ip.dont_fragment() || ip.is_fragment();
  }

  // The next ID for datagrams from `src` to `dst` of `proto`.
  std::uint16_t take(std::uint32_t src, std::uint32_t dst, std::uint8_t proto) {
    return slice_ip_id(next_[bucket(src, dst, proto)]++, worker_);
  }

  // Gives a non-atomic datagram, already translated, its ID and updates
  // the header checksum incrementally (RFC 1624).
  void assign(const net::Ipv4View& ip) {
    if (!non_atomic(ip)) return;
    const std::uint16_t id = take(ip.src().value(), ip.dst().value(), ip.protocol());
    ip.set_checksum(net::ChecksumDelta().replace16(ip.id(), id).apply(ip.checksum()));
    ip.set_id(id);
  }

 private:
  static constexpr std::uint64_t kSeedSalt = 0x6964'6970'7634'0000ull;  // "idipv4"

  std::size_t bucket(std::uint32_t src, std::uint32_t dst, std::uint8_t proto) const {
    const std::uint64_t h =
        ((std::uint64_t{src} << 32 | dst) ^ key_) * 0x9E3779B97F4A7C15ull + proto;
    return static_cast<std::size_t>((h * 0xBF58476D1CE4E5B9ull) >> (64 - kBucketBits));
  }

  std::uint64_t key_;
  WorkerSlice worker_;
  std::array<std::uint16_t, std::size_t{1} << kBucketBits> next_{};
};

}  // namespace masq::nat
