#include "scenarios/packet_checks.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace masq::test {
namespace {

bool in_any(const std::vector<net::Ipv4Prefix>& prefixes, std::uint32_t a) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [a](const net::Ipv4Prefix& p) { return p.contains(net::Ipv4Addr(a)); });
}

}  // namespace

VariableResolver bound_only(const Variables& vars) {
  return [&vars](std::string_view name, std::string_view field) -> std::uint32_t {
    const auto it = vars.find(name);
    if (it == vars.end()) {
      throw TextError(
          fmt::format("${} ({}) is not bound (did an earlier expect fail?)", name, field));
    }
    return it->second;
  };
}

VariableResolver capturing(Variables& vars, const std::vector<Field>& actual) {
  return [&vars, &actual](std::string_view name, std::string_view field) -> std::uint32_t {
    if (const auto it = vars.find(name); it != vars.end()) return it->second;
    const auto v = field_value(actual, field);
    if (!v) throw TextError(fmt::format("cannot capture ${}: the packet has no {}", name, field));
    vars.emplace(std::string(name), static_cast<std::uint32_t>(*v));
    return static_cast<std::uint32_t>(*v);
  };
}

std::vector<std::string> inside_address_leaks(const nat::EngineConfig& cfg,
                                              const std::vector<Field>& fields) {
  std::vector<std::string> leaks;
  const auto dst = field_value(fields, "ip.dst");
  if (dst && in_any(cfg.exclude, static_cast<std::uint32_t>(*dst))) return leaks;
  for (const char* name : {"ip.src", "ip.dst", "inner.ip.src", "inner.ip.dst"}) {
    const auto v = field_value(fields, name);
    if (v && in_any(cfg.inside, static_cast<std::uint32_t>(*v))) {
      leaks.push_back(fmt::format("{} = {} is an inside address leaving by the WAN", name,
                                  net::Ipv4Addr(static_cast<std::uint32_t>(*v)).to_string()));
    }
  }
  return leaks;
}

void accept_engine_ip_id(PacketText& want, const std::vector<Field>& actual) {
  if (want.given.contains("ipid") || want.spec.dont_fragment) return;
  if (const auto id = field_value(actual, "ip.id"))
    want.spec.ip_id = static_cast<std::uint16_t>(*id);
}

}  // namespace masq::test
