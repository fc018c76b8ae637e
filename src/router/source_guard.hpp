// Source guard ([lan] source_guard, RouterConfig::source_guard): a LAN
// packet is admitted only from a source address whose IP-MAC binding the
// LAN's ARP cache holds, and only from that MAC; anything else is dropped
// as source_guard before it can make a subscriber or a session.
//
// What it stops: a LAN host sending with addresses it never claimed by
// ARP (random spoofed sources, to fill max_subscribers or the session
// table; to be answered as someone else) and with another live host's
// address from its own MAC. A host that talks through the gateway has
// asked for the gateway's MAC, which creates its binding (RFC 826 merge,
// the request being addressed to us); the router's unicast polls keep it
// while the host answers.
//
// What it cannot stop: a host that claims addresses by ARP (requests to
// the gateway with forged sender addresses): each becomes a binding, up
// to the ARP cache's capacity; nor a host that takes over another's
// binding by ARP (ARP spoofing). Those need the switch (port security,
// dynamic ARP inspection). Private to the router. Hot (LAN packets, when
// on): one ARP cache lookup.
#pragma once

#include "masq/router/ethernet.hpp"

namespace masq::router {

// `bound`: the MAC the LAN's ARP cache binds the source address to, or
// null; `from`: the frame's source MAC.
inline bool source_guard_admits(const MacAddr* bound, const MacAddr& from) {
  return bound != nullptr && *bound == from;
}

}  // namespace masq::router
