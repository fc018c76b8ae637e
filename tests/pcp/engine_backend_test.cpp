// pcp::Server over EngineBackend over a real nat::Engine: PCP and NAT-PMP
// requests become explicit mappings in the engine, and the engine's
// refusals become the right result codes (engine_backend.cpp).
#include "masq/pcp/engine_backend.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "masq/pcp/server.hpp"
#include "pcp_bytes.hpp"

namespace masq::pcp {
namespace {

using net::Ipv4Addr;
using test::Bytes;

const Ipv4Addr kPublic = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kHost = Ipv4Addr::from_octets(192, 168, 1, 10);
const Ipv4Addr kServerHost = Ipv4Addr::from_octets(192, 168, 1, 80);
constexpr std::uint8_t kUdp = 17;
constexpr std::uint64_t kNow = 1000;

nat::EngineConfig engine_config() {
  nat::EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("192.168.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.forwards = {{net::Proto::udp, kPublic, {8080, 8080}, kServerHost, 80}};
  cfg.max_sessions = 64;
  cfg.seed = 3;
  return cfg;
}

class EngineBackendTest : public ::testing::Test {
 protected:
  EngineBackendTest()
      : engine_(engine_config()), backend_(engine_), server_(config(), backend_, 0) {}
  static ServerConfig config() {
    ServerConfig c;
    c.enabled = true;
    return c;
  }
  Bytes send(const Bytes& req, Ipv4Addr source = kHost, std::uint64_t now_s = kNow) {
    std::array<std::uint8_t, kMaxMessage> out{};
    const Reply r = server_.handle(Side::lan, source, req, out, now_s);
    return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.length));
  }
  std::vector<nat::SessionView> sessions(std::uint64_t now_s = kNow) const {
    std::vector<nat::SessionView> all;
    engine_.for_each_session([&](const nat::SessionView& v) { all.push_back(v); },
                             now_s * 1'000'000'000u);
    return all;
  }

  nat::Engine engine_;
  EngineBackend backend_;
  Server server_;
};

TEST_F(EngineBackendTest, PcpMapMakesAnEngineMappingAndLifetimeZeroEndsIt) {
  const Bytes answer = send(test::map_request(600, kUdp, 5000, 40000));
  ASSERT_GE(answer.size(), 60u);
  EXPECT_EQ(answer[3], static_cast<std::uint8_t>(ResultCode::success));
  EXPECT_EQ(net::load_be16(&answer[24 + 18]), 40000);
  EXPECT_EQ(net::load_be32(&answer[24 + 32]), kPublic.value());
  const auto live = sessions(kNow + 100);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].kind, nat::SessionKind::pcp);
  EXPECT_EQ(live[0].internal_addr, kHost);
  EXPECT_EQ(live[0].expires_in_s, 500u);
  EXPECT_EQ(send(test::map_request(0, kUdp, 5000))[3],
            static_cast<std::uint8_t>(ResultCode::success));
  EXPECT_TRUE(sessions().empty());
}

TEST_F(EngineBackendTest, ExpiryInTheServerEndsTheEngineMapping) {
  ASSERT_EQ(send(test::map_request(200, kUdp, 5000))[3],
            static_cast<std::uint8_t>(ResultCode::success));
  server_.expire(kNow + 201);
  EXPECT_EQ(server_.counters().mappings_expired, 1u);
  EXPECT_TRUE(sessions(kNow + 201).empty());
}

TEST_F(EngineBackendTest, ConflictsGetTheirResultCodes) {
  // A forward's external port with PREFER_FAILURE: CANNOT_PROVIDE_EXTERNAL.
  test::Writer w = test::header(1, 600);
  test::map_body(w, test::kNonceA, kUdp, 6000, 8080);
  test::prefer_failure(w);
  EXPECT_EQ(send(w.bytes())[3], static_cast<std::uint8_t>(ResultCode::cannot_provide_external));
  // The forward's own internal endpoint is the operator's: NOT_AUTHORIZED.
  test::Writer fwd;
  fwd.u8(2).u8(1).be16(0).be32(600).v4(192, 168, 1, 80);
  test::map_body(fwd, test::kNonceA, kUdp, 80);
  EXPECT_EQ(send(fwd.bytes(), kServerHost)[3],
            static_cast<std::uint8_t>(ResultCode::not_authorized));
  EXPECT_TRUE(sessions().empty());
}

TEST_F(EngineBackendTest, NatPmpExternalAddressAndMap) {
  const Bytes address = send({0, 0});
  ASSERT_EQ(address.size(), 12u);
  EXPECT_EQ(net::load_be32(&address[8]), kPublic.value());
  test::Writer map;
  map.u8(0).u8(1).be16(0).be16(5000).be16(41000).be32(3600);
  const Bytes answer = send(map.bytes());
  ASSERT_EQ(answer.size(), 16u);
  EXPECT_EQ(net::load_be16(&answer[2]), 0);  // success
  EXPECT_EQ(net::load_be16(&answer[10]), 41000);
  EXPECT_EQ(sessions().size(), 1u);
}

TEST(EngineBackendStatus, EngineRefusalsMapToBackendStatuses) {
  nat::ExplicitResult r;
  EXPECT_EQ(map_status(r, true), MapStatus::ok);
  r.refusal = nat::ExplicitRefusal::suggested_taken;
  EXPECT_EQ(map_status(r, true), MapStatus::suggested_unavailable);
  r.refusal = nat::ExplicitRefusal::static_host;
  EXPECT_EQ(map_status(r, true), MapStatus::internal_is_static);
  r.refusal = nat::ExplicitRefusal::forwarded_endpoint;
  EXPECT_EQ(map_status(r, true), MapStatus::internal_is_forwarded);
  r.refusal = nat::ExplicitRefusal::table_full;
  EXPECT_EQ(map_status(r, true), MapStatus::no_resources);
  r.refusal = nat::ExplicitRefusal::none;
  r.failure = nat::DropReason::subscriber_ports;
  EXPECT_EQ(map_status(r, true), MapStatus::user_ex_quota);
  r.failure = nat::DropReason::subscriber_sessions;
  EXPECT_EQ(map_status(r, true), MapStatus::user_ex_quota);
  r.failure = nat::DropReason::ports_exhausted;
  EXPECT_EQ(map_status(r, true), MapStatus::no_resources);
  r.failure = nat::DropReason::pool_exhausted;
  EXPECT_EQ(map_status(r, false), MapStatus::no_external_address);
}

}  // namespace
}  // namespace masq::pcp
