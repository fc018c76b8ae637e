#include "masq/config/router_config.hpp"

#include <algorithm>

namespace masq::config {
namespace {

router::InterfaceConfig side_config(const Interface& i, const Link& link) {
  router::InterfaceConfig c;
  c.mac = router::MacAddr(link.mac);
  c.address = i.address;
  c.prefix = i.prefix;
  // A link MTU above 16 bits is no Ethernet MTU; the router's validate()
  // reports whatever this leaves out of range.
  const std::uint32_t mtu = std::min<std::uint32_t>(link.mtu, i.mtu.value_or(link.mtu));
  c.mtu = static_cast<std::uint16_t>(std::min<std::uint32_t>(mtu, 0xFFFF));
  return c;
}

}  // namespace

router::RouterConfig router_config(const Config& cfg, const Link& lan, const Link& wan) {
  router::RouterConfig rc;
  rc.lan = side_config(cfg.lan, lan);
  rc.wan = side_config(cfg.wan, wan);
  rc.wan_gateway = cfg.gateway;
  rc.externals = router::external_addresses(cfg.engine);
  rc.allow_source_route = cfg.router.allow_source_route;
  rc.icmp_rate_limit = cfg.router.icmp;
  rc.local_pcp = cfg.pcp.enabled;
  rc.source_guard = cfg.router.source_guard;
  // The host's ports are known once masqd has read the kernel's range.
  if (cfg.host.interfaces && cfg.host.ports) rc.host = {true, *cfg.host.ports};
  return rc;
}

nat::EngineConfig engine_config(const Config& cfg, const router::RouterConfig& router) {
  // IPv4 and TCP headers without options (RFC 879, RFC 6691).
  constexpr std::uint16_t kHeaders = 40;
  nat::EngineConfig engine = cfg.engine;
  switch (cfg.tcp_mss_clamp.mode) {
    case MssClamp::Mode::automatic: {
      const std::uint16_t mtu = std::min(router.lan.mtu, router.wan.mtu);
      engine.tcp_mss_clamp = std::max<std::uint16_t>(
          nat::kMinMssClamp, static_cast<std::uint16_t>(mtu > kHeaders ? mtu - kHeaders : 0));
      break;
    }
    case MssClamp::Mode::fixed:
      engine.tcp_mss_clamp = cfg.tcp_mss_clamp.mss;
      break;
    case MssClamp::Mode::off:
      engine.tcp_mss_clamp = 0;
      break;
  }
  return engine;
}

}  // namespace masq::config
