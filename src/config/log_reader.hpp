// [log] and the --log, --log-level flags (log_reader.cpp).
// Internal to the config component. Cold.
#pragma once

#include <string_view>

#include "masq/config/log_options.hpp"
#include "table_reader.hpp"
#include "value_parse.hpp"

namespace masq::config {

// "stderr" or "journal".
Parsed<LogTarget> parse_log_target(std::string_view text);
// "trace", "debug", "info", "warning", "error", "critical" or "off".
Parsed<LogLevel> parse_log_level(std::string_view text);

void read_log(TableReader& table, LogOptions& log);

}  // namespace masq::config
