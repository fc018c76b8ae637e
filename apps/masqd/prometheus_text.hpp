// The gateway's numbers in the Prometheus text exposition format (0.0.4),
// for the metrics exporter. Named from the same groups masqctl stats shows,
// so the names come from the same tables:
//   group "nat", counter x         -> masq_nat_x_total
//   group "nat.drops", reason r    -> masq_nat_drops_total{reason="r"}
//   group "io.lan", counter x      -> masq_io_x_total{interface="lan"}
//   stats "sessions.tcp", state s  -> masq_sessions{proto="tcp",state="s"}
// and masq_sessions_max, masq_uptime_seconds, masq_build_info{version}.
// Cold.
#pragma once

#include <span>
#include <string>

#include "masq/ctl/snapshot.hpp"

namespace masq::app {

std::string prometheus_text(std::span<const ctl::CounterGroup> counters,
                            std::span<const ctl::CounterGroup> stats, const ctl::Status& status);

}  // namespace masq::app
