#include "summary.hpp"

#include <cstddef>
#include <string_view>

#include "masq/nat/counters.hpp"
#include "masq/router/counters.hpp"

namespace masq::replay {
namespace {

void write_side(std::ostream& out, std::string_view side, const SideStats& s) {
  out << side << ".frames_in " << s.frames_in << '\n'
      << side << ".not_ipv4 " << s.not_ipv4 << '\n'
      << side << ".malformed " << s.malformed << '\n'
      << side << ".packets_out " << s.packets_out << '\n';
}

}  // namespace

void write_summary(std::ostream& out, const ReplayStats& stats) {
  write_side(out, "lan", stats.lan);
  write_side(out, "wan", stats.wan);
  out << "icmp_sent " << stats.icmp_sent << '\n'
      << "icmp_suppressed " << stats.icmp_suppressed << '\n';
  const nat::Counters& c = stats.engine;
  for (std::size_t i = 0; i < c.drops.size(); ++i) {
    const auto reason = static_cast<nat::DropReason>(i);
    if (reason != nat::DropReason::none && c.drops[i] != 0) {
      out << "drop." << nat::to_string(reason) << ' ' << c.drops[i] << '\n';
    }
  }
  out << "sessions " << stats.sessions << '\n';
  net::for_each_counter(nat::kCounterFields, c, [&](std::string_view name, std::uint64_t v) {
    out << "engine." << name << ' ' << v << '\n';
  });
  const router::RouterCounters& r = stats.router;
  for (std::size_t i = 0; i < r.drops.size(); ++i) {
    const auto reason = static_cast<router::DropReason>(i);
    if (reason != router::DropReason::none && r.drops[i] != 0) {
      out << "router.drop." << router::to_string(reason) << ' ' << r.drops[i] << '\n';
    }
  }
  net::for_each_counter(router::kRouterCounterFields, r,
                        [&](std::string_view name, std::uint64_t v) {
                          out << "router." << name << ' ' << v << '\n';
                        });
}

}  // namespace masq::replay
