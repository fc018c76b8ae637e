#include "masq/ctl/client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace masq::ctl {

namespace {

// A connected socket with the request sent, or the error.
struct Connected {
  int fd = -1;
  std::string error;
};

Connected connect_and_send(const std::string& socket_path, const Request& req) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path)
    return {-1, "socket path too long: " + socket_path};
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {-1, std::string("socket: ") + std::strerror(errno)};
  const auto fail = [&](std::string what) {
    ::close(fd);
    return Connected{-1, std::move(what)};
  };
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return fail("connect " + socket_path + ": " + std::strerror(errno) +
                " (is masqd running? --socket names another path)");
  }
  const std::string line = encode_request(req);
  if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
    return fail(std::string("send: ") + std::strerror(errno));
  }
  return {fd, {}};
}

// The reply's first line as a Reply: its error when it says ok: false.
Reply parse_reply(const std::string& line) {
  auto body = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return {{}, "masqd sent a malformed reply"};
  if (!body.value("ok", false))
    return {{}, "masqd: " + body.value("error", std::string("unknown error"))};
  return {std::move(body), {}};
}

}  // namespace

Reply request(const std::string& socket_path, const Request& req, int timeout_ms) {
  const Connected c = connect_and_send(socket_path, req);
  if (c.fd < 0) return {{}, c.error};
  const int fd = c.fd;
  const auto fail = [&](std::string what) {
    ::close(fd);
    return Reply{{}, std::move(what)};
  };
  // The reply is one line, of any length: read until its newline. The
  // timeout bounds each wait for more, not the whole transfer.
  std::string answer;
  pollfd p{fd, POLLIN, 0};
  while (answer.empty() || answer.back() != '\n') {
    if (::poll(&p, 1, timeout_ms) <= 0)
      return fail("no answer from masqd within " + std::to_string(timeout_ms) + " ms");
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::string("recv: ") + std::strerror(errno));
    if (n == 0) {
      return fail("masqd closed the connection after " + std::to_string(answer.size()) +
                  " bytes, before the end of its reply");
    }
    answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return parse_reply(answer);
}

Reply follow(const std::string& socket_path, const Request& req,
             const std::function<bool(const nlohmann::json&)>& on_line, int timeout_ms) {
  const Connected c = connect_and_send(socket_path, req);
  if (c.fd < 0) return {{}, c.error};
  const int fd = c.fd;
  std::string in;
  Reply first;
  bool answered = false;
  pollfd p{fd, POLLIN, 0};
  for (;;) {
    if (::poll(&p, 1, answered ? -1 : timeout_ms) <= 0 && !answered) {
      first = {{}, "no answer from masqd within " + std::to_string(timeout_ms) + " ms"};
      break;
    }
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (!answered) first = {{}, "masqd closed the connection before answering"};
      break;
    }
    in.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    bool go_on = true;
    for (std::size_t nl; go_on && (nl = in.find('\n', start)) != std::string::npos;
         start = nl + 1) {
      const std::string line = in.substr(start, nl - start);
      if (!answered) {
        first = parse_reply(line);
        answered = true;
        go_on = first.error.empty();
        continue;
      }
      const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      go_on = !j.is_discarded() && on_line(j);
    }
    in.erase(0, start);
    if (!go_on) break;
  }
  ::close(fd);
  return first;
}

}  // namespace masq::ctl
