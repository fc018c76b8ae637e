// Ipv4View: accessors over an IPv4 header in a mutable byte buffer.
// The view does no checking of its own: construct it from a ParseResult
// (parse.hpp), which has proved that the header and options fit.
#pragma once

#include <cstdint>
#include <span>

#include "masq/net/byte_order.hpp"
#include "masq/net/ipv4_addr.hpp"

namespace masq::net {

inline constexpr std::size_t kIpv4MinHeader = 20;

class Ipv4View {
 public:
  Ipv4View() = default;
  explicit Ipv4View(std::uint8_t* data) : p_(data) {}

  std::uint8_t* data() const { return p_; }
  std::uint8_t version() const { return p_[0] >> 4; }
  std::size_t header_length() const { return std::size_t{p_[0] & 0x0Fu} * 4; }
  std::uint8_t tos() const { return p_[1]; }
  std::uint16_t total_length() const { return load_be16(p_ + 2); }
  std::uint16_t id() const { return load_be16(p_ + 4); }
  bool dont_fragment() const { return (p_[6] & 0x40) != 0; }
  bool more_fragments() const { return (p_[6] & 0x20) != 0; }
  std::size_t fragment_offset_bytes() const { return std::size_t{load_be16(p_ + 6) & 0x1FFFu} * 8; }
  bool is_fragment() const { return more_fragments() || fragment_offset_bytes() != 0; }
  std::uint8_t ttl() const { return p_[8]; }
  std::uint8_t protocol() const { return p_[9]; }
  std::uint16_t checksum() const { return load_be16(p_ + 10); }
  Ipv4Addr src() const { return Ipv4Addr(load_be32(p_ + 12)); }
  Ipv4Addr dst() const { return Ipv4Addr(load_be32(p_ + 16)); }
  std::span<std::uint8_t> header() const { return {p_, header_length()}; }

  void set_id(std::uint16_t id) const { store_be16(p_ + 4, id); }
  void set_ttl(std::uint8_t ttl) const { p_[8] = ttl; }
  void set_checksum(std::uint16_t c) const { store_be16(p_ + 10, c); }
  void set_src(Ipv4Addr a) const { store_be32(p_ + 12, a.value()); }
  void set_dst(Ipv4Addr a) const { store_be32(p_ + 16, a.value()); }

 private:
  std::uint8_t* p_ = nullptr;
};

}  // namespace masq::net
