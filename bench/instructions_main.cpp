// masq_bench_instructions: a fixed amount of engine work, every
// Engine::process() call made through measured_process(), so that
//   valgrind --tool=callgrind --toggle-collect='masq::bench::measured_process*'
// counts the instructions of the engine alone: not the set-up, not the batch
// copies, not the parse the engine is handed (scripts/run-bench.sh has the
// full command). The parse goes through measured_parse(): a second
// --toggle-collect='masq::bench::measured_parse*' adds it. Instruction counts do
// not depend on a noisy, shared machine. Prints "packets N" and "sessions N"
// (sessions made by the measured calls) for run-bench.sh to divide by.
//
// Usage: masq_bench_instructions MODE SESSIONS
//   in2out, out2in    one pass over the established stream of a full table
//                     of SESSIONS sessions (every packet a hit)
//   random_ports, same_port, port_blocks
//                     fill an empty table of SESSIONS to 15/16 with new flows
//                     of that port pattern (flow_sets.hpp)
//   in2out_accounting, out2in_accounting
//                     in2out, out2in with per-session accounting on
//   random_ports_events
//                     random_ports with the session event ring on, drained
//                     (uncounted) after every batch as a worker does
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string_view>

#include "established_world.hpp"
#include "masq/nat/session_event.hpp"
#include "workloads.hpp"

namespace masq::bench {

// noipa: never inlined or cloned, so callgrind sees every call by these names.
[[gnu::noipa]] void measured_process(nat::Engine& engine, BatchBuffers& buffers, Side from) {
  engine.process(buffers.refs(), from, kNowNs, buffers.verdicts());
}
[[gnu::noipa]] void measured_parse(BatchBuffers& buffers) {
  buffers.parse();
}

namespace {

struct Work {
  std::size_t packets = 0;
  std::uint64_t sessions = 0;
};

// masqd's event ring (apps/masqd/gateway.hpp kEventRingCapacity).
constexpr std::uint32_t kEventRing = 16384;

Work run_pass(nat::Engine& engine, const PacketStream& stream, Side from) {
  const std::uint64_t before = engine.counters().sessions_created;
  BatchBuffers buffers;
  for (std::size_t b = 0; b < stream.batches(); ++b) {
    buffers.copy(stream, b);
    measured_parse(buffers);
    measured_process(engine, buffers, from);
    engine.drain_events([](const nat::SessionEvent&) {});
  }
  return {stream.packets(), engine.counters().sessions_created - before};
}

Work run_established(std::uint32_t sessions, Side from, bool accounting = false) {
  const auto world = make_established_world(sessions, accounting);
  return run_pass(*world->engine, world->stream(from), from);
}

Work run_new(std::uint32_t max_sessions, PortPattern ports, bool events = false) {
  const FlowSetSpec spec = new_flows(max_sessions, ports);
  const PacketStream stream(make_flows(spec));
  nat::EngineConfig cfg = engine_config(max_sessions, spec.hosts);
  cfg.event_ring_capacity = events ? kEventRing : 0;
  nat::Engine engine(cfg);
  return run_pass(engine, stream, Side::lan);
}

std::optional<Work> run(std::string_view mode, std::uint32_t sessions) {
  if (mode == "in2out") return run_established(sessions, Side::lan);
  if (mode == "out2in") return run_established(sessions, Side::wan);
  if (mode == "in2out_accounting") return run_established(sessions, Side::lan, true);
  if (mode == "out2in_accounting") return run_established(sessions, Side::wan, true);
  if (mode == "random_ports_events") return run_new(sessions, PortPattern::random_ports, true);
  if (mode == "random_ports") return run_new(sessions, PortPattern::random_ports);
  if (mode == "same_port") return run_new(sessions, PortPattern::same_port);
  if (mode == "port_blocks") return run_new(sessions, PortPattern::port_blocks);
  return std::nullopt;
}

int usage() {
  std::fputs(
      "usage: masq_bench_instructions in2out|out2in|in2out_accounting|out2in_accounting|"
      "random_ports|same_port|port_blocks|random_ports_events SESSIONS\n",
      stderr);
  return 2;
}

}  // namespace
}  // namespace masq::bench

int main(int argc, char** argv) {
  if (argc != 3) return masq::bench::usage();
  const auto sessions = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
  if (sessions == 0) return masq::bench::usage();
  try {
    const auto work = masq::bench::run(argv[1], sessions);
    if (!work) return masq::bench::usage();
    std::printf("packets %zu\nsessions %llu\n", work->packets,
                static_cast<unsigned long long>(work->sessions));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "masq_bench_instructions: %s\n", e.what());
    return 1;
  }
  return 0;
}
