#include "snapshot.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace masq::app {
namespace {

template <typename S, std::size_t N>
ctl::CounterGroup fields_group(std::string name, const std::array<net::CounterField<S>, N>& fields,
                               const S& s) {
  ctl::CounterGroup group{std::move(name), {}};
  net::for_each_counter(fields, s, [&](std::string_view counter, std::uint64_t value) {
    group.values.emplace_back(std::string(counter), value);
  });
  return group;
}

// Every reason but none, by its name.
template <typename Reason, std::size_t N>
ctl::CounterGroup drops_group(std::string name, const std::array<std::uint64_t, N>& drops) {
  ctl::CounterGroup group{std::move(name), {}};
  for (std::size_t i = 1; i < N; ++i) {
    group.values.emplace_back(std::string(to_string(static_cast<Reason>(i))), drops[i]);
  }
  return group;
}

template <std::size_t N>
ctl::CounterGroup reasons_group(std::string name, const nat::Counters& nat,
                                const std::array<nat::DropReason, N>& reasons) {
  ctl::CounterGroup group{std::move(name), {}};
  for (const nat::DropReason r : reasons)
    group.values.emplace_back(std::string(to_string(r)), nat.drop(r));
  return group;
}

#define MASQ_DROP_REASON_VALUE(name) nat::DropReason::name,
constexpr std::array kAllocationFailures{MASQ_NAT_ALLOCATION_FAILURES(MASQ_DROP_REASON_VALUE)};
constexpr std::array kQuotaHits{MASQ_NAT_QUOTA_HITS(MASQ_DROP_REASON_VALUE)};
#undef MASQ_DROP_REASON_VALUE

// One group per protocol (in kProtoNames order), every state listed, zero
// or not: UDP and ICMP sessions have their protocol's name for a state.
std::vector<ctl::CounterGroup> session_groups(std::span<const nat::SessionView> sessions) {
  std::vector<ctl::CounterGroup> groups;
  for (const auto& [proto, name] : net::kProtoNames) {
    ctl::CounterGroup g{"sessions." + std::string(name), {}};
    for (const std::string_view state : nat::session_state_names()) {
      if (proto == net::Proto::tcp ? !net::parse_proto(state) : state == name)
        g.values.emplace_back(std::string(state), 0);
    }
    groups.push_back(std::move(g));
  }
  for (const nat::SessionView& s : sessions) {
    std::size_t i = 0;
    while (net::kProtoNames[i].first != s.proto) ++i;
    for (auto& [state, count] : groups[i].values) count += state == s.state ? 1u : 0u;
  }
  return groups;
}

}  // namespace

std::vector<ctl::CounterGroup> stats_groups(const nat::Counters& nat,
                                            const router::RouterCounters& r,
                                            const io::PortStats& lan, const io::PortStats& wan,
                                            std::span<const nat::SessionView> sessions) {
  std::vector<ctl::CounterGroup> groups;
  groups.push_back(drops_group<nat::DropReason>("drops.nat", nat.drops));
  groups.push_back(drops_group<router::DropReason>("drops.router", r.drops));
  groups.push_back(fields_group("interface.lan", io::kPortStatsFields, lan));
  groups.push_back(fields_group("interface.wan", io::kPortStatsFields, wan));
  for (auto& g : session_groups(sessions)) groups.push_back(std::move(g));
  groups.push_back(reasons_group("allocation_failures", nat, kAllocationFailures));
  groups.push_back(reasons_group("quota_hits", nat, kQuotaHits));
  return groups;
}

std::vector<ctl::CounterGroup> usage_groups(std::span<const std::vector<nat::AddressUse>> use,
                                            std::span<const nat::SessionView> sessions) {
  std::vector<ctl::CounterGroup> groups;
  // Each worker has its slice of every address: the address's use is theirs added up.
  std::map<std::uint32_t, std::map<std::string, std::uint64_t>> by_address;
  for (const auto& worker : use) {
    for (const nat::AddressUse& u : worker) {
      auto& values = by_address[u.addr.value()];
      const std::string proto(net::to_string(u.proto));
      values[proto + "_mappings"] += u.mappings;
      values[proto + "_ports"] += u.ports;
    }
  }
  for (const auto& [addr, values] : by_address) {
    groups.push_back({"ports." + net::Ipv4Addr(addr).to_string(), {values.begin(), values.end()}});
  }
  // A mapping is an external endpoint; each session shows its mapping's.
  struct Held {
    std::set<std::tuple<std::uint8_t, std::uint32_t, std::uint16_t>> mappings;
    std::uint64_t sessions = 0;
  };
  std::map<std::uint32_t, Held> by_host;
  for (const nat::SessionView& v : sessions) {
    if (v.kind == nat::SessionKind::static_nat) continue;
    Held& h = by_host[v.internal_addr.value()];
    h.mappings.emplace(static_cast<std::uint8_t>(v.proto), v.external_addr.value(),
                       v.external_port.value());
    ++h.sessions;
  }
  std::vector<std::pair<std::uint32_t, const Held*>> hosts;
  for (const auto& [addr, held] : by_host) hosts.emplace_back(addr, &held);
  const std::size_t n = std::min(kBusiest, hosts.size());
  std::partial_sort(hosts.begin(), hosts.begin() + static_cast<std::ptrdiff_t>(n), hosts.end(),
                    [](const auto& a, const auto& b) {
                      return a.second->mappings.size() > b.second->mappings.size();
                    });
  for (std::size_t i = 0; i < n; ++i) {
    groups.push_back({"busiest." + net::Ipv4Addr(hosts[i].first).to_string(),
                      {{"mappings", std::uint64_t{hosts[i].second->mappings.size()}},
                       {"sessions", hosts[i].second->sessions}}});
  }
  return groups;
}

std::vector<ctl::CounterGroup> counter_groups(const nat::Counters& nat,
                                              const router::RouterCounters& r,
                                              const io::PortStats& lan, const io::PortStats& wan,
                                              const HandOffStats& hand_offs) {
  std::vector<ctl::CounterGroup> groups;
  groups.push_back(fields_group("nat", nat::kCounterFields, nat));
  groups.push_back(drops_group<nat::DropReason>("nat.drops", nat.drops));
  groups.push_back(fields_group("router", router::kRouterCounterFields, r));
  groups.push_back(drops_group<router::DropReason>("router.drops", r.drops));
  groups.push_back(fields_group("io.lan", io::kPortStatsFields, lan));
  groups.push_back(fields_group("io.wan", io::kPortStatsFields, wan));
  groups.push_back(fields_group("hand_off", kHandOffStatsFields, hand_offs));
  return groups;
}

ctl::CounterGroup pcp_counter_group(const pcp::Counters& pcp) {
  ctl::CounterGroup group{"pcp", {}};
  pcp::for_each_counter(pcp, [&](std::string_view kind, std::string_view name, std::uint64_t v) {
    group.values.emplace_back(
        kind.empty() ? std::string(name) : std::string(kind) + "_" + std::string(name), v);
  });
  return group;
}

std::vector<ctl::CounterGroup> host_counter_groups(const io::PortStats& host_lan,
                                                   const io::PortStats& host_wan,
                                                   const WatchCounters& watch) {
  return {fields_group("io.host_lan", io::kPortStatsFields, host_lan),
          fields_group("io.host_wan", io::kPortStatsFields, host_wan),
          fields_group("events", kWatchCounterFields, watch)};
}

// Groups are matched by name (a worker without a PCP server has no "pcp"
// group), values by position (every worker lists a group's names alike).
void add_counters(std::vector<ctl::CounterGroup>& sum, const std::vector<ctl::CounterGroup>& more) {
  for (const ctl::CounterGroup& g : more) {
    const auto same = std::find_if(sum.begin(), sum.end(),
                                   [&g](const ctl::CounterGroup& s) { return s.name == g.name; });
    if (same == sum.end()) {
      sum.push_back(g);
      continue;
    }
    for (std::size_t v = 0; v < same->values.size() && v < g.values.size(); ++v) {
      same->values[v].second += g.values[v].second;
    }
  }
}

}  // namespace masq::app
