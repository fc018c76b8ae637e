#include "masq/ctl/protocol.hpp"

namespace masq::ctl {
namespace {

std::string endpoint(net::Ipv4Addr a, net::Port p) {
  return a.to_string() + ':' + std::to_string(p.value());
}

}  // namespace

std::string encode_request(Command c) {
  return nlohmann::json{{"cmd", to_string(c)}}.dump() + "\n";
}

ParsedRequest decode_request(std::string_view line) {
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return {std::nullopt, "request is not a JSON object"};
  const auto cmd = j.find("cmd");
  if (cmd == j.end() || !cmd->is_string()) return {std::nullopt, "request has no \"cmd\" string"};
  const auto c = parse_command(cmd->get<std::string>());
  if (!c) return {std::nullopt, "unknown command \"" + cmd->get<std::string>() + "\""};
  return {c, {}};
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
                    {"expires_in_s", s.expires_in_s}});
  }
  return {{"ok", true}, {"sessions", std::move(list)}};
}

nlohmann::json counters_json(std::span<const CounterGroup> groups) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& g : groups) {
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [name, value] : g.values) values[name] = value;
    out[g.name] = std::move(values);
  }
  return {{"ok", true}, {"counters", std::move(out)}};
}

nlohmann::json error_json(std::string_view message) {
  return {{"ok", false}, {"error", message}};
}

}  // namespace masq::ctl
