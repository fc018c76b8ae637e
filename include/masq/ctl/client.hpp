// One control request from masqctl (or a test) to a running masqd. Cold.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "masq/ctl/protocol.hpp"

namespace masq::ctl {

struct Reply {
  nlohmann::json body;  // the server's answer, when error is empty
  std::string error;    // "connect /run/masq.sock: No such file or directory"
};

// timeout_ms bounds each wait for (more of) the reply.
Reply request(const std::string& socket_path, const Request& request, int timeout_ms = 5000);
inline Reply request(const std::string& socket_path, Command command, int timeout_ms = 5000) {
  return request(socket_path, Request{command, {}, false}, timeout_ms);
}

}  // namespace masq::ctl
