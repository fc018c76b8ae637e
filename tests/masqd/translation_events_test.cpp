// TranslationEvents: what the workers queued becomes log lines, with
// wall-clock times, and is counted.
#include "translation_events.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace masq::app {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("masq-tevents-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

TEST(TranslationEvents, WritesEveryWorkersEventsAsLines) {
  const std::string path = temp_path("log");
  std::filesystem::remove(path);
  Mailbox a;
  Mailbox b;
  auto log = ctl::TranslationLog::open({path, 1 << 20, 1});
  ASSERT_TRUE(log.log) << log.error;
  TranslationEvents events({&a, &b}, std::move(log.log));
  nat::SessionEvent e;
  e.time_ns = static_cast<std::uint64_t>(steady_ns());
  e.internal_addr = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  e.internal_port = net::Port(5000);
  a.events().push(e);
  e.internal_port = net::Port(5001);
  b.events().push(e);
  events.pump(nullptr);
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].at("inside"), "192.168.77.2:5000");
  EXPECT_EQ(lines[1].at("inside"), "192.168.77.2:5001");
  // Wall-clock time: within a minute of now.
  const auto t = ctl::parse_time(lines[0].at("time").get<std::string>());
  ASSERT_TRUE(t);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  EXPECT_LT(std::abs(*t - now), 60'000'000'000LL);
  const ctl::CounterGroup c = events.counters();
  EXPECT_EQ(c.name, "session_events");
  EXPECT_EQ(c.values.at(0), (std::pair<std::string, std::uint64_t>{"taken", 2}));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace masq::app
