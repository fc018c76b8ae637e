// ARP (RFC 826) for IPv4 over Ethernet: the 28-byte packet as a value, and
// its decoding and encoding. Other hardware or protocol types are refused:
// masq speaks ARP only for IPv4 on Ethernet. Cold-ish: ARP is rare next to
// data traffic; no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "masq/net/ipv4_addr.hpp"
#include "masq/router/ethernet.hpp"

namespace masq::router {

inline constexpr std::size_t kArpLength = 28;
inline constexpr std::size_t kArpFrameLength = kEthernetHeader + kArpLength;

enum class ArpOp : std::uint16_t { request = 1, reply = 2 };

struct ArpPacket {
  ArpOp op = ArpOp::request;
  MacAddr sender_mac;
  net::Ipv4Addr sender_ip;
  MacAddr target_mac;
  net::Ipv4Addr target_ip;

  // A request for `target` (the target hardware address is unknown: zero).
  static ArpPacket request(const MacAddr& our_mac, net::Ipv4Addr our_ip, net::Ipv4Addr target) {
    return {ArpOp::request, our_mac, our_ip, MacAddr(), target};
  }
  // The answer to `req`, saying that req.target_ip is at `our_mac`.
  static ArpPacket reply_to(const ArpPacket& req, const MacAddr& our_mac) {
    return {ArpOp::reply, our_mac, req.target_ip, req.sender_mac, req.sender_ip};
  }
  // Gratuitous ARP, in the form of an ARP announcement (RFC 5227 §2.3):
  // a request with the sender's address as both sender and target.
  static ArpPacket announcement(const MacAddr& our_mac, net::Ipv4Addr our_ip) {
    return {ArpOp::request, our_mac, our_ip, MacAddr(), our_ip};
  }

  bool operator==(const ArpPacket&) const = default;
};

// The ARP packet in the payload of an Ethernet frame (trailing padding is
// allowed), or nullopt if it is not Ethernet/IPv4 ARP with a known opcode.
std::optional<ArpPacket> decode_arp(std::span<const std::uint8_t> payload) noexcept;

// Writes kArpLength bytes.
void encode_arp(const ArpPacket& arp, std::uint8_t* out) noexcept;

}  // namespace masq::router
