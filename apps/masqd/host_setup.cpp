#include "host_setup.hpp"

#include <fstream>

#include "masq/io/host_interface.hpp"

namespace masq::app {

std::optional<nat::PortRange> kernel_local_port_range() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned first = 0;
  unsigned last = 0;
  if (!(in >> first >> last) || first == 0 || first > last || last > 65535) return std::nullopt;
  return nat::PortRange{static_cast<std::uint16_t>(first), static_cast<std::uint16_t>(last)};
}

std::optional<nat::PortRange> host_port_range(const config::Config& cfg, std::string& error) {
  if (cfg.host.ports) return cfg.host.ports;
  if (auto kernel = kernel_local_port_range()) return kernel;
  error =
      "cannot read net.ipv4.ip_local_port_range; set [host] ports to the range the host's own "
      "connections use";
  return std::nullopt;
}

OpenedHost open_host_ports(const config::Config& cfg, const io::PortInfo& lan,
                           const io::PortInfo& wan) {
  const auto spec = [](const std::string& name, const io::PortInfo& link,
                       const config::Interface& side) {
    io::HostInterfaceSpec s;
    s.name = name;
    s.mac = link.mac;
    s.mtu = side.mtu ? std::min<std::uint32_t>(*side.mtu, link.mtu) : link.mtu;
    // A WAN taken by DHCP gets its address from the lease.
    if (!side.dhcp) s.address = side.address;
    s.prefix_length = static_cast<std::uint8_t>(side.prefix.length());
    return s;
  };
  OpenedHost opened;
  auto l = io::open_host_interface(spec(cfg.host.lan_name, lan, cfg.lan));
  if (!l.port) return {{}, l.error};
  io::HostInterfaceSpec w = spec(cfg.host.wan_name, wan, cfg.wan);
  w.gateway = cfg.gateway;
  auto wp = io::open_host_interface(w);
  if (!wp.port) return {{}, wp.error};
  opened.ports.lan = std::move(l.port);
  opened.ports.wan = std::move(wp.port);
  return opened;
}

}  // namespace masq::app
