#include "workloads.hpp"

#include <algorithm>

namespace masq::bench {
namespace {

constexpr std::uint32_t kSessionsPerPoolAddress = 16 * 1024;
constexpr std::uint32_t kPoolFirst = 0xCB007100;  // 203.0.113.0

}  // namespace

nat::EngineConfig engine_config(std::uint32_t max_sessions, std::uint32_t max_subscribers) {
  nat::EngineConfig cfg;
  cfg.inside = {net::Ipv4Prefix(net::Ipv4Addr(0x0A000000), 8)};
  const std::uint32_t pool = std::max(1u, max_sessions / kSessionsPerPoolAddress);
  cfg.pool = {{net::Ipv4Addr(kPoolFirst), net::Ipv4Addr(kPoolFirst + pool - 1)}};
  cfg.max_sessions = max_sessions;
  cfg.max_subscribers = max_subscribers;
  cfg.seed = 0x6D617371;
  return cfg;
}

FlowSetSpec established_flows(std::uint32_t sessions) {
  constexpr std::uint32_t kPerHost = 256;
  return {std::max(1u, sessions / kPerHost), std::min(sessions, kPerHost),
          PortPattern::random_ports, sessions};
}

FlowSetSpec new_flows(std::uint32_t max_sessions, PortPattern ports) {
  const std::uint32_t per_host = ports == PortPattern::same_port ? 15 : 240;
  const std::uint32_t fill = max_sessions / 16 * 15;
  return {fill / per_host, per_host, ports, max_sessions + static_cast<std::uint32_t>(ports)};
}

}  // namespace masq::bench
