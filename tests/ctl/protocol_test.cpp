#include "masq/ctl/protocol.hpp"

#include <gtest/gtest.h>

namespace masq::ctl {
namespace {

TEST(Protocol, RequestRoundTrip) {
  for (Command c : {Command::status, Command::sessions, Command::stats, Command::delete_sessions,
                    Command::events, Command::reload, Command::forwards, Command::static_rules}) {
    const auto line = encode_request(c);
    ASSERT_EQ(line.back(), '\n');
    const auto parsed = decode_request(line.substr(0, line.size() - 1));
    ASSERT_TRUE(parsed.request) << parsed.error;
    EXPECT_EQ(parsed.request->command, c);
  }
}

TEST(Protocol, AFilterAndCountRoundTrip) {
  Request r{Command::sessions, {}, true};
  ASSERT_EQ(r.filter.set("proto", "tcp"), "");
  ASSERT_EQ(r.filter.set("inside_port", "40000"), "");
  const auto parsed = decode_request(encode_request(r));
  ASSERT_TRUE(parsed.request) << parsed.error;
  EXPECT_TRUE(parsed.request->count);
  EXPECT_EQ(parsed.request->filter.to_json(), r.filter.to_json());
}

TEST(Protocol, ALookupRoundTrips) {
  Request r{Command::lookup, {}, false};
  ASSERT_EQ(parse_endpoint("203.0.113.1:40001", r.lookup.outside_addr, r.lookup.outside_port), "");
  r.lookup.at = 1764678785000000000;
  r.lookup.proto = net::Proto::udp;
  const auto parsed = decode_request(encode_request(r));
  ASSERT_TRUE(parsed.request) << parsed.error;
  EXPECT_EQ(parsed.request->lookup, r.lookup);
  EXPECT_EQ(decode_request(R"({"cmd": "lookup"})").error, "lookup needs \"outside\" (ADDR:PORT)");
  EXPECT_EQ(decode_request(R"({"cmd": "lookup", "outside": "1.2.3.4"})").error,
            "bad endpoint '1.2.3.4' (want ADDR:PORT, e.g. 203.0.113.1:40001)");
  EXPECT_EQ(decode_request(R"({"cmd": "lookup", "outside": "1.2.3.4:1", "at": "x"})").error,
            "\"at\" is not an integer (Unix nanoseconds)");
  EXPECT_EQ(decode_request(R"({"cmd": "status", "outside": "1.2.3.4:1"})").error,
            "\"outside\" is not an argument of status");
}

TEST(Protocol, ARuleEditRoundTrips) {
  Request r(Command::forwards);
  r.edit = RuleEdit::del;
  r.rule = "tcp/8080=192.168.77.3:80";
  const auto parsed = decode_request(encode_request(r));
  ASSERT_TRUE(parsed.request) << parsed.error;
  EXPECT_EQ(parsed.request->edit, RuleEdit::del);
  EXPECT_EQ(parsed.request->rule, r.rule);
  EXPECT_EQ(decode_request(R"({"cmd": "static_rules", "add": 7})").error,
            "\"add\" is not a string");
  EXPECT_EQ(decode_request(R"({"cmd": "forwards", "add": "a", "del": "b"})").error,
            "\"del\" is not an argument of forwards");
  EXPECT_EQ(decode_request(R"({"cmd": "reload", "add": "a"})").error,
            "\"add\" is not an argument of reload");
}

TEST(Protocol, BadArgumentsSayWhy) {
  EXPECT_EQ(decode_request(R"({"cmd": "sessions", "filter": {"proto": "sctp"}})").error,
            "bad proto 'sctp' (want tcp, udp or icmp)");
  EXPECT_EQ(
      decode_request(R"({"cmd": "sessions", "filter": {"colour": "red"}})").error.substr(0, 25),
      "unknown filter \"colour\" (");
  EXPECT_EQ(decode_request(R"({"cmd": "sessions", "filter": {"inside_port": 80}})").error,
            "filter \"inside_port\" is not a string");
  EXPECT_EQ(decode_request(R"({"cmd": "status", "filter": {}})").error,
            "\"filter\" is not an argument of status");
}

TEST(Protocol, BadRequestsSayWhy) {
  EXPECT_EQ(decode_request("not json").error, "request is not a JSON object");
  EXPECT_EQ(decode_request("[1,2]").error, "request is not a JSON object");
  EXPECT_EQ(decode_request(R"({"cmd": 3})").error, "request has no \"cmd\" string");
  EXPECT_EQ(decode_request(R"({"cmd": "reboot"})").error, "unknown command \"reboot\"");
}

TEST(Protocol, SessionsEncodeEndpoints) {
  nat::SessionView v;
  v.proto = net::Proto::tcp;
  v.internal_addr = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  v.internal_port = net::Port(40000);
  v.external_addr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  v.external_port = net::Port(40000);
  v.remote_addr = net::Ipv4Addr::from_octets(198, 51, 100, 10);
  v.remote_port = net::Port(80);
  v.state = "established";
  v.expires_in_s = 7439;
  const auto j = sessions_json({&v, 1});
  EXPECT_TRUE(j.at("ok").get<bool>());
  const auto& s = j.at("sessions").at(0);
  EXPECT_EQ(s.at("internal"), "192.168.77.2:40000");
  EXPECT_EQ(s.at("remote"), "198.51.100.10:80");
  EXPECT_EQ(s.at("state"), "established");
  EXPECT_EQ(s.at("expires_in_s"), 7439);
  EXPECT_EQ(s.at("kind"), "dynamic");
}

TEST(Protocol, CountersKeepGroups) {
  const CounterGroup g{"nat.drops", {{"no_session", 3}, {"table_full", 0}}};
  const auto j = stats_json({}, {&g, 1});
  EXPECT_EQ(j.at("counters").at("nat.drops").at("no_session"), 3);
}

}  // namespace
}  // namespace masq::ctl
