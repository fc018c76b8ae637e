#include "masq/pcp/server.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "masq/net/byte_order.hpp"
#include "pcp/pcp_bytes.hpp"

namespace masq::pcp {
namespace {

using test::Bytes;
using test::Writer;

const net::Ipv4Addr kHostA = net::Ipv4Addr::from_octets(192, 168, 1, 10);
const net::Ipv4Addr kHostB = net::Ipv4Addr::from_octets(192, 168, 1, 11);
const net::Ipv4Addr kHostC = net::Ipv4Addr::from_octets(192, 168, 1, 20);
const net::Ipv4Addr kExternal = net::Ipv4Addr::from_octets(203, 0, 113, 1);

// A binder in miniature: one external address, ports from 40000 up, a set
// of taken external ports (forwards, static mappings, other hosts), a set
// of internal endpoints an operator owns, and a forced status.
class FakeBackend : public MappingBackend {
 public:
  bool supports(net::Proto p) const override { return p != net::Proto::icmp; }

  MapResult map(const MapRequest& r, std::uint64_t) override {
    requests.push_back(r);
    last_filters.assign(r.filters.begin(), r.filters.end());
    if (forced != MapStatus::ok) return MapResult{forced, {}};
    if (static_internal.count(r.internal.port) != 0)
      return MapResult{MapStatus::internal_is_static, {}};
    if (!address) return MapResult{MapStatus::no_external_address, {}};
    if (r.current) return MapResult{MapStatus::ok, *r.current};
    std::uint16_t port = r.suggested.port;
    if (port == 0 || taken.count(port) != 0) {
      if (port != 0 && r.prefer_failure) return MapResult{MapStatus::suggested_unavailable, {}};
      port = next_port++;
    }
    taken.insert(port);
    return MapResult{MapStatus::ok, Endpoint{*address, port}};
  }

  void unmap(const MappingRef& m, std::uint64_t /*now_s*/) override {
    unmapped.push_back(m);
    taken.erase(m.external.port);
  }

  bool is_operator_mapping(net::Proto, Endpoint internal) const override {
    return static_internal.count(internal.port) != 0;
  }

  std::optional<net::Ipv4Addr> external_address(net::Ipv4Addr) const override { return address; }

  std::optional<net::Ipv4Addr> address = kExternal;
  MapStatus forced = MapStatus::ok;
  std::set<std::uint16_t> taken;
  std::set<std::uint16_t> static_internal;
  std::uint16_t next_port = 40000;
  std::vector<MapRequest> requests;
  std::vector<RemoteFilter> last_filters;
  std::vector<MappingRef> unmapped;
};

ServerConfig enabled_config() {
  ServerConfig c;
  c.enabled = true;
  return c;
}

class ServerTest : public ::testing::Test {
 protected:
  struct Answer {
    Reply reply;
    Bytes bytes;
    std::uint8_t result() const { return bytes.size() > 3 ? bytes[3] : 0xFF; }
    std::uint32_t lifetime_s() const { return net::load_be32(&bytes[4]); }
    std::uint32_t epoch_s() const { return net::load_be32(&bytes[8]); }
    std::uint16_t external_port() const { return net::load_be16(&bytes[24 + 18]); }
    net::Ipv4Addr external_addr() const { return net::Ipv4Addr(net::load_be32(&bytes[24 + 32])); }
  };

  Answer send(const Bytes& req, net::Ipv4Addr source = kHostA, std::uint64_t now_s = 1000,
              Side side = Side::lan) {
    std::array<std::uint8_t, kMaxMessage> out{};
    Answer a;
    a.reply = server_->handle(side, source, req, out, now_s);
    a.bytes.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(a.reply.length));
    return a;
  }
  void expect_result(const Bytes& req, ResultCode code, net::Ipv4Addr source = kHostA) {
    const Answer a = send(req, source);
    ASSERT_EQ(a.reply.drop, DropReason::none) << to_string(a.reply.drop);
    EXPECT_EQ(a.result(), static_cast<std::uint8_t>(code))
        << "want " << to_string(code) << " got " << to_string(static_cast<ResultCode>(a.result()));
    EXPECT_GE(server_->counters().result(code), 1u);
  }
  void restart(const ServerConfig& c) { server_ = std::make_unique<Server>(c, backend_, 1000); }

  FakeBackend backend_;
  std::unique_ptr<Server> server_ = std::make_unique<Server>(enabled_config(), backend_, 1000);
};

TEST(ServerConfigTest, OffByDefaultAndValidated) {
  FakeBackend backend;
  Server off(ServerConfig{}, backend, 0);
  std::array<std::uint8_t, kMaxMessage> out{};
  const Bytes req = test::map_request(3600, 17, 5000);
  EXPECT_EQ(off.handle(Side::lan, kHostA, req, out, 1).drop, DropReason::disabled);
  EXPECT_EQ(off.counters().drop(DropReason::disabled), 1u);
  EXPECT_TRUE(backend.requests.empty());

  ServerConfig bad = enabled_config();
  bad.min_lifetime_s = 500;
  bad.max_lifetime_s = 100;
  EXPECT_FALSE(validate(bad).empty());
  EXPECT_THROW(Server(bad, backend, 0), std::invalid_argument);
  bad = enabled_config();
  bad.max_filters = 9;
  EXPECT_FALSE(validate(bad).empty());
  EXPECT_TRUE(validate(enabled_config()).empty());
}

TEST_F(ServerTest, WanRequestsAreDroppedAndCounted) {
  const Answer a = send(test::map_request(3600, 17, 5000), kHostA, 1000, Side::wan);
  EXPECT_EQ(a.reply.length, 0u);
  EXPECT_EQ(a.reply.drop, DropReason::wan_side);
  EXPECT_EQ(server_->counters().drop(DropReason::wan_side), 1u);
  EXPECT_EQ(send(test::natpmp_map(1, 5000, 0, 60), kHostA, 1000, Side::wan).reply.drop,
            DropReason::wan_side);
  EXPECT_TRUE(backend_.requests.empty());
}

TEST_F(ServerTest, AnnounceRequestGetsSuccessAndTheEpoch) {
  const Answer a = send(test::header(0, 0).bytes(), kHostA, 1042);
  ASSERT_EQ(a.bytes.size(), 24u);
  EXPECT_EQ(a.bytes[1], 0x80);
  EXPECT_EQ(a.result(), 0);
  EXPECT_EQ(a.lifetime_s(), 0u);
  EXPECT_EQ(a.epoch_s(), 42u);
}

TEST_F(ServerTest, MapCreatesAMappingAndAnswersWithIt) {
  const Answer a = send(test::map_request(3600, 17, 5000));
  ASSERT_EQ(a.bytes.size(), 60u);
  EXPECT_EQ(a.bytes[1], 0x81);
  EXPECT_EQ(a.result(), 0);
  EXPECT_EQ(a.lifetime_s(), 3600u);
  EXPECT_EQ(Bytes(a.bytes.begin() + 24, a.bytes.begin() + 36), Bytes(test::kNonceA));
  EXPECT_EQ(a.bytes[36], 17);
  EXPECT_EQ(net::load_be16(&a.bytes[40]), 5000);
  EXPECT_EQ(a.external_port(), 40000);
  EXPECT_EQ(a.external_addr(), kExternal);
  ASSERT_EQ(backend_.requests.size(), 1u);
  EXPECT_EQ(backend_.requests[0].internal, (Endpoint{kHostA, 5000}));
  EXPECT_EQ(backend_.requests[0].proto, net::Proto::udp);
  EXPECT_EQ(server_->mapping_count(), 1u);
  EXPECT_EQ(server_->counters().mappings_created, 1u);
  EXPECT_EQ(server_->counters().backend(MapStatus::ok), 1u);
}

TEST_F(ServerTest, SuggestedPortHonouredWhenFreeOtherwiseChosen) {
  EXPECT_EQ(send(test::map_request(3600, 6, 22, 2222)).external_port(), 2222);
  backend_.taken.insert(8080);  // a port forward, say
  const Answer a = send(test::map_request(3600, 6, 80, 8080));
  EXPECT_EQ(a.result(), 0);
  EXPECT_EQ(a.external_port(), 40000);
}

TEST_F(ServerTest, PreferFailureRefusesAnotherPort) {
  backend_.taken.insert(8080);
  Writer w = test::header(1, 3600);
  test::map_body(w, test::kNonceA, 6, 80, 8080);
  test::prefer_failure(w);
  const Answer a = send(w.bytes());
  EXPECT_EQ(a.result(), static_cast<std::uint8_t>(ResultCode::cannot_provide_external));
  EXPECT_EQ(a.lifetime_s(), 30u);  // a short-lifetime error (RFC 6887 §7.4)
  EXPECT_TRUE(backend_.requests.back().prefer_failure);
  EXPECT_EQ(server_->mapping_count(), 0u);

  // An IPv6 suggested address cannot be given either.
  Writer v6 = test::header(1, 3600);
  v6.raw(test::kNonceA).u8(6).zeros(3).be16(81).be16(0).raw({0x20, 0x01, 0x0d, 0xb8}).zeros(12);
  test::prefer_failure(v6);
  expect_result(v6.bytes(), ResultCode::cannot_provide_external);
}

TEST_F(ServerTest, RefreshKeepsTheExternalPortAndNonceGuardsIt) {
  const Answer first = send(test::map_request(3600, 17, 5000));
  const Answer again = send(test::map_request(600, 17, 5000), kHostA, 1100);
  EXPECT_EQ(again.result(), 0);
  EXPECT_EQ(again.external_port(), first.external_port());
  EXPECT_EQ(server_->counters().mappings_refreshed, 1u);
  EXPECT_EQ(server_->mapping_count(), 1u);

  const Answer thief = send(test::map_request(600, 17, 5000, 0, test::kNonceB));
  EXPECT_EQ(thief.result(), static_cast<std::uint8_t>(ResultCode::not_authorized));
  EXPECT_EQ(thief.lifetime_s(), 1800u);  // long-lifetime error
  const Answer thief_delete = send(test::map_request(0, 17, 5000, 0, test::kNonceB));
  EXPECT_EQ(thief_delete.result(), static_cast<std::uint8_t>(ResultCode::not_authorized));
  EXPECT_EQ(server_->mapping_count(), 1u);
  EXPECT_TRUE(backend_.unmapped.empty());
}

TEST_F(ServerTest, LifetimesAreClampedToTheConfiguredRange) {
  EXPECT_EQ(send(test::map_request(10, 17, 5000)).lifetime_s(), 120u);
  EXPECT_EQ(backend_.requests.back().lifetime_s, 120u);
  EXPECT_EQ(send(test::map_request(10'000'000, 17, 5001)).lifetime_s(), 86400u);
  EXPECT_EQ(send(test::map_request(4000, 17, 5002)).lifetime_s(), 4000u);
}

TEST_F(ServerTest, LifetimeZeroDeletes) {
  const Answer made = send(test::map_request(3600, 17, 5000));
  const Answer gone = send(test::map_request(0, 17, 5000));
  EXPECT_EQ(gone.result(), 0);
  EXPECT_EQ(gone.lifetime_s(), 0u);
  EXPECT_EQ(gone.external_port(), made.external_port());
  EXPECT_EQ(server_->mapping_count(), 0u);
  ASSERT_EQ(backend_.unmapped.size(), 1u);
  EXPECT_EQ(backend_.unmapped[0].internal, (Endpoint{kHostA, 5000}));
  EXPECT_EQ(server_->counters().mappings_deleted, 1u);
  // Deleting what is not there succeeds.
  EXPECT_EQ(send(test::map_request(0, 17, 5000)).result(), 0);
}

TEST_F(ServerTest, ProtocolZeroPortZeroDeletesEveryMappingWithThatNonce) {
  send(test::map_request(3600, 17, 5000));
  send(test::map_request(3600, 6, 5001));
  send(test::map_request(3600, 6, 5002, 0, test::kNonceB));
  send(test::map_request(3600, 6, 5003), kHostB);  // header says .10, source .11: refused
  Writer b = test::header(1, 3600, 11);
  test::map_body(b, test::kNonceA, 6, 5004);
  send(b.bytes(), kHostB);
  ASSERT_EQ(server_->mapping_count(), 4u);
  const Answer all = send(test::map_request(0, 0, 0));
  EXPECT_EQ(all.result(), 0);
  EXPECT_EQ(server_->mapping_count(), 2u);  // kNonceB's and host B's remain
  EXPECT_EQ(backend_.unmapped.size(), 2u);
}

TEST_F(ServerTest, ProtocolChecks) {
  expect_result(test::map_request(3600, 0, 5000), ResultCode::malformed_request);
  expect_result(test::map_request(3600, 0, 0), ResultCode::unsupp_protocol);
  expect_result(test::map_request(3600, 132, 5000), ResultCode::unsupp_protocol);  // SCTP
  expect_result(test::map_request(3600, 1, 5000), ResultCode::unsupp_protocol);  // backend: no ICMP
  expect_result(test::map_request(3600, 17, 0), ResultCode::unsupp_protocol);    // all ports
  expect_result(test::map_request(0, 132, 5000), ResultCode::unsupp_protocol);
  EXPECT_TRUE(backend_.requests.empty());
}

TEST_F(ServerTest, ClientAddressMustBeTheSource) {
  expect_result(test::map_request(3600, 17, 5000), ResultCode::address_mismatch, kHostB);
  Writer v6 = Writer().u8(2).u8(1).be16(0).be32(3600).raw({0x20, 0x01}).zeros(14);
  test::map_body(v6, test::kNonceA, 17, 5000);
  expect_result(v6.bytes(), ResultCode::address_mismatch);
  EXPECT_TRUE(backend_.requests.empty());
}

TEST_F(ServerTest, ThirdPartyRefusedByDefault) {
  Writer w = test::header(1, 3600);
  test::map_body(w, test::kNonceA, 17, 5000);
  test::third_party(w, 192, 168, 1, 20);
  expect_result(w.bytes(), ResultCode::not_authorized);
  EXPECT_TRUE(backend_.requests.empty());
}

TEST_F(ServerTest, ThirdPartyWhenAllowedMapsTheNamedHost) {
  ServerConfig c = enabled_config();
  c.allow_third_party = true;
  restart(c);
  Writer w = test::header(1, 3600);
  test::map_body(w, test::kNonceA, 17, 5000);
  test::third_party(w, 192, 168, 1, 20);
  const Answer a = send(w.bytes());
  EXPECT_EQ(a.result(), 0);
  EXPECT_EQ(backend_.requests.back().internal, (Endpoint{kHostC, 5000}));
  ASSERT_EQ(a.bytes.size(), 80u);  // the THIRD_PARTY option is echoed
  EXPECT_EQ(a.bytes[60], 1);

  Writer self = test::header(1, 3600);
  test::map_body(self, test::kNonceA, 17, 5001);
  test::third_party(self, 192, 168, 1, 10);
  expect_result(self.bytes(), ResultCode::malformed_option);
}

TEST_F(ServerTest, FiltersAreKeptBoundedAndCleared) {
  Writer w = test::header(1, 3600);
  test::map_body(w, test::kNonceA, 17, 5000);
  test::filter(w, 120, 443, 198, 51, 100, 0);
  const Answer a = send(w.bytes());
  EXPECT_EQ(a.result(), 0);
  ASSERT_EQ(backend_.last_filters.size(), 1u);
  EXPECT_EQ(backend_.last_filters[0].remote,
            net::Ipv4Prefix(net::Ipv4Addr::from_octets(198, 51, 100, 0), 24));
  EXPECT_EQ(backend_.last_filters[0].port, 443);
  EXPECT_EQ(a.bytes.size(), 84u);  // FILTER echoed

  Writer clear = test::header(1, 3600);
  test::map_body(clear, test::kNonceA, 17, 5000);
  test::filter(clear, 0, 0, 0, 0, 0, 0);
  EXPECT_EQ(send(clear.bytes()).result(), 0);
  EXPECT_TRUE(backend_.last_filters.empty());

  Writer many = test::header(1, 3600);
  test::map_body(many, test::kNonceA, 17, 5001);
  for (std::uint8_t i = 0; i < 5; ++i) test::filter(many, 128, 0, 198, 51, 100, i);
  expect_result(many.bytes(), ResultCode::excessive_remote_peers);

  Writer v6 = test::header(1, 3600);
  test::map_body(v6, test::kNonceA, 17, 5002);
  v6.u8(3).u8(0).be16(20).u8(0).u8(64).be16(0).raw({0x20, 0x01}).zeros(14);
  expect_result(v6.bytes(), ResultCode::malformed_option);
}

TEST_F(ServerTest, TableAndQuotaLimits) {
  ServerConfig c = enabled_config();
  c.max_mappings = 3;
  c.max_mappings_per_host = 2;
  restart(c);
  send(test::map_request(3600, 17, 1));
  send(test::map_request(3600, 17, 2));
  expect_result(test::map_request(3600, 17, 3), ResultCode::user_ex_quota);
  Writer b = test::header(1, 3600, 11);
  test::map_body(b, test::kNonceA, 17, 1);
  EXPECT_EQ(send(b.bytes(), kHostB).result(), 0);
  Writer b2 = test::header(1, 3600, 11);
  test::map_body(b2, test::kNonceA, 17, 2);
  expect_result(b2.bytes(), ResultCode::no_resources, kHostB);
  EXPECT_EQ(send(test::map_request(3600, 17, 1), kHostA, 1001).result(), 0);  // refresh fits
}

TEST_F(ServerTest, BackendRefusalsHaveTheirResultCodes) {
  backend_.forced = MapStatus::no_resources;
  expect_result(test::map_request(3600, 17, 5000), ResultCode::no_resources);
  backend_.forced = MapStatus::user_ex_quota;
  expect_result(test::map_request(3600, 17, 5000), ResultCode::user_ex_quota);
  backend_.forced = MapStatus::internal_is_forwarded;
  expect_result(test::map_request(3600, 17, 5000), ResultCode::not_authorized);
  backend_.forced = MapStatus::unsupported_protocol;
  expect_result(test::map_request(3600, 17, 5000), ResultCode::unsupp_protocol);
  backend_.forced = MapStatus::ok;
  backend_.static_internal.insert(22);
  expect_result(test::map_request(3600, 6, 22), ResultCode::not_authorized);
  expect_result(test::map_request(0, 6, 22),
                ResultCode::not_authorized);  // not the client's to delete
  backend_.address.reset();
  const Answer a = send(test::map_request(3600, 17, 5000));
  EXPECT_EQ(a.result(), static_cast<std::uint8_t>(ResultCode::network_failure));
  EXPECT_EQ(a.lifetime_s(), 30u);
  EXPECT_EQ(server_->counters().backend(MapStatus::no_external_address), 1u);
  EXPECT_EQ(server_->mapping_count(), 0u);
}

TEST_F(ServerTest, DecodeErrorsAreAnsweredWithTheirCodes) {
  Bytes v1 = test::map_request(3600, 17, 5000);
  v1[0] = 1;
  expect_result(v1, ResultCode::unsupp_version);
  Bytes op = test::map_request(3600, 17, 5000);
  op[1] = 9;
  expect_result(op, ResultCode::unsupp_opcode);
  Bytes odd = test::map_request(3600, 17, 5000);
  odd.push_back(0);
  expect_result(odd, ResultCode::malformed_request);
  Writer opt = test::header(1, 3600);
  test::map_body(opt, test::kNonceA, 17, 5000);
  opt.u8(0x7F).u8(0).be16(0);
  expect_result(opt.bytes(), ResultCode::unsupp_option);
  Writer bad = test::header(1, 3600);
  test::map_body(bad, test::kNonceA, 17, 5000);
  bad.u8(2).u8(0).be16(8).zeros(4);
  expect_result(bad.bytes(), ResultCode::malformed_option);
  EXPECT_TRUE(backend_.requests.empty());
}

TEST_F(ServerTest, SilentDropsAreCounted) {
  EXPECT_EQ(send(Bytes{2}).reply.drop, DropReason::too_short);
  EXPECT_EQ(send(Bytes(20, 2)).reply.drop, DropReason::too_short);
  Bytes response = test::map_request(3600, 17, 5000);
  response[1] = static_cast<std::uint8_t>(response[1] | 0x80);
  EXPECT_EQ(send(response).reply.drop, DropReason::response_received);
  EXPECT_EQ(server_->counters().drop(DropReason::too_short), 2u);
  EXPECT_EQ(server_->counters().drop(DropReason::response_received), 1u);
  EXPECT_EQ(server_->counters().responses, 0u);
}

TEST_F(ServerTest, TooSmallBufferIsADrop) {
  std::array<std::uint8_t, 30> out{};
  const Bytes req = test::map_request(3600, 17, 5000);
  EXPECT_EQ(server_->handle(Side::lan, kHostA, req, out, 1000).drop, DropReason::buffer_too_small);
  EXPECT_EQ(server_->counters().drop(DropReason::buffer_too_small), 1u);
}

TEST_F(ServerTest, FloodsAreRateLimited) {
  ServerConfig c = enabled_config();
  c.max_requests_per_s = 3;
  restart(c);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(send(test::header(0, 0).bytes()).reply.drop, DropReason::none);
  EXPECT_EQ(send(test::header(0, 0).bytes()).reply.drop, DropReason::rate_limited);
  EXPECT_EQ(send(test::header(0, 0).bytes(), kHostA, 1001).reply.drop, DropReason::none);
  EXPECT_EQ(server_->counters().drop(DropReason::rate_limited), 1u);
}

TEST_F(ServerTest, PeerCreatesRefreshesAndReleases) {
  Writer w = test::header(2, 600);
  test::peer_body(w, test::kNonceA, 6, 4000, 443, 198, 51, 100, 9);
  const Answer a = send(w.bytes());
  ASSERT_EQ(a.bytes.size(), 80u);
  EXPECT_EQ(a.result(), 0);
  EXPECT_EQ(a.bytes[1], 0x82);
  EXPECT_EQ(net::load_be16(&a.bytes[60]), 443);
  ASSERT_TRUE(backend_.requests.back().peer);
  EXPECT_EQ(*backend_.requests.back().peer,
            (Endpoint{net::Ipv4Addr::from_octets(198, 51, 100, 9), 443}));
  EXPECT_EQ(server_->counters().mappings_created, 1u);
  EXPECT_EQ(send(w.bytes(), kHostA, 1010).external_port(), a.external_port());
  EXPECT_EQ(server_->counters().mappings_refreshed, 1u);

  Writer other = test::header(2, 600);
  test::peer_body(other, test::kNonceB, 6, 4000, 443, 198, 51, 100, 9);
  expect_result(other.bytes(), ResultCode::not_authorized);

  Writer end = test::header(2, 0);
  test::peer_body(end, test::kNonceA, 6, 4000, 443, 198, 51, 100, 9);
  EXPECT_EQ(send(end.bytes()).lifetime_s(), 0u);
  EXPECT_EQ(server_->mapping_count(), 0u);
  ASSERT_EQ(backend_.unmapped.size(), 1u);
  EXPECT_TRUE(backend_.unmapped[0].peer);
}

TEST_F(ServerTest, PeerFieldChecks) {
  Writer no_proto = test::header(2, 600);
  test::peer_body(no_proto, test::kNonceA, 0, 4000, 443, 198, 51, 100, 9);
  expect_result(no_proto.bytes(), ResultCode::malformed_request);
  Writer no_port = test::header(2, 600);
  test::peer_body(no_port, test::kNonceA, 6, 4000, 0, 198, 51, 100, 9);
  expect_result(no_port.bytes(), ResultCode::malformed_request);
  Writer no_peer = test::header(2, 600);
  test::peer_body(no_peer, test::kNonceA, 6, 4000, 443, 0, 0, 0, 0);
  expect_result(no_peer.bytes(), ResultCode::malformed_request);
  Writer sctp = test::header(2, 600);
  test::peer_body(sctp, test::kNonceA, 132, 4000, 443, 198, 51, 100, 9);
  expect_result(sctp.bytes(), ResultCode::unsupp_protocol);
}

TEST_F(ServerTest, MappingsExpireAndAreReleased) {
  send(test::map_request(200, 17, 5000));
  server_->expire(1199);
  EXPECT_EQ(server_->mapping_count(), 1u);
  server_->expire(1200);
  EXPECT_EQ(server_->mapping_count(), 0u);
  EXPECT_EQ(server_->counters().mappings_expired, 1u);
  ASSERT_EQ(backend_.unmapped.size(), 1u);
  // An expired mapping's nonce no longer guards it.
  EXPECT_EQ(send(test::map_request(200, 17, 5000, 0, test::kNonceB), kHostA, 1300).result(), 0);
}

TEST_F(ServerTest, EpochCountsFromStateStartAndResetsOnlyOnStateLoss) {
  EXPECT_EQ(server_->epoch_s(1000), 0u);
  EXPECT_EQ(server_->epoch_s(999), 0u);  // never negative
  send(test::map_request(200, 17, 5000));
  server_->expire(5000);
  send(test::map_request(0, 17, 5000), kHostA, 5000);
  EXPECT_EQ(server_->epoch_s(5000), 4000u);  // deletes and expiry are not state loss
  send(test::map_request(3600, 17, 5001), kHostA, 5000);
  server_->reset_state(6000);
  EXPECT_EQ(server_->epoch_s(6000), 0u);
  EXPECT_EQ(server_->epoch_s(6005), 5u);
  EXPECT_EQ(server_->mapping_count(), 0u);
  EXPECT_EQ(server_->counters().state_resets, 1u);
  // The mapping of before is gone: another nonce may take the endpoint.
  EXPECT_EQ(send(test::map_request(3600, 17, 5001, 0, test::kNonceB), kHostA, 6001).result(), 0);
}

TEST_F(ServerTest, BuildsTheUnsolicitedAnnouncements) {
  std::array<std::uint8_t, kMaxMessage> out{};
  server_->reset_state(2000);
  ASSERT_EQ(server_->build_announce(out, 2000), 24u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 12), (Bytes{2, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  ASSERT_EQ(server_->build_natpmp_announce(kExternal, out, 2003), 12u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 12),
            (Bytes{0, 128, 0, 0, 0, 0, 0, 3, 203, 0, 113, 1}));
  EXPECT_EQ(server_->counters().announces_built, 2u);
}

TEST_F(ServerTest, NatPmpExternalAddress) {
  const Answer a = send(Bytes{0, 0}, kHostA, 1007);
  EXPECT_EQ(a.bytes, (Bytes{0, 128, 0, 0, 0, 0, 0, 7, 203, 0, 113, 1}));
  backend_.address.reset();
  const Answer none = send(Bytes{0, 0});
  EXPECT_EQ(net::load_be16(&none.bytes[2]), 3);  // network failure
  EXPECT_EQ(server_->counters().result(NatPmpResult::network_failure), 1u);
  EXPECT_EQ(server_->counters().natpmp_requests, 2u);
}

TEST_F(ServerTest, NatPmpMapsRefreshesAndDeletesOne) {
  const Answer a = send(test::natpmp_map(1, 5000, 6000, 7200));
  EXPECT_EQ(a.bytes, (Bytes{0, 129, 0, 0, 0, 0, 0, 0, 0x13, 0x88, 0x17, 0x70, 0, 0, 0x1C, 0x20}));
  EXPECT_EQ(backend_.requests.back().proto, net::Proto::udp);
  EXPECT_EQ(send(test::natpmp_map(1, 5000, 0, 10)).bytes[15], 120);  // clamped, refreshed
  EXPECT_EQ(server_->counters().mappings_refreshed, 1u);
  const Answer gone = send(test::natpmp_map(1, 5000, 0, 0));
  EXPECT_EQ(gone.bytes, (Bytes{0, 129, 0, 0, 0, 0, 0, 0, 0x13, 0x88, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(server_->mapping_count(), 0u);
  EXPECT_EQ(backend_.unmapped.size(), 1u);
}

TEST_F(ServerTest, NatPmpDeleteAllRemovesOnlyThatHostsMappingsOfThatProtocol) {
  send(test::natpmp_map(1, 5000, 0, 3600));
  send(test::natpmp_map(1, 5001, 0, 3600));
  send(test::natpmp_map(2, 5002, 0, 3600));
  send(test::natpmp_map(1, 5003, 0, 3600), kHostB);
  ASSERT_EQ(server_->mapping_count(), 4u);
  const Answer all = send(test::natpmp_map(1, 0, 0, 0));
  EXPECT_EQ(net::load_be16(&all.bytes[2]), 0);
  EXPECT_EQ(server_->mapping_count(), 2u);
  EXPECT_EQ(server_->counters().mappings_deleted, 2u);
}

TEST_F(ServerTest, NatPmpRefusalsAndErrors) {
  // A PCP mapping belongs to its nonce.
  send(test::map_request(3600, 6, 22));
  EXPECT_EQ(net::load_be16(&send(test::natpmp_map(2, 22, 0, 3600)).bytes[2]), 2);
  EXPECT_EQ(net::load_be16(&send(test::natpmp_map(2, 22, 0, 0)).bytes[2]), 2);
  backend_.static_internal.insert(23);
  EXPECT_EQ(net::load_be16(&send(test::natpmp_map(2, 23, 0, 3600)).bytes[2]), 2);
  EXPECT_EQ(net::load_be16(&send(test::natpmp_map(2, 23, 0, 0)).bytes[2]), 2);
  backend_.forced = MapStatus::no_resources;
  EXPECT_EQ(net::load_be16(&send(test::natpmp_map(2, 24, 0, 3600)).bytes[2]), 4);
  backend_.forced = MapStatus::ok;
  EXPECT_EQ(send(Bytes{0, 7}).bytes, (Bytes{0, 135, 0, 5, 0, 0, 0, 0}));
  EXPECT_EQ(send(Bytes{0, 1, 0, 0}).reply.drop, DropReason::natpmp_truncated);
  EXPECT_EQ(send(Bytes{0, 0x80}).reply.drop, DropReason::response_received);
  EXPECT_EQ(server_->counters().result(NatPmpResult::unsupported_opcode), 1u);
}

TEST_F(ServerTest, NatPmpOffAnswersUnsupportedVersion) {
  ServerConfig c = enabled_config();
  c.natpmp = false;
  restart(c);
  EXPECT_EQ(send(Bytes{0, 1, 0, 0, 0, 80, 0, 80, 0, 0, 0, 60}).bytes,
            (Bytes{0, 129, 0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(send(Bytes{0, 0x80}).reply.drop, DropReason::response_received);
  EXPECT_EQ(server_->counters().result(NatPmpResult::unsupported_version), 1u);
  EXPECT_TRUE(backend_.requests.empty());
}

TEST_F(ServerTest, CounterNamesComeFromTheLists) {
  expect_result(test::map_request(3600, 17, 5000), ResultCode::address_mismatch, kHostB);
  std::map<std::string, std::uint64_t> seen;
  for_each_counter(server_->counters(),
                   [&](std::string_view group, std::string_view name, std::uint64_t v) {
                     seen[std::string(group) + (group.empty() ? "" : "_") + std::string(name)] = v;
                   });
  EXPECT_EQ(seen.at("pcp_result_address_mismatch"), 1u);
  EXPECT_EQ(seen.at("pcp_requests"), 1u);
  EXPECT_EQ(seen.count("drop_wan_side"), 1u);
  EXPECT_EQ(seen.count("drop_none"), 0u);
  EXPECT_EQ(seen.count("natpmp_result_out_of_resources"), 1u);
  EXPECT_EQ(seen.count("backend_suggested_unavailable"), 1u);
#define MASQ_PCP_COUNT_ONE(name) +1
  constexpr std::size_t kOutcomes = 0 MASQ_PCP_COUNTERS(MASQ_PCP_COUNT_ONE);
#undef MASQ_PCP_COUNT_ONE
  EXPECT_EQ(seen.size(), kOutcomes + (kDropReasonCount - 1) + kResultCodeCount +
                             kNatPmpResultCount + (kMapStatusCount - 1));
}

}  // namespace
}  // namespace masq::pcp
