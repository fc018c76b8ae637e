// setup_log: masqd's human log, as [log] / --log / --log-level ask: lines
// on stderr with a timestamp, or records in the systemd journal with the
// priority of their level (spdlog's systemd sink); stderr, with a warning,
// where there is no journal to write to. Every thread logs
// through the one default logger; no worker logs on its data path (what an
// operator must see of the traffic comes from counters, OperatorEvents).
// Cold: once at start.
#pragma once

#include "masq/config/log_options.hpp"

namespace masq::app {

// Before the config is read: stderr at info.
void setup_early_log();
void setup_log(const config::LogOptions& options);

}  // namespace masq::app
