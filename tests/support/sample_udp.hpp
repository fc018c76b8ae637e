// Test fixture: the UDP datagram the support tests build and take apart.
#pragma once

#include "support/packet_spec.hpp"

namespace masq::test {

// 192.168.77.2:5000 -> 198.51.100.7:53, every other field at its default
// and no payload.
inline PacketSpec sample_udp() {
  PacketSpec s;
  s.kind = L4Kind::udp;
  s.src = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  s.dst = net::Ipv4Addr::from_octets(198, 51, 100, 7);
  s.src_port = 5000;
  s.dst_port = 53;
  return s;
}

}  // namespace masq::test
