// Config: the validated configuration of a masq gateway, from a TOML file
// (docs/config.md) and/or the quick-start command-line flags that masqd and
// masq-replay share. Errors name the key and, for files, the line.
// Cold: read once at start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "masq/config/log_options.hpp"
#include "masq/nat/engine_config.hpp"
#include "masq/net/ipv4_addr.hpp"
#include "masq/pcp/server.hpp"
#include "masq/router/icmp_limiter.hpp"

namespace masq::config {

// One side of the gateway: the interface masq owns and the address it
// answers for on it ("lan0=192.168.77.1/24": address 192.168.77.1 in the
// connected prefix 192.168.77.0/24). `mtu`, when set, caps the largest
// IPv4 packet masq sends or accepts there below the interface's own MTU
// (router_config.hpp); masq-replay, which has no interface, takes it as
// the link's MTU.
struct Interface {
  std::string name;
  net::Ipv4Addr address;  // 0.0.0.0/32 while `dhcp` has no lease
  net::Ipv4Prefix prefix;
  std::optional<std::uint16_t> mtu{};
  // The WAN only: address, prefix and gateway come from a DHCP server, by
  // a client masqd runs on the WAN host interface, and follow its lease.
  bool dhcp = false;
  bool operator==(const Interface&) const = default;
};

// The MTUs [lan] and [wan] accept: the IPv4 minimum every link must carry
// (RFC 791) up to jumbo frames, the most Ethernet carries.
inline constexpr std::uint16_t kMinMtu = 68;
inline constexpr std::uint16_t kMaxMtu = 9216;

enum class IoBackend { af_packet, af_xdp };

// The ring sizes [io] accepts: from a few batches to 512 MiB of AF_PACKET
// receive ring (2 KiB a slot).
inline constexpr std::uint32_t kMinRingFrames = 64;
inline constexpr std::uint32_t kMaxRingFrames = 262144;
inline constexpr std::uint32_t kDefaultBusyPollUs = 0;
inline constexpr std::uint32_t kMaxBusyPollUs = 1'000'000;

// [router]: the gateway's own duties around the NAT, copied into
// router::RouterConfig's fields of the same meaning.
struct RouterOptions {
  // LSRR/SSRR are dropped unless allowed (RFC 7126 §4.3.5, §4.4.5).
  bool allow_source_route = false;
  router::IcmpRateLimit icmp;  // [router.icmp]
  bool source_guard = false;   // [lan] source_guard
  bool operator==(const RouterOptions&) const = default;
};

// [control]: the socket masqctl talks to (ctl::SocketOptions).
struct ControlSocket {
  // Unset: masqd's default, /run/masq/masqd.sock; "": no control socket.
  std::optional<std::string> path;
  std::uint32_t mode = 0660;
  std::string owner;  // user name or id; empty: masqd's own
  std::string group;  // group name or id; empty: masqd's own
  bool operator==(const ControlSocket&) const = default;
};

// [metrics] listen, --metrics: where the Prometheus exporter serves /metrics.
struct MetricsListen {
  net::Ipv4Addr address;
  std::uint16_t port = 0;
  bool operator==(const MetricsListen&) const = default;
};

// [nat.tcp] mss_clamp: nat::EngineConfig::tcp_mss_clamp once the links
// are known (engine_config() in router_config.hpp). automatic: the smaller
// link MTU less 40 (IPv4 and TCP headers without options).
struct MssClamp {
  enum class Mode { automatic, fixed, off } mode = Mode::automatic;
  std::uint16_t mss = 0;  // fixed
  bool operator==(const MssClamp&) const = default;
};

// [state], --state: the snapshot that carries sessions, mappings and PCP
// state across a restart (docs/operations.md, "State across restarts").
inline constexpr std::string_view kDefaultStatePath = "/var/lib/masq/masqd.state";
inline constexpr std::uint32_t kDefaultStateIntervalS = 60;
struct StateOptions {
  // Unset: none is kept. A [state] table without a path: kDefaultStatePath.
  std::optional<std::string> path;
  // Seconds between periodic snapshots (what a kill -9 loses at most);
  // 0: only when stopped.
  std::uint32_t interval_s = kDefaultStateIntervalS;
  bool operator==(const StateOptions&) const = default;
};

// A WAN port the host interface's firewall admits unsolicited ("tcp/22").
struct OpenPort {
  net::Proto proto = net::Proto::tcp;
  nat::PortRange ports;
  bool operator==(const OpenPort&) const = default;
};

// [host]: the gateway machine's own network. masqd mirrors lan0 and wan0
// into the kernel as host interfaces (TAPs with the same MAC and the
// gateway's addresses), so SSH, dnsmasq and a DHCP client work on the
// gateway itself (docs/architecture.md, "The gateway host").
struct HostOptions {
  bool interfaces = true;
  std::string lan_name;  // empty: "masq-" + the LAN interface's name
  std::string wan_name;  // empty: "masq-" + the WAN interface's name
  // The WAN address's ports kept for the host's own connections; unset:
  // the kernel's net.ipv4.ip_local_port_range, read by masqd at start.
  std::optional<nat::PortRange> ports;
  // What the WAN host interface admits besides replies (none by default).
  std::vector<OpenPort> open;
  bool operator==(const HostOptions&) const = default;
};

struct Config {
  Interface lan;
  Interface wan;
  std::optional<net::Ipv4Addr> gateway;  // next hop for destinations off the WAN prefix
  IoBackend io = IoBackend::af_packet;
  // Ring slots per interface for MTU-sized frames; unset: the backend's
  // default. A deeper receive ring rides out longer stalls of masqd (on
  // cores it shares) before the kernel drops, at the cost of memory.
  std::optional<std::uint32_t> rx_frames;
  std::optional<std::uint32_t> tx_frames;
  // AF_PACKET: TCP super-frames cross whole, segmented by the egress
  // kernel (docs/adr/0003-tcp-super-frames.md); false: cut on receive.
  bool tcp_gso = true;
  // How long a worker keeps reading its rings without sleeping after the
  // last frame it moved: the answer to a lone packet then finds it awake
  // instead of paying a thread wake-up (docs/benchmarks.md has the cost).
  std::uint32_t busy_poll_us = kDefaultBusyPollUs;
  ControlSocket control;
  std::optional<MetricsListen> metrics;  // unset: no exporter
  LogOptions log;
  StateOptions state;
  // Forwarding threads, each with its engine, router and ports and its
  // slice of the port space; unset: one per CPU masqd may run on
  // (docs/architecture.md, "Workers and steering").
  std::optional<std::uint32_t> workers;
  RouterOptions router;
  // The engine's config; the hostile-LAN defaults (per-subscriber quotas
  // and rate) are filled in when not given (docs/config.md has the rule).
  HostOptions host;
  nat::EngineConfig engine;
  pcp::ServerConfig pcp;  // [pcp], --pcp: off unless enabled
  MssClamp tcp_mss_clamp;
};

// The command-line quick start, as given (unparsed), shared by masqd and
// masq-replay. A flag overrides the file.
struct QuickStart {
  std::optional<std::string> lan;      // "NAME=ADDR/LEN"
  std::optional<std::string> wan;      // "NAME=ADDR/LEN"
  std::optional<std::string> gateway;  // "ADDR"
  std::vector<std::string> forwards;  // "tcp/8080=192.168.77.3:8080", "udp/5000-5010=10.0.0.2:5000"
  std::optional<std::string> io;      // "af_xdp" | "af_packet"
  std::optional<std::string> control;          // socket path
  bool pcp = false;                            // --pcp: the PCP/NAT-PMP server on
  std::optional<std::string> metrics;          // "ADDR:PORT"
  std::optional<std::string> log;              // "stderr" | "journal"
  std::optional<std::string> log_level;        // "info", ...
  std::optional<std::string> state;            // the snapshot's path ("": none)
  std::optional<std::string> translation_log;  // [log] translations
};

struct LoadResult {
  std::optional<Config> config;     // set exactly when errors is empty
  std::vector<std::string> errors;  // "FILE:LINE: KEY: message" or "--flag: message"
};

// Parses TOML text (source_name labels the errors), applies the quick-start
// flags on top, fills defaults that derive from the interfaces (inside =
// LAN prefix, pool = WAN address, forward addresses = WAN address), then
// validates the whole.
LoadResult load(std::optional<std::string_view> toml_text, std::string_view source_name,
                const QuickStart& flags);

// Reads the file (if given) and calls load().
LoadResult load_file(const std::optional<std::filesystem::path>& path, const QuickStart& flags);

}  // namespace masq::config
