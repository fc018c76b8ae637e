#include "masq/config/runtime_rules.hpp"

#include <utility>

#include "value_parse.hpp"

namespace masq::config {

ForwardSpec parse_forward(std::string_view text, net::Ipv4Addr wan) {
  auto parsed = parse_forward_spec(text);
  if (!parsed.value) return {std::nullopt, std::move(parsed.error)};
  if (parsed.value->external_addr == net::Ipv4Addr{}) parsed.value->external_addr = wan;
  return {parsed.value, {}};
}

StaticSpec parse_static(std::string_view text) {
  auto parsed = parse_static_spec(text);
  return {parsed.value, std::move(parsed.error)};
}

std::string to_text(const nat::PortForward& f) {
  const nat::PortRange& p = f.external_ports;
  std::string ports = std::to_string(p.first);
  if (p.last != p.first) ports += "-" + std::to_string(p.last);
  return std::string(net::to_string(f.proto)) + "/" + f.external_addr.to_string() + ":" + ports +
         "=" + f.internal_addr.to_string() + ":" + std::to_string(f.internal_port);
}

std::string to_text(const nat::StaticNat& s) {
  return s.internal.to_string() + "=" + s.external.to_string();
}

std::vector<std::string> engine_errors(const nat::EngineConfig& engine) {
  // "forwards[2]" and "static_nat[0]", in subjects and messages alike.
  std::vector<std::pair<std::string, std::string>> names;
  for (std::size_t i = 0; i < engine.forwards.size(); ++i) {
    names.emplace_back("forwards[" + std::to_string(i) + "]",
                       "forward " + to_text(engine.forwards[i]));
  }
  for (std::size_t i = 0; i < engine.static_nat.size(); ++i) {
    names.emplace_back("static_nat[" + std::to_string(i) + "]",
                       "static " + to_text(engine.static_nat[i]));
  }
  std::vector<std::string> out;
  for (const nat::ConfigError& e : nat::validate(engine)) {
    std::string text = e.text();
    for (const auto& [place, name] : names) {
      for (auto at = text.find(place); at != std::string::npos; at = text.find(place, at)) {
        text.replace(at, place.size(), name);
        at += name.size();
      }
    }
    out.push_back(std::move(text));
  }
  return out;
}

std::vector<std::string> restart_only_changes(const Config& running, const Config& next) {
  std::vector<std::string> changed;
  const auto check = [&changed](bool same, std::string_view name) {
    if (!same) changed.emplace_back(name);
  };
  check(running.lan == next.lan, "[lan]");
  check(running.wan == next.wan, "[wan]");
  check(running.gateway == next.gateway, "gateway");
  check(running.io == next.io && running.rx_frames == next.rx_frames &&
            running.tx_frames == next.tx_frames && running.tcp_gso == next.tcp_gso &&
            running.busy_poll_us == next.busy_poll_us && running.workers == next.workers,
        "[io]");
  check(running.control == next.control, "[control]");
  check(running.metrics == next.metrics, "[metrics]");
  check(running.log == next.log, "[log]");
  check(running.state == next.state, "[state]");
  check(running.router == next.router, "[router]");
  check(running.host == next.host, "[host]");
  check(running.pcp == next.pcp, "[pcp]");
  // The engine's table of explicit mappings is [pcp]'s, named there.
  nat::EngineConfig engine = next.engine;
  engine.max_explicit_mappings = running.engine.max_explicit_mappings;
  for (std::string& name : nat::restart_only_changes(running.engine, engine)) {
    changed.push_back(std::move(name));
  }
  return changed;
}

}  // namespace masq::config
