// Sets of distinct UDP flows from LAN hosts (10.0.0.0/8) to remote servers
// (198.18.0.0/15, the RFC 2544 benchmarking range), each flow with its own
// internal endpoint, in a seeded random order. Three source port patterns:
//   random_ports  each flow a random port of the Linux ephemeral range
//                 (32768-60999), distinct within its host, as Linux picks
//                 them for UDP sockets: mostly kept, sometimes colliding
//                 with another host's on the same pool address;
//   port_blocks   each host's ports consecutive from a random start in that
//                 range: preserved ports fill runs of the external port
//                 space, which a linear probe has to walk across;
//   same_port     every host uses the same few ports (40000, 40001, ...),
//                 so on each pool address all but the first host collide
//                 and the engine falls back to its random probe (RFC 6056).
// Cold: built before timing.
#pragma once

#include <cstdint>
#include <vector>

#include "masq/net/flow_key.hpp"

namespace masq::bench {

enum class PortPattern : std::uint8_t { random_ports, port_blocks, same_port };

struct FlowSetSpec {
  std::uint32_t hosts = 0;
  std::uint32_t flows_per_host = 0;  // at most 28232, the ephemeral range
  PortPattern ports = PortPattern::random_ports;
  std::uint64_t seed = 1;
};

// hosts * flows_per_host flows, shuffled.
std::vector<net::FlowKey> make_flows(const FlowSetSpec& spec);

// The same flows in another random order (a new permutation, so a timed pass
// does not walk the sessions in the order they were made, i.e. in memory order).
std::vector<net::FlowKey> reshuffled(std::vector<net::FlowKey> flows, std::uint64_t seed);

// The first LAN host's address; host i is kFirstHost + i.
inline constexpr std::uint32_t kFirstHost = 0x0A000001;  // 10.0.0.1

}  // namespace masq::bench
