#include "interface_check.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <memory>

namespace masq::app {

std::string kernel_ipv4_problem(const std::string& ifname) {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return {};
  const std::unique_ptr<ifaddrs, decltype(&::freeifaddrs)> owner(list, &::freeifaddrs);
  for (const ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET || ifname != a->ifa_name)
      continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* sin = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
    ::inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
    return ifname + " has the kernel IPv4 address " + text +
           "; masqd answers for its interfaces' addresses itself, so the kernel must have none "
           "(ip -4 addr flush dev " +
           ifname + ")";
  }
  return {};
}

}  // namespace masq::app
