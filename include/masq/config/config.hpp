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

#include "masq/nat/engine_config.hpp"
#include "masq/net/ipv4_addr.hpp"
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
  net::Ipv4Addr address;
  net::Ipv4Prefix prefix;
  std::optional<std::uint16_t> mtu{};
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

// [router]: the gateway's own duties around the NAT, copied into
// router::RouterConfig's fields of the same meaning.
struct RouterOptions {
  // LSRR/SSRR are dropped unless allowed (RFC 7126 §4.3.5, §4.4.5).
  bool allow_source_route = false;
  router::IcmpRateLimit icmp;  // [router.icmp]
  bool operator==(const RouterOptions&) const = default;
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
  // Forwarding threads, each with its engine, router and ports and its
  // slice of the port space; unset: one per CPU masqd may run on
  // (docs/architecture.md, "Workers and steering").
  std::optional<std::uint32_t> workers;
  std::string control_path;  // control socket; empty = none
  RouterOptions router;
  nat::EngineConfig engine;
};

// The command-line quick start, as given (unparsed), shared by masqd and
// masq-replay. A flag overrides the file.
struct QuickStart {
  std::optional<std::string> lan;      // "NAME=ADDR/LEN"
  std::optional<std::string> wan;      // "NAME=ADDR/LEN"
  std::optional<std::string> gateway;  // "ADDR"
  std::vector<std::string> forwards;  // "tcp/8080=192.168.77.3:8080", "udp/5000-5010=10.0.0.2:5000"
  std::optional<std::string> io;      // "af_xdp" | "af_packet"
  std::optional<std::string> control;  // socket path
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
