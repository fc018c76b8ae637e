#include "masq/ctl/event_line.hpp"

#include <gtest/gtest.h>

namespace masq::ctl {
namespace {

constexpr std::int64_t kS = 1'000'000'000;

TEST(EventLine, TimesRoundTrip) {
  const UnixNs t = 1764678785LL * kS + 123456000;
  EXPECT_EQ(format_time(t), "2025-12-02T12:33:05.123456Z");
  EXPECT_EQ(parse_time(format_time(t)), t);
}

TEST(EventLine, TimesAnOperatorTypes) {
  const UnixNs t = 1764678785LL * kS;
  EXPECT_EQ(parse_time("1764678785"), t);
  EXPECT_EQ(parse_time("1764678785.5"), t + kS / 2);
  EXPECT_EQ(parse_time("2025-12-02T12:33:05Z"), t);
  EXPECT_EQ(parse_time("2025-12-02T12:33:05"), t);  // UTC
  EXPECT_EQ(parse_time("2025-12-02 12:33:05"), t);
  EXPECT_EQ(parse_time("2025-12-02T13:33:05+01:00"), t);
  EXPECT_EQ(parse_time("2025-12-02T11:33:05-0100"), t);
  for (const char* bad : {"", "yesterday", "2025-13-02T12:33:05Z", "2025-12-02T12:33",
                          "2025-12-02T12:33:05Zx", "12abc", "-5"}) {
    EXPECT_FALSE(parse_time(bad)) << bad;
  }
}

TEST(EventLine, CreateAndDeleteLines) {
  nat::SessionEvent e;
  e.time_ns = 5 * kS;
  e.proto = net::Proto::tcp;
  e.kind = nat::SessionKind::forward;
  e.internal_addr = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  e.internal_port = net::Port(80);
  e.external_addr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  e.external_port = net::Port(8080);
  const std::int64_t offset = 1764678780LL * kS;
  EXPECT_EQ(event_json(e, offset).dump(),
            R"({"time":"2025-12-02T12:33:05.000000Z","event":"create","proto":"tcp",)"
            R"("inside":"192.168.77.2:80","outside":"203.0.113.1:8080","kind":"forward"})");
  e.type = nat::EventType::delete_;
  e.reason = nat::DeleteReason::deleted;
  e.remote_addr = net::Ipv4Addr::from_octets(198, 51, 100, 1);
  e.remote_port = net::Port(40000);
  const auto j = event_json(e, offset);
  EXPECT_EQ(j.at("event"), "delete");
  EXPECT_EQ(j.at("reason"), "deleted");
  EXPECT_EQ(j.at("remote"), "198.51.100.1:40000");
}

}  // namespace
}  // namespace masq::ctl
