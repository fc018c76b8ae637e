// Session: one translated flow, both directions, in 32 bytes (two per cache
// line, never split across lines). It holds the three endpoints, the TCP
// state, the expiry, the checksum deltas of the in2out rewrite (the out2in
// rewrite uses their negation, RFC 1624), and the link that chains the
// sessions sharing one endpoint-independent mapping (RFC 4787 §4.1) into a
// ring. A session's "mapping" is its (internal endpoint, external endpoint,
// protocol): every session on the ring has the same one.
// Hot: read and written by the fast path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "masq/nat/engine_config.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/flow_key.hpp"
#include "tcp_state.hpp"

namespace masq::nat {

// What of the remote a mapping's key keeps: all bits of the address
// and/or port, or none, by its Dependence.
struct MappingMasks {
  std::uint32_t addr = 0;
  std::uint32_t port = 0;
};
constexpr MappingMasks mapping_masks(Dependence mapping) {
  return {mapping != Dependence::independent ? 0xFFFFFFFFu : 0u,
          mapping == Dependence::address_and_port ? 0xFFFFu : 0u};
}

// The key a mapping is found by: the internal endpoint, and what of the
// remote the mapping depends on. Masks, not branches: every new flow asks.
inline net::FlowKey mapping_key(MappingMasks m, std::uint32_t int_addr, std::uint16_t int_port,
                                std::uint32_t rem_addr, std::uint16_t rem_port, net::Proto proto) {
  return net::FlowKey::from_words(int_addr | std::uint64_t{rem_addr & m.addr} << 32,
                                  int_port | std::uint64_t{rem_port & m.port} << 16 |
                                      std::uint64_t{static_cast<std::uint8_t>(proto)} << 32);
}

// The endpoints are laid out internal, remote, external (addresses, then
// ports), so that each direction's key is two adjacent runs: (int, rem)
// for in2out and (rem, ext) for out2in, read as one 8-byte and one 4-byte
// load when a lookup confirms its candidate.
struct alignas(32) Session {
  std::uint32_t int_addr = 0;
  std::uint32_t rem_addr = 0;
  std::uint32_t ext_addr = 0;
  std::uint16_t int_port = 0;  // for ICMP echo: the identifier the host chose
  std::uint16_t rem_port = 0;  // 0 for ICMP echo
  std::uint16_t ext_port = 0;  // for ICMP echo: the identifier on the WAN
  std::uint8_t proto = 0;      // 0: the slot is free
  std::uint8_t flags = 0;      // kFlag* below, and the TcpState in the low bits
  std::uint16_t ip_delta = 0;  // IP header checksum delta of int_addr -> ext_addr
  std::uint16_t l4_delta = 0;  // transport checksum delta (addresses + port, or echo id)
  // Alive while now_s <= expires_s. A free slot reads as never expiring,
  // so the expiry sweep tests a slot with one compare.
  std::uint32_t expires_s = 0xFFFFFFFFu;
  std::uint32_t ring_next = 0;  // next session of the same mapping; next free slot when free

  static constexpr std::uint8_t kStateMask = 0x0F;
  // The mapping's Dependence, in bits 4-5.
  static constexpr unsigned kMappingShift = 4;
  // The remote endpoint is one of our own external addresses: a packet that
  // leaves by the in2out rewrite goes on through the out2in one (hairpin).
  static constexpr std::uint8_t kFlagHairpin = 0x80;
  // A mapping whose last session expired, kept only so that its external
  // endpoint is not handed out again too soon (RFC 6888 REQ-8): indexed in
  // by_external() alone, it matches no packet.
  static constexpr std::uint8_t kFlagResting = 0x40;

  bool in_use() const { return proto != 0; }
  net::Proto protocol() const { return static_cast<net::Proto>(proto); }
  TcpState tcp_state() const { return static_cast<TcpState>(flags & kStateMask); }
  void set_tcp_state(TcpState s) {
    flags = static_cast<std::uint8_t>((flags & ~kStateMask) | static_cast<std::uint8_t>(s));
  }
  bool hairpin() const { return (flags & kFlagHairpin) != 0; }
  bool resting() const { return (flags & kFlagResting) != 0; }
  Dependence mapping() const { return static_cast<Dependence>((flags >> kMappingShift) & 3); }
  void set_mapping(Dependence d) {
    flags = static_cast<std::uint8_t>((flags & ~(3u << kMappingShift)) | static_cast<unsigned>(d)
                                                                             << kMappingShift);
  }

  net::FlowKey in2out_key() const;
  net::FlowKey out2in_key() const;
  // The mapping seen from each side: from the inside its mapping_key(),
  // from the outside its external endpoint.
  net::FlowKey internal_endpoint_key() const {
    return mapping_key(mapping_masks(mapping()), int_addr, int_port, rem_addr, rem_port,
                       protocol());
  }
  net::FlowKey external_endpoint_key() const {
    return net::FlowKey::of(ext_addr, 0, ext_port, 0, protocol());
  }

 private:
  // The key whose (source, destination) addresses and ports are the pairs
  // of adjacent fields at byte offsets `addrs` and `ports`.
  net::FlowKey key_at(std::size_t addrs, std::size_t ports) const {
    const auto* bytes = reinterpret_cast<const unsigned char*>(this);
    std::uint64_t a;
    std::uint32_t p;
    std::memcpy(&a, bytes + addrs, sizeof a);
    std::memcpy(&p, bytes + ports, sizeof p);
    return net::FlowKey::from_words(a, p | std::uint64_t{proto} << 32);
  }
};

static_assert(sizeof(Session) == 32);
// key_at() reads the endpoint pairs of in2out_key() and out2in_key() whole.
static_assert(offsetof(Session, rem_addr) == offsetof(Session, int_addr) + 4);
static_assert(offsetof(Session, ext_addr) == offsetof(Session, rem_addr) + 4);
static_assert(offsetof(Session, rem_port) == offsetof(Session, int_port) + 2);
static_assert(offsetof(Session, ext_port) == offsetof(Session, rem_port) + 2);

inline net::FlowKey Session::in2out_key() const {
  return key_at(offsetof(Session, int_addr), offsetof(Session, int_port));
}
inline net::FlowKey Session::out2in_key() const {
  return key_at(offsetof(Session, rem_addr), offsetof(Session, rem_port));
}
static_assert(std::is_trivially_copyable_v<Session>);

// The endpoint-independent key of an endpoint (what internal_endpoint_key()
// and external_endpoint_key() return for a session holding it).
inline net::FlowKey endpoint_key(net::Ipv4Addr addr, std::uint16_t port, net::Proto proto) {
  return net::FlowKey::of(addr.value(), 0, port, 0, proto);
}

// Checksum deltas of replacing (int_addr, int_port) by (ext_addr, ext_port).
// ICMP's checksum covers no pseudo-header, so only the identifier counts.
struct SessionDeltas {
  net::ChecksumDelta ip;
  net::ChecksumDelta l4;
};
inline SessionDeltas compute_deltas(net::Proto proto, std::uint32_t int_addr,
                                    std::uint16_t int_port, std::uint32_t ext_addr,
                                    std::uint16_t ext_port) {
  SessionDeltas d;
  d.ip.replace32(int_addr, ext_addr);
  // TCP and UDP: the pseudo-header holds the same addresses as the IP header.
  if (proto != net::Proto::icmp) d.l4 = d.ip;
  d.l4.replace16(int_port, ext_port);
  return d;
}

}  // namespace masq::nat
