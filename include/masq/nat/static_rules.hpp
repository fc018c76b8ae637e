// StaticRules: the configured, never-expiring translations: static 1:1
// NAT pairs, port forwards and exclusions, with the lookups the engine's
// slow path needs. Built once from EngineConfig; small, so plain sorted
// vectors and linear scans of the forwards are enough. Slow path only.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "masq/nat/engine_config.hpp"

namespace masq::nat {

// An endpoint (address, port) on one side.
struct Endpoint {
  std::uint32_t addr = 0;
  std::uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

class StaticRules {
 public:
  explicit StaticRules(const EngineConfig& cfg);

  std::optional<std::uint32_t> static_external(std::uint32_t internal) const;
  std::optional<std::uint32_t> static_internal(std::uint32_t external) const;

  // Inbound: the internal endpoint a forward sends ext:port to.
  std::optional<Endpoint> forward_inbound(net::Proto proto, Endpoint external) const;
  // Outbound: the external endpoint a forward reserves for this internal one.
  std::optional<Endpoint> forward_outbound(net::Proto proto, Endpoint internal) const;
  // True when ext:port belongs to a forward and must not be allocated dynamically.
  bool reserved(net::Proto proto, Endpoint external) const;
  bool is_forward_address(std::uint32_t addr) const;

  bool excluded(std::uint32_t dst) const;
  bool inside(std::uint32_t addr) const;

 private:
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_internal_;  // (internal, external)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_external_;  // (external, internal)
  // A prefix as the (network, mask) that one AND and one compare test:
  // inside() runs twice for every new flow.
  struct Masked {
    std::uint32_t network;
    std::uint32_t mask;
  };
  static std::vector<Masked> masked(const std::vector<net::Ipv4Prefix>& prefixes);
  static bool any_contains(const std::vector<Masked>& prefixes, std::uint32_t addr);

  std::vector<PortForward> forwards_;
  std::vector<Masked> exclude_;
  std::vector<Masked> inside_;
};

}  // namespace masq::nat
