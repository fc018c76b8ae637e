// The translation log's line format (docs/operations.md): one JSON object
// per session event, as the log file holds it and `masqctl events` shows
// it, with wall-clock time:
//   {"time":"2026-12-02T12:33:05.123456Z","event":"create","proto":"udp",
//    "inside":"192.168.77.2:5000","outside":"203.0.113.1:5000",
//    "remote":"198.51.100.1:53","kind":"dynamic"}
// "remote" only when the events carry it (RFC 6888 REQ-12: an option);
// "reason" on a delete. For ICMP echo the ports are the identifiers.
// Also the times an operator types (`masqctl lookup --at`). Cold.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "masq/nat/session_event.hpp"

namespace masq::ctl {

// Nanoseconds since the Unix epoch, UTC.
using UnixNs = std::int64_t;

// "2026-12-02T12:33:05.123456Z" (microseconds).
std::string format_time(UnixNs t);
// ISO 8601 ("2026-12-02T12:33:05Z", "2026-12-02 12:33:05.5+01:00",
// "2026-12-02T12:33:05", read as UTC) or Unix seconds ("1764678785",
// "1764678785.25"); nothing when it is neither.
std::optional<UnixNs> parse_time(std::string_view text);

// "addr:port".
std::string endpoint_text(net::Ipv4Addr addr, net::Port port);

// The line of an event whose engine time (a monotonic clock) plus
// `wall_offset_ns` is its wall-clock time; keys in the order above.
nlohmann::ordered_json event_json(const nat::SessionEvent& e, std::int64_t wall_offset_ns);

}  // namespace masq::ctl
