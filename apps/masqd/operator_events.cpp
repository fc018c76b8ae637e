#include "operator_events.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

namespace masq::app {
namespace {

// "42 (subscriber_sessions 40, subscriber_ports 2)" of the reasons listed,
// or 0 when none of them grew.
template <std::size_t N>
std::uint64_t describe(const std::array<nat::DropReason, N>& reasons, const nat::Counters& now,
                       const nat::Counters& before, std::string& text) {
  std::uint64_t total = 0;
  for (const nat::DropReason r : reasons) {
    const std::uint64_t d = now.drop(r) - before.drop(r);
    if (d == 0) continue;
    text += (total == 0 ? " (" : ", ") + std::string(nat::to_string(r)) + " " + std::to_string(d);
    total += d;
  }
  if (total != 0) text = std::to_string(total) + text + ")";
  return total;
}

#define MASQD_NAT_REASON(name) nat::DropReason::name,
constexpr std::array kQuotaHits{MASQ_NAT_QUOTA_HITS(MASQD_NAT_REASON)};
constexpr std::array kAllocationFailures{MASQ_NAT_ALLOCATION_FAILURES(MASQD_NAT_REASON)};
#undef MASQD_NAT_REASON

}  // namespace

OperatorEvents::Totals OperatorEvents::sum(std::span<const WorkerState> states) {
  Totals t;
  for (const WorkerState& s : states) {
    for (std::size_t i = 0; i < t.nat.drops.size(); ++i) t.nat.drops[i] += s.nat.drops[i];
    t.arp_unresolved += s.router.drop(router::DropReason::arp_unresolved);
  }
  return t;
}

bool OperatorEvents::crossed(Alarm& a, std::uint64_t percent, std::uint64_t now,
                             bool& cleared) const {
  cleared = false;
  // Hovering at the threshold is warned about once an interval.
  if (!a.on && percent >= kNearFullPercent &&
      (a.warned_ms == 0 || now - a.warned_ms >= options_.interval_ms)) {
    a.on = true;
    a.warned_ms = now;
    return true;
  }
  if (a.on && percent < kClearPercent) {
    a.on = false;
    cleared = true;
  }
  return false;
}

void OperatorEvents::check_tables(std::uint64_t now, std::span<const WorkerState> states) {
  if (options_.table_slots == 0) return;
  tables_.resize(states.size());
  for (std::size_t k = 0; k < states.size(); ++k) {
    const std::uint64_t percent = states[k].sessions * 100 / options_.table_slots;
    const std::string which =
        states.size() == 1 ? "session table" : "worker " + std::to_string(k) + "'s session table";
    bool cleared = false;
    if (crossed(tables_[k], percent, now, cleared)) {
      spdlog::warn("{} {}% full ({} of {} sessions): new flows will be refused when it is full",
                   which, percent, states[k].sessions, options_.table_slots);
    } else if (cleared) {
      spdlog::info("{} back under {}% ({} of {} sessions)", which, kClearPercent,
                   states[k].sessions, options_.table_slots);
    }
  }
}

void OperatorEvents::check_addresses(std::uint64_t now, std::span<const WorkerState> states) {
  // Each worker maps its own slice of an address's ports: the address is
  // the sum of them.
  std::map<std::pair<std::uint32_t, net::Proto>, nat::AddressUse> use;
  for (const WorkerState& s : states) {
    for (const nat::AddressUse& u : s.address_use) {
      nat::AddressUse& sum = use[{u.addr.value(), u.proto}];
      sum.addr = u.addr;
      sum.proto = u.proto;
      sum.mappings += u.mappings;
      sum.ports += u.ports;
    }
  }
  for (const auto& [key, u] : use) {
    if (u.ports == 0) continue;
    const std::uint64_t percent = std::uint64_t{u.mappings} * 100 / u.ports;
    const auto proto = net::to_string(u.proto);
    bool cleared = false;
    if (crossed(addresses_[key], percent, now, cleared)) {
      spdlog::warn(
          "external address {}: {}% of its {} ports in use ({} of {}): new {} flows will be "
          "refused when none is left",
          u.addr.to_string(), percent, proto, u.mappings, u.ports, proto);
    } else if (cleared) {
      spdlog::info("external address {}: back under {}% of its {} ports in use ({} of {})",
                   u.addr.to_string(), kClearPercent, proto, u.mappings, u.ports);
    }
  }
}

namespace {

// "; holding the most ports: 192.168.1.7 (240 ports, 250 sessions), ..."
// of the workers' busiest subscribers, or "" when none is known.
std::string busiest_text(std::span<const WorkerState> states) {
  std::vector<nat::SubscriberUse> all;
  for (const WorkerState& s : states) all.insert(all.end(), s.busiest.begin(), s.busiest.end());
  std::sort(all.begin(), all.end(), [](const nat::SubscriberUse& a, const nat::SubscriberUse& b) {
    return a.mappings != b.mappings ? a.mappings > b.mappings : a.sessions > b.sessions;
  });
  std::string text;
  for (std::size_t i = 0; i < all.size() && i < 3; ++i) {
    text += (i == 0 ? "; holding the most ports: " : ", ") + all[i].addr.to_string() + " (" +
            std::to_string(all[i].mappings) + " ports, " + std::to_string(all[i].sessions) +
            " sessions)";
  }
  return text;
}

}  // namespace

void OperatorEvents::summarise(const Totals& now, std::uint64_t window_ms,
                               std::span<const WorkerState> states) const {
  const std::uint64_t seconds = (window_ms + 500) / 1000;
  std::string text;
  if (describe(kQuotaHits, now.nat, baseline_.nat, text) != 0) {
    spdlog::warn(
        "quota hits in the last {} s: {}: new sessions of hosts over their quota refused{}",
        seconds, text, busiest_text(states));
  }
  text.clear();
  if (describe(kAllocationFailures, now.nat, baseline_.nat, text) != 0) {
    spdlog::warn(
        "allocation failures in the last {} s: {}: the session table or the address "
        "pool is full",
        seconds, text);
  }
  if (const std::uint64_t d = now.arp_unresolved - baseline_.arp_unresolved; d != 0) {
    spdlog::warn(
        "a next hop did not answer ARP: {} packets dropped in the last {} s{}", d, seconds,
        options_.next_hop.empty() ? "" : " (the WAN next hop is " + options_.next_hop + ")");
  }
}

void OperatorEvents::observe(std::uint64_t now, std::span<const WorkerState> states) {
  check_tables(now, states);
  check_addresses(now, states);
  const Totals totals = sum(states);
  if (!started_) {
    started_ = true;
    window_start_ms_ = now;
    baseline_ = totals;
    return;
  }
  if (now - window_start_ms_ < options_.interval_ms) return;
  summarise(totals, now - window_start_ms_, states);
  window_start_ms_ = now;
  baseline_ = totals;
}

}  // namespace masq::app
