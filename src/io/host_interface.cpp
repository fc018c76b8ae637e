#include "masq/io/host_interface.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "interface_info.hpp"
#include "netlink.hpp"
#include "tap_port.hpp"

namespace masq::io {
namespace {

// Frames the kernel may queue for one receive(); more wait in the TAP's queue.
constexpr std::uint32_t kRxSlots = 256;

}  // namespace

OpenResult open_host_interface(const HostInterfaceSpec& spec) {
  const auto fail = [&](const std::string& what) {
    return OpenResult{nullptr, "host interface " + spec.name + ": " + what};
  };
  if (spec.name.empty() || spec.name.size() >= IFNAMSIZ)
    return fail("name must be 1..15 characters");
  detail::UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return fail("open /dev/net/tun: " + detail::error_text(errno));
  ifreq request{};
  std::memcpy(request.ifr_name, spec.name.c_str(), spec.name.size());
  // IFF_TUN_EXCL: a TAP of that name that exists already is someone else's.
  request.ifr_flags = static_cast<short>(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL);
  if (::ioctl(fd.get(), TUNSETIFF, &request) != 0) {
    return fail("TUNSETIFF: " + detail::error_text(errno));
  }
  PortInfo info;
  info.ifname = spec.name;
  info.ifindex = static_cast<int>(if_nametoindex(spec.name.c_str()));
  info.mac = spec.mac;
  info.mtu = spec.mtu;
  info.mode = "tap";
  if (info.ifindex == 0) return fail("no index: " + detail::error_text(errno));
  if (std::string e = detail::configure_link(info.ifindex, spec.mac, spec.mtu); !e.empty()) {
    return fail(e);
  }
  if (spec.address) {
    if (std::string e = detail::add_ipv4_address(info.ifindex, *spec.address, spec.prefix_length);
        !e.empty()) {
      return fail(e);
    }
  }
  if (spec.gateway) {
    if (std::string e = detail::add_default_route(info.ifindex, *spec.gateway); !e.empty()) {
      return fail(e);
    }
  }
  return {std::make_unique<detail::TapPort>(std::move(fd), std::move(info), kRxSlots), {}};
}

}  // namespace masq::io
