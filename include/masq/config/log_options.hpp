// [log], --log, --log-level, --translation-log: where masqd's human log
// goes and how much of it, and the translation log of session events
// (docs/config.md). The names are the ones the file and the flags take.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
  // The translation log: session create and delete events as JSON lines.
  std::optional<std::string> translations;  // the file; unset: no log
  std::uint64_t translations_max_bytes = 64ull << 20;
  std::uint32_t translations_keep = 4;  // rotated files kept besides it
  // RFC 6888 REQ-12: logging the destination is an option (it multiplies
  // what is kept about subscribers); off by default.
  bool translations_remote = false;
  // "ADDR:PORT" of an IPFIX collector for NAT event records (RFC 8158);
  // unset: none. Carries the remote when translations_remote is set.
  std::optional<std::string> ipfix;
  bool operator==(const LogOptions&) const = default;
};
inline constexpr std::uint64_t kMinLogBytes = 4096;
inline constexpr std::uint64_t kMaxLogBytes = 1ull << 40;
inline constexpr std::uint32_t kMaxLogKeep = 1000;

constexpr std::string_view to_string(LogTarget t) {
  return net::name_of(kLogTargetNames, t);
}
constexpr std::string_view to_string(LogLevel l) {
  return net::name_of(kLogLevelNames, l);
}

}  // namespace masq::config
