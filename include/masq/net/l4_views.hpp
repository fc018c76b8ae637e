// Views over the TCP, UDP and ICMP headers. Like Ipv4View they trust their
// caller (the parser) to have proved that the header fits.
#pragma once

#include <cstdint>

#include "masq/net/byte_order.hpp"

namespace masq::net {

inline constexpr std::size_t kTcpMinHeader = 20;
inline constexpr std::size_t kUdpHeader = 8;
inline constexpr std::size_t kIcmpHeader = 8;

// TCP and UDP share the port layout; the checksum sits at different offsets.
class TcpView {
 public:
  explicit TcpView(std::uint8_t* data) : p_(data) {}
  static constexpr std::size_t kChecksumOffset = 16;
  static constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;

  std::uint16_t src_port() const { return load_be16(p_); }
  std::uint16_t dst_port() const { return load_be16(p_ + 2); }
  std::uint32_t seq() const { return load_be32(p_ + 4); }
  std::uint32_t ack() const { return load_be32(p_ + 8); }
  std::size_t header_length() const { return std::size_t{p_[12]} >> 4 << 2; }
  std::uint8_t flags() const { return p_[13]; }
  bool syn() const { return (p_[13] & kSyn) != 0; }
  bool fin() const { return (p_[13] & kFin) != 0; }
  bool rst() const { return (p_[13] & kRst) != 0; }
  bool ack_flag() const { return (p_[13] & kAck) != 0; }
  std::uint16_t checksum() const { return load_be16(p_ + kChecksumOffset); }

  void set_src_port(std::uint16_t v) const { store_be16(p_, v); }
  void set_dst_port(std::uint16_t v) const { store_be16(p_ + 2, v); }
  void set_checksum(std::uint16_t v) const { store_be16(p_ + kChecksumOffset, v); }

 private:
  std::uint8_t* p_;
};

class UdpView {
 public:
  explicit UdpView(std::uint8_t* data) : p_(data) {}
  static constexpr std::size_t kChecksumOffset = 6;

  std::uint16_t src_port() const { return load_be16(p_); }
  std::uint16_t dst_port() const { return load_be16(p_ + 2); }
  std::uint16_t length() const { return load_be16(p_ + 4); }
  std::uint16_t checksum() const { return load_be16(p_ + kChecksumOffset); }

  void set_src_port(std::uint16_t v) const { store_be16(p_, v); }
  void set_dst_port(std::uint16_t v) const { store_be16(p_ + 2, v); }
  void set_checksum(std::uint16_t v) const { store_be16(p_ + kChecksumOffset, v); }

 private:
  std::uint8_t* p_;
};

namespace icmp {
inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestUnreachable = 3;
inline constexpr std::uint8_t kSourceQuench = 4;
inline constexpr std::uint8_t kRedirect = 5;
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kTimeExceeded = 11;
inline constexpr std::uint8_t kParameterProblem = 12;

// Destination Unreachable codes used by a NAT (RFC 792, RFC 1812 §5.2.7.1).
inline constexpr std::uint8_t kCodePortUnreachable = 3;
inline constexpr std::uint8_t kCodeFragNeeded = 4;
inline constexpr std::uint8_t kCodeAdminProhibited = 13;

// Types whose body quotes the offending datagram (RFC 5508 §4, RFC 792).
constexpr bool is_error(std::uint8_t type) {
  return type == kDestUnreachable || type == kSourceQuench || type == kRedirect ||
         type == kTimeExceeded || type == kParameterProblem;
}
constexpr bool is_echo(std::uint8_t type) {
  return type == kEchoRequest || type == kEchoReply;
}
}  // namespace icmp

class IcmpView {
 public:
  explicit IcmpView(std::uint8_t* data) : p_(data) {}
  static constexpr std::size_t kChecksumOffset = 2;

  std::uint8_t type() const { return p_[0]; }
  std::uint8_t code() const { return p_[1]; }
  std::uint16_t checksum() const { return load_be16(p_ + kChecksumOffset); }
  // Echo request/reply only.
  std::uint16_t echo_id() const { return load_be16(p_ + 4); }
  std::uint16_t echo_seq() const { return load_be16(p_ + 6); }
  // Destination Unreachable / fragmentation needed only (RFC 1191).
  std::uint16_t next_hop_mtu() const { return load_be16(p_ + 6); }

  void set_checksum(std::uint16_t v) const { store_be16(p_ + kChecksumOffset, v); }
  void set_echo_id(std::uint16_t v) const { store_be16(p_ + 4, v); }

 private:
  std::uint8_t* p_;
};

}  // namespace masq::net
