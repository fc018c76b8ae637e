// Changes to a running gateway's config (masqctl forwards|static add|del,
// masqctl reload, SIGHUP): the texts masqctl takes and shows for forwards
// and static rules, what a change would break, and which settings only a
// restart applies. Cold: per control request.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "masq/config/config.hpp"

namespace masq::config {

// A forward as --forward spells it: "tcp/8080=192.168.77.3:80",
// "udp/5000-5010=192.168.77.3:5000", or with its external address
// "tcp/203.0.113.1:8080=192.168.77.3:80"; without one it is `wan`.
struct ForwardSpec {
  std::optional<nat::PortForward> forward;
  std::string error;
};
ForwardSpec parse_forward(std::string_view text, net::Ipv4Addr wan);

// A static 1:1 rule: "192.168.77.9=203.0.113.9" (internal=external).
struct StaticSpec {
  std::optional<nat::StaticNat> rule;
  std::string error;
};
StaticSpec parse_static(std::string_view text);

// The forms parse_forward() and parse_static() read, external address given.
std::string to_text(const nat::PortForward& f);
std::string to_text(const nat::StaticNat& s);

// nat::validate()'s complaints about `engine`, each about a forward or a
// static rule naming it by its text rather than its place in the list.
std::vector<std::string> engine_errors(const nat::EngineConfig& engine);

// The settings that differ between `running` and `next` and that a running
// masqd cannot take (interfaces, backend, workers, sockets, logs, the PCP
// server, table sizes, the pool, mapping behaviours), as the config file
// names them; empty when a reload can apply `next` whole.
std::vector<std::string> restart_only_changes(const Config& running, const Config& next);

}  // namespace masq::config
