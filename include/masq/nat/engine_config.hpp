// EngineConfig: everything the translation engine needs to know, as plain
// values. The config component builds it from TOML or command-line flags;
// validate() says what is inconsistent before an Engine is made of it.
// Cold: read once at start.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"

namespace masq::nat {

struct AddressRange {
  net::Ipv4Addr first;
  net::Ipv4Addr last;  // inclusive
  bool operator==(const AddressRange&) const = default;
};

struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;  // inclusive
  bool contains(std::uint16_t p) const { return p >= first && p <= last; }
  bool operator==(const PortRange&) const = default;
};

// A worker's share of the port space: worker `index` of `count`
// (port_slice.hpp). The binder hands out only ports of its slice.
struct WorkerSlice {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
  bool operator==(const WorkerSlice&) const = default;
};

// How external addresses from the pool are handed to internal hosts.
enum class PoolMode : std::uint8_t {
  overload,   // PAT / NAPT: hosts share addresses, ports are translated when needed
  exclusive,  // dynamic NAT: each active host owns one pool address while it has sessions
};

// Static 1:1 NAT (RFC 2663 §4.1.1 "static address assignment"): stateless,
// both directions, ports untouched.
struct StaticNat {
  net::Ipv4Addr internal;
  net::Ipv4Addr external;
  bool operator==(const StaticNat&) const = default;
};

// Port forward: inbound flows to external_addr:external_ports reach
// internal_addr at internal_port + (port - external_ports.first).
struct PortForward {
  net::Proto proto = net::Proto::tcp;
  net::Ipv4Addr external_addr;
  PortRange external_ports;
  net::Ipv4Addr internal_addr;
  std::uint16_t internal_port = 0;
  bool operator==(const PortForward&) const = default;
};

// Idle timers, in seconds. Defaults are the RFC recommendations:
// RFC 4787 REQ-5 (UDP >= 300 s), RFC 5508 REQ-2 (ICMP >= 60 s),
// RFC 5382 REQ-5 (TCP established >= 7440 s, transitory >= 240 s),
// RFC 7857 §3.2 (opening and closing states 240 s).
struct Timeouts {
  std::uint32_t udp_s = 300;
  std::uint32_t icmp_s = 60;
  std::uint32_t tcp_established_s = 7440;
  std::uint32_t tcp_opening_s = 240;
  std::uint32_t tcp_transitory_s = 240;
  bool operator==(const Timeouts&) const = default;
};

// What a mapping or a filter depends on besides the internal endpoint
// (RFC 4787 §4.1, §5): nothing (endpoint-independent), the remote address
// (address-dependent), or the remote address and port
// (address-and-port-dependent). Ordered from the widest to the narrowest.
enum class Dependence : std::uint8_t {
  independent,       // EIM / EIF
  address,           // ADM / ADF
  address_and_port,  // APDM / APDF
};

// One protocol's mapping and filtering behaviour. A filter never admits
// more remotes than its mapping serves: filtering >= mapping (validate()).
struct Behaviour {
  Dependence mapping = Dependence::independent;
  Dependence filtering = Dependence::independent;
  bool operator==(const Behaviour&) const = default;
};

// Chosen per protocol, independently (RFC 7857 §3 REQ-6/7: a UDP mapping
// opens no TCP port). Defaults: UDP EIM+EIF for application transparency
// (RFC 4787 REQ-1, REQ-8); TCP EIM+ADF (RFC 5382 REQ-1, REQ-3); ICMP query
// EIM (RFC 5508 REQ-1a) with ADF, which for an echo identifier, having no
// remote port, is also APDF.
struct Behaviours {
  Behaviour udp{Dependence::independent, Dependence::independent};
  Behaviour tcp{Dependence::independent, Dependence::address};
  Behaviour icmp{Dependence::independent, Dependence::address};
  const Behaviour& of(net::Proto proto) const {
    return proto == net::Proto::tcp ? tcp : proto == net::Proto::udp ? udp : icmp;
  }
  bool operator==(const Behaviours&) const = default;
};

// Ports of one external address kept for the gateway machine's own
// connections (its kernel's ip_local_port_range on the WAN address, where
// its host interface has that address): no mapping is ever given one, so
// the host's connections and the NAT's never collide.
struct HostPorts {
  net::Ipv4Addr address;
  PortRange ports;
  bool operator==(const HostPorts&) const = default;
};

struct EngineConfig {
  // Sources that the LAN side may translate; WAN packets from these are martians.
  std::vector<net::Ipv4Prefix> inside;
  // External addresses for dynamic translation (masquerade: the WAN address).
  std::vector<AddressRange> pool;
  PoolMode pool_mode = PoolMode::overload;
  std::vector<StaticNat> static_nat;
  std::vector<PortForward> forwards;
  // Destinations that are never translated (RFC 6888 REQ-6).
  std::vector<net::Ipv4Prefix> exclude;
  std::optional<HostPorts> host_ports;

  Timeouts timeouts;
  bool udp_inbound_refresh = true;  // RFC 4787 REQ-6: inbound refresh MAY

  // Capacities: every table is allocated once, at start.
  std::uint32_t max_sessions = 65536;
  std::uint32_t max_subscribers = 4096;
  // Explicit mappings (PCP, NAT-PMP) the engine keeps (explicit_mapping.hpp).
  std::uint32_t max_explicit_mappings = 1024;
  // RFC 6888 REQ-4/5: per-subscriber limits (0 = no limit).
  std::uint32_t sessions_per_subscriber = 0;
  std::uint32_t ports_per_subscriber = 0;
  // Per-subscriber rate of sessions a LAN host opens: a token bucket of
  // new_sessions_burst, refilled at new_sessions_per_s (0 = no limit). A
  // flow over it is refused as subscriber_rate (ICMP 3/13, RFC 5508 REQ-8).
  std::uint32_t new_sessions_per_s = 0;
  std::uint32_t new_sessions_burst = 0;

  bool preserve_port = true;  // keep the source port when it is free
  bool port_parity = false;   // a new port keeps the source port's parity (RFC 4787 REQ-4)
  std::uint32_t port_probe_limit = 512;  // ports tried after the random start (RFC 6056 alg. 1)
  bool hairpinning = true;               // RFC 4787 REQ-9, RFC 5382 REQ-8
  // A released external port waits this long before another mapping may
  // take it (RFC 6888 REQ-8: 120 s); 0 = at once.
  std::uint32_t port_reuse_delay_s = 120;
  Behaviours behaviour;  // mapping and filtering per protocol
  // The largest MSS a TCP SYN may announce across the NAT, either way
  // (mss_clamp.hpp); 0 = no clamping. The config's "auto" makes it the
  // smaller link MTU less 40.
  std::uint16_t tcp_mss_clamp = 0;
  // RFC 5382 REQ-4: an unsolicited inbound SYN is never answered within
  // 6 s, and dropped silently if an outbound SYN for the same connection
  // follows. true: one that none followed is then answered with ICMP port
  // unreachable (the RFC's SHOULD; Engine::release_held_syns). Default
  // false, a chosen deviation: a scanner learns nothing.
  bool unsolicited_syn_icmp = false;

  // Bounded work per batch for lazy expiry and for reclaiming a full table.
  std::uint32_t expiry_scan_per_batch = 64;
  std::uint32_t reclaim_scan_limit = 1024;

  WorkerSlice worker;  // this engine's worker and how many there are

  // Session create and delete events (session_event.hpp): how many the
  // engine holds until Engine::drain_events() takes them (0 = none made),
  // and whether they carry the remote endpoint (RFC 6888 REQ-12 makes
  // destination logging an option).
  std::uint32_t event_ring_capacity = 0;
  bool events_with_remote = false;

  // Per-session packet and byte counts in each direction (SessionView::
  // counts), kept in an array beside the session table: 32 bytes a session
  // and a write per packet when on, nothing when off.
  bool accounting = false;

  std::uint64_t seed = 0;  // port randomisation and hash seed; same seed, same choices
};

// The smallest MSS clamp validate() accepts (Linux's TCP_MIN_MSS).
inline constexpr std::uint16_t kMinMssClamp = 88;

// The most workers: each needs ports of the smallest class (1-1023).
inline constexpr std::uint32_t kMaxWorkers = 256;

// The most events an engine holds between two drains.
inline constexpr std::uint32_t kMaxEventRing = 1u << 22;

// The largest table the 24-bit session index allows.
inline constexpr std::uint32_t kMaxSessionsLimit = (1u << 24) - 2;

// One problem validate() found: the field it is about ("pool",
// "static_nat[1]", "forwards[0]") apart from what is wrong, so that the
// config reader can point at the file line that set the field.
struct ConfigError {
  std::string subject;
  std::string message;
  std::string text() const { return subject + ": " + message; }
  bool operator==(const ConfigError&) const = default;
};

// Empty when the config can run; otherwise one error per problem.
std::vector<ConfigError> validate(const EngineConfig& cfg);

// The settings a running engine cannot take from a new config
// (Engine::reconfigure): its tables are sized, seeded or keyed by them.
// The names of those that differ between `running` and `next`, as the
// config file spells them; empty when a reconfigure can take `next`.
std::vector<std::string> restart_only_changes(const EngineConfig& running,
                                              const EngineConfig& next);

// External address `from` becomes `to` wherever the config names it: the
// pool's single-address ranges, the forwards and the host's ports.
void move_address(EngineConfig& cfg, net::Ipv4Addr from, net::Ipv4Addr to);

}  // namespace masq::nat
