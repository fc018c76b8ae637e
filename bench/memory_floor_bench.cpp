// Benchmark 4: the memory floor of an established packet at 1 Mi sessions.
// An established packet needs two random cache lines: its index slot, and
// the session the slot names. This does only that, with the engine's table
// sizes and memory (TableArray: 2 MiB-aligned, huge-page advised) and its
// batching: for 32 items, prefetch each index line; then read each and
// prefetch the session line it names; then read and write each session.
// Nothing else. The engine's 1 Mi figure minus this one is what its misses
// cost beyond what the machine needs anyway (docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "masq/nat/session.hpp"
#include "masq/nat/table_array.hpp"
#include "packet_stream.hpp"

namespace masq::bench {
namespace {

constexpr std::uint32_t kSessions = 1u << 20;
constexpr std::size_t kIndexSlots = std::size_t{kSessions} * 3 / 2;  // as the engine sizes them

void BM_MemoryFloor(benchmark::State& state) {
  nat::TableArray<std::uint32_t> index(kIndexSlots);
  nat::TableArray<nat::Session> sessions(kSessions);
  std::mt19937_64 rng(7);
  for (std::size_t i = 0; i < index.size(); ++i) {
    index[i] = static_cast<std::uint32_t>(rng() % kSessions);
  }
  // A stream of random index slots, one per packet, long enough that no
  // pass finds the last one's lines in cache.
  std::vector<std::uint32_t> slots(std::size_t{kSessions} * 4);
  for (auto& s : slots) s = static_cast<std::uint32_t>(rng() % index.size());
  std::array<std::uint32_t, kBatch> named{};
  std::size_t next = 0;
  for (auto _ : state) {
    const std::uint32_t* batch = &slots[next];
    for (std::size_t i = 0; i < kBatch; ++i) __builtin_prefetch(&index[batch[i]]);
    for (std::size_t i = 0; i < kBatch; ++i) {
      named[i] = index[batch[i]];
      __builtin_prefetch(&sessions[named[i]]);
    }
    for (std::size_t i = 0; i < kBatch; ++i) sessions[named[i]].expires_s += batch[i];
    benchmark::ClobberMemory();
    next = next + 2 * kBatch > slots.size() ? 0 : next + kBatch;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
}

BENCHMARK(BM_MemoryFloor);

}  // namespace
}  // namespace masq::bench
