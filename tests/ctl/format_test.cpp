#include "masq/ctl/format.hpp"

#include <gtest/gtest.h>

#include "masq/ctl/protocol.hpp"

namespace masq::ctl {
namespace {

TEST(Format, SessionsTable) {
  nat::SessionView v;
  v.proto = net::Proto::udp;
  v.internal_addr = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  v.internal_port = net::Port(5000);
  v.external_addr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  v.external_port = net::Port(5000);
  v.state = "udp";
  v.expires_in_s = 299;
  const std::string table = format_sessions(sessions_json({&v, 1}));
  EXPECT_NE(table.find("192.168.77.2:5000"), std::string::npos);
  EXPECT_NE(table.find("299s"), std::string::npos);
  EXPECT_NE(table.find("1 session\n"), std::string::npos);
}

TEST(Format, SessionsShowCountsOnlyWhenAccounted) {
  nat::SessionView v;
  v.state = "udp";
  EXPECT_EQ(format_sessions(sessions_json({&v, 1})).find("packets="), std::string::npos);
  EXPECT_FALSE(sessions_json({&v, 1}).at("sessions")[0].contains("in2out"));
  v.counts = nat::FlowCounts{{3, 252}, {2, 168}};
  const auto j = sessions_json({&v, 1});
  EXPECT_EQ(j.at("sessions")[0].at("in2out").at("packets"), 3u);
  EXPECT_EQ(j.at("sessions")[0].at("out2in").at("bytes"), 168u);
  const std::string table = format_sessions(j);
  EXPECT_NE(table.find("in2out packets=3 bytes=252 out2in packets=2 bytes=168\n"),
            std::string::npos)
      << table;
}

TEST(Format, PcpMappingsAreMarkedWithTheirRemainingLifetime) {
  nat::SessionView v;
  v.proto = net::Proto::tcp;
  v.internal_addr = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  v.internal_port = net::Port(22);
  v.external_addr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  v.external_port = net::Port(2222);
  v.state = "mapping";
  v.kind = nat::SessionKind::pcp;
  v.expires_in_s = 3599;
  const std::string table = format_sessions(sessions_json({&v, 1}));
  EXPECT_NE(table.find(" pcp "), std::string::npos) << table;
  EXPECT_NE(table.find("3599s"), std::string::npos) << table;
  EXPECT_EQ(table.find("dynamic"), std::string::npos) << table;
}

TEST(Format, StatsSkipZerosUnlessAll) {
  const CounterGroup g{"drops.nat", {{"no_session", 3}, {"table_full", 0}}};
  const CounterGroup raw{"router", {{"arp_queued", 7}}};
  const auto j = stats_json({&g, 1}, {&raw, 1});
  EXPECT_EQ(format_stats(j, false).find("table_full"), std::string::npos);
  EXPECT_NE(format_stats(j, true).find("table_full"), std::string::npos);
  EXPECT_NE(format_stats(j, false).find("no_session"), std::string::npos);
  EXPECT_EQ(format_stats(j, false).find("arp_queued"), std::string::npos);
  EXPECT_NE(format_stats(j, true).find("arp_queued"), std::string::npos);
}

}  // namespace
}  // namespace masq::ctl
