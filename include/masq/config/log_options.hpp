// [log], --log, --log-level: where masqd's human log goes and how much of
// it (docs/config.md). The names are the ones the file and the flags take.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "masq/net/names.hpp"

namespace masq::config {

// stderr, or the systemd journal (with the priority of each line's level).
// Spelled out: `stderr` is a macro of <cstdio>.
enum class LogTarget : std::uint8_t { standard_error, journal };
inline constexpr net::NameTable<2> kLogTargetNames{"stderr", "journal"};

#define MASQ_LOG_LEVELS(X) X(trace) X(debug) X(info) X(warning) X(error) X(critical) X(off)
enum class LogLevel : std::uint8_t { MASQ_LOG_LEVELS(MASQ_ENUMERATOR) };
inline constexpr net::NameTable<7> kLogLevelNames{MASQ_LOG_LEVELS(MASQ_NAME)};

struct LogOptions {
  LogTarget target = LogTarget::standard_error;
  LogLevel level = LogLevel::info;
  bool operator==(const LogOptions&) const = default;
};

constexpr std::string_view to_string(LogTarget t) {
  return net::name_of(kLogTargetNames, t);
}
constexpr std::string_view to_string(LogLevel l) {
  return net::name_of(kLogLevelNames, l);
}

}  // namespace masq::config
