#include "masq/router/router_config.hpp"

#include <algorithm>
#include <string_view>

#include "fragmenter.hpp"

namespace masq::router {
namespace {

// Buffers are sized by the MTU; jumbo frames are the most Ethernet carries.
constexpr std::uint16_t kMaxMtu = 9216;
constexpr std::uint32_t kMaxArpEntries = 1u << 20;
// Each reassembly context holds a whole datagram: keep the total sane.
constexpr std::uint32_t kMaxReassemblyContexts = 4096;
// RFC 791 §3.2: every host must take 576-byte datagrams; none is above 65535.
constexpr std::uint32_t kMinReassemblyBytes = 576;
constexpr std::uint32_t kMaxReassemblyBytes = 65535;
constexpr std::uint32_t kMaxReassemblyTimeoutMs = 3'600'000;

bool is_martian(net::Ipv4Addr a) {
  return (a.value() >> 24) == 0 || a.is_loopback() || a.is_multicast() || a.is_reserved_class_e();
}

void check_interface(std::string_view name, const InterfaceConfig& i,
                     std::vector<std::string>& errors) {
  const std::string n(name);
  if (i.mac.is_zero() || i.mac.is_group()) {
    errors.push_back(n + ".mac: " + i.mac.to_string() + " is not a unicast station address");
  }
  if (i.mtu < kMinIpv4Mtu || i.mtu > kMaxMtu) {
    errors.push_back(n + ".mtu: " + std::to_string(i.mtu) + " is outside " +
                     std::to_string(kMinIpv4Mtu) + ".." + std::to_string(kMaxMtu));
  }
  // A WAN address not known yet (DHCP): the unspecified address, alone.
  if (name == "wan" && i.address.is_unspecified() && i.prefix.length() == 32) return;
  if (!i.prefix.contains(i.address)) {
    errors.push_back(n + ".address: " + i.address.to_string() + " is outside its prefix " +
                     i.prefix.to_string());
  } else if (i.prefix.length() <= 30 &&
             (i.address == i.prefix.network() || i.address == i.prefix.broadcast())) {
    errors.push_back(n + ".address: " + i.address.to_string() +
                     " is the network or broadcast address of " + i.prefix.to_string());
  }
  if (is_martian(i.address)) {
    errors.push_back(n + ".address: " + i.address.to_string() + " cannot be a host address");
  }
}

bool overlap(const net::Ipv4Prefix& a, const net::Ipv4Prefix& b) {
  return a.contains(b.network()) || b.contains(a.network());
}

}  // namespace

std::vector<nat::AddressRange> external_addresses(const nat::EngineConfig& engine) {
  std::vector<nat::AddressRange> ranges = engine.pool;
  for (const nat::StaticNat& s : engine.static_nat) ranges.push_back({s.external, s.external});
  for (const nat::PortForward& f : engine.forwards) {
    ranges.push_back({f.external_addr, f.external_addr});
  }
  std::sort(
      ranges.begin(), ranges.end(),
      [](const nat::AddressRange& a, const nat::AddressRange& b) { return a.first < b.first; });
  std::vector<nat::AddressRange> merged;
  for (const nat::AddressRange& r : ranges) {
    // Overlapping or adjacent ranges join (the +1 cannot wrap: a range
    // ending at 255.255.255.255 swallows everything after it anyway).
    if (!merged.empty() && (merged.back().last.value() == 0xFFFFFFFFu ||
                            r.first.value() <= merged.back().last.value() + 1)) {
      merged.back().last = std::max(merged.back().last, r.last);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

std::vector<std::string> validate(const RouterConfig& cfg) {
  std::vector<std::string> errors;
  check_interface("lan", cfg.lan, errors);
  check_interface("wan", cfg.wan, errors);
  if (overlap(cfg.lan.prefix, cfg.wan.prefix)) {
    errors.push_back("wan.prefix: " + cfg.wan.prefix.to_string() + " overlaps lan.prefix " +
                     cfg.lan.prefix.to_string());
  }
  if (cfg.lan.mac == cfg.wan.mac) {
    errors.push_back("wan.mac: the same as lan.mac (" + cfg.lan.mac.to_string() + ")");
  }
  if (cfg.wan_gateway) {
    const net::Ipv4Addr gw = *cfg.wan_gateway;
    if (!cfg.wan.prefix.contains(gw) || gw == cfg.wan.address) {
      errors.push_back("wan_gateway: " + gw.to_string() + " is not another host in " +
                       cfg.wan.prefix.to_string());
    }
  }
  for (const nat::AddressRange& r : cfg.externals) {
    if (r.last < r.first) {
      errors.push_back("externals: " + r.first.to_string() + "-" + r.last.to_string() +
                       " ends before it starts");
    }
  }
  if (cfg.arp.reachable_ms == 0) errors.push_back("arp.reachable_ms: must be above 0");
  if (cfg.arp.retry_ms == 0) errors.push_back("arp.retry_ms: must be above 0");
  if (cfg.arp.max_retries == 0) errors.push_back("arp.max_retries: must be at least 1");
  if (cfg.arp_cache_entries == 0 || cfg.arp_cache_entries > kMaxArpEntries) {
    errors.push_back("arp_cache_entries: " + std::to_string(cfg.arp_cache_entries) +
                     " is outside 1.." + std::to_string(kMaxArpEntries));
  }
  if (cfg.arp_queue_packets == 0) errors.push_back("arp_queue_packets: must be at least 1");
  if (cfg.arp_queue_per_hop == 0 || cfg.arp_queue_per_hop > cfg.arp_queue_packets) {
    errors.push_back("arp_queue_per_hop: " + std::to_string(cfg.arp_queue_per_hop) +
                     " is outside 1..arp_queue_packets");
  }
  if (cfg.max_batch == 0) errors.push_back("max_batch: must be at least 1");
  if (cfg.tx_buffers == 0) errors.push_back("tx_buffers: must be at least 1");
  if (cfg.ttl == 0) errors.push_back("ttl: must be at least 1");
  if (cfg.reassembly_contexts == 0 || cfg.reassembly_contexts > kMaxReassemblyContexts) {
    errors.push_back("reassembly_contexts: " + std::to_string(cfg.reassembly_contexts) +
                     " is outside 1.." + std::to_string(kMaxReassemblyContexts));
  }
  if (cfg.reassembly_max_bytes < kMinReassemblyBytes ||
      cfg.reassembly_max_bytes > kMaxReassemblyBytes) {
    errors.push_back("reassembly_max_bytes: " + std::to_string(cfg.reassembly_max_bytes) +
                     " is outside " + std::to_string(kMinReassemblyBytes) + ".." +
                     std::to_string(kMaxReassemblyBytes));
  }
  if (cfg.reassembly_timeout_ms == 0 || cfg.reassembly_timeout_ms > kMaxReassemblyTimeoutMs) {
    errors.push_back("reassembly_timeout_ms: " + std::to_string(cfg.reassembly_timeout_ms) +
                     " is outside 1.." + std::to_string(kMaxReassemblyTimeoutMs));
  }
  const auto check_rate = [&](const char* rate_name, std::uint32_t rate, const char* burst_name,
                              std::uint32_t burst) {
    if (rate > kMaxIcmpRatePerS) {
      errors.push_back(std::string{"icmp_rate_limit."} + rate_name + ": " + std::to_string(rate) +
                       " is outside 0.." + std::to_string(kMaxIcmpRatePerS));
    }
    if (burst == 0)
      errors.push_back(std::string{"icmp_rate_limit."} + burst_name + ": must be at least 1");
  };
  const IcmpRateLimit& icmp = cfg.icmp_rate_limit;
  check_rate("rate_per_s", icmp.rate_per_s, "burst", icmp.burst);
  check_rate("per_host_rate_per_s", icmp.per_host_rate_per_s, "per_host_burst",
             icmp.per_host_burst);
  if (cfg.host.enabled &&
      (cfg.host.ports.first == 0 || cfg.host.ports.last < cfg.host.ports.first)) {
    errors.push_back("host.ports: " + std::to_string(cfg.host.ports.first) + "-" +
                     std::to_string(cfg.host.ports.last) + " is not a range within 1..65535");
  }
  return errors;
}

}  // namespace masq::router
