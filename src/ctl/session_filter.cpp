#include "masq/ctl/session_filter.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace masq::ctl {
namespace {

template <typename T>
std::optional<T> number(std::string_view text, T max = std::numeric_limits<T>::max()) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max)
    return std::nullopt;
  return value;
}

std::string joined(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

template <std::size_t N>
std::string joined(const net::NameTable<N>& names) {
  return joined(std::span<const std::string_view>(names));
}

template <typename T>
bool mismatch(const std::optional<T>& want, const T& have) {
  return want && !(*want == have);
}

}  // namespace

std::string SessionFilter::set(std::string_view key, std::string_view text) {
  const auto k = net::value_named<FilterKey>(kFilterKeyNames, key);
  if (!k)
    return "unknown filter \"" + std::string(key) + "\" (known: " + joined(kFilterKeyNames) + ")";
  const auto bad = [&](std::string_view want) {
    return "bad " + std::string(key) + " '" + std::string(text) + "' (want " + std::string(want) +
           ")";
  };
  const auto address = [&](std::optional<net::Ipv4Addr>& field) {
    field = net::Ipv4Addr::parse(text);
    return field ? std::string{} : bad("an IPv4 address");
  };
  const auto port = [&](std::optional<net::Port>& field) {
    const auto p = number<std::uint16_t>(text);
    if (p) field = net::Port(*p);
    return p ? std::string{} : bad("a port 0..65535");
  };
  const auto seconds = [&](std::optional<std::uint32_t>& field) {
    field = number<std::uint32_t>(text);
    return field ? std::string{} : bad("seconds");
  };
  std::string error;
  switch (*k) {
    case FilterKey::proto:
      proto_ = net::parse_proto(text);
      if (!proto_) error = bad("tcp, udp or icmp");
      break;
    case FilterKey::inside:
      error = address(inside_);
      break;
    case FilterKey::inside_port:
      error = port(inside_port_);
      break;
    case FilterKey::outside:
      error = address(outside_);
      break;
    case FilterKey::outside_port:
      error = port(outside_port_);
      break;
    case FilterKey::remote:
      error = address(remote_);
      break;
    case FilterKey::remote_port:
      error = port(remote_port_);
      break;
    case FilterKey::state: {
      const auto names = nat::session_state_names();
      const auto it = std::find(names.begin(), names.end(), text);
      if (it != names.end()) state_ = *it;
      if (it == names.end()) error = bad(joined(names));
      break;
    }
    case FilterKey::kind:
      kind_ = nat::parse_session_kind(text);
      if (!kind_) error = bad(joined(nat::kSessionKindNames));
      break;
    case FilterKey::min_idle:
      error = seconds(min_idle_s_);
      break;
    case FilterKey::max_idle:
      error = seconds(max_idle_s_);
      break;
  }
  if (error.empty()) json_[std::string(key)] = std::string(text);
  return error;
}

bool SessionFilter::matches(const nat::SessionView& s) const {
  return !(mismatch(proto_, s.proto) || mismatch(inside_, s.internal_addr) ||
           mismatch(inside_port_, s.internal_port) || mismatch(outside_, s.external_addr) ||
           mismatch(outside_port_, s.external_port) || mismatch(remote_, s.remote_addr) ||
           mismatch(remote_port_, s.remote_port) || mismatch(state_, s.state) ||
           mismatch(kind_, s.kind) || (min_idle_s_ && s.idle_s < *min_idle_s_) ||
           (max_idle_s_ && s.idle_s > *max_idle_s_));
}

SessionFilter::Parsed SessionFilter::from_json(const nlohmann::json& j) {
  Parsed out;
  if (!j.is_object()) {
    out.error = "\"filter\" is not an object";
    return out;
  }
  for (const auto& [key, value] : j.items()) {
    if (!value.is_string()) {
      out.error = "filter \"" + key + "\" is not a string";
      return out;
    }
    out.error = out.filter.set(key, value.get<std::string>());
    if (!out.error.empty()) return out;
  }
  return out;
}

}  // namespace masq::ctl
