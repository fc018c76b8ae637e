// IPv4 addresses and prefixes as plain values (host byte order inside).
// Cold helpers (parse, to_string) allocate; comparisons and tests of
// membership are constexpr and free.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace masq::net {

class Ipv4Addr {
 public:
  constexpr Ipv4Addr() = default;
  constexpr explicit Ipv4Addr(std::uint32_t host_order) : value_(host_order) {}

  static constexpr Ipv4Addr from_octets(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                        std::uint8_t d) {
    return Ipv4Addr((std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) |
                    std::uint32_t{d});
  }

  // Dotted quad only ("192.0.2.1"); no shorthand forms, no leading zeros.
  static std::optional<Ipv4Addr> parse(std::string_view text);

  constexpr std::uint32_t value() const { return value_; }
  std::string to_string() const;

  // RFC 1812 §5.3.7 / RFC 5735: sources a router must never forward.
  constexpr bool is_unspecified() const { return value_ == 0; }
  constexpr bool is_loopback() const { return (value_ >> 24) == 127; }
  constexpr bool is_multicast() const { return (value_ >> 28) == 0xE; }
  constexpr bool is_limited_broadcast() const { return value_ == 0xFFFFFFFFu; }
  constexpr bool is_reserved_class_e() const { return (value_ >> 28) == 0xF; }

  constexpr auto operator<=>(const Ipv4Addr&) const = default;

 private:
  std::uint32_t value_ = 0;
};

class Ipv4Prefix {
 public:
  constexpr Ipv4Prefix() = default;
  // The address is masked to the prefix length; len is clamped to 32.
  constexpr Ipv4Prefix(Ipv4Addr addr, std::uint8_t len)
      : len_(len > 32 ? std::uint8_t{32} : len), network_(addr.value() & mask_for(len_)) {}

  // "a.b.c.d/len" or a bare address (a /32).
  static std::optional<Ipv4Prefix> parse(std::string_view text);

  constexpr Ipv4Addr network() const { return Ipv4Addr(network_); }
  constexpr std::uint8_t length() const { return len_; }
  constexpr std::uint32_t mask() const { return mask_for(len_); }
  constexpr Ipv4Addr broadcast() const { return Ipv4Addr(network_ | ~mask()); }
  constexpr bool contains(Ipv4Addr a) const { return (a.value() & mask()) == network_; }
  std::string to_string() const;

  constexpr auto operator<=>(const Ipv4Prefix&) const = default;

 private:
  static constexpr std::uint32_t mask_for(std::uint8_t len) {
    return len == 0 ? 0u : ~std::uint32_t{0} << (32 - len);
  }
  std::uint8_t len_ = 0;
  std::uint32_t network_ = 0;
};

}  // namespace masq::net
