// Transport-level value types: Port (also used for ICMP echo identifiers,
// which NAT treats as ports, RFC 5508 §3.1) and Proto (IP protocol numbers).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

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

std::string_view to_string(Proto p);
std::optional<Proto> parse_proto(std::string_view name);  // "tcp", "udp", "icmp"

}  // namespace masq::net
