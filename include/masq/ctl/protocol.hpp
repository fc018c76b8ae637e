// The control protocol: one JSON object per line over a Unix stream
// socket. The client sends {"cmd": "status" | "sessions" | "counters"}; the
// server answers one line, {"ok": true, ...} or {"ok": false, "error": "..."},
// and closes. Encoding and decoding live here so that masqd and masqctl
// cannot disagree. Cold.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "masq/ctl/snapshot.hpp"
#include "masq/net/names.hpp"

namespace masq::ctl {

#define MASQ_CTL_COMMANDS(X) X(status) X(sessions) X(counters)

enum class Command { MASQ_CTL_COMMANDS(MASQ_ENUMERATOR) };

inline constexpr net::NameTable<3> kCommandNames{MASQ_CTL_COMMANDS(MASQ_NAME)};
constexpr std::string_view to_string(Command c) {
  return net::name_of(kCommandNames, c);
}
constexpr std::optional<Command> parse_command(std::string_view name) {
  return net::value_named<Command>(kCommandNames, name);
}

std::string encode_request(Command c);
// The command of one request line, or the error to answer it with.
struct ParsedRequest {
  std::optional<Command> command;
  std::string error;
};
ParsedRequest decode_request(std::string_view line);

nlohmann::json status_json(const Status& s);
nlohmann::json sessions_json(std::span<const nat::SessionView> sessions);
nlohmann::json counters_json(std::span<const CounterGroup> groups);
nlohmann::json error_json(std::string_view message);

}  // namespace masq::ctl
