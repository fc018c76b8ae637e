#include "masq/router/egress.hpp"

#include <algorithm>

#include "fragmenter.hpp"
#include "masq/net/icmp_error.hpp"
#include "masq/net/ipv4_view.hpp"
#include "masq/net/l4_views.hpp"

namespace masq::router {
namespace {

// The largest IPv4 packet the router ever holds: a full-MTU packet from
// either side, or an ICMP error of the size RFC 1812 §4.3.2.3 allows.
std::size_t max_packet(const RouterConfig& cfg) {
  return std::max<std::size_t>({cfg.lan.mtu, cfg.wan.mtu, net::kIcmpErrorMaxLength});
}

}  // namespace

std::size_t wire_length(std::span<std::uint8_t> packet, std::uint16_t gso_size) noexcept {
  if (gso_size == 0) return packet.size();
  const std::size_t l4 = net::Ipv4View(packet.data()).header_length();
  const std::size_t headers = l4 + net::TcpView(packet.data() + l4).header_length();
  return std::min(packet.size(), headers + gso_size);
}

Egress::Egress(const RouterConfig& cfg, RouterCounters& counters, nat::WorkerSlice worker)
    : cfg_(cfg),
      counters_(counters),
      worker_(worker),
      routes_(cfg.lan.prefix, cfg.wan.prefix, cfg.wan_gateway, cfg.externals),
      arp_lan_(cfg.arp_cache_entries, cfg.arp),
      arp_wan_(cfg.arp_cache_entries, cfg.arp),
      pending_(cfg.arp_queue_packets, cfg.arp_queue_per_hop, max_packet(cfg)),
      arena_(cfg.tx_buffers, kEthernetHeader + max_packet(cfg)),
      // Per side, a call sends at most: each rx frame in place, each
      // transmit buffer, each released waiting packet.
      output_(std::size_t{cfg.max_batch} + cfg.tx_buffers + cfg.arp_queue_packets),
      icmp_limiter_(cfg.icmp_rate_limit) {}

void Egress::begin() noexcept {
  output_.clear();
  arena_.reset();
  pending_.reclaim();
}

void Egress::emit(Side side, std::uint8_t* frame, std::size_t length,
                  std::uint16_t gso_size) noexcept {
  output_.push(side, {{frame, length}, gso_size});
  ++counters_.tx_frames[RouterCounters::side_index(side)];
}

void Egress::to_host(Side side, net::Frame frame) noexcept {
  output_.push_host(side, frame);
  ++counters_.to_host[RouterCounters::side_index(side)];
}

void Egress::from_host(Side side, net::Frame frame) noexcept {
  output_.push(side, frame);
  ++counters_.from_host[RouterCounters::side_index(side)];
}

std::span<std::uint8_t> Egress::allocate_packet() noexcept {
  const std::span<std::uint8_t> slot = arena_.allocate();
  if (slot.empty()) {
    counters_.count(DropReason::tx_exhausted);
    return {};
  }
  return slot.subspan(kEthernetHeader);
}

void Egress::send_arp(Side side, const MacAddr& to, const ArpPacket& arp) noexcept {
  const std::span<std::uint8_t> slot = arena_.allocate();
  if (slot.empty()) {
    counters_.count(DropReason::tx_exhausted);
    return;
  }
  write_ethernet(slot.data(), to, interface(side).mac, kEtherTypeArp);
  encode_arp(arp, slot.data() + kEthernetHeader);
  emit(side, slot.data(), kArpFrameLength);
  if (arp.op == ArpOp::reply) {
    ++counters_.arp_replies_sent;
  } else if (arp.sender_ip == arp.target_ip) {
    ++counters_.arp_announcements_sent;
  } else {
    ++counters_.arp_requests_sent;
  }
}

void Egress::send_ipv4(Side egress, std::span<std::uint8_t> packet, const Origin* origin,
                       std::uint64_t now_ns, std::uint16_t gso_size) {
  const net::Ipv4View ip(packet.data());
  const auto next_hop = routes_.next_hop(egress, ip.dst());
  if (!next_hop) {
    counters_.count(DropReason::no_route);
    return;
  }
  if (const MacAddr* mac = arp(egress).lookup(*next_hop)) {
    transmit(egress, *mac, packet, gso_size);
    return;
  }
  enqueue(egress, *next_hop, packet, origin, now_ns, gso_size);
}

void Egress::transmit(Side egress, const MacAddr& to, std::span<std::uint8_t> packet,
                      std::uint16_t gso_size) noexcept {
  if (wire_length(packet, gso_size) > interface(egress).mtu) {
    fragment(egress, to, packet, gso_size);
    return;
  }
  std::uint8_t* frame = packet.data() - kEthernetHeader;
  write_ethernet(frame, to, interface(egress).mac, kEtherTypeIpv4);
  emit(egress, frame, kEthernetHeader + packet.size(), gso_size);
}

void Egress::fragment(Side egress, const MacAddr& to, std::span<std::uint8_t> packet,
                      std::uint16_t gso_size) noexcept {
  // Packets with DF were refused with ICMP 3/4 before translation when
  // their egress was foreseeable; one that still gets here cannot be
  // answered without quoting translated addresses.
  if (net::Ipv4View(packet.data()).dont_fragment()) {
    counters_.count(DropReason::df_too_big);
    return;
  }
  // Its segments would each need fragments: the link cannot be asked for
  // that, and TCP without DF is rare enough not to segment here.
  if (gso_size != 0) {
    counters_.count(DropReason::gso_exceeds_mtu);
    return;
  }
  Fragmenter fragments(packet, interface(egress).mtu);
  // All or nothing: a datagram missing a fragment is lost anyway.
  if (fragments.count() > arena_.available()) {
    counters_.count(DropReason::tx_exhausted);
    return;
  }
  while (!fragments.done()) {
    const std::span<std::uint8_t> slot = arena_.allocate();
    if (slot.empty()) break;  // cannot happen after the check above; keeps the bound visible
    const std::size_t length = fragments.next(slot.subspan(kEthernetHeader));
    write_ethernet(slot.data(), to, interface(egress).mac, kEtherTypeIpv4);
    emit(egress, slot.data(), kEthernetHeader + length);
    ++counters_.fragments_sent;
  }
}

void Egress::enqueue(Side egress, net::Ipv4Addr next_hop, std::span<const std::uint8_t> packet,
                     const Origin* origin, std::uint64_t now_ns, std::uint16_t gso_size) noexcept {
  const ArpCache::Resolve resolve = arp(egress).resolve(next_hop, now_ns);
  if (resolve == ArpCache::Resolve::full) {
    counters_.count(DropReason::arp_cache_full);
    return;
  }
  switch (
      pending_.push(egress, next_hop, packet, origin != nullptr ? *origin : Origin{}, gso_size)) {
    case PendingQueue::Push::queued:
      ++counters_.arp_queued;
      break;
    case PendingQueue::Push::queued_dropped_oldest:
      ++counters_.arp_queued;
      counters_.count(DropReason::arp_queue_overflow);
      break;
    case PendingQueue::Push::full:
      counters_.count(DropReason::arp_queue_overflow);
      break;
    case PendingQueue::Push::too_large:
      counters_.count(DropReason::arp_queue_too_large);
      break;
  }
  if (resolve == ArpCache::Resolve::request) {
    const InterfaceConfig& i = interface(egress);
    send_arp(egress, MacAddr::broadcast(), ArpPacket::request(i.mac, i.address, next_hop));
  }
}

void Egress::readdress_wan(net::Ipv4Addr address, net::Ipv4Prefix prefix,
                           std::optional<net::Ipv4Addr> gateway) {
  for (nat::AddressRange& r : cfg_.externals) {
    if (r.first == cfg_.wan.address && r.last == cfg_.wan.address) r = {address, address};
  }
  cfg_.wan.address = address;
  cfg_.wan.prefix = prefix;
  cfg_.wan_gateway = gateway;
  routes_ = Routes(cfg_.lan.prefix, cfg_.wan.prefix, cfg_.wan_gateway, cfg_.externals);
}

void Egress::set_externals(std::vector<nat::AddressRange> externals) {
  cfg_.externals = std::move(externals);
  routes_ = Routes(cfg_.lan.prefix, cfg_.wan.prefix, cfg_.wan_gateway, cfg_.externals);
}

void Egress::send_icmp_error(Side side, std::span<const std::uint8_t> offending, std::uint8_t type,
                             std::uint8_t code, std::uint16_t mtu, std::uint64_t now_ns) {
  // The error goes to the offending packet's source.
  if (offending.size() < net::kIpv4MinHeader) return;
  const net::Ipv4Addr to(net::load_be32(offending.data() + 12));
  const bool per_host =
      !(type == net::icmp::kDestUnreachable && code == net::icmp::kCodeFragNeeded);
  if (!icmp_limiter_.allow(to, per_host, now_ns)) {
    ++counters_.icmp_errors_rate_limited;
    return;
  }
  const std::span<std::uint8_t> room = allocate_packet();
  if (room.empty()) return;
  const net::IcmpErrorSpec spec{type, code, mtu, interface(side).address, cfg_.ttl, own_ip_id()};
  const std::size_t length = net::build_icmp_error(offending, spec, room);
  // RFC 1812 §4.3.2.7 forbids some errors; build_icmp_error knows which.
  if (length == 0) {
    ++counters_.icmp_errors_suppressed;
    return;
  }
  ++counters_.icmp_errors_sent;
  send_ipv4(side, room.first(length), nullptr, now_ns);
}

void Egress::learn(Side side, net::Ipv4Addr ip, const MacAddr& mac, bool create,
                   std::uint64_t now_ns) {
  switch (arp(side).learn(ip, mac, create, now_ns)) {
    case ArpCache::Learned::full:
      counters_.count(DropReason::arp_cache_full);
      return;
    case ArpCache::Learned::resolved:
      for (PendingPacket* p : pending_.take(side, ip)) {
        ++counters_.arp_released;
        transmit(side, mac, {p->packet, p->length}, p->gso_size);
      }
      return;
    case ArpCache::Learned::ignored:
    case ArpCache::Learned::refreshed:
    case ArpCache::Learned::added:
      return;
  }
}

void Egress::tick(std::uint64_t now_ns) {
  for (const Side side : {Side::lan, Side::wan}) {
    const InterfaceConfig& i = interface(side);
    for (const ArpEvent& e : arp(side).tick(now_ns)) {
      if (e.kind == ArpEvent::Kind::request) {
        send_arp(side, e.to, ArpPacket::request(i.mac, i.address, e.ip));
        continue;
      }
      for (const PendingPacket* p : pending_.take(side, e.ip)) {
        counters_.count(DropReason::arp_unresolved);
        // The router's own packets (no origin) fail silently.
        if (p->origin.length == 0) continue;
        send_icmp_error(p->origin.from, p->origin.bytes(), net::icmp::kDestUnreachable,
                        kCodeHostUnreachable, 0, now_ns);
      }
    }
  }
}

}  // namespace masq::router
