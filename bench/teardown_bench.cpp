// Benchmark 5: teardown. A table filled to 15/16 with new UDP flows is
// drained by expiry alone: every session has outlived its timer, and the
// engine is driven with empty batches, as a worker that receives nothing
// drives it, until no session is left. Expiry scans
// expiry_scan_per_batch slots per batch, so this measures the clock hand
// and the removal of each session from its indexes, mapping ring and
// subscriber; sessions_per_s is sessions removed per second of engine time.
// Each iteration makes and fills a fresh engine, untimed.
#include <benchmark/benchmark.h>

#include <memory>

#include "packet_stream.hpp"
#include "workloads.hpp"

namespace masq::bench {
namespace {

void BM_Teardown(benchmark::State& state) {
  const auto max_sessions = static_cast<std::uint32_t>(state.range(0));
  const FlowSetSpec spec = new_flows(max_sessions, PortPattern::random_ports);
  const PacketStream stream(make_flows(spec));
  const nat::EngineConfig cfg = engine_config(max_sessions, spec.hosts);
  // Past the UDP timer: every session made at kNowNs has expired.
  const std::uint64_t later_ns = kNowNs + (std::uint64_t{cfg.timeouts.udp_s} + 1) * 1'000'000'000;
  BatchBuffers buffers;
  std::unique_ptr<nat::Engine> engine;
  std::size_t removed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    engine.reset();
    engine = std::make_unique<nat::Engine>(cfg);
    feed(*engine, stream, Side::lan, kNowNs, buffers, [](const BatchBuffers&) {});
    removed += engine->session_count();
    state.ResumeTiming();
    while (engine->session_count() != 0) engine->process({}, Side::lan, later_ns, {});
  }
  state.counters["sessions_per_s"] =
      benchmark::Counter(static_cast<double>(removed), benchmark::Counter::kIsRate);
  state.counters["sessions"] =
      static_cast<double>(removed) / static_cast<double>(state.iterations());
}

BENCHMARK(BM_Teardown)
    ->ArgName("max_sessions")
    ->Arg(k1Mi)
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace masq::bench
