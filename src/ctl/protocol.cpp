#include "masq/ctl/protocol.hpp"

#include <charconv>

namespace masq::ctl {
namespace {

std::string endpoint(net::Ipv4Addr a, net::Port p) {
  return endpoint_text(a, p);
}

// One argument of a lookup request.
std::string read_lookup(const std::string& key, const nlohmann::json& value, LookupQuery& q) {
  if (key == "at") {
    if (!value.is_number_integer()) return "\"at\" is not an integer (Unix nanoseconds)";
    q.at = value.get<std::int64_t>();
    return {};
  }
  if (!value.is_string()) return "\"" + key + "\" is not a string";
  const auto text = value.get<std::string>();
  if (key == "outside") return parse_endpoint(text, q.outside_addr, q.outside_port);
  q.proto = net::parse_proto(text);
  return q.proto ? std::string{} : "bad proto '" + text + "' (want tcp, udp or icmp)";
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
  if (r.edit != RuleEdit::list) j[r.edit == RuleEdit::add ? "add" : "del"] = r.rule;
  if (r.command == Command::lookup) {
    j["outside"] = endpoint_text(r.lookup.outside_addr, r.lookup.outside_port);
    if (r.lookup.at) j["at"] = *r.lookup.at;
    if (r.lookup.proto) j["proto"] = net::to_string(*r.lookup.proto);
  }
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
    } else if ((r.command == Command::forwards || r.command == Command::static_rules) &&
               (key == "add" || key == "del") && r.edit == RuleEdit::list) {
      if (!value.is_string()) return {std::nullopt, "\"" + key + "\" is not a string"};
      r.edit = key == "add" ? RuleEdit::add : RuleEdit::del;
      r.rule = value.get<std::string>();
    } else if (r.command == Command::lookup &&
               (key == "outside" || key == "at" || key == "proto")) {
      if (std::string error = read_lookup(key, value, r.lookup); !error.empty())
        return {std::nullopt, std::move(error)};
    } else {
      return {std::nullopt,
              "\"" + key + "\" is not an argument of " + std::string(to_string(r.command))};
    }
  }
  if (r.command == Command::lookup && !j.contains("outside"))
    return {std::nullopt, "lookup needs \"outside\" (ADDR:PORT)"};
  return {std::move(r), {}};
}

std::string parse_endpoint(std::string_view text, net::Ipv4Addr& addr, net::Port& port) {
  const auto colon = text.rfind(':');
  const auto a = net::Ipv4Addr::parse(text.substr(0, colon));
  unsigned p = 0;
  const std::string_view digits = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p);
  if (!a || digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() ||
      p > 65535) {
    return "bad endpoint '" + std::string(text) + "' (want ADDR:PORT, e.g. 203.0.113.1:40001)";
  }
  addr = *a;
  port = net::Port(static_cast<std::uint16_t>(p));
  return {};
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
  const auto direction = [](const nat::DirectionCounts& d) {
    return nlohmann::json{{"packets", d.packets}, {"bytes", d.bytes}};
  };
  for (const auto& s : sessions) {
    list.push_back({{"proto", net::to_string(s.proto)},
                    {"internal", endpoint(s.internal_addr, s.internal_port)},
                    {"external", endpoint(s.external_addr, s.external_port)},
                    {"remote", endpoint(s.remote_addr, s.remote_port)},
                    {"state", s.state},
                    {"kind", nat::to_string(s.kind)},
                    {"expires_in_s", s.expires_in_s},
                    {"idle_s", s.idle_s}});
    if (s.counts) {
      list.back()["in2out"] = direction(s.counts->in2out);
      list.back()["out2in"] = direction(s.counts->out2in);
    }
  }
  return {{"ok", true}, {"sessions", std::move(list)}};
}

nlohmann::json count_json(std::uint64_t count) {
  return {{"ok", true}, {"count", count}};
}

nlohmann::json deleted_json(std::uint64_t deleted) {
  return {{"ok", true}, {"deleted", deleted}};
}

nlohmann::json reconfigured_json(std::uint64_t removed,
                                 const std::optional<std::vector<std::string>>& rules) {
  nlohmann::json j{{"ok", true}, {"removed", removed}};
  if (rules) j["rules"] = *rules;
  return j;
}

nlohmann::json stats_json(std::span<const CounterGroup> stats,
                          std::span<const CounterGroup> counters) {
  return {{"ok", true}, {"stats", groups_json(stats)}, {"counters", groups_json(counters)}};
}

nlohmann::json error_json(std::string_view message) {
  return {{"ok", false}, {"error", message}};
}

}  // namespace masq::ctl
