#include "masq/net/ipv4_addr.hpp"

#include <charconv>

namespace masq::net {
namespace {

// One decimal number in [0, max], no sign, no leading zeros.
std::optional<std::uint32_t> parse_decimal(std::string_view text, std::uint32_t max) {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text.front() == '0')) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Ipv4Addr> Ipv4Addr::parse(std::string_view text) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    const auto dot = text.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return std::nullopt;
    const auto octet = parse_decimal(text.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    value = (value << 8) | *octet;
    text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  }
  return Ipv4Addr(value);
}

std::string Ipv4Addr::to_string() const {
  return std::to_string(value_ >> 24) + '.' + std::to_string((value_ >> 16) & 0xFF) + '.' +
         std::to_string((value_ >> 8) & 0xFF) + '.' + std::to_string(value_ & 0xFF);
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto addr = Ipv4Addr::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  if (slash == std::string_view::npos) return Ipv4Prefix(*addr, 32);
  const auto len = parse_decimal(text.substr(slash + 1), 32);
  if (!len) return std::nullopt;
  return Ipv4Prefix(*addr, static_cast<std::uint8_t>(*len));
}

std::string Ipv4Prefix::to_string() const {
  return network().to_string() + '/' + std::to_string(len_);
}

}  // namespace masq::net
