#include "snapshot.hpp"

#include <array>
#include <string>

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

}  // namespace

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

void add_counters(std::vector<ctl::CounterGroup>& sum, const std::vector<ctl::CounterGroup>& more) {
  for (std::size_t g = 0; g < sum.size() && g < more.size(); ++g) {
    for (std::size_t v = 0; v < sum[g].values.size() && v < more[g].values.size(); ++v) {
      sum[g].values[v].second += more[g].values[v].second;
    }
  }
}

}  // namespace masq::app
