// Benchmark 4: the memory floor of an established packet. A packet needs
// two random cache lines: its index slot, and the session the slot names.
// This does only that, with the engine's table sizes and memory
// (TableArray: 2 MiB-aligned, huge-page advised) and its batching: for 32
// packets, prefetch each index line; then read each and prefetch the
// session line it names; then read and write each session. With `work`,
// the first and last of those steps also do that much arithmetic per
// packet, which shows whether this machine overlaps the misses with work
// (their cost vanishes) or not (it adds). docs/benchmarks.md reads it.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "packet_stream.hpp"
#include "session.hpp"
#include "table_array.hpp"
#include "workloads.hpp"

namespace masq::bench {
namespace {

// Dependent multiply steps, about 1.2 ns each here: stand-in work that
// touches no memory, to see whether the misses overlap with it.
std::uint64_t work(std::uint64_t x, std::int64_t steps) {
  for (std::int64_t i = 0; i < steps; ++i) {
    x = x * 0x9E3779B97F4A7C15ull + (x >> 17);
    benchmark::DoNotOptimize(x);
  }
  return x;
}

// Args: sessions (the tables are sized as the engine sizes them for that
// many), and steps of work per packet (0: the misses alone).
void BM_MemoryFloor(benchmark::State& state) {
  const auto sessions = static_cast<std::size_t>(state.range(0));
  const std::int64_t steps = state.range(1);
  nat::TableArray<std::uint32_t> index(sessions * 3 / 2);
  nat::TableArray<nat::Session> pool(sessions);
  std::mt19937_64 rng(7);
  for (std::size_t i = 0; i < index.size(); ++i) {
    index[i] = static_cast<std::uint32_t>(rng() % sessions);
  }
  // A stream of random index slots, one per packet, long enough that no
  // pass finds the last one's lines in cache.
  std::vector<std::uint32_t> slots(std::size_t{1} << 22);
  for (auto& s : slots) s = static_cast<std::uint32_t>(rng() % index.size());
  std::array<std::uint32_t, kBatch> named{};
  std::uint64_t acc = 1;
  std::size_t next = 0;
  for (auto _ : state) {
    const std::uint32_t* batch = &slots[next];
    for (std::size_t i = 0; i < kBatch; ++i) {
      __builtin_prefetch(&index[batch[i]]);
      acc = work(acc, steps);
    }
    for (std::size_t i = 0; i < kBatch; ++i) {
      named[i] = index[batch[i]];
      __builtin_prefetch(&pool[named[i]]);
    }
    for (std::size_t i = 0; i < kBatch; ++i) {
      pool[named[i]].expires_s += batch[i];
      acc = work(acc, steps);
    }
    benchmark::ClobberMemory();
    next = next + 2 * kBatch > slots.size() ? 0 : next + kBatch;
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
}

BENCHMARK(BM_MemoryFloor)
    ->ArgNames({"sessions", "work"})
    ->Args({1 << 16, 0})
    ->Args({1 << 20, 0})
    ->Args({k4Mi, 0})
    ->Args({k16Mi, 0})
    ->Args({1 << 16, 16})
    ->Args({1 << 20, 16});

}  // namespace
}  // namespace masq::bench
