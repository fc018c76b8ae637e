// FlowKey: the 16-byte lookup key of one direction of a flow. Trivially
// copyable, no implicit padding, hashed as two 64-bit words.
// For ICMP queries the echo identifier sits in the port of the host that
// chose it and the remote port is 0 (RFC 5508 §3.1).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"

namespace masq::net {

struct FlowKey {
  Ipv4Addr src;
  Ipv4Addr dst;
  Port src_port;
  Port dst_port;
  Proto proto = Proto::udp;
  std::uint8_t pad[3] = {0, 0, 0};  // always zero, so the bytes can be hashed

  // The same key as the aggregate {Ipv4Addr(src), Ipv4Addr(dst), Port(..),
  // Port(..), proto, {}}, assembled as its two 64-bit words in registers:
  // the fast path builds keys from sessions and packets for every lookup.
  static FlowKey of(std::uint32_t src, std::uint32_t dst, std::uint16_t src_port,
                    std::uint16_t dst_port, Proto proto) noexcept {
    return from_words(src | std::uint64_t{dst} << 32,
                      src_port | std::uint64_t{dst_port} << 16 |
                          std::uint64_t{static_cast<std::uint8_t>(proto)} << 32);
  }

  // The key whose first word is the two addresses (src low) and whose
  // second is the two ports (src low), then the protocol.
  static FlowKey from_words(std::uint64_t addrs, std::uint64_t ports_proto) noexcept {
    static_assert(std::endian::native == std::endian::little);
    const std::uint64_t words[2] = {addrs, ports_proto};
    FlowKey k;
    std::memcpy(&k, words, sizeof k);
    return k;
  }

  constexpr FlowKey reversed() const { return FlowKey{dst, src, dst_port, src_port, proto, {}}; }

  // 128-bit multiply-fold over the key's two words; the seed keeps hash
  // flooding from outside unpredictable.
  std::uint64_t hash(std::uint64_t seed) const noexcept {
    std::uint64_t lo;
    std::uint64_t hi;
    std::memcpy(&lo, this, 8);
    std::memcpy(&hi, reinterpret_cast<const std::uint8_t*>(this) + 8, 8);
    __extension__ using U128 = unsigned __int128;
    const U128 m = static_cast<U128>(lo ^ seed ^ 0x9E3779B97F4A7C15ull) *
                   static_cast<U128>(hi ^ (seed >> 7) ^ 0xD6E8FEB86659FD93ull);
    return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
  }

  // Compared as its two words (the key has no padding bits, asserted
  // below): keys built in registers are compared there, not via memory.
  bool operator==(const FlowKey& o) const noexcept {
    std::uint64_t a[2];
    std::uint64_t b[2];
    std::memcpy(a, this, sizeof a);
    std::memcpy(b, &o, sizeof b);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }
};

static_assert(sizeof(FlowKey) == 16);
static_assert(std::is_trivially_copyable_v<FlowKey>);
static_assert(std::has_unique_object_representations_v<FlowKey>);

}  // namespace masq::net
