// Engine::owner(): the worker a packet belongs to, by the rules of
// port_slice.hpp, for the packets that arrive where the kernel or the NIC
// could not steer them (docs/architecture.md, "Workers and steering").
// Pure; per packet when there are workers.
#include "engine_impl.hpp"
#include "masq/nat/port_slice.hpp"

namespace masq::nat {
namespace {

// The worker holding the sessions of an external endpoint: a forward's are
// its internal host's (the host's own outbound flows use the forward's
// port, RFC 4787 REQ-1), a static 1:1 address's its host's, the rest the
// owner of the port's slice.
std::uint32_t external_owner(const StaticRules& rules, net::Proto proto, Endpoint external,
                             std::uint32_t count) {
  if (const auto internal = rules.static_internal(external.addr)) {
    return address_owner(net::Ipv4Addr(*internal), count);
  }
  if (proto != net::Proto::icmp) {
    if (const auto internal = rules.forward_inbound(proto, external)) {
      return address_owner(net::Ipv4Addr(internal->addr), count);
    }
  }
  return port_owner(proto, external.port, count);
}

}  // namespace

std::uint32_t Engine::owner(const net::ParsedPacket& pkt, Side from) const noexcept {
  const WorkerSlice self = impl_->cfg_.worker;
  if (self.count <= 1) return self.index;
  const net::Ipv4View& ip = pkt.ip;
  // A subscriber's packets, and every fragment of a datagram (only the
  // first has ports: they meet where they are reassembled, and the
  // datagram is judged again once whole).
  if (ip.is_fragment()) return address_owner(ip.src(), self.count);
  if (pkt.l4 == nullptr) return self.index;
  // A LAN packet to one of our external addresses is hairpinned (RFC 4787
  // REQ-9): its second half needs the destination mapping's session, so
  // it belongs where that session is, like the same packet from outside.
  // The sender's session for it is made there too.
  if (from == Side::lan && !(impl_->cfg_.hairpinning && impl_->policy_.is_ours(ip.dst().value()))) {
    return address_owner(ip.src(), self.count);
  }
  const StaticRules& rules = impl_->rules_;
  const auto proto = static_cast<net::Proto>(ip.protocol());
  switch (proto) {
    case net::Proto::tcp:
    case net::Proto::udp: {
      const std::uint16_t port = net::load_be16(pkt.l4 + 2);
      if (const auto& host = impl_->cfg_.host_ports;
          from == Side::wan && host && ip.dst() == host->address && host->ports.contains(port)) {
        return 0;  // the gateway host's (worker_owner.h)
      }
      return external_owner(rules, proto, {ip.dst().value(), port}, self.count);
    }
    case net::Proto::icmp:
      break;
    default:
      return from == Side::lan ? address_owner(ip.src(), self.count) : self.index;
  }
  const net::IcmpView icmp(pkt.l4);
  if (net::icmp::is_echo(icmp.type())) {
    return external_owner(rules, proto, {ip.dst().value(), icmp.echo_id()}, self.count);
  }
  if (from == Side::lan || !net::icmp::is_error(icmp.type()) || pkt.l4_length <= net::kIcmpHeader) {
    return from == Side::lan ? address_owner(ip.src(), self.count) : self.index;
  }
  // An error about a packet we sent out: it belongs where that packet's
  // session is, named by the quote's source (RFC 5508 §4.2). A quote too
  // short to say is judged by whoever has it, as before workers.
  const std::span<std::uint8_t> quote{pkt.l4 + net::kIcmpHeader, pkt.l4_length - net::kIcmpHeader};
  const net::ParseResult q = net::parse_quoted_ipv4(quote, {.verify_checksum = false});
  if (q.error != net::ParseError::ok || q.packet.l4 == nullptr) return self.index;
  const auto quoted = static_cast<net::Proto>(q.packet.ip.protocol());
  const std::uint32_t src = q.packet.ip.src().value();
  switch (quoted) {
    case net::Proto::tcp:
    case net::Proto::udp:
      return external_owner(rules, quoted, {src, net::load_be16(q.packet.l4)}, self.count);
    case net::Proto::icmp:
      return external_owner(rules, quoted, {src, net::IcmpView(q.packet.l4).echo_id()}, self.count);
    default:
      return self.index;
  }
}

std::uint32_t Engine::owner(const SessionView& saved) const noexcept {
  const WorkerSlice self = impl_->cfg_.worker;
  if (self.count <= 1) return self.index;
  return external_owner(impl_->rules_, saved.proto,
                        {saved.external_addr.value(), saved.external_port.value()}, self.count);
}

WorkerSlice Engine::worker() const noexcept {
  return impl_->cfg_.worker;
}

}  // namespace masq::nat
