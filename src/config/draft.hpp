// Draft: the configuration while it is being assembled from the file and the
// flags, before the defaults that derive from the interfaces are filled in.
// Everything that a later check must point at keeps where it came from.
// Internal to the config component. Cold.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "masq/config/config.hpp"
#include "masq/nat/engine_config.hpp"
#include "sourced.hpp"

namespace masq::config {

// A LAN or WAN interface slot. `rejected` means it was given but its errors
// are already reported, so "missing" would only add noise.
struct InterfaceDraft {
  std::optional<Sourced<Interface>> value;
  bool rejected = false;
  // From the file only; kept apart so that a --lan / --wan flag, which
  // replaces name and address, leaves it in force.
  std::optional<std::uint16_t> mtu;
};

// A forward whose external address may still be the WAN address to come.
struct ForwardDraft {
  nat::PortForward forward;
  bool external_given = false;
  std::string where;  // its [[nat.forward]] table, or its --forward flag
};

struct Draft {
  InterfaceDraft lan;
  InterfaceDraft wan;
  std::optional<Sourced<net::Ipv4Addr>> gateway;
  std::optional<IoBackend> io;
  std::optional<std::uint32_t> rx_frames;
  std::optional<std::uint32_t> tx_frames;
  std::optional<bool> tcp_gso;
  std::optional<std::uint32_t> busy_poll_us;
  ControlSocket control;
  std::optional<MetricsListen> metrics;
  LogOptions log;
  std::optional<std::uint32_t> workers;
  RouterOptions router;
  pcp::ServerConfig pcp;
  HostOptions host;
  std::vector<ForwardDraft> forwards;
  // Everything else of the engine; its `forwards` are filled from the
  // drafts above once the WAN address is known.
  nat::EngineConfig engine;
  MssClamp tcp_mss_clamp;
  // Where the engine's fields were set, by the subject nat::validate()
  // names them with ("pool[1]", "static_nat[0]", "max_sessions").
  std::map<std::string, std::string> engine_where;
};

}  // namespace masq::config
