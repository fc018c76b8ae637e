// EstablishedWorld: an engine holding `sessions` live UDP sessions (its
// table exactly full), and for each direction a stream with one pristine
// packet per session, in a random order unlike the order the sessions were
// made in: in2out packets from the LAN hosts, out2in replies from the
// remote servers to the mapped external endpoints. Cold to build (about a
// second at 1 Mi sessions); the benchmarks then time passes over the streams.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "masq/nat/engine.hpp"
#include "packet_stream.hpp"

namespace masq::bench {

struct EstablishedWorld {
  std::unique_ptr<nat::Engine> engine;
  PacketStream in2out;
  PacketStream out2in;
  // Where the next timed pass starts in each stream, so that repeated runs
  // keep walking the whole stream instead of replaying its warm beginning.
  std::size_t next_in2out = 0;
  std::size_t next_out2in = 0;

  const PacketStream& stream(Side from) const { return from == Side::lan ? in2out : out2in; }
  std::size_t& next_batch(Side from) { return from == Side::lan ? next_in2out : next_out2in; }
};

// Throws std::runtime_error if any session could not be made. accounting:
// the engine counts every session's packets (EngineConfig::accounting).
std::unique_ptr<EstablishedWorld> make_established_world(std::uint32_t sessions,
                                                         bool accounting = false);

}  // namespace masq::bench
