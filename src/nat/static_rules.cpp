#include "masq/nat/static_rules.hpp"

#include <algorithm>

namespace masq::nat {
namespace {

std::optional<std::uint32_t> lookup(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& v,
                                    std::uint32_t key) {
  const auto it = std::lower_bound(v.begin(), v.end(), std::make_pair(key, std::uint32_t{0}));
  if (it == v.end() || it->first != key) return std::nullopt;
  return it->second;
}

}  // namespace

std::vector<StaticRules::Masked> StaticRules::masked(const std::vector<net::Ipv4Prefix>& prefixes) {
  std::vector<Masked> out;
  out.reserve(prefixes.size());
  for (const auto& p : prefixes) out.push_back({p.network().value(), p.mask()});
  return out;
}

bool StaticRules::any_contains(const std::vector<Masked>& prefixes, std::uint32_t addr) {
  for (const Masked& p : prefixes) {
    if ((addr & p.mask) == p.network) return true;
  }
  return false;
}

StaticRules::StaticRules(const EngineConfig& cfg)
    : forwards_(cfg.forwards), exclude_(masked(cfg.exclude)), inside_(masked(cfg.inside)) {
  for (const auto& s : cfg.static_nat) {
    by_internal_.emplace_back(s.internal.value(), s.external.value());
    by_external_.emplace_back(s.external.value(), s.internal.value());
  }
  std::sort(by_internal_.begin(), by_internal_.end());
  std::sort(by_external_.begin(), by_external_.end());
}

std::optional<std::uint32_t> StaticRules::static_external(std::uint32_t internal) const {
  return lookup(by_internal_, internal);
}

std::optional<std::uint32_t> StaticRules::static_internal(std::uint32_t external) const {
  return lookup(by_external_, external);
}

std::optional<Endpoint> StaticRules::forward_inbound(net::Proto proto, Endpoint external) const {
  for (const auto& f : forwards_) {
    if (f.proto == proto && f.external_addr.value() == external.addr &&
        f.external_ports.contains(external.port)) {
      const auto port =
          static_cast<std::uint16_t>(f.internal_port + (external.port - f.external_ports.first));
      return Endpoint{f.internal_addr.value(), port};
    }
  }
  return std::nullopt;
}

std::optional<Endpoint> StaticRules::forward_outbound(net::Proto proto, Endpoint internal) const {
  for (const auto& f : forwards_) {
    const std::uint32_t span = std::uint32_t{f.external_ports.last} - f.external_ports.first;
    if (f.proto == proto && f.internal_addr.value() == internal.addr &&
        internal.port >= f.internal_port &&
        std::uint32_t{internal.port} - f.internal_port <= span) {
      const auto port =
          static_cast<std::uint16_t>(f.external_ports.first + (internal.port - f.internal_port));
      return Endpoint{f.external_addr.value(), port};
    }
  }
  return std::nullopt;
}

bool StaticRules::reserved(net::Proto proto, Endpoint external) const {
  return std::any_of(forwards_.begin(), forwards_.end(), [&](const PortForward& f) {
    return f.proto == proto && f.external_addr.value() == external.addr &&
           f.external_ports.contains(external.port);
  });
}

bool StaticRules::is_forward_address(std::uint32_t addr) const {
  return std::any_of(forwards_.begin(), forwards_.end(),
                     [addr](const PortForward& f) { return f.external_addr.value() == addr; });
}

bool StaticRules::excluded(std::uint32_t dst) const {
  return any_contains(exclude_, dst);
}
bool StaticRules::inside(std::uint32_t addr) const {
  return any_contains(inside_, addr);
}

}  // namespace masq::nat
