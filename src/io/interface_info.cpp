#include "interface_info.hpp"

#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "unique_fd.hpp"

namespace masq::io::detail {

std::string error_text(int errnum) {
  char buf[128];
  // GNU strerror_r returns the message, which may or may not live in buf.
  return strerror_r(errnum, buf, sizeof buf);
}

std::string add_promiscuous_membership(int packet_fd, int ifindex) {
  packet_mreq mreq{};
  mreq.mr_ifindex = ifindex;
  mreq.mr_type = PACKET_MR_PROMISC;
  if (::setsockopt(packet_fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq) == 0)
    return {};
  return "setsockopt(PACKET_ADD_MEMBERSHIP, promiscuous): " + error_text(errno);
}

InterfaceLookup lookup_interface(std::string_view ifname) {
  InterfaceLookup r;
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
    r.error = "invalid interface name '" + std::string(ifname) + "'";
    return r;
  }
  r.info.ifname = std::string(ifname);
  const unsigned index = if_nametoindex(r.info.ifname.c_str());
  if (index == 0) {
    r.error = "interface not found: " + r.info.ifname;
    return r;
  }
  r.info.ifindex = static_cast<int>(index);

  const UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    r.error = "socket: " + error_text(errno);
    return r;
  }
  ifreq req{};
  std::memcpy(req.ifr_name, r.info.ifname.data(), r.info.ifname.size());
  if (::ioctl(fd.get(), SIOCGIFHWADDR, &req) != 0) {
    r.error = "reading the MAC address of " + r.info.ifname + ": " + error_text(errno);
    return r;
  }
  if (req.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    r.error = r.info.ifname + " is not an Ethernet interface";
    return r;
  }
  std::memcpy(r.info.mac.data(), req.ifr_hwaddr.sa_data, r.info.mac.size());
  if (::ioctl(fd.get(), SIOCGIFMTU, &req) != 0) {
    r.error = "reading the MTU of " + r.info.ifname + ": " + error_text(errno);
    return r;
  }
  r.info.mtu = static_cast<std::uint32_t>(req.ifr_mtu);
  return r;
}

}  // namespace masq::io::detail

namespace masq::io {

QueueCount queue_count(std::string_view ifname) {
  QueueCount r;
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
    r.error = "invalid interface name '" + std::string(ifname) + "'";
    return r;
  }
  const detail::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    r.error = "socket: " + detail::error_text(errno);
    return r;
  }
  ethtool_channels channels{};
  channels.cmd = ETHTOOL_GCHANNELS;
  ifreq req{};
  std::memcpy(req.ifr_name, ifname.data(), ifname.size());
  req.ifr_data = reinterpret_cast<char*>(&channels);
  if (::ioctl(fd.get(), SIOCETHTOOL, &req) == 0) {
    // A NIC counts queue pairs as combined channels, a veth rx and tx apart.
    r.rx = channels.combined_count + channels.rx_count;
    r.tx = channels.combined_count + channels.tx_count;
  } else if (errno == EOPNOTSUPP) {
    r.rx = r.tx = 1;
  } else if (errno == ENODEV) {
    r.error = "interface not found: " + std::string(ifname);
  } else {
    r.error = "reading the channels of " + std::string(ifname) + ": " + detail::error_text(errno);
  }
  return r;
}

}  // namespace masq::io
