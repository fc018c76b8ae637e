#include <cstdint>
#include <limits>
#include <map>
#include <string>

#include "toml_reader.hpp"

namespace masq::config {
namespace {

// RFC minimums for the idle timers. allow_short_timers lifts them for tests
// and demos that cannot wait two hours for a TCP session to expire.
struct TimerRule {
  std::string_view key;
  std::uint32_t nat::Timeouts::*field;
  std::uint32_t min_s;
  std::string_view rule;
};

constexpr TimerRule kTimerRules[] = {
    {"udp_s", &nat::Timeouts::udp_s, 120, "RFC 4787 REQ-5"},
    {"icmp_s", &nat::Timeouts::icmp_s, 60, "RFC 5508 REQ-2"},
    {"tcp_established_s", &nat::Timeouts::tcp_established_s, 7440, "RFC 5382 REQ-5"},
    {"tcp_opening_s", &nat::Timeouts::tcp_opening_s, 240, "RFC 5382 REQ-5"},
    {"tcp_transitory_s", &nat::Timeouts::tcp_transitory_s, 240, "RFC 5382 REQ-5"},
};

void read_timeouts(TableReader& table, bool allow_short_timers, nat::Timeouts& timeouts) {
  for (const auto& rule : kTimerRules) {
    const auto value = table.integer<std::uint32_t>(rule.key, 1);
    if (!value) continue;
    if (!allow_short_timers && *value < rule.min_s) {
      table.error(rule.key, "must be at least " + std::to_string(rule.min_s) + " (" +
                                std::string{rule.rule} + ")");
      continue;
    }
    timeouts.*rule.field = *value;
  }
}

// `subject`: the field's name in nat::EngineConfig, as validate() names it.
std::string element(std::string_view subject, std::size_t index) {
  return std::string{subject} + "[" + std::to_string(index) + "]";
}

template <typename T, typename Parser>
std::vector<T> parse_each(TableReader& table, std::string_view key, Parser parse,
                          std::map<std::string, std::string>& where) {
  std::vector<T> out;
  where[std::string{key}] = table.where(key);
  for (const auto& text : table.strings(key)) {
    auto parsed = parse(text.value);
    if (parsed.value) {
      where[element(key, out.size())] = text.where;
      out.push_back(*parsed.value);
    } else {
      table.errors().push_back(error_at(text.where, parsed.error));
    }
  }
  return out;
}

void read_static(TableReader& table, Draft& draft) {
  const auto internal = table.parse("internal", parse_address, Presence::required);
  const auto external = table.parse("external", parse_address, Presence::required);
  if (!internal || !external) return;
  auto& statics = draft.engine.static_nat;
  draft.engine_where[element("static_nat", statics.size())] = table.where("");
  statics.push_back({*internal, *external});
}

// `port` is 8080 or "8000-8010".
std::optional<nat::PortRange> read_forward_ports(TableReader& table) {
  const auto* node = table.node("port");
  if (node == nullptr) {
    table.error("port", "missing");
    return std::nullopt;
  }
  if (node->is_string()) return table.parse("port", parse_port_range);
  if (node->is_integer()) {
    const auto port = table.integer<std::uint16_t>("port", 1);
    if (!port) return std::nullopt;
    return nat::PortRange{*port, *port};
  }
  table.type_error("port", *node, "a port number or a \"FIRST-LAST\" string");
  return std::nullopt;
}

void read_forward(TableReader& table, std::vector<ForwardDraft>& out) {
  const auto proto = table.parse("proto", parse_forward_proto, Presence::required);
  const bool external_given = table.node("external") != nullptr;
  const auto external = table.parse("external", parse_address);
  const auto ports = read_forward_ports(table);
  const auto internal = table.parse("internal", parse_endpoint, Presence::required);
  if (!proto || external_given != external.has_value() || !ports || !internal) return;
  auto forward = table.check("internal", make_forward(*proto, *ports, *internal));
  if (!forward) return;
  ForwardDraft draft{*forward, external_given, table.where("")};
  if (external) draft.forward.external_addr = *external;
  out.push_back(draft);
}

// [nat.tcp] mss_clamp: "auto", "off" or an MSS (nat::EngineConfig::tcp_mss_clamp).
void read_mss_clamp(TableReader& tcp, Draft& draft) {
  const auto* node = tcp.node("mss_clamp");
  if (node == nullptr) return;
  if (node->is_integer()) {
    if (const auto mss = tcp.integer<std::uint16_t>("mss_clamp", nat::kMinMssClamp, 65495)) {
      draft.tcp_mss_clamp = MssClamp{MssClamp::Mode::fixed, *mss};
    }
  } else if (node->is_string()) {
    const auto text = tcp.string("mss_clamp");
    if (text == "auto") {
      draft.tcp_mss_clamp = MssClamp{};
    } else if (text == "off") {
      draft.tcp_mss_clamp = MssClamp{MssClamp::Mode::off, 0};
    } else {
      tcp.error("mss_clamp", "expected \"auto\", \"off\" or an MSS in bytes");
    }
  } else {
    tcp.type_error("mss_clamp", *node, "\"auto\", \"off\" or an MSS in bytes");
  }
}

// [nat.udp], [nat.tcp], [nat.icmp]: one protocol's mapping and filtering;
// [nat.tcp] also what only TCP has.
void read_behaviour(TableReader& nat, std::string_view proto, nat::Behaviour& behaviour,
                    Draft& draft) {
  auto table = nat.table(proto);
  if (!table) return;
  draft.engine_where["behaviour." + std::string{proto}] = table->where("");
  if (const auto mapping = table->parse("mapping", parse_mapping)) behaviour.mapping = *mapping;
  if (const auto filtering = table->parse("filtering", parse_filtering)) {
    behaviour.filtering = *filtering;
  }
  if (proto == "tcp") {
    read_mss_clamp(*table, draft);
    if (const auto icmp = table->boolean("unsolicited_syn_icmp")) {
      draft.engine.unsolicited_syn_icmp = *icmp;
    }
  }
  table->reject_unknown_keys();
}

}  // namespace

void read_nat(TableReader& nat, Draft& draft) {
  auto& engine = draft.engine;
  auto& where = draft.engine_where;
  engine.inside = parse_each<net::Ipv4Prefix>(nat, "inside", parse_prefix, where);
  engine.pool = parse_each<nat::AddressRange>(nat, "pool", parse_pool_entry, where);
  engine.exclude = parse_each<net::Ipv4Prefix>(nat, "exclude", parse_prefix, where);
  if (const auto mode = nat.parse("pool_mode", parse_pool_mode)) engine.pool_mode = *mode;

  const auto set_count = [&nat, &where](std::string_view key, std::uint32_t& field,
                                        std::uint32_t min, std::uint32_t max) {
    if (const auto value = nat.integer<std::uint32_t>(key, min, max)) {
      field = *value;
      where[std::string{key}] = nat.where(key);
    }
  };
  constexpr auto kAny = std::numeric_limits<std::uint32_t>::max();
  set_count("max_sessions", engine.max_sessions, 1, nat::kMaxSessionsLimit);
  set_count("max_subscribers", engine.max_subscribers, 1, nat::kMaxSessionsLimit);
  set_count("sessions_per_subscriber", engine.sessions_per_subscriber, 0, kAny);
  set_count("ports_per_subscriber", engine.ports_per_subscriber, 0, kAny);
  set_count("port_probe_limit", engine.port_probe_limit, 1, kAny);
  set_count("expiry_scan_per_batch", engine.expiry_scan_per_batch, 1, kAny);
  set_count("reclaim_scan_limit", engine.reclaim_scan_limit, 1, kAny);
  set_count("port_reuse_delay_s", engine.port_reuse_delay_s, 0, kAny);
  set_count("new_sessions_per_s", engine.new_sessions_per_s, 0, kAny);
  set_count("new_sessions_burst", engine.new_sessions_burst, 0, kAny);
  if (const auto seed = nat.integer<std::uint64_t>("seed")) engine.seed = *seed;

  const auto set_flag = [&nat](std::string_view key, bool& field) {
    if (const auto value = nat.boolean(key)) field = *value;
  };
  set_flag("preserve_port", engine.preserve_port);
  set_flag("port_parity", engine.port_parity);
  set_flag("hairpinning", engine.hairpinning);
  set_flag("udp_inbound_refresh", engine.udp_inbound_refresh);
  set_flag("accounting", engine.accounting);

  const bool allow_short_timers = nat.boolean("allow_short_timers").value_or(false);
  if (auto timeouts = nat.table("timeouts")) {
    where["timeouts"] = nat.where("timeouts");
    read_timeouts(*timeouts, allow_short_timers, engine.timeouts);
    timeouts->reject_unknown_keys();
  }
  read_behaviour(nat, "udp", engine.behaviour.udp, draft);
  read_behaviour(nat, "tcp", engine.behaviour.tcp, draft);
  read_behaviour(nat, "icmp", engine.behaviour.icmp, draft);
  for (auto& table : nat.tables("static")) {
    read_static(table, draft);
    table.reject_unknown_keys();
  }
  for (auto& table : nat.tables("forward")) {
    read_forward(table, draft.forwards);
    table.reject_unknown_keys();
  }
}

}  // namespace masq::config
