// State snapshots (docs/benchmarks.md, "State snapshots"): the time masqd
// takes to save 1 Mi sessions and to restore them.
// - BM_StateSave: walk the engine's table into a state::Snapshot, encode
//   it and write it atomically (temporary file, fsync, rename, fsync of the
//   directory) in the system's temporary directory: what masqd does on
//   SIGTERM.
// - BM_StateRestore: read and check that file, and restore every session
//   into a fresh engine of the same config through Engine::restore(): what
//   masqd does at start, before forwarding. The fresh engine is made
//   untimed.
// One worker's table, UDP flows made by new_flows() (256 per host).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <memory>

#include "masq/state/snapshot_file.hpp"
#include "packet_stream.hpp"
#include "workloads.hpp"

namespace masq::bench {
namespace {

struct World {
  nat::EngineConfig cfg;
  std::unique_ptr<nat::Engine> engine;
  std::filesystem::path path;

  explicit World(std::uint32_t sessions)
      : path(std::filesystem::temp_directory_path() /
             ("masq-state-bench-" + std::to_string(::getpid())) / "masqd.state") {
    const FlowSetSpec spec = established_flows(sessions);
    cfg = engine_config(sessions + sessions / 8, spec.hosts);
    engine = std::make_unique<nat::Engine>(cfg);
    BatchBuffers buffers;
    feed(*engine, PacketStream(make_flows(spec)), Side::lan, kNowNs, buffers,
         [](const BatchBuffers&) {});
  }
  ~World() { std::filesystem::remove_all(path.parent_path()); }

  // Phase times, in ms, added to `phases` (walk, encode, write).
  std::size_t save(std::array<double, 3>& phases) const {
    using Clock = std::chrono::steady_clock;
    const auto since = [](Clock::time_point t) {
      return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
    };
    auto t = Clock::now();
    state::Snapshot s;
    s.sessions.reserve(engine->session_count());
    engine->for_each_session([&s](const nat::SessionView& v) { s.sessions.push_back(v); }, kNowNs);
    phases[0] += since(t);
    t = Clock::now();
    const std::vector<std::uint8_t> bytes = state::encode(s);
    phases[1] += since(t);
    t = Clock::now();
    if (!state::write_atomically(path, bytes).empty()) return 0;
    phases[2] += since(t);
    return s.sessions.size();
  }
};

void BM_StateSave(benchmark::State& state) {
  const World world(static_cast<std::uint32_t>(state.range(0)));
  std::size_t saved = 0;
  std::array<double, 3> phases{};
  for (auto _ : state) saved += world.save(phases);
  if (saved == 0) state.SkipWithError("the snapshot could not be written");
  const auto per_run = [&state](double ms) { return ms / static_cast<double>(state.iterations()); };
  state.counters["walk_ms"] = per_run(phases[0]);
  state.counters["encode_ms"] = per_run(phases[1]);
  state.counters["write_ms"] = per_run(phases[2]);
  state.counters["sessions"] = static_cast<double>(saved) / static_cast<double>(state.iterations());
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(world.path)) / 1e6;
}

void BM_StateRestore(benchmark::State& state) {
  const World world(static_cast<std::uint32_t>(state.range(0)));
  std::array<double, 3> unused{};
  world.save(unused);
  std::unique_ptr<nat::Engine> engine;
  std::size_t restored = 0;
  double load_ms = 0;
  for (auto _ : state) {
    state.PauseTiming();
    engine.reset();
    engine = std::make_unique<nat::Engine>(world.cfg);
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    const state::Loaded loaded = state::load(world.path);
    load_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!loaded.snapshot) {
      state.SkipWithError(loaded.error.c_str());
      break;
    }
    for (const nat::SessionView& v : loaded.snapshot->sessions) {
      if (engine->restore(v, kNowNs) == nat::RestoreOutcome::restored) ++restored;
    }
  }
  state.counters["sessions"] =
      static_cast<double>(restored) / static_cast<double>(state.iterations());
  state.counters["load_ms"] = load_ms / static_cast<double>(state.iterations());
}

BENCHMARK(BM_StateSave)
    ->ArgName("sessions")
    ->Arg(k1Mi)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_StateRestore)
    ->ArgName("sessions")
    ->Arg(k1Mi)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace masq::bench
