// masqd's state across restarts, as Gateway wires it (worker_state.cpp,
// state_saver.cpp): the sessions of a snapshot go to the worker that owns
// each, and what the stopped workers save, a StateSaver writes and a new
// set of workers takes back whole.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <tuple>

#include "fake_port.hpp"
#include "masq/config/router_config.hpp"
#include "masq/nat/port_slice.hpp"
#include "router/frames.hpp"
#include "state_saver.hpp"
#include "support/packet_builder.hpp"
#include "worker.hpp"

namespace masq::app {
namespace {

using test::FakePort;
constexpr std::uint32_t kWorkers = 2;
const net::Ipv4Addr kServer = net::Ipv4Addr::from_octets(198, 51, 100, 1);

// wan: "wan0=dhcp" for the address by DHCP.
config::Config gateway_config(const std::string& wan = "wan0=203.0.113.1/24") {
  config::QuickStart flags;
  flags.lan = "lan0=192.168.77.1/24";
  flags.wan = wan;
  const auto loaded = config::load("[nat]\nmax_sessions = 4096\n", "test.toml", flags);
  EXPECT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  return *loaded.config;
}

io::PortInfo port_info(const std::string& name) {
  io::PortInfo info;
  info.ifname = name;
  info.ifindex = name == "lan0" ? 1 : 2;
  info.mtu = 1500;
  info.mode = "fake";
  return info;
}

std::uint64_t unix_now_s() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

struct Workers {
  explicit Workers(const config::Config& cfg) {
    const router::RouterConfig router = config::router_config(
        cfg, {router::test::mac(1, 1).octets(), 1500}, {router::test::mac(2, 1).octets(), 1500});
    for (std::uint32_t k = 0; k < kWorkers; ++k) {
      nat::EngineConfig engine = cfg.engine;
      engine.worker = {k, kWorkers};
      boxes.push_back(std::make_unique<Mailbox>());
      list.push_back(
          std::make_unique<Worker>(engine, router, std::make_unique<FakePort>(port_info("lan0")),
                                   std::make_unique<FakePort>(port_info("wan0")), *boxes.back()));
    }
  }
  std::vector<std::unique_ptr<Mailbox>> boxes;
  std::vector<std::unique_ptr<Worker>> list;
};

using Key = std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;
std::vector<Key> keys(const state::Snapshot& s) {
  std::vector<Key> out;
  for (const nat::SessionView& v : s.sessions) {
    out.emplace_back(v.internal_addr.value(), v.internal_port.value(), v.external_addr.value(),
                     v.external_port.value());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A snapshot of UDP flows from 20 hosts, each made by the engine of the
// worker its host belongs to (as steering sends its packets there).
state::Snapshot traffic(const config::Config& cfg) {
  state::Snapshot s;
  s.saved_unix_s = unix_now_s();
  for (std::uint32_t k = 0; k < kWorkers; ++k) {
    nat::EngineConfig slice = cfg.engine;
    slice.worker = {k, kWorkers};
    nat::Engine engine(slice);
    for (std::uint8_t h = 10; h < 30; ++h) {
      const auto host = net::Ipv4Addr::from_octets(192, 168, 77, h);
      if (nat::address_owner(host, kWorkers) != k) continue;
      for (std::uint16_t p = 5000; p < 5005; ++p) {
        masq::test::PacketSpec spec;
        spec.src = host;
        spec.dst = kServer;
        spec.src_port = p;
        spec.dst_port = 53;
        auto bytes = masq::test::build_packet(spec);
        const nat::PacketRef ref = nat::parse_packet(bytes);
        nat::Verdict v;
        engine.process({&ref, 1}, Side::lan, 1'000'000'000, {&v, 1});
      }
    }
    engine.for_each_session([&s](const nat::SessionView& v) { s.sessions.push_back(v); },
                            1'000'000'000);
  }
  return s;
}

TEST(WorkerState, EachWorkerTakesBackTheSessionsItOwns) {
  const config::Config cfg = gateway_config();
  const state::Snapshot saved = traffic(cfg);
  ASSERT_EQ(saved.sessions.size(), 100u);
  Workers workers(cfg);
  RestoreTallies total;
  for (const auto& w : workers.list) total += w->restore(saved, unix_now_s());
  EXPECT_EQ(total.sessions.restored(), saved.sessions.size());
  EXPECT_EQ(total.sessions.refused(), 0u);
  for (std::uint32_t k = 0; k < kWorkers; ++k) {
    state::Snapshot mine;
    workers.list[k]->save(mine, unix_now_s());
    EXPECT_FALSE(mine.sessions.empty()) << k;
    for (const nat::SessionView& v : mine.sessions) {
      EXPECT_EQ(nat::address_owner(v.internal_addr, kWorkers), k);
      EXPECT_EQ(nat::port_owner(v.proto, v.external_port.value(), kWorkers), k);
    }
  }
}

TEST(WorkerState, WhatTheStoppedWorkersSaveANewSetTakesBack) {
  const config::Config cfg = gateway_config();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("masqd-state-test-" + std::to_string(::getpid()));
  const std::filesystem::path path = dir / "masqd.state";
  const state::Snapshot saved = traffic(cfg);
  Workers before(cfg);
  for (const auto& w : before.list) w->restore(saved, unix_now_s());
  StateSaver(path, 0, 0).save(before.list);

  Workers after(cfg);
  StateSaver(path, 0, 0).restore(after.list);
  state::Snapshot back;
  for (const auto& w : after.list) w->save(back, unix_now_s());
  EXPECT_EQ(keys(back), keys(saved));
  std::filesystem::remove_all(dir);
}

TEST(WorkerState, ASnapshotOlderThanASessionsLifetimeGivesNothingBack) {
  const config::Config cfg = gateway_config();
  state::Snapshot saved = traffic(cfg);
  Workers workers(cfg);
  // UDP lives 300 s idle: this one was saved an hour ago.
  saved.saved_unix_s = unix_now_s() - 3600;
  RestoreTallies total;
  for (const auto& w : workers.list) total += w->restore(saved, unix_now_s());
  EXPECT_EQ(total.sessions.restored(), 0u);
  EXPECT_EQ(total.sessions.count(nat::RestoreOutcome::expired), saved.sessions.size());
}

TEST(WorkerState, WithTheAddressByDhcpTheSnapshotWaitsForTheLeaseAndIsSavedAgain) {
  const state::Snapshot saved = traffic(gateway_config());
  Workers workers(gateway_config("wan0=dhcp"));
  RestoreTallies total;
  for (const auto& w : workers.list) total += w->restore(saved, unix_now_s());
  // Nothing put back (nor refused) before a lease says which address is ours.
  EXPECT_EQ(total.sessions.restored(), 0u);
  EXPECT_EQ(total.sessions.refused(), 0u);
  EXPECT_EQ(total.sessions_waiting, saved.sessions.size());
  // Stopped before any lease came: what waited is saved again.
  state::Snapshot back;
  for (const auto& w : workers.list) w->save(back, unix_now_s());
  EXPECT_EQ(keys(back), keys(saved));
}

}  // namespace
}  // namespace masq::app
