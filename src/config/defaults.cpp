#include "defaults.hpp"

#include "subscriber_defaults.hpp"

namespace masq::config {
namespace {

bool overlap(const net::Ipv4Prefix& a, const net::Ipv4Prefix& b) {
  return a.contains(b.network()) || b.contains(a.network());
}

// Reports a missing interface unless it was given with errors of its own.
void require(const InterfaceDraft& slot, std::string_view source, std::string_view key,
             std::string_view flag, std::vector<std::string>& errors) {
  if (slot.value || slot.rejected) return;
  std::string where{source};
  where += ": ";
  where += key;
  errors.push_back(error_at(where, "missing; set [" + std::string{key} + "] name and address, or " +
                                       std::string{flag} + " NAME=ADDR/LEN"));
}

void check_links(const Sourced<Interface>& lan, const Sourced<Interface>& wan,
                 const std::optional<Sourced<net::Ipv4Addr>>& gateway,
                 std::vector<std::string>& errors) {
  if (overlap(lan.value.prefix, wan.value.prefix)) {
    errors.push_back(error_at(
        lan.where, "LAN prefix " + lan.value.prefix.to_string() + " overlaps the WAN prefix " +
                       wan.value.prefix.to_string() + " (" + wan.where + ")"));
  }
  if (!gateway) return;
  // The next hop is resolved by ARP on the WAN link (RFC 1812 §5.2.1).
  if (!wan.value.prefix.contains(gateway->value)) {
    errors.push_back(error_at(
        gateway->where,
        gateway->value.to_string() + " is not in the WAN prefix " + wan.value.prefix.to_string()));
  } else if (gateway->value == wan.value.address) {
    errors.push_back(
        error_at(gateway->where, gateway->value.to_string() + " is the WAN address itself"));
  }
}

}  // namespace

std::optional<Config> complete(Draft draft, std::string_view source,
                               std::vector<std::string>& errors) {
  require(draft.lan, source, "lan", "--lan", errors);
  require(draft.wan, source, "wan", "--wan", errors);
  if (!draft.lan.value || !draft.wan.value) return std::nullopt;
  const auto& lan = *draft.lan.value;
  const auto& wan = *draft.wan.value;
  const auto errors_before = errors.size();
  check_links(lan, wan, draft.gateway, errors);
  if (errors.size() != errors_before) return std::nullopt;

  Config config;
  config.lan = lan.value;
  config.lan.mtu = draft.lan.mtu;
  config.wan = wan.value;
  config.wan.mtu = draft.wan.mtu;
  if (draft.gateway) config.gateway = draft.gateway->value;
  if (draft.io) config.io = *draft.io;
  config.rx_frames = draft.rx_frames;
  config.tx_frames = draft.tx_frames;
  if (draft.tcp_gso) config.tcp_gso = *draft.tcp_gso;
  if (draft.busy_poll_us) config.busy_poll_us = *draft.busy_poll_us;
  config.control = draft.control;
  config.metrics = draft.metrics;
  config.log = draft.log;
  config.workers = draft.workers;
  config.router = draft.router;
  config.pcp = draft.pcp;
  config.host = draft.host;
  if (config.host.lan_name.empty()) config.host.lan_name = "masq-" + lan.value.name;
  if (config.host.wan_name.empty()) config.host.wan_name = "masq-" + wan.value.name;
  config.engine = std::move(draft.engine);
  // Every mapping the PCP server makes is an explicit mapping of the engine;
  // without the server the engine needs no room for any.
  config.engine.max_explicit_mappings = draft.pcp.enabled ? draft.pcp.max_mappings : 0;
  if (config.engine.inside.empty()) config.engine.inside.push_back(lan.value.prefix);
  if (config.engine.pool.empty())
    config.engine.pool.push_back({wan.value.address, wan.value.address});
  for (auto& forward : draft.forwards) {
    if (!forward.external_given) forward.forward.external_addr = wan.value.address;
    config.engine.forwards.push_back(forward.forward);
  }
  fill_subscriber_defaults(config.engine, draft.engine_where);
  config.tcp_mss_clamp = draft.tcp_mss_clamp;
  return config;
}

}  // namespace masq::config
