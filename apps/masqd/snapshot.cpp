#include "snapshot.hpp"

#include <string>

namespace masq::app {
namespace {

ctl::CounterGroup port_group(std::string name, const io::PortStats& s) {
  return {std::move(name),
          {{"rx_frames", s.rx_frames},
           {"rx_bytes", s.rx_bytes},
           {"rx_gso_frames", s.rx_gso_frames},
           {"rx_gso_segments", s.rx_gso_segments},
           {"rx_gso_kept", s.rx_gso_kept},
           {"rx_csum_completed", s.rx_csum_completed},
           {"rx_dropped_kernel", s.rx_dropped_kernel},
           {"rx_dropped_truncated", s.rx_dropped_truncated},
           {"rx_dropped_offload", s.rx_dropped_offload},
           {"tx_frames", s.tx_frames},
           {"tx_bytes", s.tx_bytes},
           {"tx_gso_frames", s.tx_gso_frames},
           {"tx_dropped_ring_full", s.tx_dropped_ring_full},
           {"tx_dropped_bad_size", s.tx_dropped_bad_size},
           {"tx_dropped_kernel", s.tx_dropped_kernel},
           {"wakeups", s.wakeups}}};
}

}  // namespace

std::vector<ctl::CounterGroup> counter_groups(const nat::Counters& nat,
                                              const router::RouterCounters& r,
                                              const io::PortStats& lan, const io::PortStats& wan) {
  std::vector<ctl::CounterGroup> groups;
  groups.push_back({"nat",
                    {{"in2out", nat.in2out},
                     {"out2in", nat.out2in},
                     {"hairpinned", nat.hairpinned},
                     {"untranslated", nat.untranslated},
                     {"icmp_errors_translated", nat.icmp_errors_translated},
                     {"sessions_created", nat.sessions_created},
                     {"sessions_expired", nat.sessions_expired},
                     {"mappings_created", nat.mappings_created}}});
  ctl::CounterGroup nat_drops{"nat.drops", {}};
  for (std::size_t i = 1; i < nat::kDropReasonCount; ++i) {
    nat_drops.values.emplace_back(std::string(to_string(static_cast<nat::DropReason>(i))),
                                  nat.drops[i]);
  }
  groups.push_back(std::move(nat_drops));
  groups.push_back({"router",
                    {{"lan_rx_frames", r.rx_frames[0]},
                     {"lan_tx_frames", r.tx_frames[0]},
                     {"wan_rx_frames", r.rx_frames[1]},
                     {"wan_tx_frames", r.tx_frames[1]},
                     {"arp_requests_received", r.arp_requests_received},
                     {"arp_replies_received", r.arp_replies_received},
                     {"arp_requests_sent", r.arp_requests_sent},
                     {"arp_replies_sent", r.arp_replies_sent},
                     {"arp_announcements_sent", r.arp_announcements_sent},
                     {"echo_replies_sent", r.echo_replies_sent},
                     {"icmp_errors_sent", r.icmp_errors_sent},
                     {"fragments_sent", r.fragments_sent},
                     {"fragments_received", r.fragments_received},
                     {"datagrams_reassembled", r.datagrams_reassembled}}});
  ctl::CounterGroup router_drops{"router.drops", {}};
  for (std::size_t i = 1; i < router::kDropReasonCount; ++i) {
    router_drops.values.emplace_back(std::string(to_string(static_cast<router::DropReason>(i))),
                                     r.drops[i]);
  }
  groups.push_back(std::move(router_drops));
  groups.push_back(port_group("io.lan", lan));
  groups.push_back(port_group("io.wan", wan));
  return groups;
}

}  // namespace masq::app
