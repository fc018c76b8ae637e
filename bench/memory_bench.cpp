// Benchmark 3: memory per session. Engine::memory_bytes() (the tables as
// sized from max_sessions) divided by max_sessions, and the process's
// resident-set growth while the engine is made and then filled to 15/16,
// also per max session. Runs once: the figures do not depend on timing.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include "masq/nat/engine.hpp"
#include "packet_stream.hpp"
#include "rss.hpp"
#include "workloads.hpp"

namespace masq::bench {
namespace {

void BM_MemoryPerSession(benchmark::State& state) {
  const auto max_sessions = static_cast<std::uint32_t>(state.range(0));
  const FlowSetSpec spec = new_flows(max_sessions, PortPattern::random_ports);
  const PacketStream stream(make_flows(spec));
  const nat::EngineConfig cfg = engine_config(max_sessions, spec.hosts);
  // Large blocks straight from mmap, and free heap returned: the growth
  // measured below is then the engine's own pages, not recycled ones.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  malloc_trim(0);
  BatchBuffers buffers;
  const auto per_session = [&](std::size_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(max_sessions);
  };
  for (auto _ : state) {
    const std::size_t start = resident_bytes();
    nat::Engine engine(cfg);
    const std::size_t made = resident_bytes();
    feed(engine, stream, Side::lan, kNowNs, buffers, [](const BatchBuffers&) {});
    const std::size_t filled = resident_bytes();
    if (engine.session_count() != stream.packets()) {
      state.SkipWithError("a new flow was refused");
      return;
    }
    state.counters["bytes_per_session"] = per_session(engine.memory_bytes());
    state.counters["rss_made_per_session"] = per_session(made - start);
    state.counters["rss_filled_per_session"] = per_session(filled - start);
    state.counters["sessions"] = static_cast<double>(engine.session_count());
  }
}

BENCHMARK(BM_MemoryPerSession)
    ->ArgName("max_sessions")
    ->Arg(1 << 20)
    ->Arg(k16Mi)
    ->Iterations(1)
    ->Repetitions(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace masq::bench
