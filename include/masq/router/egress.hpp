// Egress: the sending half of the router, shared by everything that puts a
// frame on a link: next-hop choice (Routes), neighbour resolution
// (ArpCache per side, PendingQueue for packets that wait), the Ethernet
// header, fragmentation for the egress MTU, the router's own ICMP errors,
// and the Output that collects it all.
//
// Buffers: a packet handed to send_ipv4() must have kEthernetHeader
// writable bytes in front of it (an rx frame's own header, a FrameArena
// slot, a PendingQueue slot); when it fits the MTU it is sent from where it
// lies. begin() starts a new Router call: it frees the previous call's
// buffers and empties the Output.
// Hot: send_ipv4() for a resolved neighbour. Cold: the rest.
#pragma once

#include <cstdint>
#include <span>

#include "masq/nat/port_slice.hpp"
#include "masq/router/arp.hpp"
#include "masq/router/arp_cache.hpp"
#include "masq/router/counters.hpp"
#include "masq/router/frame_arena.hpp"
#include "masq/router/icmp_limiter.hpp"
#include "masq/router/output.hpp"
#include "masq/router/pending_queue.hpp"
#include "masq/router/router_config.hpp"
#include "masq/router/routes.hpp"

namespace masq::router {

// The largest IPv4 packet `packet` puts on a link: itself, or for a TCP
// super-frame (gso_size != 0; the caller has checked that it is a whole
// TCP datagram) the first of the segments it becomes.
std::size_t wire_length(std::span<std::uint8_t> packet, std::uint16_t gso_size) noexcept;

// Destination Unreachable codes the router itself sends (RFC 792, RFC 1812 §4.3.3.1).
inline constexpr std::uint8_t kCodeNetUnreachable = 0;
inline constexpr std::uint8_t kCodeHostUnreachable = 1;

class Egress {
 public:
  // `cfg` must have passed validate(); `counters` outlives the Egress.
  // `worker`: whose IPv4 Identifications the gateway's own datagrams take.
  Egress(const RouterConfig& cfg, RouterCounters& counters, nat::WorkerSlice worker);

  void begin() noexcept;
  // The IPv4 Identification of the next datagram the gateway itself sends
  // (an ICMP error, an echo reply): none of them is atomic, so each takes
  // the next of this worker's IDs (RFC 6864 §4.1).
  std::uint16_t own_ip_id() noexcept { return nat::slice_ip_id(next_ip_id_++, worker_); }
  const Output& output() const noexcept { return output_; }
  // A datagram for the gateway's own service (local_udp.hpp).
  void deliver_local(const LocalDatagram& d) noexcept { output_.push_local(d); }
  void hand_off(const HandOff& h) noexcept { output_.hand_off(h); }
  const Routes& routes() const noexcept { return routes_; }
  // The WAN link's address, prefix and gateway changed (a DHCP lease):
  // routes and the gateway's own packets follow; the old address, where
  // it was an external one, becomes the new one.
  void readdress_wan(net::Ipv4Addr address, net::Ipv4Prefix prefix,
                     std::optional<net::Ipv4Addr> gateway);
  // The engine's external addresses are `externals` now (Router::set_externals).
  void set_externals(std::vector<nat::AddressRange> externals);
  const RouterConfig& config() const noexcept { return cfg_; }
  const InterfaceConfig& interface(Side side) const noexcept {
    return side == Side::lan ? cfg_.lan : cfg_.wan;
  }

  // Sends the IPv4 datagram `packet` out of `egress`. `origin` (null for
  // the router's own packets) is whom to tell when the next hop never
  // answers. gso_size: a TCP super-frame (router.hpp), sent whole when its
  // segments fit. Counted drops: no_route, df_too_big, gso_exceeds_mtu,
  // arp_*, tx_exhausted.
  void send_ipv4(Side egress, std::span<std::uint8_t> packet, const Origin* origin,
                 std::uint64_t now_ns, std::uint16_t gso_size = 0);

  // An ICMP error about `offending` (a datagram as it arrived on `side`)
  // back out of `side`, from the router's address there (RFC 1812 §4.3.2.4).
  // `mtu` is the next-hop MTU for fragmentation needed (RFC 1191), else 0.
  // Rate-limited (IcmpLimiter): one over the limit is counted as
  // icmp_errors_rate_limited and not sent.
  void send_icmp_error(Side side, std::span<const std::uint8_t> offending, std::uint8_t type,
                       std::uint8_t code, std::uint16_t mtu, std::uint64_t now_ns);

  // Room for one packet the router makes, with Ethernet headroom in front;
  // empty (counted as tx_exhausted) when every transmit buffer is taken.
  std::span<std::uint8_t> allocate_packet() noexcept;
  std::size_t tx_available() const noexcept { return arena_.available(); }

  void send_arp(Side side, const MacAddr& to, const ArpPacket& arp) noexcept;

  // The MAC the ARP cache of `side` binds `ip` to (reachable or probing), or null.
  const MacAddr* neighbour(Side side, net::Ipv4Addr ip) const noexcept {
    return (side == Side::lan ? arp_lan_ : arp_wan_).lookup(ip);
  }
  // A whole Ethernet frame as it is: to the host interface of `side`, or
  // (one the host interface sent) out on the wire of `side`.
  void to_host(Side side, net::Frame frame) noexcept;
  void from_host(Side side, net::Frame frame) noexcept;

  // A neighbour heard from on `side` (RFC 826 merge; `create` when the ARP
  // was addressed to us). Packets waiting for it go out now.
  void learn(Side side, net::Ipv4Addr ip, const MacAddr& mac, bool create, std::uint64_t now_ns);

  // ARP retries, polls and expiry; packets whose next hop failed are
  // dropped with ICMP host unreachable to their sender (RFC 1812 §4.3.3.1).
  void tick(std::uint64_t now_ns);

 private:
  ArpCache& arp(Side side) noexcept { return side == Side::lan ? arp_lan_ : arp_wan_; }
  void transmit(Side egress, const MacAddr& to, std::span<std::uint8_t> packet,
                std::uint16_t gso_size = 0) noexcept;
  void fragment(Side egress, const MacAddr& to, std::span<std::uint8_t> packet,
                std::uint16_t gso_size) noexcept;
  void enqueue(Side egress, net::Ipv4Addr next_hop, std::span<const std::uint8_t> packet,
               const Origin* origin, std::uint64_t now_ns, std::uint16_t gso_size) noexcept;
  void emit(Side side, std::uint8_t* frame, std::size_t length,
            std::uint16_t gso_size = 0) noexcept;

  RouterConfig cfg_;
  RouterCounters& counters_;
  nat::WorkerSlice worker_;
  std::uint16_t next_ip_id_ = 0;
  Routes routes_;
  ArpCache arp_lan_;
  ArpCache arp_wan_;
  PendingQueue pending_;
  FrameArena arena_;
  Output output_;
  IcmpLimiter icmp_limiter_;
};

}  // namespace masq::router
