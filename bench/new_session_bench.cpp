// Benchmark 2: the slow path. Each iteration makes a fresh engine (untimed),
// then feeds it one first packet per new flow, distinct internal endpoints,
// until the table is 15/16 full: classification, the missed lookup, the
// subscriber and pool address, the port choice (RFC 6056 probe when the
// source port is taken), the four index inserts and the first rewrite.
// Flows the engine refuses (ports_exhausted after a fruitless probe) are
// counted in refused_pct, not hidden: sessions_per_s counts sessions made.
// The *_events runs record a create event per session into the engine's
// ring (EngineConfig::event_ring_capacity, as masqd's translation log and
// masqctl events have it) and drain it after every batch, as a worker
// does: beside the plain runs, they show what the events cost the engine
// (the log writer's own work is not in them).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <tuple>

#include "masq/nat/session_event.hpp"
#include "masq/nat/session_view.hpp"
#include "packet_stream.hpp"
#include "workloads.hpp"

namespace masq::bench {
namespace {

// Built on first use and kept: 1 Mi packets take a while to make.
const PacketStream& new_flow_stream(const FlowSetSpec& spec) {
  using Key = std::tuple<std::uint32_t, std::uint32_t, PortPattern>;
  static std::map<Key, std::unique_ptr<PacketStream>> streams;
  auto& s = streams[{spec.hosts, spec.flows_per_host, spec.ports}];
  if (!s) s = std::make_unique<PacketStream>(make_flows(spec));
  return *s;
}

double kept_port_percent(const nat::Engine& engine) {
  std::size_t kept = 0;
  engine.for_each_session(
      [&](const nat::SessionView& v) {
        if (v.internal_port == v.external_port) ++kept;
      },
      kNowNs);
  return 100.0 * static_cast<double>(kept) / static_cast<double>(engine.session_count());
}

// masqd's ring (apps/masqd/gateway.hpp kEventRingCapacity).
constexpr std::uint32_t kEventRing = 16384;

void BM_NewSessions(benchmark::State& state, PortPattern ports, bool events = false) {
  const auto max_sessions = static_cast<std::uint32_t>(state.range(0));
  const FlowSetSpec spec = new_flows(max_sessions, ports);
  const PacketStream& stream = new_flow_stream(spec);
  nat::EngineConfig cfg = engine_config(max_sessions, spec.hosts);
  cfg.event_ring_capacity = events ? kEventRing : 0;
  BatchBuffers buffers;
  std::unique_ptr<nat::Engine> engine;
  std::uint64_t drained = 0;
  for (auto _ : state) {
    state.PauseTiming();
    engine.reset();
    engine = std::make_unique<nat::Engine>(cfg);
    state.ResumeTiming();
    feed(*engine, stream, Side::lan, kNowNs, buffers, [&](const BatchBuffers&) {
      if (events) {
        engine->drain_events([&](const nat::SessionEvent& e) {
          benchmark::DoNotOptimize(e);
          ++drained;
        });
      }
    });
  }
  if (engine == nullptr) return;
  const nat::Counters& c = engine->counters();
  if (c.sessions_created + c.total_drops() != stream.packets()) {
    state.SkipWithError("packets neither made a session nor were dropped");
    return;
  }
  if (events && (c.events_dropped != 0 ||
                 drained != c.sessions_created * static_cast<std::uint64_t>(state.iterations()))) {
    state.SkipWithError("a session's create event was lost");
    return;
  }
  const auto iterations = static_cast<double>(state.iterations());
  const auto made = static_cast<double>(c.sessions_created);
  state.SetItemsProcessed(static_cast<std::int64_t>(iterations * made));
  state.counters["sessions_per_s"] =
      benchmark::Counter(iterations * made, benchmark::Counter::kIsRate);
  state.counters["fill_pct"] = 100.0 * made / max_sessions;
  state.counters["refused_pct"] =
      100.0 * static_cast<double>(c.total_drops()) / static_cast<double>(stream.packets());
  state.counters["port_kept_pct"] = kept_port_percent(*engine);
}

// 1 Mi is the target's size; random_ports also at 64 Ki, where the tables
// stay in cache, to tell instruction cost from memory stalls.
BENCHMARK_CAPTURE(BM_NewSessions, random_ports, PortPattern::random_ports)
    ->ArgName("max_sessions")
    ->Arg(k64Ki)
    ->Arg(k1Mi)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NewSessions, random_ports_events, PortPattern::random_ports, true)
    ->ArgName("max_sessions")
    ->Arg(k64Ki)
    ->Arg(k1Mi)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NewSessions, same_port, PortPattern::same_port)
    ->ArgName("max_sessions")
    ->Arg(k1Mi)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NewSessions, port_blocks, PortPattern::port_blocks)
    ->ArgName("max_sessions")
    ->Arg(k1Mi)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace masq::bench
