// router_config(): the RouterConfig of a validated Config, completed with
// what only the links themselves know (MAC address, MTU). masqd passes the
// interfaces it opened; masq-replay, which has none, passes its own fixed
// MACs and the configured MTUs. Both drivers build the router the same way
// here. Cold: called once at start.
#pragma once

#include <array>
#include <cstdint>

#include "masq/config/config.hpp"
#include "masq/router/router_config.hpp"

namespace masq::config {

// One link as its driver found it.
struct Link {
  std::array<std::uint8_t, 6> mac{};
  std::uint32_t mtu = 1500;
};

// The router's MTU on each side is the link's, or the configured
// [lan]/[wan] mtu when that is smaller (a link cannot carry more than it
// has). The WAN next hop is cfg.gateway; the external addresses are the
// engine's.
router::RouterConfig router_config(const Config& cfg, const Link& lan, const Link& wan);

// The engine's config completed with what the router's links tell: the
// MSS clamp of "auto" is the smaller of the two MTUs less 40, so that a
// segment either end sends fits both links whole.
nat::EngineConfig engine_config(const Config& cfg, const router::RouterConfig& router);

}  // namespace masq::config
