// run_replay: the loop of masq-replay. Reads the LAN and WAN captures,
// merges them by timestamp and feeds them in batches to a router::Router
// driving a nat::Engine, built from the config exactly as masqd builds its
// own (config::router_config): reassembly, MTU and fragmentation, TTL, the
// gateway's own ICMP, ARP and martians all happen as in masqd. What the
// router sends on a side is written to that side's output.
//
// Link layer. Ethernet frames go to the router as captured, except that
// their VLAN tags are removed (a capture from a trunk or mirror port) and
// a unicast frame is taken as addressed to the gateway (the capture is
// what reached the gateway, whatever MAC the real one had). Raw-IP packets
// are wrapped in an Ethernet header from the side's peer MAC to the
// gateway's MAC. An output has its own input's link type, else the other
// input's, else raw IPv4; on a raw-IP output the Ethernet header is taken
// off again, and what is not IPv4 (an ARP reply) is not written.
//
// Next hops. The router resolves them with ARP, but a capture cannot
// answer, and a replay invents no traffic: no ARP request of the router's
// is ever written. Instead:
//   - each IPv4 frame teaches the router that the hop towards its source
//     (the host itself on the side's prefix, else the WAN gateway) uses the
//     frame's source MAC (Router::learn);
//   - an ARP request the router sends anyway (a host never seen, an entry
//     past its reachable time) is answered at once, unseen, with the MAC it
//     was sent to when that is unicast (a poll of a known host) or with
//     the side's peer MAC (kLanPeerMac, kWanPeerMac) when broadcast. So
//     a packet to a host never seen leaves to the side's peer MAC, after
//     the packets of its batch that needed no answer.
// With no WAN gateway in the config, masq-replay stands one in (see
// replay_wan_gateway()): a capture of WAN traffic came from somewhere.
// Gratuitous ARP at start is not sent.
//
// MTU. Each side's is the configured [lan]/[wan] mtu, else 1500. A frame
// larger than its side's MTU is dropped as masqd drops it
// (router.drop.exceeds_ingress_mtu): a capture taken where offloads merged
// segments needs a larger mtu to be replayed whole.
//
// Merge order is stable: on equal timestamps LAN frames come first, then
// each file's own order. A batch is a run of consecutive frames from one
// side with one timestamp (at most kMaxBatch). Output frames carry the
// timestamp of the batch (or router tick) that made them. The router's
// timers tick every kTickNs of capture time. Deterministic: the same
// inputs and config (seed included) give byte-identical outputs. Cold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "masq/config/config.hpp"
#include "masq/nat/counters.hpp"
#include "masq/router/counters.hpp"
#include "masq/router/ethernet.hpp"

namespace masq::replay {

inline constexpr std::size_t kMaxBatch = 32;
// As masqd: ARP retries are counted in hundreds of milliseconds.
inline constexpr std::uint64_t kTickNs = 10'000'000;

// The gateway's own MACs, and the stand-in for every neighbour on a side
// that a capture does not show (raw-IP inputs, hosts never seen). Fixed so
// that outputs are reproducible; locally administered unicast (IEEE 802:
// U/L bit set, I/G bit clear) so that they cannot clash with real NICs.
inline constexpr router::MacAddr kLanGatewayMac({0x02, 0x00, 0x00, 0x00, 0x00, 0x01});
inline constexpr router::MacAddr kWanGatewayMac({0x02, 0x00, 0x00, 0x00, 0x00, 0x02});
inline constexpr router::MacAddr kLanPeerMac({0x02, 0x00, 0x00, 0x00, 0x01, 0x01});
inline constexpr router::MacAddr kWanPeerMac({0x02, 0x00, 0x00, 0x00, 0x01, 0x02});

struct ReplayFiles {
  std::optional<std::filesystem::path> lan_in;  // absent: that side has no input
  std::optional<std::filesystem::path> wan_in;
  std::filesystem::path lan_out;
  std::filesystem::path wan_out;
};

struct SideStats {
  std::uint64_t frames_in = 0;    // every frame read, whatever it held
  std::uint64_t not_ipv4 = 0;     // skipped: neither IPv4 nor ARP
  std::uint64_t malformed = 0;    // skipped: too short for the link header
  std::uint64_t packets_out = 0;  // written to this side's output, ICMP errors included
};

struct ReplayStats {
  SideStats lan;
  SideStats wan;
  std::uint64_t icmp_sent = 0;        // ICMP errors the gateway sent
  std::uint64_t icmp_suppressed = 0;  // errors RFC 1812 §4.3.2.7 forbids answering
  nat::Counters engine;
  router::RouterCounters router;
  std::size_t sessions = 0;  // live sessions after the last packet
};

// The next hop masq-replay assumes off the WAN prefix when the config names
// none: the highest host address of the prefix that is neither the WAN
// address nor one the engine translates to; none when there is no such
// address (a /32, a prefix the pool fills).
std::optional<net::Ipv4Addr> replay_wan_gateway(const config::Config& cfg);

// Throws ReplayError: kExitUsage for unreadable or unsupported inputs and
// outputs that cannot be created, kExitRuntime for write failures.
ReplayStats run_replay(const config::Config& cfg, const ReplayFiles& files);

}  // namespace masq::replay
