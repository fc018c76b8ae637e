// Router: the gateway's own L2/L3 duties around the NAT engine. Ethernet
// frames in, Ethernet frames out, for one LAN and one WAN link whose
// addresses are masq's own (the kernel has none on them).
//
// For each frame of a batch from one side:
//   ARP      answered for our addresses (the WAN address and the engine's
//            external addresses in the WAN prefix on the WAN; the LAN
//            address on the LAN), and learnt from (RFC 826);
//   for us   ICMP echo requests to our interface addresses are answered
//            (RFC 1122 §3.2.2.6, RFC 1812 §4.3.3.6); UDP 5351 on the LAN
//            address from the LAN is handed out in Output::local() (PCP,
//            local_udp.hpp); what the engine owns (traffic to the WAN
//            address when it is one of the engine's external addresses)
//            is the engine's; the rest goes to the side's host interface
//            when there is one (HostConfig), else it is dropped;
//   guard    with source_guard, LAN packets only from sources whose IP-MAC
//            binding ARP knows (source_guard.hpp);
//   host     with host interfaces: the WAN address's host ports
//            (HostConfig::ports) and what the engine finds no session for
//            on the WAN address go to the WAN host interface, whose
//            firewall decides; ARP replies to us are copied there too (the
//            host resolves its own neighbours), as are link broadcasts
//            (DHCP); what the host sends leaves on the wire (from_host());
//   options  source-routed packets dropped (unless allowed), Record Route
//            and Timestamp options of LAN packets overwritten with NOPs
//            (ip_options.hpp, RFC 7126);
//   transit  screened (martians, broadcasts, MTU, route); fragments are
//            reassembled first (Reassembler, RFC 4787 REQ-14), so the
//            engine only sees whole datagrams; then handed to
//            nat::Engine::process() as one batch; each verdict is then
//            carried out: next hop, ARP, Ethernet header, fragmentation,
//            or an ICMP error from our address on the side it came from.
// The engine decrements the TTL; the router never does.
//
// Ownership: the Router uses the Engine, it does not own it. Output
// frames point into the caller's rx frames (rewritten in place, so those
// buffers must stay untouched until sent) or into router buffers
// (reassembled datagrams included); both stay
// valid until the next call of start(), process() or tick().
// No sockets, clocks, threads, logging; no allocation after construction.
// Not thread-safe: one Router per Engine per worker thread. Hot: process().
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "masq/nat/engine.hpp"
#include "masq/router/counters.hpp"
#include "masq/router/egress.hpp"
#include "masq/router/martian.hpp"
#include "masq/router/output.hpp"
#include "masq/router/reassembler.hpp"
#include "masq/router/router_config.hpp"

namespace masq::router {

class Router {
 public:
  // Throws std::invalid_argument when validate(cfg) finds problems.
  Router(const RouterConfig& cfg, nat::Engine& engine);

  // Gratuitous ARP (RFC 5227 §2.3 announcements) for our addresses on both
  // sides; external addresses beyond the transmit buffers follow in tick().
  const Output& start();
  // The WAN address, prefix and gateway changed (a DHCP lease; 0.0.0.0/32
  // and no gateway while there is none): routing, ARP answers, the martian
  // checks and the gateway's own packets follow, and the new address is
  // announced (gratuitous ARP), as by start(). The engine is readdressed
  // by its owner (nat::Engine::readdress()).
  const Output& readdress_wan(net::Ipv4Addr address, net::Ipv4Prefix prefix,
                              std::optional<net::Ipv4Addr> gateway);
  // The engine's external addresses changed (a reload, a static rule
  // added or removed: router::external_addresses() of its new config):
  // ARP is answered for the new set on the WAN, which is announced.
  const Output& set_externals(std::vector<nat::AddressRange> externals);

  // Frames received on `side` (as io's FramePort::receive() fills them),
  // rewritten in place; at most RouterConfig::max_batch of them (the rest
  // are counted as batch_too_large). A TCP super-frame (net::Frame::gso_size)
  // is translated once, judged against the MTUs by the size of its
  // segments, and sent on marked the same way; a super-frame that is not a
  // whole TCP datagram is dropped (gso_not_tcp).
  const Output& process(std::span<const net::Frame> rx, Side side, std::uint64_t now_ns);

  // Frames the host interface of `side` sent (its kernel's ARP and IPv4,
  // addressed by its own neighbour table): out on the wire of `side` as
  // they are; at most RouterConfig::max_batch (the rest are counted as
  // batch_too_large).
  const Output& from_host(std::span<const net::Frame> rx, Side side);

  // IPv4 packets (no link header, but kEthernetHeader writable bytes in
  // front of each for the one it will get) that arrived on `side` at
  // another worker, whose Output::hand_offs() said they belong here: taken
  // as if they had arrived here, never handed off again. Same batch bound
  // and lifetime rules as process(). With several workers (the engine's
  // worker().count > 1), process() hands such packets off instead of
  // taking them; one larger than the side's MTU cannot be (a super-frame,
  // a reassembled datagram) and is dropped as hand_off_too_large.
  const Output& process_handed(std::span<const net::Frame> packets, Side side,
                               std::uint64_t now_ns);
  // ARP retries, polls and expiry. ARP timers move only here: call it a
  // few times per arp.retry_ms. Also answers the unsolicited SYNs the
  // engine held (nat::Engine::release_held_syns, RFC 5382 REQ-4).
  const Output& tick(std::uint64_t now_ns);

  // A neighbour known by other means than ARP: `ip` uses `mac` on `side`,
  // as a driver that watches the link itself finds out (masq-replay learns
  // from the source MACs of its captured frames). Merged as an ARP message
  // addressed to us would be (RFC 826), creating the entry. Ignored (false)
  // when `ip` is off the side's prefix or one of ours, or `mac` is not a
  // unicast station address. Packets that waited for `ip` join the Output
  // of the last call, which the caller has not sent yet. Cold.
  bool learn(Side side, net::Ipv4Addr ip, const MacAddr& mac, std::uint64_t now_ns);

  const RouterCounters& counters() const noexcept { return counters_; }

 private:
  void handle_frame(const net::Frame& frame, Side side, std::uint64_t now_ns);
  void run_batch(Side side, std::uint64_t now_ns);
  // True when `parsed` belongs to another worker: then it was handed off
  // (or dropped, too large to be).
  bool handed_off(const net::ParsedPacket& parsed, std::span<const std::uint8_t> packet,
                  std::uint16_t gso_size, Side side);
  void handle_arp(const net::Frame& frame, Side side, std::uint64_t now_ns);
  // `from`: the frame's source MAC (source guard, a local datagram's next
  // hop); null for a packet another worker handed over, already screened.
  void handle_ipv4(std::span<std::uint8_t> bytes, std::uint16_t gso_size, Side side,
                   const MacAddr* from, std::uint64_t now_ns);
  bool handle_local(const net::ParsedPacket& pkt, std::span<std::uint8_t> packet,
                    std::uint16_t gso_size, Side side, const MacAddr* from, std::uint64_t now_ns);
  bool deliver_pcp(const net::ParsedPacket& pkt, Side side, const MacAddr* from);
  bool is_host_port(const net::ParsedPacket& pkt) const noexcept;
  // `packet` (an IPv4 packet with room for an Ethernet header in front) to
  // the host interface of `side`, in the frame it came in, or with
  // `write_header` in a new one from and to our MAC there.
  void to_host(std::span<std::uint8_t> packet, std::uint16_t gso_size, Side side,
               bool write_header) noexcept;
  // `parsed` is handle_ipv4()'s parse of `packet`; the engine gets it as it is.
  void admit_transit(const net::ParsedPacket& parsed, std::span<std::uint8_t> packet,
                     std::uint16_t gso_size, Side side, std::uint64_t now_ns);
  void to_batch(const net::ParsedPacket& parsed, net::ParseError error,
                std::span<std::uint8_t> packet, std::uint16_t gso_size, Side side) noexcept;
  // RFC 1191: DF set and too big for the `egress` link: counted as
  // frag_needed and answered with ICMP 3/4 and the link's MTU on `from`,
  // quoting `quote` (the datagram as its sender made it).
  bool too_big(std::span<std::uint8_t> packet, std::uint16_t gso_size, Side from, Side egress,
               std::span<const std::uint8_t> quote, std::uint64_t now_ns);
  void begin() noexcept;
  void carry_out(std::size_t index, Side side, std::uint64_t now_ns);
  bool owns(Side side, net::Ipv4Addr a) const noexcept;
  bool is_local(Side side, net::Ipv4Addr a) const noexcept;
  void announce_externals();
  // Starts announcing every external address on the WAN link again.
  void announce_anew();
  // A gratuitous ARP for the address of `side`, when it has one.
  void announce_address(Side side);

  RouterCounters counters_;
  Egress egress_;
  MartianFilter martians_;
  Reassembler reassembler_;
  nat::Engine& engine_;
  std::uint32_t max_batch_;
  std::uint8_t ttl_;
  bool allow_source_route_;
  bool source_guard_;
  std::uint16_t min_mtu_;  // packets no larger fit either side: no egress to work out
  bool wan_address_is_external_;
  bool local_pcp_;
  HostConfig host_;
  // Packets of other workers are handed off: several workers, and the call
  // is process() (a packet handed in is this worker's).
  bool may_hand_off_ = false;

  // The transit batch of the current call, and for each packet the
  // untranslated start of the datagram (for ICMP host unreachable should its
  // next hop never answer: one 68-byte copy per packet).
  std::vector<nat::PacketRef> batch_;
  std::vector<std::span<std::uint8_t>> packets_;  // the bytes of each
  std::vector<nat::Verdict> verdicts_;
  std::vector<Origin> origins_;
  std::vector<std::uint16_t> gso_sizes_;
  std::size_t batch_size_ = 0;

  // Gratuitous ARP for the external addresses in the WAN prefix, spread
  // over start() and tick() calls as transmit buffers allow. Nothing is
  // due (announce_range_ == to_announce_.size()) until start().
  std::vector<nat::AddressRange> to_announce_;
  std::size_t announce_range_;
  std::uint64_t announce_next_ = 0;
};

}  // namespace masq::router
