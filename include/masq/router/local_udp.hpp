// Local UDP delivery: datagrams for a service of the gateway itself (PCP
// and NAT-PMP on UDP 5351 of the LAN address, RFC 6887 §8.3, RFC 6886
// §3), handed out by the router instead of being translated, and the
// frames that carry the service's answers back. The router stays pure: it
// names the datagram and its source; the caller runs the service and
// builds the answer with build_udp_frame(). Cold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/parse.hpp"
#include "masq/net/side.hpp"
#include "masq/router/ethernet.hpp"

namespace masq::router {

// RFC 6887 §19.1: the server port (NAT-PMP's too, RFC 6886 §3). The
// router delivers what arrives there; the protocol is pcp's.
inline constexpr std::uint16_t kPcpServerPort = 5351;
// DHCP (RFC 2131 §4.1): servers listen on 67, clients on 68.
inline constexpr std::uint16_t kDhcpServerPort = 67;
inline constexpr std::uint16_t kDhcpClientPort = 68;

// A datagram for the gateway. `payload` points into the caller's rx frame
// and stays valid until the router's next call, as Output's frames do.
struct LocalDatagram {
  Side side = Side::lan;
  MacAddr src_mac;  // where the frame came from: the answer's next hop
  net::Ipv4Addr src;
  std::uint16_t src_port = 0;
  net::Ipv4Addr dst;
  std::uint16_t dst_port = 0;
  std::span<const std::uint8_t> payload;
};

// The UDP datagram `pkt` (a whole one, addressed to us) as a LocalDatagram
// without side and MAC; nullopt when it is no UDP, a fragment, or its UDP
// length or checksum is wrong (a zero checksum means none, RFC 768).
std::optional<LocalDatagram> read_local_udp(const net::ParsedPacket& pkt) noexcept;

// An answer or announcement from the gateway: src -> dst, in an Ethernet
// frame src_mac -> dst_mac (for a multicast dst, its group MAC: RFC 1112
// §6.4).
struct UdpFrameSpec {
  MacAddr src_mac;
  MacAddr dst_mac;
  net::Ipv4Addr src;
  std::uint16_t src_port = 0;
  net::Ipv4Addr dst;
  std::uint16_t dst_port = 0;
  std::uint16_t ip_id = 0;
  std::uint8_t ttl = 64;
};

inline constexpr std::size_t kUdpFrameOverhead = kEthernetHeader + 20 + 8;

// Writes the frame into `out` with its IPv4 and UDP checksums; returns its
// length, 0 when `out` is too small or the datagram too long for IPv4.
std::size_t build_udp_frame(const UdpFrameSpec& spec, std::span<const std::uint8_t> payload,
                            std::span<std::uint8_t> out) noexcept;

// The Ethernet group address of an IPv4 multicast address (RFC 1112 §6.4).
MacAddr multicast_mac(net::Ipv4Addr group) noexcept;

}  // namespace masq::router
