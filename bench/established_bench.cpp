// Benchmark 1: the fast path. Each iteration copies one batch of 32 pristine
// 64-byte UDP packets from the stream into the frame buffers, parses them
// (the router's share) and runs Engine::process() on them; every packet hits
// a live session of a full table (64 Ki to 16 Mi sessions), in random flow
// order. BM_CopyOnly times the copy and parse alone, so that run-bench.sh
// can report the engine's share. The *_accounting runs count every
// session's packets and bytes (EngineConfig::accounting): beside the
// plain ones, they show what accounting costs.
#include <benchmark/benchmark.h>

#include <exception>
#include <map>
#include <memory>
#include <utility>

#include "established_world.hpp"
#include "workloads.hpp"

namespace masq::bench {
namespace {

// Built on first use and kept: a 1 Mi world takes a second to make.
EstablishedWorld* world(benchmark::State& state, bool accounting = false) {
  static std::map<std::pair<std::int64_t, bool>, std::unique_ptr<EstablishedWorld>> worlds;
  auto& w = worlds[{state.range(0), accounting}];
  try {
    if (!w) w = make_established_world(static_cast<std::uint32_t>(state.range(0)), accounting);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
  return w.get();
}

std::size_t next(std::size_t b, const PacketStream& stream) {
  return b + 1 == stream.batches() ? 0 : b + 1;
}

std::uint64_t translated(const nat::Counters& c, Side from) {
  return from == Side::lan ? c.in2out : c.out2in;
}

void BM_Established(benchmark::State& state, Side from, bool accounting = false) {
  EstablishedWorld* w = world(state, accounting);
  if (w == nullptr) return;
  nat::Engine& engine = *w->engine;
  const PacketStream& stream = w->stream(from);
  BatchBuffers buffers;
  const std::uint64_t before = translated(engine.counters(), from);
  std::size_t b = w->next_batch(from);
  for (auto _ : state) {
    buffers.load(stream, b);
    engine.process(buffers.refs(), from, kNowNs, buffers.verdicts());
    b = next(b, stream);
  }
  w->next_batch(from) = b;
  const auto packets = static_cast<std::uint64_t>(state.iterations()) * kBatch;
  if (translated(engine.counters(), from) - before != packets) {
    state.SkipWithError("a packet of an established flow was not translated");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(packets));
  state.counters["sessions"] = static_cast<double>(engine.session_count());
}

void BM_CopyOnly(benchmark::State& state) {
  EstablishedWorld* w = world(state);
  if (w == nullptr) return;
  const PacketStream& stream = w->in2out;
  BatchBuffers buffers;
  std::size_t b = 0;
  for (auto _ : state) {
    buffers.load(stream, b);
    benchmark::DoNotOptimize(buffers.data());
    benchmark::ClobberMemory();
    b = next(b, stream);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
}

// 64 Ki sessions fit the caches; 1 Mi is the target's size; 4 Mi and
// 16 Mi show what the table's size costs once nothing fits.
void sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("sessions");
  for (const std::int64_t n : {k64Ki, k1Mi, k4Mi, k16Mi}) b->Arg(n);
}

BENCHMARK_CAPTURE(BM_Established, in2out, Side::lan)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Established, out2in, Side::wan)->Apply(sizes);
BENCHMARK(BM_CopyOnly)->Apply(sizes);
// Accounting at the size that fits the caches and at the target's size.
BENCHMARK_CAPTURE(BM_Established, in2out_accounting, Side::lan, true)
    ->ArgName("sessions")
    ->Arg(k64Ki)
    ->Arg(k1Mi);
BENCHMARK_CAPTURE(BM_Established, out2in_accounting, Side::wan, true)
    ->ArgName("sessions")
    ->Arg(k64Ki)
    ->Arg(k1Mi);

}  // namespace
}  // namespace masq::bench
