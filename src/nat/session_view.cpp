#include "masq/nat/session_view.hpp"

#include <array>

#include "tcp_state.hpp"

namespace masq::nat {
namespace {

// kTcpStateNames without none (a TCP session always has a state).
constexpr auto kStateNames = [] {
  std::array<std::string_view, kTcpStateNames.size() + 1> names{};
  names[0] = net::to_string(net::Proto::udp);
  names[1] = net::to_string(net::Proto::icmp);
  for (std::size_t i = 1; i < kTcpStateNames.size(); ++i) names[i + 1] = kTcpStateNames[i];
  return names;
}();

}  // namespace

std::span<const std::string_view> session_state_names() {
  return kStateNames;
}

}  // namespace masq::nat
