// Test fixture: the valid TOML file most config tests start from.
#pragma once

#include <string>
#include <string_view>

namespace masq::config::testing {

// Every top-level section but [nat]: lan0 at 192.168.77.1/24, wan0 at
// 203.0.113.1/24 via 203.0.113.254, the given io backend and the control
// socket /run/masq/masq.sock. lan.address is on line 3, wan.gateway on
// line 8, io.backend on line 11; `more` follows from line 15.
inline std::string base_toml(std::string_view backend, std::string_view more = {}) {
  std::string text = R"([lan]
name = "lan0"
address = "192.168.77.1/24"

[wan]
name = "wan0"
address = "203.0.113.1/24"
gateway = "203.0.113.254"

[io]
backend = ")";
  text += backend;
  text += R"("

[control]
socket = "/run/masq/masq.sock"
)";
  text += more;
  return text;
}

// A forward for `more`: tcp port 22 to 192.168.77.2:22.
inline constexpr std::string_view kSshForward = R"([[nat.forward]]
proto = "tcp"
port = 22
internal = "192.168.77.2:22"
)";

}  // namespace masq::config::testing
