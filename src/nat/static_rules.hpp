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

  // Every new flow asks most of these; with no rule of the kind configured
  // the answer is one inline test.
  std::optional<std::uint32_t> static_external(std::uint32_t internal) const {
    return by_internal_.empty() ? std::nullopt : lookup(by_internal_, internal);
  }
  std::optional<std::uint32_t> static_internal(std::uint32_t external) const {
    return by_external_.empty() ? std::nullopt : lookup(by_external_, external);
  }
  // Inbound: the internal endpoint a forward sends ext:port to.
  std::optional<Endpoint> forward_inbound(net::Proto proto, Endpoint external) const;
  // Outbound: the forward that reserves an external endpoint for this
  // internal one, or nullptr; forwarded_external() gives the endpoint. (A
  // pointer, not an optional endpoint: GCC spills a returned
  // optional<Endpoint> through the stack in a way that stalls the store
  // forwarding of every new flow.)
  const PortForward* forward_outbound(net::Proto proto, Endpoint internal) const {
    return forwards_.empty() ? nullptr : forward_from(proto, internal);
  }
  static Endpoint forwarded_external(const PortForward& f, std::uint16_t internal_port) {
    return {f.external_addr.value(),
            static_cast<std::uint16_t>(f.external_ports.first + (internal_port - f.internal_port))};
  }
  // True when ext:port belongs to a forward or to the host
  // (EngineConfig::host_ports) and must not be allocated dynamically.
  bool reserved(net::Proto proto, Endpoint external) const {
    return (external.addr == host_addr_ && host_ports_.contains(external.port)) ||
           (!forwards_.empty() && forward_to(proto, external) != nullptr);
  }
  bool is_forward_address(std::uint32_t addr) const;
  bool excluded(std::uint32_t dst) const { return any_contains(exclude_, dst); }
  bool inside(std::uint32_t addr) const { return any_contains(inside_, addr); }

 private:
  // A prefix as the (network, mask) that one AND and one compare test:
  // inside() runs twice for every new flow.
  struct Masked {
    std::uint32_t network;
    std::uint32_t mask;
  };
  using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

  static std::vector<Masked> masked(const std::vector<net::Ipv4Prefix>& prefixes);
  static bool any_contains(const std::vector<Masked>& prefixes, std::uint32_t addr) {
    for (const Masked& p : prefixes) {
      if ((addr & p.mask) == p.network) return true;
    }
    return false;
  }
  static std::optional<std::uint32_t> lookup(const Pairs& sorted, std::uint32_t key);
  // The forward whose external side holds ext:port, or nullptr.
  const PortForward* forward_to(net::Proto proto, Endpoint external) const;
  const PortForward* forward_from(net::Proto proto, Endpoint internal) const;

  Pairs by_internal_;  // (internal, external), sorted
  Pairs by_external_;  // (external, internal), sorted
  std::vector<PortForward> forwards_;
  std::vector<Masked> exclude_;
  std::vector<Masked> inside_;
  // Without host ports: an empty range (port 0 is never handed out).
  std::uint32_t host_addr_ = 0;
  PortRange host_ports_{1, 0};
};

}  // namespace masq::nat
