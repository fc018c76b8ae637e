#include "masq/router/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "echo.hpp"
#include "ip_options.hpp"
#include "masq/net/l4_views.hpp"
#include "masq/net/parse.hpp"
#include "masq/router/arp.hpp"
#include "source_guard.hpp"

namespace masq::router {
namespace {

const RouterConfig& validated(const RouterConfig& cfg) {
  const std::vector<std::string> errors = validate(cfg);
  if (errors.empty()) return cfg;
  std::string message = "invalid router config:";
  for (const std::string& e : errors) message += "\n  " + e;
  throw std::invalid_argument(message);
}

// The external addresses that live on the WAN link: the ones the router
// answers ARP for besides its WAN address.
std::vector<nat::AddressRange> on_link(const RouterConfig& cfg) {
  std::vector<nat::AddressRange> ranges;
  const net::Ipv4Prefix& wan = cfg.wan.prefix;
  for (const nat::AddressRange& r : cfg.externals) {
    const net::Ipv4Addr first = std::max(r.first, wan.network());
    const net::Ipv4Addr last = std::min(r.last, wan.broadcast());
    if (first <= last) ranges.push_back({first, last});
  }
  return ranges;
}

bool is_echo_request(const net::ParsedPacket& pkt) {
  return pkt.ip.protocol() == static_cast<std::uint8_t>(net::Proto::icmp) && pkt.l4 != nullptr &&
         !pkt.ip.is_fragment() && pkt.l4[0] == net::icmp::kEchoRequest;
}

bool is_udp_to(const net::ParsedPacket& pkt, std::uint16_t port) {
  return pkt.ip.protocol() == static_cast<std::uint8_t>(net::Proto::udp) && pkt.l4 != nullptr &&
         pkt.l4_length >= 4 && net::UdpView(pkt.l4).dst_port() == port;
}

// A whole ICMP error (not a fragment of one).
bool is_icmp_error(const net::ParsedPacket& pkt) {
  return pkt.ip.protocol() == static_cast<std::uint8_t>(net::Proto::icmp) && pkt.l4 != nullptr &&
         !pkt.ip.is_fragment() && net::icmp::is_error(pkt.l4[0]);
}

}  // namespace

Router::Router(const RouterConfig& cfg, nat::Engine& engine)
    : egress_(validated(cfg), counters_, engine.worker()),
      martians_(cfg.lan.address, cfg.lan.prefix, cfg.wan.address, cfg.wan.prefix),
      reassembler_(cfg.reassembly_contexts, cfg.reassembly_max_bytes,
                   std::uint64_t{cfg.reassembly_timeout_ms} * 1'000'000, counters_),
      engine_(engine),
      max_batch_(cfg.max_batch),
      ttl_(cfg.ttl),
      allow_source_route_(cfg.allow_source_route),
      source_guard_(cfg.source_guard),
      min_mtu_(std::min(cfg.lan.mtu, cfg.wan.mtu)),
      wan_address_is_external_(egress_.routes().is_external(cfg.wan.address)),
      local_pcp_(cfg.local_pcp),
      host_(cfg.host),
      batch_(cfg.max_batch),
      packets_(cfg.max_batch),
      verdicts_(cfg.max_batch),
      origins_(cfg.max_batch),
      gso_sizes_(cfg.max_batch),
      to_announce_(on_link(cfg)),
      announce_range_(to_announce_.size()) {}

bool Router::owns(Side side, net::Ipv4Addr a) const noexcept {
  const InterfaceConfig& i = egress_.interface(side);
  if (a == i.address) return true;
  return side == Side::wan && i.prefix.contains(a) && egress_.routes().is_external(a);
}

bool Router::is_local(Side side, net::Ipv4Addr a) const noexcept {
  // The WAN address answers pings from both sides; the LAN address only
  // from the LAN, which keeps the inside invisible from the WAN.
  return a == egress_.interface(Side::wan).address ||
         (side == Side::lan && a == egress_.interface(Side::lan).address);
}

void Router::begin() noexcept {
  // The previous call's frames are sent: its buffers, and the reassembled
  // datagrams among them, are free again.
  egress_.begin();
  reassembler_.release();
}

const Output& Router::start() {
  begin();
  for (const Side side : {Side::lan, Side::wan}) announce_address(side);
  announce_range_ = 0;
  announce_next_ = to_announce_.empty() ? 0 : to_announce_.front().first.value();
  announce_externals();
  return egress_.output();
}

const Output& Router::readdress_wan(net::Ipv4Addr address, net::Ipv4Prefix prefix,
                                    std::optional<net::Ipv4Addr> gateway) {
  egress_.readdress_wan(address, prefix, gateway);
  const RouterConfig& cfg = egress_.config();
  martians_ = MartianFilter(cfg.lan.address, cfg.lan.prefix, address, prefix);
  begin();
  announce_address(Side::wan);
  announce_anew();
  return egress_.output();
}

const Output& Router::set_externals(std::vector<nat::AddressRange> externals) {
  egress_.set_externals(std::move(externals));
  begin();
  announce_anew();
  return egress_.output();
}

void Router::announce_anew() {
  const RouterConfig& cfg = egress_.config();
  wan_address_is_external_ = egress_.routes().is_external(cfg.wan.address);
  to_announce_ = on_link(cfg);
  announce_range_ = 0;
  announce_next_ = to_announce_.empty() ? 0 : to_announce_.front().first.value();
  announce_externals();
}

void Router::announce_address(Side side) {
  const InterfaceConfig& i = egress_.interface(side);
  if (i.address.is_unspecified()) return;
  egress_.send_arp(side, MacAddr::broadcast(), ArpPacket::announcement(i.mac, i.address));
}

void Router::announce_externals() {
  const InterfaceConfig& wan = egress_.interface(Side::wan);
  while (announce_range_ < to_announce_.size() && egress_.tx_available() > 0) {
    const net::Ipv4Addr a(static_cast<std::uint32_t>(announce_next_));
    if (a != wan.address) {  // announced by start() already
      egress_.send_arp(Side::wan, MacAddr::broadcast(), ArpPacket::announcement(wan.mac, a));
    }
    if (++announce_next_ > to_announce_[announce_range_].last.value() &&
        ++announce_range_ < to_announce_.size()) {
      announce_next_ = to_announce_[announce_range_].first.value();
    }
  }
}

const Output& Router::tick(std::uint64_t now_ns) {
  begin();
  egress_.tick(now_ns);
  reassembler_.expire(now_ns);
  // RFC 5382 REQ-4: unsolicited SYNs the engine held 6 s unanswered.
  engine_.release_held_syns(now_ns, [this, now_ns](std::span<const std::uint8_t> syn) {
    egress_.send_icmp_error(Side::wan, syn, net::icmp::kDestUnreachable,
                            net::icmp::kCodePortUnreachable, 0, now_ns);
  });
  announce_externals();
  return egress_.output();
}

bool Router::learn(Side side, net::Ipv4Addr ip, const MacAddr& mac, std::uint64_t now_ns) {
  if (!egress_.interface(side).prefix.contains(ip) || owns(side, ip) || mac.is_zero() ||
      mac.is_group()) {
    return false;
  }
  egress_.learn(side, ip, mac, true, now_ns);
  return true;
}

const Output& Router::from_host(std::span<const net::Frame> rx, Side side) {
  begin();
  if (rx.size() > max_batch_) {
    counters_.drops[static_cast<std::size_t>(DropReason::batch_too_large)] +=
        rx.size() - max_batch_;
    rx = rx.first(max_batch_);
  }
  for (const net::Frame& frame : rx) egress_.from_host(side, frame);
  return egress_.output();
}

const Output& Router::process(std::span<const net::Frame> rx, Side side, std::uint64_t now_ns) {
  begin();
  counters_.rx_frames[RouterCounters::side_index(side)] += rx.size();
  if (rx.size() > max_batch_) {
    counters_.drops[static_cast<std::size_t>(DropReason::batch_too_large)] +=
        rx.size() - max_batch_;
    rx = rx.first(max_batch_);
  }
  batch_size_ = 0;
  may_hand_off_ = engine_.worker().count > 1;
  for (const net::Frame& frame : rx) handle_frame(frame, side, now_ns);
  run_batch(side, now_ns);
  return egress_.output();
}

const Output& Router::process_handed(std::span<const net::Frame> packets, Side side,
                                     std::uint64_t now_ns) {
  begin();
  if (packets.size() > max_batch_) {
    counters_.drops[static_cast<std::size_t>(DropReason::batch_too_large)] +=
        packets.size() - max_batch_;
    packets = packets.first(max_batch_);
  }
  counters_.handed_in[RouterCounters::side_index(side)] += packets.size();
  batch_size_ = 0;
  may_hand_off_ = false;
  // The worker that handed them over screened their source (source guard).
  for (const net::Frame& p : packets) handle_ipv4(p.bytes, p.gso_size, side, nullptr, now_ns);
  run_batch(side, now_ns);
  return egress_.output();
}

void Router::run_batch(Side side, std::uint64_t now_ns) {
  if (batch_size_ == 0) return;
  engine_.process({batch_.data(), batch_size_}, side, now_ns, {verdicts_.data(), batch_size_});
  counters_.to_engine[RouterCounters::side_index(side)] += batch_size_;
  for (std::size_t i = 0; i < batch_size_; ++i) carry_out(i, side, now_ns);
}

bool Router::handed_off(const net::ParsedPacket& parsed, std::span<const std::uint8_t> packet,
                        std::uint16_t gso_size, Side side) {
  const std::uint32_t owner = engine_.owner(parsed, side);
  if (owner == engine_.worker().index) return false;
  // The other worker's ring slots hold what the link does.
  if (gso_size != 0 || packet.size() > egress_.interface(side).mtu) {
    counters_.count(DropReason::hand_off_too_large);
  } else {
    ++counters_.handed_off[RouterCounters::side_index(side)];
    egress_.hand_off({owner, side, packet});
  }
  return true;
}

void Router::handle_frame(const net::Frame& frame, Side side, std::uint64_t now_ns) {
  if (frame.bytes.size() < kEthernetHeader) {
    counters_.count(DropReason::frame_truncated);
    return;
  }
  const EthernetHeader eth = read_ethernet(frame.bytes.data());
  const bool to_us = eth.dst == egress_.interface(side).mac;
  if (!to_us && !eth.dst.is_group()) {
    counters_.count(DropReason::not_our_mac);
    return;
  }
  const std::span<std::uint8_t> payload = frame.bytes.subspan(kEthernetHeader);
  switch (eth.ether_type) {
    case kEtherTypeArp:
      if (to_us || eth.dst.is_broadcast()) {
        handle_arp(frame, side, now_ns);
      } else {
        counters_.count(DropReason::not_our_mac);
      }
      return;
    case kEtherTypeIpv4:
      // RFC 1812 §5.3.4: what came as a link-layer broadcast is not forwarded.
      if (to_us) {
        handle_ipv4(payload, frame.gso_size, side, &eth.src, now_ns);
      } else if (host_.enabled) {
        // Not forwarded, but the host may take it (a DHCP server or
        // client); its own stack judges it.
        egress_.to_host(side, frame);
      } else {
        counters_.count(DropReason::link_broadcast_ipv4);
      }
      return;
    default:
      counters_.count(DropReason::unsupported_ethertype);
      return;
  }
}

// PCP and NAT-PMP are served on the LAN address, from the LAN side only
// (RFC 6887 §8.3, RFC 6886 §3); a request from the WAN is never answered.
// Always consumes the packet: true.
bool Router::deliver_pcp(const net::ParsedPacket& pkt, Side side, const MacAddr* from) {
  if (side == Side::wan) {
    counters_.count(DropReason::pcp_from_wan);
    return true;
  }
  if (pkt.ip.is_fragment()) {
    counters_.count(DropReason::local_fragment);
    return true;
  }
  std::optional<LocalDatagram> d = read_local_udp(pkt);
  if (!d) {
    counters_.count(DropReason::local_bad_checksum);
    return true;
  }
  d->side = side;
  // The answer goes back to the station that asked. A request another
  // worker handed over (steering that is not exact, AF_XDP's) comes without
  // its frame: the requester's MAC is the one ARP knows, as it asked for
  // ours before it sent (every worker's router learns every neighbour).
  if (from == nullptr) from = egress_.neighbour(side, d->src);
  if (from == nullptr) {
    counters_.count(DropReason::local_unsupported);
    return true;
  }
  d->src_mac = *from;
  egress_.deliver_local(*d);
  ++counters_.local_delivered;
  return true;
}

void Router::handle_arp(const net::Frame& frame, Side side, std::uint64_t now_ns) {
  const auto arp = decode_arp(frame.bytes.subspan(kEthernetHeader));
  if (!arp) {
    counters_.count(DropReason::arp_malformed);
    return;
  }
  ++(arp->op == ArpOp::request ? counters_.arp_requests_received : counters_.arp_replies_received);
  const InterfaceConfig& i = egress_.interface(side);
  const bool for_us = owns(side, arp->target_ip);
  const bool probe = arp->sender_ip.is_unspecified();  // RFC 5227 §2.1.1 address probe

  if (!probe) {
    if (!i.prefix.contains(arp->sender_ip)) {
      counters_.count(DropReason::arp_sender_off_link);
      return;
    }
    if (owns(side, arp->sender_ip)) {
      // Our own frames may come back to a packet socket; anyone else
      // claiming our address is a conflict, and is not believed.
      if (arp->sender_mac != i.mac) counters_.count(DropReason::arp_address_conflict);
      return;
    }
    egress_.learn(side, arp->sender_ip, arp->sender_mac, for_us, now_ns);
  }
  if (!for_us) {
    counters_.count(DropReason::arp_other_target);
    return;
  }
  // Answering a probe for our address is how we defend it (RFC 5227 §2.4).
  // Requests are answered here only, never by the host: one answer each.
  if (arp->op == ArpOp::request) {
    egress_.send_arp(side, arp->sender_mac, ArpPacket::reply_to(*arp, i.mac));
  } else if (host_.enabled && !probe) {
    // Perhaps the answer to the host's own request: its neighbour table
    // is its own.
    egress_.to_host(side, frame);
  }
}

void Router::handle_ipv4(std::span<std::uint8_t> bytes, std::uint16_t gso_size, Side side,
                         const MacAddr* from, std::uint64_t now_ns) {
  const net::ParseResult parsed = net::parse_ipv4(bytes);
  if (parsed.error != net::ParseError::ok) {
    counters_.count(from_parse_error(parsed.error));
    return;
  }
  const net::Ipv4View& ip = parsed.packet.ip;
  if (gso_size != 0 &&
      (ip.protocol() != static_cast<std::uint8_t>(net::Proto::tcp) || ip.is_fragment())) {
    counters_.count(DropReason::gso_not_tcp);
    return;
  }
  // Without the link-layer padding that may follow it.
  const std::span<std::uint8_t> packet = bytes.first(ip.total_length());
  if (wire_length(packet, gso_size) > egress_.interface(side).mtu) {
    counters_.count(DropReason::exceeds_ingress_mtu);
    return;
  }
  if (const DropReason r = martians_.check(side, ip.src(), ip.dst()); r != DropReason::none) {
    counters_.count(r);
    return;
  }
  if (side == Side::lan && source_guard_ && from != nullptr &&
      !source_guard_admits(egress_.neighbour(Side::lan, ip.src()), *from)) {
    counters_.count(DropReason::source_guard);
    return;
  }
  if (ip.header_length() > net::kIpv4MinHeader && !allow_source_route_ && has_source_route(ip)) {
    counters_.count(DropReason::source_route);
    return;
  }
  if (may_hand_off_ && handed_off(parsed.packet, packet, gso_size, side)) return;
  if (is_local(side, ip.dst()) && handle_local(parsed.packet, packet, gso_size, side, from, now_ns))
    return;
  admit_transit(parsed.packet, packet, gso_size, side, now_ns);
}

bool Router::is_host_port(const net::ParsedPacket& pkt) const noexcept {
  const std::uint8_t proto = pkt.ip.protocol();
  if (pkt.l4 == nullptr || pkt.ip.is_fragment() ||
      (proto != static_cast<std::uint8_t>(net::Proto::tcp) &&
       proto != static_cast<std::uint8_t>(net::Proto::udp))) {
    return false;
  }
  // The destination port is the second 16-bit field of TCP and UDP alike.
  const std::uint16_t port = net::load_be16(pkt.l4 + 2);
  // A DHCP server's unicast answer to the host's client (RFC 2131 §4.1:
  // server port 67 to client port 68), as the WAN lease renews.
  const bool dhcp = proto == static_cast<std::uint8_t>(net::Proto::udp) &&
                    port == kDhcpClientPort && net::load_be16(pkt.l4) == kDhcpServerPort;
  return dhcp || host_.ports.contains(port);
}

void Router::to_host(std::span<std::uint8_t> packet, std::uint16_t gso_size, Side side,
                     bool write_header) noexcept {
  // An rx frame's own header (to our MAC: it was for us) is there already;
  // a reassembled datagram has the room but no header.
  std::uint8_t* frame = packet.data() - kEthernetHeader;
  if (write_header) {
    const MacAddr& mac = egress_.interface(side).mac;
    write_ethernet(frame, mac, mac, kEtherTypeIpv4);
  }
  egress_.to_host(side, {{frame, kEthernetHeader + packet.size()}, gso_size});
}

bool Router::handle_local(const net::ParsedPacket& pkt, std::span<std::uint8_t> packet,
                          std::uint16_t gso_size, Side side, const MacAddr* from,
                          std::uint64_t now_ns) {
  if (local_pcp_ && is_udp_to(pkt, kPcpServerPort) &&
      (side == Side::wan || pkt.ip.dst() == egress_.interface(Side::lan).address)) {
    return deliver_pcp(pkt, side, from);
  }
  if (is_echo_request(pkt)) {
    const std::span<std::uint8_t> room = egress_.allocate_packet();
    if (room.empty()) return true;
    const std::size_t length = build_echo_reply(pkt, {egress_.own_ip_id(), ttl_}, room);
    if (length == 0) {
      counters_.count(DropReason::local_bad_checksum);
      return true;
    }
    ++counters_.echo_replies_sent;
    egress_.send_ipv4(side, room.first(length), nullptr, now_ns);
    return true;
  }
  // Everything else to the WAN address is the engine's when that address
  // is one it translates to (masquerade: replies, forwards, hairpins).
  // The host's own ports never are (nat::EngineConfig::host_ports).
  if (pkt.ip.dst() == egress_.interface(Side::wan).address && wan_address_is_external_) {
    if (!host_.enabled || side != Side::wan || !is_host_port(pkt)) return false;
    to_host(packet, gso_size, side, false);
    return true;
  }
  if (host_.enabled) {
    to_host(packet, gso_size, side, false);
    return true;
  }
  counters_.count(pkt.ip.is_fragment() ? DropReason::local_fragment
                                       : DropReason::local_unsupported);
  return true;
}

void Router::admit_transit(const net::ParsedPacket& parsed, std::span<std::uint8_t> packet,
                           std::uint16_t gso_size, Side side, std::uint64_t now_ns) {
  // Route and size are checked here, while the packet is still as its
  // sender made it, so that an ICMP error quotes what the sender knows
  // (not the translated addresses). Fragments are checked one by one, as
  // their sender made them, before reassembly. A super-frame is checked
  // by its segments, as Linux forwards one (RFC 1191 holds for each).
  // From the WAN only a packet the engine forwards is answered (carry_out):
  // an unsolicited one draws nothing.
  const net::Ipv4View& ip = parsed.ip;
  const net::Ipv4Addr dst = ip.dst();
  const Routes& routes = egress_.routes();
  if (side == Side::lan && !routes.next_hop(Side::wan, dst) &&
      routes.egress_for(side, dst) == Side::wan) {
    counters_.count(DropReason::no_route);
    egress_.send_icmp_error(side, packet, net::icmp::kDestUnreachable, kCodeNetUnreachable, 0,
                            now_ns);
    return;
  }
  if (side == Side::lan &&
      too_big(packet, gso_size, side, routes.egress_for(side, dst), packet, now_ns)) {
    return;
  }
  if (!ip.is_fragment()) {
    to_batch(parsed, net::ParseError::ok, packet, gso_size, side);
    return;
  }
  // The engine translates whole datagrams only; the egress path fragments
  // the translated one again if it does not fit (what Linux conntrack
  // defrag does). A datagram completed here joins the batch, parsed as the
  // new packet it is; it lies in the reassembler until the next call, like
  // the rx frames.
  ++counters_.fragments_received;
  if (const std::span<std::uint8_t> datagram = reassembler_.add(packet, side, now_ns);
      !datagram.empty()) {
    const net::ParseResult whole = net::parse_ipv4(datagram);
    // Whole, it may name another worker than its fragments did.
    if (may_hand_off_ && whole.error == net::ParseError::ok &&
        handed_off(whole.packet, datagram, 0, side)) {
      return;
    }
    to_batch(whole.packet, whole.error, datagram, 0, side);
  }
}

void Router::to_batch(const net::ParsedPacket& parsed, net::ParseError error,
                      std::span<std::uint8_t> packet, std::uint16_t gso_size, Side side) noexcept {
  // No inside address leaves in a Record Route or Timestamp option, nor in
  // one quoted by an ICMP error. A reassembled datagram has its first
  // fragment's header, the only one that carries them (RFC 791 §3.1).
  if (side == Side::lan && error == net::ParseError::ok) {
    const net::Ipv4View& ip = parsed.ip;
    if (ip.header_length() > net::kIpv4MinHeader) {
      counters_.options_neutralised += neutralise_recording_options(ip).options;
    }
    if (is_icmp_error(parsed)) {
      counters_.options_neutralised +=
          neutralise_quoted_options(parsed.l4, ip.total_length() - ip.header_length());
    }
  }
  // At most one packet per rx frame: the batch cannot overflow.
  origins_[batch_size_] = Origin::of(packet, side);
  gso_sizes_[batch_size_] = gso_size;
  packets_[batch_size_] = packet;
  // The engine takes the parse as it is. A super-frame's TCP checksum
  // field is its seed (docs/adr/0004).
  batch_[batch_size_] = {parsed, error};
  batch_[batch_size_].packet.l4_seed = gso_size != 0;
  ++batch_size_;
}

bool Router::too_big(std::span<std::uint8_t> packet, std::uint16_t gso_size, Side from, Side egress,
                     std::span<const std::uint8_t> quote, std::uint64_t now_ns) {
  const std::size_t on_wire = wire_length(packet, gso_size);
  if (on_wire <= min_mtu_ || !net::Ipv4View(packet.data()).dont_fragment()) return false;
  const std::uint16_t mtu = egress_.interface(egress).mtu;
  if (on_wire <= mtu) return false;
  counters_.count(DropReason::frag_needed);
  egress_.send_icmp_error(from, quote, net::icmp::kDestUnreachable, net::icmp::kCodeFragNeeded, mtu,
                          now_ns);
  return true;
}

void Router::carry_out(std::size_t index, Side side, std::uint64_t now_ns) {
  const nat::Verdict& v = verdicts_[index];
  const std::span<std::uint8_t> packet = packets_[index];
  switch (v.action) {
    case nat::Action::forward_lan:
      // A WAN packet is judged once the engine has taken it; the error
      // quotes its start as it arrived.
      if (side == Side::wan &&
          too_big(packet, gso_sizes_[index], side, Side::lan, origins_[index].bytes(), now_ns)) {
        return;
      }
      [[fallthrough]];
    case nat::Action::hairpin:
      egress_.send_ipv4(Side::lan, packet, &origins_[index], now_ns, gso_sizes_[index]);
      return;
    case nat::Action::forward_wan:
      egress_.send_ipv4(Side::wan, packet, &origins_[index], now_ns, gso_sizes_[index]);
      return;
    case nat::Action::send_icmp:
      // The engine left the packet untouched: the error quotes it as sent.
      egress_.send_icmp_error(side, packet, v.icmp_type, v.icmp_code, 0, now_ns);
      return;
    case nat::Action::drop:
      // To the WAN address and no session of the engine's: perhaps the
      // host's (an echo reply, an ICMP error about its packets, a port
      // the host's firewall opens), else the host's firewall drops it.
      if (host_.enabled && side == Side::wan &&
          (v.reason == nat::DropReason::no_session ||
           v.reason == nat::DropReason::icmp_error_no_session) &&
          net::Ipv4View(packet.data()).dst() == egress_.interface(Side::wan).address) {
        // Perhaps a reassembled datagram: the header is written afresh.
        to_host(packet, gso_sizes_[index], side, true);
      }
      return;
  }
}

}  // namespace masq::router
