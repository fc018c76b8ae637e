// The gateway's counters as ctl::CounterGroups: the names here are the
// schema masqctl and metrics show (DropReason names for drops). Cold.
#pragma once

#include <span>
#include <vector>

#include "hand_offs.hpp"
#include "masq/ctl/snapshot.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/nat/counters.hpp"
#include "masq/nat/session_view.hpp"
#include "masq/nat/usage.hpp"
#include "masq/pcp/counters.hpp"
#include "masq/router/counters.hpp"
#include "watch.hpp"

namespace masq::app {

std::vector<ctl::CounterGroup> counter_groups(const nat::Counters& nat,
                                              const router::RouterCounters& router,
                                              const io::PortStats& lan, const io::PortStats& wan,
                                              const HandOffStats& hand_offs = {});
// The PCP server's, as group "pcp" ("drop_too_short", "pcp_result_success").
ctl::CounterGroup pcp_counter_group(const pcp::Counters& pcp);

// What `masqctl stats` shows: drops by reason ("drops.nat",
// "drops.router"), each interface's counters ("interface.lan", ...), the
// live sessions by protocol and state ("sessions.tcp" by TCP state,
// "sessions.udp", "sessions.icmp"), and the engine's refusals for lack of
// room ("allocation_failures") and over a host's quota ("quota_hits").
std::vector<ctl::CounterGroup> stats_groups(const nat::Counters& nat,
                                            const router::RouterCounters& router,
                                            const io::PortStats& lan, const io::PortStats& wan,
                                            std::span<const nat::SessionView> sessions);

// Port use, for `masqctl stats`: each pool address's mappings and usable
// ports per protocol, all workers together ("ports.203.0.113.1":
// "udp_mappings", "udp_ports", ...), and the kBusiest subscribers holding
// the most mappings in `sessions`, the merged table ("busiest.192.168.1.7":
// "mappings", "sessions").
inline constexpr std::size_t kBusiest = 5;
std::vector<ctl::CounterGroup> usage_groups(std::span<const std::vector<nat::AddressUse>> use,
                                            std::span<const nat::SessionView> sessions);

// The gateway host's: its host interfaces' ports and the link and signal
// events the worker watched.
std::vector<ctl::CounterGroup> host_counter_groups(const io::PortStats& host_lan,
                                                   const io::PortStats& host_wan,
                                                   const WatchCounters& watch);

// Adds every value of `more` to the same counter of `sum` (both made by
// the functions above): the gateway's counters are its workers' sums.
void add_counters(std::vector<ctl::CounterGroup>& sum, const std::vector<ctl::CounterGroup>& more);

}  // namespace masq::app
