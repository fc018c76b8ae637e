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
#include "masq/ctl/translation_lookup.hpp"
#include "masq/net/names.hpp"

namespace masq::ctl {

// Where masqd listens and masqctl connects when neither is told otherwise.
inline constexpr std::string_view kDefaultSocketPath = "/run/masq/masqd.sock";

// status: interfaces, uptime, live sessions. sessions: the table, or with
// "count" its size, of the sessions "filter" selects. stats: drops,
// interfaces, sessions by protocol and state, allocation failures and
// quota hits, and every counter. delete_sessions: removes the sessions
// "filter" selects (all of them without one), like conntrack -D. lookup:
// who held "outside" ("addr:port") at "at" (Unix ns; default now), from
// the translation log, optionally of one "proto". events: after {"ok":
// true}, the connection stays open and carries every session event as a
// line (event_line.hpp) as it happens, like conntrack -E; a reader too
// slow loses events, and is then sent {"event": "lost", "count": N}.
// reload: re-reads the config file ({"ok": true, "removed": N}, the
// sessions it no longer allows). forwards, static: the running port
// forwards or static 1:1 rules ({"ok": true, "rules": [TEXT...]}), after
// one is added ("add": TEXT) or deleted ("del": TEXT), as
// config/runtime_rules.hpp spells them; then also "removed".
#define MASQ_CTL_COMMANDS(X) \
  X(status)                  \
  X(sessions) X(stats) X(delete_sessions) X(lookup) X(events) X(reload) X(forwards) X(static_rules)

enum class Command { MASQ_CTL_COMMANDS(MASQ_ENUMERATOR) };

inline constexpr net::NameTable<9> kCommandNames{MASQ_CTL_COMMANDS(MASQ_NAME)};
constexpr std::string_view to_string(Command c) {
  return net::name_of(kCommandNames, c);
}
constexpr std::optional<Command> parse_command(std::string_view name) {
  return net::value_named<Command>(kCommandNames, name);
}

// What a forwards or static_rules request does to the running rules.
enum class RuleEdit { list, add, del };

struct Request {
  // Not an aggregate: callers name the leading fields only.
  Request() = default;
  Request(Command c, SessionFilter f = {}, bool n = false, LookupQuery q = {})
      : command(c), filter(std::move(f)), count(n), lookup(q) {}

  Command command = Command::status;
  SessionFilter filter;            // sessions, delete_sessions
  bool count = false;              // sessions: the number of them, not the list
  LookupQuery lookup;              // lookup
  RuleEdit edit = RuleEdit::list;  // forwards, static_rules
  std::string rule;                // the rule added or deleted
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
// "203.0.113.1:40001" into addr and port; the error, or "".
std::string parse_endpoint(std::string_view text, net::Ipv4Addr& addr, net::Port& port);

nlohmann::json status_json(const Status& s);
nlohmann::json sessions_json(std::span<const nat::SessionView> sessions);
nlohmann::json count_json(std::uint64_t count);
nlohmann::json deleted_json(std::uint64_t deleted);
// reload, and forwards or static_rules after an edit: the sessions the
// change removed; `rules`, for forwards and static_rules, the rules now.
nlohmann::json reconfigured_json(std::uint64_t removed,
                                 const std::optional<std::vector<std::string>>& rules);
// {"ok": true, "stats": {group: {name: value}}, "counters": {group: ...}}.
nlohmann::json stats_json(std::span<const CounterGroup> stats,
                          std::span<const CounterGroup> counters);
nlohmann::json error_json(std::string_view message);

}  // namespace masq::ctl
