// What the engine decided for one packet. Four bytes, written for every
// packet of a batch.
#pragma once

#include <cstdint>

#include "masq/nat/drop_reason.hpp"
#include "masq/net/side.hpp"

namespace masq::nat {

enum class Action : std::uint8_t {
  forward_lan,  // rewritten; send out of the LAN interface
  forward_wan,  // rewritten; send out of the WAN interface
  hairpin,      // arrived on the LAN, rewritten both ways, goes back to the LAN (RFC 4787 REQ-9)
  drop,         // counted under `reason`
  send_icmp,    // dropped (counted under `reason`), and the packet, untouched,
                // deserves an ICMP error of icmp_type/icmp_code to its source
                // on the side it came from (net::build_icmp_error)
};

struct alignas(4) Verdict {  // aligned: stored as one word
  Action action = Action::drop;
  DropReason reason = DropReason::none;
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;

  static constexpr Verdict forward(Action a) { return {a, DropReason::none, 0, 0}; }
  static constexpr Verdict dropped(DropReason r) { return {Action::drop, r, 0, 0}; }
  static constexpr Verdict icmp(DropReason r, std::uint8_t type, std::uint8_t code) {
    return {Action::send_icmp, r, type, code};
  }
  bool operator==(const Verdict&) const = default;
};

static_assert(sizeof(Verdict) == 4);

}  // namespace masq::nat
