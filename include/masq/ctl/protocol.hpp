// The control protocol: one JSON object per line over a Unix stream
// socket. The client sends {"cmd": NAME} with the command's arguments
// ({"cmd": "sessions", "filter": {...}, "count": true}); the server
// answers one line, {"ok": true, ...} or {"ok": false, "error": "..."},
// and closes. Encoding and decoding live here so that masqd and masqctl
// cannot disagree. Cold.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "masq/ctl/session_filter.hpp"
#include "masq/ctl/snapshot.hpp"
#include "masq/net/names.hpp"

namespace masq::ctl {

// Where masqd listens and masqctl connects when neither is told otherwise.
inline constexpr std::string_view kDefaultSocketPath = "/run/masq/masqd.sock";

// status: interfaces, uptime, live sessions. sessions: the table, or with
// "count" its size, of the sessions "filter" selects. stats: drops,
// interfaces, sessions by protocol and state, allocation failures and
// quota hits, and every counter. delete_sessions: removes the sessions
// "filter" selects (all of them without one), like conntrack -D.
#define MASQ_CTL_COMMANDS(X) X(status) X(sessions) X(stats) X(delete_sessions)

enum class Command { MASQ_CTL_COMMANDS(MASQ_ENUMERATOR) };

inline constexpr net::NameTable<4> kCommandNames{MASQ_CTL_COMMANDS(MASQ_NAME)};
constexpr std::string_view to_string(Command c) {
  return net::name_of(kCommandNames, c);
}
constexpr std::optional<Command> parse_command(std::string_view name) {
  return net::value_named<Command>(kCommandNames, name);
}

struct Request {
  Command command = Command::status;
  SessionFilter filter;  // sessions, delete_sessions
  bool count = false;    // sessions: the number of them, not the list
};

std::string encode_request(const Request& r);
inline std::string encode_request(Command c) {
  return encode_request(Request{c, {}, false});
}
// The request of one line, or the error to answer it with.
struct ParsedRequest {
  std::optional<Request> request;
  std::string error;
};
ParsedRequest decode_request(std::string_view line);

nlohmann::json status_json(const Status& s);
nlohmann::json sessions_json(std::span<const nat::SessionView> sessions);
nlohmann::json count_json(std::uint64_t count);
nlohmann::json deleted_json(std::uint64_t deleted);
// {"ok": true, "stats": {group: {name: value}}, "counters": {group: ...}}.
nlohmann::json stats_json(std::span<const CounterGroup> stats,
                          std::span<const CounterGroup> counters);
nlohmann::json error_json(std::string_view message);

}  // namespace masq::ctl
