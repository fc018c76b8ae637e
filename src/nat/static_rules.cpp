#include "static_rules.hpp"

#include <algorithm>

namespace masq::nat {

std::vector<StaticRules::Masked> StaticRules::masked(const std::vector<net::Ipv4Prefix>& prefixes) {
  std::vector<Masked> out;
  out.reserve(prefixes.size());
  for (const auto& p : prefixes) out.push_back({p.network().value(), p.mask()});
  return out;
}

StaticRules::StaticRules(const EngineConfig& cfg)
    : forwards_(cfg.forwards), exclude_(masked(cfg.exclude)), inside_(masked(cfg.inside)) {
  for (const auto& s : cfg.static_nat) {
    by_internal_.emplace_back(s.internal.value(), s.external.value());
    by_external_.emplace_back(s.external.value(), s.internal.value());
  }
  std::sort(by_internal_.begin(), by_internal_.end());
  std::sort(by_external_.begin(), by_external_.end());
  if (cfg.host_ports) {
    host_addr_ = cfg.host_ports->address.value();
    host_ports_ = cfg.host_ports->ports;
  }
}

std::optional<std::uint32_t> StaticRules::lookup(const Pairs& sorted, std::uint32_t key) {
  const auto it =
      std::lower_bound(sorted.begin(), sorted.end(), std::make_pair(key, std::uint32_t{0}));
  if (it == sorted.end() || it->first != key) return std::nullopt;
  return it->second;
}

const PortForward* StaticRules::forward_to(net::Proto proto, Endpoint external) const {
  for (const auto& f : forwards_) {
    if (f.proto == proto && f.external_addr.value() == external.addr &&
        f.external_ports.contains(external.port)) {
      return &f;
    }
  }
  return nullptr;
}

std::optional<Endpoint> StaticRules::forward_inbound(net::Proto proto, Endpoint external) const {
  const PortForward* f = forward_to(proto, external);
  if (f == nullptr) return std::nullopt;
  const auto port =
      static_cast<std::uint16_t>(f->internal_port + (external.port - f->external_ports.first));
  return Endpoint{f->internal_addr.value(), port};
}

const PortForward* StaticRules::forward_from(net::Proto proto, Endpoint internal) const {
  for (const auto& f : forwards_) {
    const std::uint32_t span = std::uint32_t{f.external_ports.last} - f.external_ports.first;
    if (f.proto == proto && f.internal_addr.value() == internal.addr &&
        internal.port >= f.internal_port &&
        std::uint32_t{internal.port} - f.internal_port <= span) {
      return &f;
    }
  }
  return nullptr;
}

bool StaticRules::is_forward_address(std::uint32_t addr) const {
  return std::any_of(forwards_.begin(), forwards_.end(),
                     [addr](const PortForward& f) { return f.external_addr.value() == addr; });
}

}  // namespace masq::nat
