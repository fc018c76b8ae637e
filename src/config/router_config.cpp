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
  // The host's ports are known once masqd has read the kernel's range.
  if (cfg.host.interfaces && cfg.host.ports) rc.host = {true, *cfg.host.ports};
  return rc;
}

}  // namespace masq::config
