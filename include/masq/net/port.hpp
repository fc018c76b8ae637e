// Transport-level value types: Port (also used for ICMP echo identifiers,
// which NAT treats as ports, RFC 5508 §3.1) and Proto (IP protocol numbers).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace masq::net {

class Port {
 public:
  constexpr Port() = default;
  constexpr explicit Port(std::uint16_t value) : value_(value) {}
  constexpr std::uint16_t value() const { return value_; }
  // RFC 4787 REQ-3a: ports 0-1023 are mapped within 0-1023.
  constexpr bool is_well_known() const { return value_ < 1024; }
  constexpr auto operator<=>(const Port&) const = default;

 private:
  std::uint16_t value_ = 0;
};

enum class Proto : std::uint8_t { icmp = 1, tcp = 6, udp = 17 };

constexpr bool is_supported_proto(std::uint8_t number) {
  return number == 1 || number == 6 || number == 17;
}

// The protocols and their names, listed once (their numbers are IANA's, so
// the names are not indexed by value).
inline constexpr std::array<std::pair<Proto, std::string_view>, 3> kProtoNames{{
    {Proto::icmp, "icmp"},
    {Proto::tcp, "tcp"},
    {Proto::udp, "udp"},
}};

constexpr std::string_view to_string(Proto p) {
  for (const auto& [proto, name] : kProtoNames) {
    if (proto == p) return name;
  }
  return "unknown";
}

constexpr std::optional<Proto> parse_proto(std::string_view name) {  // "tcp", "udp", "icmp"
  for (const auto& [proto, n] : kProtoNames) {
    if (n == name) return proto;
  }
  return std::nullopt;
}

}  // namespace masq::net
