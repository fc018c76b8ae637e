#include "masq/ctl/protocol.hpp"

namespace masq::ctl {
namespace {

std::string endpoint(net::Ipv4Addr a, net::Port p) {
  return a.to_string() + ':' + std::to_string(p.value());
}

nlohmann::json groups_json(std::span<const CounterGroup> groups) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& g : groups) {
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [name, value] : g.values) values[name] = value;
    out[g.name] = std::move(values);
  }
  return out;
}

}  // namespace

std::string encode_request(const Request& r) {
  nlohmann::json j{{"cmd", to_string(r.command)}};
  if (!r.filter.empty()) j["filter"] = r.filter.to_json();
  if (r.count) j["count"] = true;
  return j.dump() + "\n";
}

ParsedRequest decode_request(std::string_view line) {
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return {std::nullopt, "request is not a JSON object"};
  const auto cmd = j.find("cmd");
  if (cmd == j.end() || !cmd->is_string()) return {std::nullopt, "request has no \"cmd\" string"};
  const auto c = parse_command(cmd->get<std::string>());
  if (!c) return {std::nullopt, "unknown command \"" + cmd->get<std::string>() + "\""};
  Request r{*c, {}, false};
  for (const auto& [key, value] : j.items()) {
    if (key == "cmd") continue;
    if (key == "filter" &&
        (r.command == Command::sessions || r.command == Command::delete_sessions)) {
      auto parsed = SessionFilter::from_json(value);
      if (!parsed.error.empty()) return {std::nullopt, std::move(parsed.error)};
      r.filter = std::move(parsed.filter);
    } else if (key == "count" && r.command == Command::sessions && value.is_boolean()) {
      r.count = value.get<bool>();
    } else {
      return {std::nullopt,
              "\"" + key + "\" is not an argument of " + std::string(to_string(r.command))};
    }
  }
  return {std::move(r), {}};
}

nlohmann::json status_json(const Status& s) {
  return {{"ok", true},
          {"version", s.version},
          {"lan", s.lan},
          {"wan", s.wan},
          {"uptime_s", s.uptime_s},
          {"sessions", s.sessions},
          {"max_sessions", s.max_sessions}};
}

nlohmann::json sessions_json(std::span<const nat::SessionView> sessions) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : sessions) {
    list.push_back({{"proto", net::to_string(s.proto)},
                    {"internal", endpoint(s.internal_addr, s.internal_port)},
                    {"external", endpoint(s.external_addr, s.external_port)},
                    {"remote", endpoint(s.remote_addr, s.remote_port)},
                    {"state", s.state},
                    {"kind", nat::to_string(s.kind)},
                    {"expires_in_s", s.expires_in_s},
                    {"idle_s", s.idle_s}});
  }
  return {{"ok", true}, {"sessions", std::move(list)}};
}

nlohmann::json count_json(std::uint64_t count) {
  return {{"ok", true}, {"count", count}};
}

nlohmann::json deleted_json(std::uint64_t deleted) {
  return {{"ok", true}, {"deleted", deleted}};
}

nlohmann::json stats_json(std::span<const CounterGroup> stats,
                          std::span<const CounterGroup> counters) {
  return {{"ok", true}, {"stats", groups_json(stats)}, {"counters", groups_json(counters)}};
}

nlohmann::json error_json(std::string_view message) {
  return {{"ok", false}, {"error", message}};
}

}  // namespace masq::ctl
