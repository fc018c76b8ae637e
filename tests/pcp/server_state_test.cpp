// Server state across a restart (server_state.cpp): the mappings one
// server over a real engine saved come back in another, with their
// external endpoints, nonces, filters and lifetimes, as real engine
// mappings; the epoch goes on.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "masq/pcp/engine_backend.hpp"
#include "masq/pcp/server.hpp"
#include "pcp_bytes.hpp"

namespace masq::pcp {
namespace {

using net::Ipv4Addr;
using test::Bytes;

const Ipv4Addr kPublic = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kHost = Ipv4Addr::from_octets(192, 168, 1, 10);
constexpr std::uint8_t kUdp = 17;
constexpr std::uint8_t kTcp = 6;
constexpr std::uint64_t kNow = 1000;

nat::EngineConfig engine_config() {
  nat::EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("192.168.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.max_sessions = 64;
  return cfg;
}

ServerConfig config() {
  ServerConfig c;
  c.enabled = true;
  return c;
}

struct Gateway {
  nat::Engine engine{engine_config()};
  EngineBackend backend{engine};
  Server server{config(), backend, 0};

  Bytes send(const Bytes& req, std::uint64_t now_s = kNow) {
    std::array<std::uint8_t, kMaxMessage> out{};
    const Reply r = server.handle(Side::lan, kHost, req, out, now_s);
    return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.length));
  }
  struct Saved {
    Mapping mapping;
    std::uint32_t left_s;
  };
  std::vector<Saved> saved(std::uint64_t now_s = kNow) const {
    std::vector<Saved> out;
    server.for_each_mapping(now_s, [&](const Mapping& m, std::uint32_t left) {
      out.push_back({m, left});
    });
    return out;
  }
  std::vector<nat::SessionView> sessions(std::uint64_t now_s = kNow) const {
    std::vector<nat::SessionView> all;
    engine.for_each_session([&](const nat::SessionView& v) { all.push_back(v); },
                            now_s * 1'000'000'000u);
    return all;
  }
};

TEST(ServerState, SavedMappingsComeBackAsTheyWere) {
  Gateway before;
  test::Writer filtered = test::header(1, 3600);
  test::map_body(filtered, test::kNonceA, kUdp, 5000, 40000);
  test::filter(filtered, 120, 0, 198, 51, 100, 0);
  ASSERT_EQ(before.send(filtered.bytes())[3], 0);
  ASSERT_EQ(before.send(test::map_request(600, kTcp, 22, 0, test::kNonceB), kNow - 100)[3], 0);
  const auto saved = before.saved();
  ASSERT_EQ(saved.size(), 2u);

  Gateway after;
  for (const auto& s : saved)
    EXPECT_EQ(after.server.restore(s.mapping, s.left_s, kNow), MapStatus::ok);
  const auto restored = after.saved();
  ASSERT_EQ(restored.size(), saved.size());
  for (std::size_t i = 0; i < saved.size(); ++i) {
    const Mapping& a = saved[i].mapping;
    const Mapping& b = restored[i].mapping;
    EXPECT_EQ(a.origin, b.origin);
    EXPECT_EQ(a.internal, b.internal);
    EXPECT_EQ(a.external, b.external);
    EXPECT_EQ(a.nonce, b.nonce);
    EXPECT_EQ(a.filter_count, b.filter_count);
    EXPECT_EQ(a.filters, b.filters);
    EXPECT_EQ(saved[i].left_s, restored[i].left_s);
  }
  // Real engine mappings, the same the engine showed before.
  const auto views = after.sessions();
  ASSERT_EQ(views.size(), 2u);
  for (const auto& v : views) EXPECT_EQ(v.kind, nat::SessionKind::pcp);
  // The holder of the nonce refreshes its mapping and keeps its port.
  const Bytes refreshed = after.send(test::map_request(600, kTcp, 22, 0, test::kNonceB));
  ASSERT_GE(refreshed.size(), 60u);
  EXPECT_EQ(refreshed[3], 0);
  EXPECT_EQ(net::load_be16(&refreshed[24 + 18]), saved[1].mapping.external.port);
  // Another nonce still may not touch it.
  EXPECT_EQ(after.send(test::map_request(600, kTcp, 22, 0, test::kNonceA))[3],
            static_cast<std::uint8_t>(ResultCode::not_authorized));
}

TEST(ServerState, AMappingWhoseEndpointIsTakenIsRefused) {
  Gateway before;
  ASSERT_EQ(before.send(test::map_request(600, kUdp, 5000, 40000))[3], 0);
  const auto saved = before.saved();
  ASSERT_EQ(saved.size(), 1u);

  Gateway after;
  // Another host of the same address got the port meanwhile.
  Mapping other = saved[0].mapping;
  other.internal.addr = Ipv4Addr::from_octets(192, 168, 1, 11);
  ASSERT_EQ(after.server.restore(other, 600, kNow), MapStatus::ok);
  EXPECT_EQ(after.server.restore(saved[0].mapping, saved[0].left_s, kNow),
            MapStatus::suggested_unavailable);
  EXPECT_EQ(after.server.mapping_count(), 1u);
  EXPECT_EQ(after.sessions().size(), 1u);
  // Nothing left to live, nothing restored.
  EXPECT_NE(after.server.restore(saved[0].mapping, 0, kNow), MapStatus::ok);
}

TEST(ServerState, TheEpochGoesOn) {
  Gateway g;
  g.server.continue_epoch(5000, kNow);
  EXPECT_EQ(g.server.epoch_s(kNow), 5000u);
  EXPECT_EQ(g.server.epoch_s(kNow + 10), 5010u);
  // Older than the server's clock (a reboot): told as it is.
  g.server.continue_epoch(kNow * 10, kNow);
  EXPECT_EQ(g.server.epoch_s(kNow + 1), kNow * 10 + 1);
  g.server.reset_state(kNow + 2);
  EXPECT_EQ(g.server.epoch_s(kNow + 2), 0u);
}

}  // namespace
}  // namespace masq::pcp
