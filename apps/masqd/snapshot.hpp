// The gateway's counters as ctl::CounterGroups: the names here are the
// schema masqctl and metrics show (DropReason names for drops). Cold.
#pragma once

#include <vector>

#include "masq/ctl/snapshot.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/nat/counters.hpp"
#include "masq/router/counters.hpp"
#include "watch.hpp"

namespace masq::app {

std::vector<ctl::CounterGroup> counter_groups(const nat::Counters& nat,
                                              const router::RouterCounters& router,
                                              const io::PortStats& lan, const io::PortStats& wan);

// The gateway host's: its host interfaces' ports and the link and signal
// events the worker watched.
std::vector<ctl::CounterGroup> host_counter_groups(const io::PortStats& host_lan,
                                                   const io::PortStats& host_wan,
                                                   const WatchCounters& watch);

}  // namespace masq::app
