// ICMP error translation (RFC 5508 §4, RFC 5382 REQ-9, RFC 4787 REQ-12).
// The error quotes a packet that crossed the NAT the other way; the
// session is found from the quote, the quote is restored to what the
// receiver sent or saw, and the outer address follows. Three checksums
// change: the outer IP header, the ICMP message, and the quoted headers.
// An error never creates, refreshes or removes a session (RFC 5508 REQ-6).
#include "engine_impl.hpp"

namespace masq::nat {
namespace {

// Rewrites words inside the ICMP message and keeps the ICMP checksum's
// delta as it goes (every edited field sits at an even offset).
class IcmpEdit {
 public:
  void set16(std::uint8_t* p, std::uint16_t v) {
    delta_.replace16(net::load_be16(p), v);
    net::store_be16(p, v);
  }
  void set32(std::uint8_t* p, std::uint32_t v) {
    delta_.replace32(net::load_be32(p), v);
    net::store_be32(p, v);
  }
  net::ChecksumDelta delta() const { return delta_; }

 private:
  net::ChecksumDelta delta_;
};

// Applies `r` to the quoted datagram: the address and port named by
// `which`, the quoted IP header checksum, and the quoted transport
// checksum when the quote is long enough to hold it (RFC 5508 §4.2 asks
// not to verify it, but it must stay consistent for the receiver).
void rewrite_quote(const net::ParsedPacket& q, const Rewrite& r, Field which, IcmpEdit& edit) {
  const net::Ipv4View& ip = q.ip;
  edit.set32(ip.data() + (which == Field::source ? 12 : 16), r.addr);
  edit.set16(ip.data() + 10, r.ip.apply(ip.checksum()));
  std::uint8_t* l4 = q.l4;
  switch (static_cast<net::Proto>(ip.protocol())) {
    case net::Proto::tcp:
      edit.set16(l4 + (which == Field::source ? 0 : 2), r.port);
      if (q.l4_length >= net::TcpView::kChecksumOffset + 2) {
        edit.set16(l4 + net::TcpView::kChecksumOffset, r.l4.apply(net::TcpView(l4).checksum()));
      }
      break;
    case net::Proto::udp:
      edit.set16(l4 + (which == Field::source ? 0 : 2), r.port);
      edit.set16(l4 + net::UdpView::kChecksumOffset, r.l4.apply_udp(net::UdpView(l4).checksum()));
      break;
    case net::Proto::icmp:
      edit.set16(l4 + 4, r.port);
      edit.set16(l4 + net::IcmpView::kChecksumOffset, r.l4.apply(net::IcmpView(l4).checksum()));
      break;
  }
}

// What one error translation changes. An error from inside changes the
// quote's destination and the outer source (outbound); one from outside
// the quote's source and the outer destination (inbound); a hairpinned
// error both.
struct ErrorPlan {
  std::optional<Rewrite> outbound;
  std::optional<Rewrite> inbound;
};

void apply_plan(const net::ParsedPacket& pkt, const net::ParsedPacket& q, const ErrorPlan& plan) {
  const net::Ipv4View& outer = pkt.ip;
  IcmpEdit edit;
  net::ChecksumDelta ip_delta = decrement_ttl(outer);
  if (plan.outbound) {
    rewrite_quote(q, *plan.outbound, Field::destination, edit);
    ip_delta.replace32(outer.src().value(), plan.outbound->addr);
    outer.set_src(net::Ipv4Addr(plan.outbound->addr));
  }
  if (plan.inbound) {
    rewrite_quote(q, *plan.inbound, Field::source, edit);
    ip_delta.replace32(outer.dst().value(), plan.inbound->addr);
    outer.set_dst(net::Ipv4Addr(plan.inbound->addr));
  }
  outer.set_checksum(ip_delta.apply(outer.checksum()));
  const net::IcmpView icmp(pkt.l4);
  icmp.set_checksum(edit.delta().apply(icmp.checksum()));
}

}  // namespace

// The quote is a packet delivered to an internal host: the rewrite that
// puts back the external endpoint it was sent to.
std::optional<Rewrite> Engine::Impl::quote_outbound(const net::ParsedPacket& q) const {
  const net::FlowKey reply_key = packet_key(q).reversed();
  const std::uint32_t idx = table_.in2out().find(reply_key, table_.in2out().hash(reply_key));
  if (idx != kNone && table_.alive(table_[idx])) return to_external(table_[idx]);
  const std::uint32_t internal = q.ip.dst().value();
  if (const auto external = rules_.static_external(internal)) {
    return address_only(static_cast<net::Proto>(q.ip.protocol()), internal, *external,
                        port_of(q, Field::destination));
  }
  return std::nullopt;
}

// The quote is a packet we sent out: the rewrite that puts back the
// internal endpoint that sent it. `reply_key` is the key its reply has.
std::optional<Rewrite> Engine::Impl::quote_inbound(const net::ParsedPacket& q,
                                                   const net::FlowKey& reply_key) const {
  const std::uint32_t idx = table_.out2in().find(reply_key, table_.out2in().hash(reply_key));
  if (idx != kNone && table_.alive(table_[idx])) return to_internal(table_[idx]);
  const std::uint32_t external = q.ip.src().value();
  if (const auto internal = rules_.static_internal(external)) {
    return address_only(static_cast<net::Proto>(q.ip.protocol()), external, *internal,
                        port_of(q, Field::source));
  }
  return std::nullopt;
}

Verdict Engine::Impl::translate_icmp_error(const net::ParsedPacket& pkt, Side from) {
  const net::Ipv4View& outer = pkt.ip;
  const std::size_t icmp_length = outer.total_length() - outer.header_length();
  // RFC 5508 REQ-3: a bad ICMP checksum is dropped; the sum covers the
  // whole message, RFC 4884 extensions included.
  if (net::internet_checksum({pkt.l4, icmp_length}) != 0)
    return drop(DropReason::bad_icmp_checksum);
  // RFC 5508 REQ-3 asks (SHOULD) for the quoted header checksum to be
  // verified; masq does so only for a quote without options. Hosts write
  // into the Timestamp option of a datagram they receive and quote it
  // without recomputing its checksum (Linux for local delivery), so a
  // genuine error about such a datagram carries a quote that no longer
  // sums. The ICMP checksum above still covers the whole quote.
  const std::span<std::uint8_t> quote{pkt.l4 + net::kIcmpHeader, icmp_length - net::kIcmpHeader};
  const bool has_options = !quote.empty() && (quote[0] & 0x0F) * 4u > net::kIpv4MinHeader;
  const auto quoted = net::parse_quoted_ipv4(quote, {.verify_checksum = !has_options});
  if (quoted.error == net::ParseError::bad_ip_checksum) {
    return drop(DropReason::icmp_error_bad_inner_checksum);
  }
  const net::ParsedPacket& q = quoted.packet;
  if (quoted.error != net::ParseError::ok || q.l4 == nullptr ||
      !net::is_supported_proto(q.ip.protocol())) {
    return drop(DropReason::icmp_error_malformed);
  }
  if (q.ip.protocol() == static_cast<std::uint8_t>(net::Proto::icmp)) {
    const std::uint8_t type = net::IcmpView(q.l4).type();
    if (net::icmp::is_error(type)) return drop(DropReason::icmp_error_about_error);
    if (!net::icmp::is_echo(type)) return drop(DropReason::icmp_error_malformed);
  }
  const std::uint32_t src = outer.src().value();
  ErrorPlan plan;
  if (from == Side::lan) {
    // RFC 5508 REQ-5: an error from inside about a packet we delivered.
    if (!rules_.inside(src)) return drop(DropReason::source_not_inside);
    plan.outbound = quote_outbound(q);
    if (!plan.outbound) return drop(DropReason::icmp_error_no_session);
    // RFC 5508 REQ-7: about a hairpinned packet, the error hairpins too.
    if (policy_.hairpinning() && policy_.is_ours(outer.dst().value())) {
      const net::FlowKey reply_key =
          rewritten_key(q, *plan.outbound, Field::destination).reversed();
      plan.inbound = quote_inbound(q, reply_key);
      if (!plan.inbound || outer.dst() != q.ip.src())
        return drop(DropReason::icmp_error_no_session);
    }
  } else {
    // RFC 5508 REQ-4: an error from outside about a packet we sent out,
    // addressed to the external address it quotes.
    if (rules_.inside(src) || policy_.is_ours(src)) return drop(DropReason::martian_source);
    plan.inbound = quote_inbound(q, packet_key(q).reversed());
    if (!plan.inbound || outer.dst() != q.ip.src()) return drop(DropReason::icmp_error_no_session);
  }
  apply_plan(pkt, q, plan);
  // Leaving from the external address, as the translated packets do (ip_id.hpp).
  if (plan.outbound && !plan.inbound) ip_ids_.assign(outer);
  ++counters_.icmp_errors_translated;
  if (plan.outbound && plan.inbound) return Verdict::forward(Action::hairpin);
  return Verdict::forward(plan.outbound ? Action::forward_wan : Action::forward_lan);
}

}  // namespace masq::nat
