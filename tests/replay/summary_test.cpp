#include "summary.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "masq/nat/drop_reason.hpp"
#include "masq/router/drop_reason.hpp"

namespace masq::replay {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string drop_line(nat::DropReason reason, std::uint64_t count) {
  return "\ndrop." + std::string(nat::to_string(reason)) + " " + std::to_string(count) + "\n";
}

TEST(SummaryTest, PrintsEveryCounterAndOnlyNonZeroDrops) {
  ReplayStats stats;
  stats.lan = {5, 1, 2, 3};
  stats.wan = {7, 0, 0, 4};
  stats.icmp_sent = 2;
  stats.icmp_suppressed = 1;
  stats.sessions = 9;
  stats.engine.drops[static_cast<std::size_t>(nat::DropReason::ttl_expired)] = 3;
  stats.engine.drops[static_cast<std::size_t>(nat::DropReason::truncated)] = 11;
  stats.engine.in2out = 12;
  stats.engine.out2in = 13;
  stats.engine.mappings_created = 14;
  stats.router.drops[static_cast<std::size_t>(router::DropReason::frag_needed)] = 4;
  stats.router.fragments_received = 6;
  stats.router.fragments_sent = 8;
  std::ostringstream out;
  write_summary(out, stats);
  const std::string text = "\n" + out.str();

  EXPECT_THAT(text,
              HasSubstr("\nlan.frames_in 5\nlan.not_ipv4 1\nlan.malformed 2\nlan.packets_out 3\n"));
  EXPECT_THAT(text, HasSubstr("\nwan.frames_in 7\n"));
  EXPECT_THAT(text, HasSubstr("\nwan.packets_out 4\n"));
  EXPECT_THAT(text, HasSubstr("\nicmp_sent 2\nicmp_suppressed 1\n"));
  EXPECT_THAT(text, HasSubstr(drop_line(nat::DropReason::ttl_expired, 3)));
  EXPECT_THAT(text, HasSubstr(drop_line(nat::DropReason::truncated, 11)));
  EXPECT_THAT(text,
              Not(HasSubstr("drop." + std::string(nat::to_string(nat::DropReason::no_session)))));
  EXPECT_THAT(text, Not(HasSubstr("drop." + std::string(nat::to_string(nat::DropReason::none)))));
  EXPECT_THAT(text, HasSubstr("\nsessions 9\n"));
  EXPECT_THAT(text, HasSubstr("\nengine.in2out 12\nengine.out2in 13\n"));
  EXPECT_THAT(text, HasSubstr("\nengine.mappings_created 14\n"));
  EXPECT_THAT(text,
              HasSubstr("\nrouter.drop." +
                        std::string(router::to_string(router::DropReason::frag_needed)) + " 4\n"));
  EXPECT_THAT(text, Not(HasSubstr("router.drop." +
                                  std::string(router::to_string(router::DropReason::no_route)))));
  EXPECT_THAT(text, HasSubstr("\nrouter.fragments_received 6\n"));
  EXPECT_THAT(text, HasSubstr("\nrouter.fragments_sent 8\n"));
}

}  // namespace
}  // namespace masq::replay
