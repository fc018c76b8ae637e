// ICMP error translation through the engine (icmp_errors.cpp, RFC 5508).
#include <gtest/gtest.h>

#include <vector>

#include "engine_harness.hpp"
#include "masq/net/byte_order.hpp"
#include "support/checksum_oracle.hpp"

namespace masq::nat {
namespace {

using harness::kSecond;
using harness::run;
using harness::udp;
using net::Ipv4Addr;

const Ipv4Addr kPublic = Ipv4Addr::from_octets(203, 0, 113, 1);
const Ipv4Addr kHost = Ipv4Addr::from_octets(10, 0, 0, 2);
const Ipv4Addr kRemote = Ipv4Addr::from_octets(198, 51, 100, 7);
const Ipv4Addr kRouter = Ipv4Addr::from_octets(198, 51, 100, 1);
constexpr std::size_t kQuote = 20 + 8;  // the outer IPv4 and ICMP headers

EngineConfig config() {
  EngineConfig cfg;
  cfg.inside = {*net::Ipv4Prefix::parse("10.0.0.0/16")};
  cfg.pool = {{kPublic, kPublic}};
  cfg.max_sessions = 64;
  cfg.timeouts.udp_s = 100;
  return cfg;
}

// An ICMP error from `src` to `dst` quoting `quoted`.
std::vector<std::uint8_t> error(Ipv4Addr src, Ipv4Addr dst, const test::PacketSpec& quoted,
                                std::uint8_t type = net::icmp::kDestUnreachable,
                                std::uint8_t code = net::icmp::kCodePortUnreachable) {
  test::PacketSpec e;
  e.kind = test::L4Kind::icmp;
  e.src = src;
  e.dst = dst;
  e.icmp_type = type;
  e.icmp_code = code;
  e.inner = {quoted};
  return test::build_packet(e);
}

test::PacketSpec udp_spec(Ipv4Addr src, std::uint16_t sport, Ipv4Addr dst, std::uint16_t dport) {
  test::PacketSpec s = harness::flow(test::L4Kind::udp, src, sport, dst, dport);
  s.payload = {1, 2, 3, 4, 5};
  return s;
}

// Opens one UDP session kHost:4000 <-> kRemote:53, on kPublic:4000.
void open(Engine& engine) {
  auto out = udp(kHost, 4000, kRemote, 53);
  ASSERT_EQ(run(engine, out, Side::lan, kSecond).action, Action::forward_wan);
}

std::vector<std::string> none() {
  return {};
}

TEST(IcmpErrors, FromOutsideAboutAPacketWeSent) {
  Engine engine(config());
  open(engine);
  // RFC 5508 REQ-4: the quote is what left (kPublic:4000 -> kRemote:53).
  auto err = error(kRouter, kPublic, udp_spec(kPublic, 4000, kRemote, 53));
  ASSERT_EQ(run(engine, err, Side::wan, 2 * kSecond), Verdict::forward(Action::forward_lan));
  EXPECT_EQ(net::load_be32(err.data() + 16), kHost.value());           // outer destination
  EXPECT_EQ(net::load_be32(err.data() + kQuote + 12), kHost.value());  // quoted source
  EXPECT_EQ(net::load_be16(err.data() + kQuote + 20), 4000);
  EXPECT_EQ(test::checksum_problems(err), none());
  EXPECT_EQ(engine.counters().icmp_errors_translated, 1u);
}

TEST(IcmpErrors, FromInsideAboutAPacketWeDelivered) {
  Engine engine(config());
  open(engine);
  // RFC 5508 REQ-5: the quote is what the host received (kRemote:53 -> kHost:4000).
  auto err = error(kHost, kRemote, udp_spec(kRemote, 53, kHost, 4000));
  ASSERT_EQ(run(engine, err, Side::lan, 2 * kSecond), Verdict::forward(Action::forward_wan));
  EXPECT_EQ(net::load_be32(err.data() + 12), kPublic.value());           // outer source
  EXPECT_EQ(net::load_be32(err.data() + kQuote + 16), kPublic.value());  // quoted destination
  EXPECT_EQ(test::checksum_problems(err), none());
}

TEST(IcmpErrors, NeverMakesOrRefreshesASession) {
  // RFC 5508 REQ-6: the session expires on the timer its packets set.
  Engine engine(config());
  open(engine);
  auto err = error(kRouter, kPublic, udp_spec(kPublic, 4000, kRemote, 53));
  ASSERT_EQ(run(engine, err, Side::wan, 90 * kSecond).action, Action::forward_lan);
  auto stray = error(kRouter, kPublic, udp_spec(kPublic, 4001, kRemote, 53));
  EXPECT_EQ(run(engine, stray, Side::wan, 90 * kSecond),
            Verdict::dropped(DropReason::icmp_error_no_session));
  EXPECT_EQ(engine.counters().sessions_created, 1u);
  auto reply = udp(kRemote, 53, kPublic, 4000);
  EXPECT_EQ(run(engine, reply, Side::wan, 102 * kSecond), Verdict::dropped(DropReason::no_session));
}

TEST(IcmpErrors, RefusedErrorsAreLeftUntouched) {
  Engine engine(config());
  open(engine);
  struct Case {
    std::vector<std::uint8_t> pkt;
    Side side;
    DropReason reason;
  };
  auto bad_sum = error(kRouter, kPublic, udp_spec(kPublic, 4000, kRemote, 53));
  bad_sum[20 + 2] ^= 0x01;  // the ICMP checksum (RFC 5508 REQ-3)
  test::PacketSpec bad_inner = udp_spec(kPublic, 4000, kRemote, 53);
  bad_inner.corrupt_ip_checksum = true;
  test::PacketSpec inner_error;
  inner_error.kind = test::L4Kind::icmp;
  inner_error.src = kPublic;
  inner_error.dst = kRemote;
  inner_error.icmp_type = net::icmp::kDestUnreachable;
  inner_error.inner = {udp_spec(kRemote, 53, kPublic, 4000)};
  std::vector<Case> cases;
  cases.push_back({bad_sum, Side::wan, DropReason::bad_icmp_checksum});
  cases.push_back(
      {error(kRouter, kPublic, bad_inner), Side::wan, DropReason::icmp_error_bad_inner_checksum});
  cases.push_back(
      {error(kRouter, kPublic, inner_error), Side::wan, DropReason::icmp_error_about_error});
  // From outside, from an address that cannot be genuine there.
  cases.push_back({error(kHost, kPublic, udp_spec(kPublic, 4000, kRemote, 53)), Side::wan,
                   DropReason::martian_source});
  // From inside, from outside the inside networks.
  cases.push_back({error(kRouter, kRemote, udp_spec(kRemote, 53, kHost, 4000)), Side::lan,
                   DropReason::source_not_inside});
  // Addressed elsewhere than the external address the quote names.
  cases.push_back(
      {error(kRouter, Ipv4Addr::from_octets(203, 0, 113, 2), udp_spec(kPublic, 4000, kRemote, 53)),
       Side::wan, DropReason::icmp_error_no_session});
  for (Case& c : cases) {
    const auto before = c.pkt;
    EXPECT_EQ(run(engine, c.pkt, c.side, 2 * kSecond), Verdict::dropped(c.reason))
        << to_string(c.reason);
    EXPECT_EQ(c.pkt, before) << to_string(c.reason);
  }
  EXPECT_EQ(engine.counters().icmp_errors_translated, 0u);
}

}  // namespace
}  // namespace masq::nat
