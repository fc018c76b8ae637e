// Benchmark 5: does this machine's TLB see huge pages? A dependent chase
// (each load's address comes from the one before, so nothing overlaps)
// through 1 MiB of cache lines in a random cycle, laid out two ways:
// dense (every line of 1 MiB: 256 small pages) and sparse (one line in
// each 4 KiB page of 64 MiB, the size of the engine's tables at 1 Mi
// sessions), on memory advised onto transparent huge pages or off them.
// The lines are the same 1 MiB either way, so the caches answer alike; only
// the pages differ. Sparse on huge pages spans 32 of them: where they reach
// the hardware TLB it costs what dense costs. Where it costs much more,
// something below the process (under virtualisation: the host backing guest
// memory with 4 KiB pages) makes each load a page walk, and so would every
// random line of the engine's tables. docs/benchmarks.md reads it.
#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace masq::bench {
namespace {

constexpr std::size_t kLine = 64;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr int kLoadsPerIteration = 256;

// An anonymous mapping advised onto or off huge pages; unmapped on exit.
class AdvisedBuffer {
 public:
  AdvisedBuffer(std::size_t bytes, bool huge) : mapped_(bytes + kHugePage) {
    void* raw = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return;
    raw_ = static_cast<std::uint8_t*>(raw);
    const auto address = reinterpret_cast<std::uintptr_t>(raw_);
    data_ = raw_ + ((address + kHugePage - 1) / kHugePage * kHugePage - address);
    madvise(data_, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  }
  ~AdvisedBuffer() {
    if (raw_ != nullptr) munmap(raw_, mapped_);
  }
  AdvisedBuffer(const AdvisedBuffer&) = delete;
  AdvisedBuffer& operator=(const AdvisedBuffer&) = delete;

  std::uint8_t* data() const { return data_; }

 private:
  std::size_t mapped_;
  std::uint8_t* raw_ = nullptr;
  std::uint8_t* data_ = nullptr;
};

// Args: MiB spanned, bytes from one line to the next (64: dense, 4096:
// one line a page), and 1 for huge pages, 0 for 4 KiB pages.
void BM_PageWalk(benchmark::State& state) {
  const auto bytes = static_cast<std::size_t>(state.range(0)) << 20;
  const auto stride = static_cast<std::size_t>(state.range(1));
  const AdvisedBuffer buffer(bytes, state.range(2) != 0);
  if (buffer.data() == nullptr) {
    state.SkipWithError("mmap failed");
    return;
  }
  // A random order of the lines, each pointing at the next: one cycle
  // through every line, so the chase never settles into a short loop.
  const std::size_t lines = bytes / stride;
  std::vector<std::size_t> order(lines);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937_64(11));
  // Sparse lines sit at different offsets in their pages, so that they
  // spread over the cache's sets as dense ones do.
  const auto line = [&](std::size_t i) {
    const std::size_t offset = order[i] * 7 % (stride / kLine) * kLine;
    return reinterpret_cast<std::uintptr_t*>(buffer.data() + order[i] * stride + offset);
  };
  for (std::size_t i = 0; i < lines; ++i) {
    *line(i) = reinterpret_cast<std::uintptr_t>(line((i + 1) % lines));
  }
  std::uintptr_t at = reinterpret_cast<std::uintptr_t>(line(0));
  for (auto _ : state) {
    for (int i = 0; i < kLoadsPerIteration; ++i) at = *reinterpret_cast<std::uintptr_t*>(at);
    benchmark::DoNotOptimize(at);
  }
  state.SetItemsProcessed(state.iterations() * kLoadsPerIteration);
  state.counters["ns_per_load"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kLoadsPerIteration,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_PageWalk)
    ->ArgNames({"mib", "stride", "huge"})
    ->Args({1, 64, 1})
    ->Args({64, 4096, 1})
    ->Args({64, 4096, 0});

}  // namespace
}  // namespace masq::bench
