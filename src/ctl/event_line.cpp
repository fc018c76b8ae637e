#include "masq/ctl/event_line.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace masq::ctl {
namespace {

constexpr std::int64_t kNsPerS = 1'000'000'000;

// Digits [0, n) of `text` from `pos` as a number; false when not all digits.
bool digits(std::string_view text, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > text.size()) return false;
  const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + n, out);
  return ec == std::errc{} && end == text.data() + pos + n;
}

// ".123456789" from `pos`: the fraction of a second in nanoseconds; moves
// `pos` past it.
std::int64_t fraction_ns(std::string_view text, std::size_t& pos) {
  std::int64_t ns = 0;
  if (pos >= text.size() || text[pos] != '.') return 0;
  ++pos;
  std::int64_t scale = kNsPerS / 10;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    ns += (text[pos] - '0') * scale;
    scale /= 10;
    ++pos;
  }
  return ns;
}

std::optional<UnixNs> parse_unix_seconds(std::string_view text) {
  std::int64_t s = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), s);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  std::size_t pos = static_cast<std::size_t>(end - text.data());
  const std::int64_t ns = fraction_ns(text, pos);
  if (pos != text.size() || s < 0 || s > INT64_MAX / kNsPerS - 1) return std::nullopt;
  return s * kNsPerS + ns;
}

std::optional<UnixNs> parse_iso8601(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, hour) ||
      text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
      !digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::size_t pos = 19;
  const std::int64_t ns = fraction_ns(text, pos);
  std::int64_t offset_s = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    const bool colon = pos + 3 < text.size() && text[pos + 3] == ':';
    if (!digits(text, pos + 1, 2, oh) || !digits(text, pos + (colon ? 4 : 3), 2, om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset_s = (text[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += colon ? 6 : 5;
  }
  if (pos != text.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t t = ::timegm(&tm);
  return (static_cast<std::int64_t>(t) - offset_s) * kNsPerS + ns;
}

}  // namespace

std::string format_time(UnixNs t) {
  const std::int64_t s = t >= 0 ? t / kNsPerS : (t - kNsPerS + 1) / kNsPerS;
  const std::int64_t us = (t - s * kNsPerS) / 1000;
  const std::time_t tt = static_cast<std::time_t>(s);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(us));
  return buf;
}

std::optional<UnixNs> parse_time(std::string_view text) {
  if (text.size() >= 10 && text[4] == '-') return parse_iso8601(text);
  return parse_unix_seconds(text);
}

std::string endpoint_text(net::Ipv4Addr addr, net::Port port) {
  return addr.to_string() + ':' + std::to_string(port.value());
}

nlohmann::ordered_json event_json(const nat::SessionEvent& e, std::int64_t wall_offset_ns) {
  nlohmann::ordered_json j{
      {"time", format_time(static_cast<std::int64_t>(e.time_ns) + wall_offset_ns)},
      {"event", nat::to_string(e.type)},
      {"proto", net::to_string(e.proto)},
      {"inside", endpoint_text(e.internal_addr, e.internal_port)},
      {"outside", endpoint_text(e.external_addr, e.external_port)},
  };
  if (e.remote_addr != net::Ipv4Addr() || e.remote_port.value() != 0)
    j["remote"] = endpoint_text(e.remote_addr, e.remote_port);
  j["kind"] = nat::to_string(e.kind);
  if (e.type == nat::EventType::delete_) j["reason"] = nat::to_string(e.reason);
  return j;
}

}  // namespace masq::ctl
