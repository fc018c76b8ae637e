// Rewrite: one endpoint change applied to a packet, with the checksum
// deltas it costs precomputed (from a session, or from a static rule).
// The fast path is exactly: copy the address and port, add the deltas,
// decrement the TTL (RFC 1812 §5.3.1; folded into the same header update).
// Private to the engine. Hot.
#pragma once

#include "masq/net/l4_views.hpp"
#include "masq/net/parse.hpp"
#include "session.hpp"

namespace masq::nat {

struct Rewrite {
  std::uint32_t addr = 0;
  std::uint16_t port = 0;  // TCP/UDP port, or the ICMP echo identifier
  net::ChecksumDelta ip;   // the address change, for the IP header
  net::ChecksumDelta l4;   // pseudo-header address (TCP/UDP) and port/identifier change
};

enum class Field : std::uint8_t { source, destination };

// in2out: the internal endpoint becomes the external one.
inline Rewrite to_external(const Session& s) {
  return {s.ext_addr, s.ext_port, net::ChecksumDelta::from_raw(s.ip_delta),
          net::ChecksumDelta::from_raw(s.l4_delta)};
}

// out2in: the external endpoint becomes the internal one again.
inline Rewrite to_internal(const Session& s) {
  return {s.int_addr, s.int_port, net::ChecksumDelta::from_raw(s.ip_delta).negated(),
          net::ChecksumDelta::from_raw(s.l4_delta).negated()};
}

// Static 1:1 NAT changes the address only; the port stays as it is.
inline Rewrite address_only(net::Proto proto, std::uint32_t from, std::uint32_t to,
                            std::uint16_t port) {
  Rewrite r{to, port, {}, {}};
  r.ip.replace32(from, to);
  if (proto != net::Proto::icmp) r.l4.replace32(from, to);
  return r;
}

// The port (or echo identifier) that `which` refers to in this packet.
inline std::uint16_t port_of(const net::ParsedPacket& p, Field which) {
  if (p.ip.protocol() == static_cast<std::uint8_t>(net::Proto::icmp)) {
    return net::IcmpView(p.l4).echo_id();
  }
  return which == Field::source ? net::load_be16(p.l4) : net::load_be16(p.l4 + 2);
}

// Lowering the TTL by one lowers the TTL/protocol word by 0x0100, whose
// RFC 1624 delta, ~w + (w - 0x0100), is the same for every word w: the
// header checksum update for the TTL is a constant.
inline constexpr net::ChecksumDelta kTtlDecrement = net::ChecksumDelta().replace16(0x0100, 0);

// Decrements the TTL (the caller has checked it is above 1) and returns
// the header checksum delta that costs.
inline net::ChecksumDelta decrement_ttl(const net::Ipv4View& ip) {
  ip.set_ttl(static_cast<std::uint8_t>(ip.ttl() - 1));
  return kTtlDecrement;
}

[[gnu::always_inline]] inline void apply(const net::ParsedPacket& p, const Rewrite& r, Field which,
                                         bool decrement) {
  // Copies, not references: stores through the packet's bytes may alias
  // anything, and would force the pointers to be loaded again.
  const net::Ipv4View ip = p.ip;
  std::uint8_t* const l4 = p.l4;
  net::ChecksumDelta ip_delta = r.ip;
  if (decrement) ip_delta.add(decrement_ttl(ip));
  if (which == Field::source) {
    ip.set_src(net::Ipv4Addr(r.addr));
  } else {
    ip.set_dst(net::Ipv4Addr(r.addr));
  }
  ip.set_checksum(ip_delta.apply(ip.checksum()));

  switch (static_cast<net::Proto>(ip.protocol())) {
    // A TCP seed covers the pseudo-header only: the address change goes in,
    // the port change does not (the device sums the ports with the segment).
    case net::Proto::tcp: {
      const net::TcpView t(l4);
      which == Field::source ? t.set_src_port(r.port) : t.set_dst_port(r.port);
      t.set_checksum(p.l4_seed ? r.ip.apply_to_sum(t.checksum()) : r.l4.apply(t.checksum()));
      break;
    }
    case net::Proto::udp: {
      const net::UdpView u(l4);
      which == Field::source ? u.set_src_port(r.port) : u.set_dst_port(r.port);
      u.set_checksum(r.l4.apply_udp(u.checksum()));
      break;
    }
    case net::Proto::icmp: {
      const net::IcmpView i(l4);
      i.set_echo_id(r.port);
      i.set_checksum(r.l4.apply(i.checksum()));
      break;
    }
  }
}

// The key of a TCP, UDP or ICMP echo packet as it travels. An echo
// identifier belongs to the host that sent the request, so it sits in the
// source port of a request and the destination port of a reply: the
// out2in key of a reply then equals its session's out2in_key().
inline net::FlowKey packet_key(const net::ParsedPacket& p) {
  const net::Ipv4View& ip = p.ip;
  const auto proto = static_cast<net::Proto>(ip.protocol());
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  if (proto == net::Proto::icmp) {
    const net::IcmpView i(p.l4);
    (i.type() == net::icmp::kEchoRequest ? src_port : dst_port) = i.echo_id();
  } else {
    src_port = net::load_be16(p.l4);
    dst_port = net::load_be16(p.l4 + 2);
  }
  return net::FlowKey::of(ip.src().value(), ip.dst().value(), src_port, dst_port, proto);
}

// The key `p` will have once `r` has rewritten the endpoint `which`
// (hairpin decisions are taken before the packet is touched).
inline net::FlowKey rewritten_key(const net::ParsedPacket& p, const Rewrite& r, Field which) {
  net::FlowKey k = packet_key(p);
  (which == Field::source ? k.src : k.dst) = net::Ipv4Addr(r.addr);
  if (k.proto == net::Proto::icmp) {
    const bool request = net::IcmpView(p.l4).type() == net::icmp::kEchoRequest;
    (request ? k.src_port : k.dst_port) = net::Port(r.port);
  } else {
    (which == Field::source ? k.src_port : k.dst_port) = net::Port(r.port);
  }
  return k;
}

inline TcpFlags tcp_flags(const net::ParsedPacket& p) {
  const net::TcpView t(p.l4);
  return {t.syn(), t.ack_flag(), t.fin(), t.rst()};
}

}  // namespace masq::nat
