#include "masq/ctl/session_filter.hpp"

#include <gtest/gtest.h>

namespace masq::ctl {
namespace {

nat::SessionView tcp_session() {
  nat::SessionView v;
  v.proto = net::Proto::tcp;
  v.internal_addr = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  v.internal_port = net::Port(40000);
  v.external_addr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  v.external_port = net::Port(40001);
  v.remote_addr = net::Ipv4Addr::from_octets(198, 51, 100, 10);
  v.remote_port = net::Port(80);
  v.state = "established";
  v.idle_s = 30;
  v.kind = nat::SessionKind::forward;
  return v;
}

TEST(SessionFilter, AnEmptyFilterMatchesEverything) {
  const SessionFilter f;
  EXPECT_TRUE(f.empty());
  EXPECT_TRUE(f.matches(tcp_session()));
}

// Each key once with a value that matches and once with one that does not.
TEST(SessionFilter, EachKeySelects) {
  const struct {
    std::string_view key, match, miss;
  } cases[] = {
      {"proto", "tcp", "udp"},
      {"inside", "192.168.77.2", "192.168.77.3"},
      {"inside_port", "40000", "40001"},
      {"outside", "203.0.113.1", "203.0.113.2"},
      {"outside_port", "40001", "40000"},
      {"remote", "198.51.100.10", "198.51.100.11"},
      {"remote_port", "80", "443"},
      {"state", "established", "syn_out"},
      {"kind", "forward", "dynamic"},
      {"min_idle", "30", "31"},
      {"max_idle", "30", "29"},
  };
  ASSERT_EQ(std::size(cases), kFilterKeyNames.size());
  for (const auto& c : cases) {
    SessionFilter yes;
    ASSERT_EQ(yes.set(c.key, c.match), "") << c.key;
    EXPECT_TRUE(yes.matches(tcp_session())) << c.key;
    SessionFilter no;
    ASSERT_EQ(no.set(c.key, c.miss), "") << c.key;
    EXPECT_FALSE(no.matches(tcp_session())) << c.key;
  }
}

TEST(SessionFilter, BadValuesSayWhatIsWanted) {
  SessionFilter f;
  EXPECT_EQ(f.set("inside", "192.168.77"), "bad inside '192.168.77' (want an IPv4 address)");
  EXPECT_EQ(f.set("remote_port", "65536"), "bad remote_port '65536' (want a port 0..65535)");
  EXPECT_EQ(f.set("kind", "pcpx"), "bad kind 'pcpx' (want dynamic, forward, static, pcp)");
  EXPECT_NE(f.set("state", "open").find("established"), std::string::npos);
  EXPECT_TRUE(f.empty());
}

TEST(SessionFilter, JsonRoundTrip) {
  SessionFilter f;
  ASSERT_EQ(f.set("state", "syn_out"), "");
  ASSERT_EQ(f.set("min_idle", "5"), "");
  const auto back = SessionFilter::from_json(f.to_json());
  ASSERT_EQ(back.error, "");
  EXPECT_EQ(back.filter.to_json(), f.to_json());
  auto v = tcp_session();
  EXPECT_FALSE(back.filter.matches(v));
  v.state = "syn_out";
  EXPECT_TRUE(back.filter.matches(v));
}

}  // namespace
}  // namespace masq::ctl
