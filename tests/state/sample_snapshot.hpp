// A snapshot with one session of each protocol and kind and a PCP mapping
// with filters, for the state tests. Test only.
#pragma once

#include "masq/state/snapshot.hpp"

namespace masq::state::test {

inline Snapshot sample_snapshot() {
  using net::Ipv4Addr;
  Snapshot s;
  s.saved_unix_s = 1'790'000'000;
  nat::SessionView tcp;
  tcp.proto = net::Proto::tcp;
  tcp.internal_addr = Ipv4Addr::from_octets(10, 0, 0, 2);
  tcp.internal_port = net::Port(40000);
  tcp.external_addr = Ipv4Addr::from_octets(203, 0, 113, 1);
  tcp.external_port = net::Port(40001);
  tcp.remote_addr = Ipv4Addr::from_octets(198, 51, 100, 1);
  tcp.remote_port = net::Port(443);
  tcp.state = "established";
  tcp.expires_in_s = 7400;
  nat::SessionView udp = tcp;
  udp.proto = net::Proto::udp;
  udp.state = "udp";
  udp.kind = nat::SessionKind::forward;
  udp.expires_in_s = 12;
  nat::SessionView icmp = tcp;
  icmp.proto = net::Proto::icmp;
  icmp.state = "icmp";
  icmp.remote_port = net::Port(0);
  s.sessions = {tcp, udp, icmp};
  s.has_pcp = true;
  s.pcp_epoch_start_unix_s = 1'789'000'000;
  SavedMapping m;
  m.mapping.origin = pcp::Origin::pcp_map;
  m.mapping.proto = net::Proto::udp;
  m.mapping.internal = {Ipv4Addr::from_octets(10, 0, 0, 3), 5000};
  m.mapping.external = {Ipv4Addr::from_octets(203, 0, 113, 1), 41000};
  m.mapping.nonce = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  m.mapping.filter_count = 2;
  m.mapping.filters[0] = {net::Ipv4Prefix(Ipv4Addr::from_octets(198, 51, 100, 0), 24), 0};
  m.mapping.filters[1] = {net::Ipv4Prefix(Ipv4Addr::from_octets(192, 0, 2, 7), 32), 53};
  m.left_s = 3000;
  SavedMapping peer = m;
  peer.mapping.origin = pcp::Origin::pcp_peer;
  peer.mapping.peer = {Ipv4Addr::from_octets(192, 0, 2, 9), 9000};
  peer.mapping.filter_count = 0;
  peer.mapping.filters = {};
  s.mappings = {m, peer};
  return s;
}

}  // namespace masq::state::test
