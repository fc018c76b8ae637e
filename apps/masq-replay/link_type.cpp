#include "link_type.hpp"

#include <pcap/pcap.h>

namespace masq::replay {

std::optional<LinkType> link_type_from_dlt(int dlt) {
  switch (dlt) {
    case DLT_EN10MB:
      return LinkType::ethernet;
    case DLT_RAW:
      return LinkType::raw_ip;
    case DLT_IPV4:
      return LinkType::raw_ipv4;
    default:
      return std::nullopt;
  }
}

int to_dlt(LinkType type) {
  switch (type) {
    case LinkType::ethernet:
      return DLT_EN10MB;
    case LinkType::raw_ip:
      return DLT_RAW;
    case LinkType::raw_ipv4:
      return DLT_IPV4;
  }
  return DLT_RAW;
}

}  // namespace masq::replay
