#include "summary.hpp"

#include <cstddef>
#include <string_view>

#include "masq/nat/drop_reason.hpp"
#include "masq/router/drop_reason.hpp"

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
  out << "sessions " << stats.sessions << '\n'
      << "engine.in2out " << c.in2out << '\n'
      << "engine.out2in " << c.out2in << '\n'
      << "engine.hairpinned " << c.hairpinned << '\n'
      << "engine.untranslated " << c.untranslated << '\n'
      << "engine.icmp_errors_translated " << c.icmp_errors_translated << '\n'
      << "engine.sessions_created " << c.sessions_created << '\n'
      << "engine.sessions_expired " << c.sessions_expired << '\n'
      << "engine.mappings_created " << c.mappings_created << '\n';
  const router::RouterCounters& r = stats.router;
  for (std::size_t i = 0; i < r.drops.size(); ++i) {
    const auto reason = static_cast<router::DropReason>(i);
    if (reason != router::DropReason::none && r.drops[i] != 0) {
      out << "router.drop." << router::to_string(reason) << ' ' << r.drops[i] << '\n';
    }
  }
  out << "router.fragments_received " << r.fragments_received << '\n'
      << "router.datagrams_reassembled " << r.datagrams_reassembled << '\n'
      << "router.fragments_sent " << r.fragments_sent << '\n'
      << "router.echo_replies_sent " << r.echo_replies_sent << '\n'
      << "router.arp_replies_sent " << r.arp_replies_sent << '\n';
}

}  // namespace masq::replay
