#include "masq/nat/engine_config.hpp"

#include <algorithm>

#include "address_pool.hpp"

namespace masq::nat {
namespace {

// The AddressPool flattens the ranges into one sorted array.
constexpr std::uint64_t kMaxPoolAddresses = 1u << 20;

std::string at(std::string_view list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

bool in_any(const std::vector<net::Ipv4Prefix>& prefixes, net::Ipv4Addr a) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [a](const net::Ipv4Prefix& p) { return p.contains(a); });
}

bool in_pool(const std::vector<AddressRange>& pool, net::Ipv4Addr a) {
  return std::any_of(pool.begin(), pool.end(),
                     [a](const AddressRange& r) { return r.first <= a && a <= r.last; });
}

bool overlap(std::uint32_t a_first, std::uint32_t a_last, std::uint32_t b_first,
             std::uint32_t b_last) {
  return a_first <= b_last && b_first <= a_last;
}

void check_forwards(const EngineConfig& cfg, std::vector<ConfigError>& errors) {
  const auto& fw = cfg.forwards;
  for (std::size_t i = 0; i < fw.size(); ++i) {
    const PortForward& f = fw[i];
    if (f.proto == net::Proto::icmp)
      errors.push_back({at("forwards", i), "proto must be tcp or udp"});
    if (f.external_ports.first > f.external_ports.last) {
      errors.push_back({at("forwards", i), "external port range is empty"});
      continue;
    }
    if (std::uint32_t{f.internal_port} + (f.external_ports.last - f.external_ports.first) > 65535) {
      errors.push_back({at("forwards", i), "internal port range runs past 65535"});
    }
    if (!in_any(cfg.inside, f.internal_addr)) {
      errors.push_back({at("forwards", i),
                        "internal address " + f.internal_addr.to_string() + " is not inside"});
    }
    for (std::size_t j = 0; j < i; ++j) {
      const PortForward& g = fw[j];
      if (g.proto != f.proto) continue;
      if (g.external_addr == f.external_addr &&
          overlap(f.external_ports.first, f.external_ports.last, g.external_ports.first,
                  g.external_ports.last)) {
        errors.push_back({at("forwards", i), "external ports overlap " + at("forwards", j)});
      }
      const std::uint32_t fs = f.external_ports.last - f.external_ports.first;
      const std::uint32_t gs = g.external_ports.last - g.external_ports.first;
      if (g.internal_addr == f.internal_addr &&
          overlap(f.internal_port, f.internal_port + fs, g.internal_port, g.internal_port + gs)) {
        errors.push_back(
            {at("forwards", i), "internal ports overlap " + at("forwards", j) +
                                    " (an internal endpoint has one external mapping)"});
      }
    }
    for (const auto& s : cfg.static_nat) {
      if (s.external == f.external_addr) {
        errors.push_back({at("forwards", i), "external address " + f.external_addr.to_string() +
                                                 " is a static_nat external address"});
      }
    }
  }
}

void check_static(const EngineConfig& cfg, std::vector<ConfigError>& errors) {
  const auto& st = cfg.static_nat;
  for (std::size_t i = 0; i < st.size(); ++i) {
    if (!in_any(cfg.inside, st[i].internal)) {
      errors.push_back({at("static_nat", i),
                        "internal address " + st[i].internal.to_string() + " is not inside"});
    }
    if (in_pool(cfg.pool, st[i].external)) {
      errors.push_back({at("static_nat", i),
                        "external address " + st[i].external.to_string() + " is also in the pool"});
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (st[j].internal == st[i].internal) {
        errors.push_back({at("static_nat", i), "internal address repeats " + at("static_nat", j)});
      }
      if (st[j].external == st[i].external) {
        errors.push_back({at("static_nat", i), "external address repeats " + at("static_nat", j)});
      }
    }
  }
}

// A filter wider than its mapping would admit a remote to a mapping made
// for another one, and the session it opened would belong to no mapping of
// its own: filtering is at least as narrow as mapping.
void check_behaviour(const EngineConfig& cfg, std::vector<ConfigError>& errors) {
  const auto check = [&errors](std::string_view proto, const Behaviour& b) {
    if (b.filtering < b.mapping) {
      errors.push_back({"behaviour." + std::string(proto),
                        "filtering must be at least as dependent as mapping"});
    }
  };
  check("udp", cfg.behaviour.udp);
  check("tcp", cfg.behaviour.tcp);
  check("icmp", cfg.behaviour.icmp);
}

}  // namespace

std::vector<ConfigError> validate(const EngineConfig& cfg) {
  std::vector<ConfigError> errors;
  if (cfg.inside.empty()) errors.push_back({"inside", "empty; no LAN source could be translated"});
  if (cfg.pool.empty() && cfg.static_nat.empty()) {
    errors.push_back({"pool", "empty, and no static_nat either"});
  }
  for (std::size_t i = 0; i < cfg.pool.size(); ++i) {
    if (cfg.pool[i].first > cfg.pool[i].last) errors.push_back({at("pool", i), "first > last"});
  }
  if (count_addresses(cfg.pool) > kMaxPoolAddresses) {
    errors.push_back({"pool", "more than 1048576 addresses"});
  }
  if (cfg.max_sessions == 0 || cfg.max_sessions > kMaxSessionsLimit) {
    errors.push_back({"max_sessions", "must be 1.." + std::to_string(kMaxSessionsLimit)});
  }
  if (cfg.max_subscribers == 0 || cfg.max_subscribers > kMaxSessionsLimit) {
    errors.push_back({"max_subscribers", "must be 1.." + std::to_string(kMaxSessionsLimit)});
  }
  if (cfg.max_explicit_mappings > kMaxSessionsLimit) {
    errors.push_back({"max_explicit_mappings", "must be 0.." + std::to_string(kMaxSessionsLimit)});
  }
  if (cfg.event_ring_capacity > kMaxEventRing) {
    errors.push_back({"event_ring_capacity", "must be 0.." + std::to_string(kMaxEventRing)});
  }
  if (cfg.worker.count == 0 || cfg.worker.count > kMaxWorkers ||
      cfg.worker.index >= cfg.worker.count) {
    errors.push_back({"workers", "must be 1.." + std::to_string(kMaxWorkers) +
                                     ", and the worker's index below the count"});
  }
  const Timeouts& t = cfg.timeouts;
  if (t.udp_s == 0 || t.icmp_s == 0 || t.tcp_established_s == 0 || t.tcp_opening_s == 0 ||
      t.tcp_transitory_s == 0) {
    errors.push_back({"timeouts", "every timeout must be at least 1 s"});
  }
  if (cfg.port_probe_limit == 0) errors.push_back({"port_probe_limit", "must be at least 1"});
  if (cfg.new_sessions_per_s != 0 && cfg.new_sessions_burst == 0) {
    errors.push_back({"new_sessions_burst", "must be at least 1 when new_sessions_per_s is set"});
  }
  // Linux's TCP_MIN_MSS: no stack sends smaller segments.
  if (cfg.tcp_mss_clamp != 0 && cfg.tcp_mss_clamp < kMinMssClamp) {
    errors.push_back(
        {"tcp_mss_clamp", "must be 0 (off) or at least " + std::to_string(kMinMssClamp)});
  }
  if (cfg.expiry_scan_per_batch == 0)
    errors.push_back({"expiry_scan_per_batch", "must be at least 1"});
  check_static(cfg, errors);
  check_forwards(cfg, errors);
  check_behaviour(cfg, errors);
  if (const auto& host = cfg.host_ports) {
    if (host->ports.first == 0 || host->ports.first > host->ports.last) {
      errors.push_back({"host_ports", "must be a range within 1..65535"});
    }
    for (std::size_t i = 0; i < cfg.forwards.size(); ++i) {
      const PortForward& f = cfg.forwards[i];
      if (f.external_addr == host->address && f.external_ports.first <= host->ports.last &&
          host->ports.first <= f.external_ports.last) {
        errors.push_back({at("forwards", i), "external ports overlap the host's ports " +
                                                 std::to_string(host->ports.first) + "-" +
                                                 std::to_string(host->ports.last)});
      }
    }
  }
  return errors;
}

std::vector<std::string> restart_only_changes(const EngineConfig& running,
                                              const EngineConfig& next) {
  std::vector<std::string> changed;
  const auto check = [&changed](bool same, std::string_view name) {
    if (!same) changed.emplace_back(name);
  };
  check(running.pool == next.pool, "pool");
  check(running.pool_mode == next.pool_mode, "pool_mode");
  check(running.host_ports == next.host_ports, "host ports");
  check(running.max_sessions == next.max_sessions, "max_sessions");
  check(running.max_subscribers == next.max_subscribers, "max_subscribers");
  check(running.max_explicit_mappings == next.max_explicit_mappings, "max_explicit_mappings");
  // Sessions are indexed by their mapping's key, which the mapping
  // behaviour shapes (policy.hpp); filtering is judged per packet.
  check(running.behaviour.udp.mapping == next.behaviour.udp.mapping, "udp mapping");
  check(running.behaviour.tcp.mapping == next.behaviour.tcp.mapping, "tcp mapping");
  check(running.behaviour.icmp.mapping == next.behaviour.icmp.mapping, "icmp mapping");
  check(running.worker == next.worker, "workers");
  check(running.event_ring_capacity == next.event_ring_capacity &&
            running.events_with_remote == next.events_with_remote,
        "translation log");
  check(running.seed == next.seed, "seed");
  // The counts' array is allocated with the table, or not at all.
  check(running.accounting == next.accounting, "accounting");
  return changed;
}

void move_address(EngineConfig& cfg, net::Ipv4Addr from, net::Ipv4Addr to) {
  for (AddressRange& r : cfg.pool) {
    if (r.first == from && r.last == from) r = {to, to};
  }
  for (PortForward& f : cfg.forwards) {
    if (f.external_addr == from) f.external_addr = to;
  }
  if (cfg.host_ports && cfg.host_ports->address == from) cfg.host_ports->address = to;
}

}  // namespace masq::nat
