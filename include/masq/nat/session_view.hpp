// SessionView: a read-only copy of one session for display and state
// snapshots (masqctl, replay summaries). Cold path.
#pragma once

#include <cstdint>
#include <string_view>

#include "masq/net/ipv4_addr.hpp"
#include "masq/net/port.hpp"

namespace masq::nat {

struct SessionView {
  net::Proto proto = net::Proto::udp;
  net::Ipv4Addr internal_addr;
  net::Port internal_port;
  net::Ipv4Addr external_addr;
  net::Port external_port;
  net::Ipv4Addr remote_addr;
  net::Port remote_port;
  std::string_view state;  // "udp", "icmp", or the TCP state name
  std::uint32_t expires_in_s = 0;
};

}  // namespace masq::nat
