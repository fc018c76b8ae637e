// One control request from masqctl (or a test) to a running masqd. Cold.
#pragma once

#include <functional>
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

// A request answered with a stream (Command::events): hands every line
// after the first (the {"ok": true} answer, returned) to on_line until
// masqd closes the connection or on_line returns false. timeout_ms bounds
// the wait for the answer only; the stream may be quiet for as long as it
// likes.
Reply follow(const std::string& socket_path, const Request& request,
             const std::function<bool(const nlohmann::json&)>& on_line, int timeout_ms = 5000);

}  // namespace masq::ctl
