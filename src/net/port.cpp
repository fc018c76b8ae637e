#include "masq/net/port.hpp"

namespace masq::net {

std::string_view to_string(Proto p) {
  switch (p) {
    case Proto::icmp:
      return "icmp";
    case Proto::tcp:
      return "tcp";
    case Proto::udp:
      return "udp";
  }
  return "unknown";
}

std::optional<Proto> parse_proto(std::string_view name) {
  if (name == "tcp") return Proto::tcp;
  if (name == "udp") return Proto::udp;
  if (name == "icmp") return Proto::icmp;
  return std::nullopt;
}

}  // namespace masq::net
