// The gateway's counters as ctl::CounterGroups: the names here are the
// schema masqctl and metrics show (DropReason names for drops). Cold.
#pragma once

#include <vector>

#include "hand_offs.hpp"
#include "masq/ctl/snapshot.hpp"
#include "masq/io/frame_port.hpp"
#include "masq/nat/counters.hpp"
#include "masq/router/counters.hpp"

namespace masq::app {

std::vector<ctl::CounterGroup> counter_groups(const nat::Counters& nat,
                                              const router::RouterCounters& router,
                                              const io::PortStats& lan, const io::PortStats& wan,
                                              const HandOffStats& hand_offs = {});

// Adds every value of `more` to the same counter of `sum` (both made by
// counter_groups()): the gateway's counters are its workers' sums.
void add_counters(std::vector<ctl::CounterGroup>& sum, const std::vector<ctl::CounterGroup>& more);

}  // namespace masq::app
