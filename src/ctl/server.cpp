#include "masq/ctl/server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace masq::ctl {
namespace {

std::string system_error(std::string_view what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

}  // namespace

Server::OpenResult Server::open(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    return {nullptr, "control socket path '" + path + "' is empty or too long"};
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return {nullptr, system_error("socket for", path)};
  // A socket file left by a crashed masqd would make bind fail: if nobody
  // answers on it, it is stale and can go.
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const bool in_use =
      probe >= 0 && ::connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  if (probe >= 0) ::close(probe);
  if (in_use) {
    ::close(fd);
    return {nullptr, "control socket " + path + " is in use by another process"};
  }
  ::unlink(path.c_str());
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 8) != 0) {
    const std::string error = system_error("bind", path);
    ::close(fd);
    return {nullptr, error};
  }
  ::chmod(path.c_str(), 0660);
  return {std::unique_ptr<Server>(new Server(fd, path)), {}};
}

Server::Server(int listen_fd, std::string path) : listen_fd_(listen_fd), path_(std::move(path)) {}

Server::~Server() {
  for (auto& c : clients_) ::close(c.fd);
  ::close(listen_fd_);
  ::unlink(path_.c_str());
}

std::vector<int> Server::fds() const {
  std::vector<int> fds{listen_fd_};
  for (const auto& c : clients_) fds.push_back(c.fd);
  return fds;
}

void Server::reply(Client& c, const nlohmann::json& response) {
  const std::string line = response.dump() + "\n";
  // Replies are small; a client that does not read is not waited for.
  const ssize_t sent = ::send(c.fd, line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  static_cast<void>(sent);
  ::close(c.fd);
  c.fd = -1;
}

void Server::serve(const std::function<nlohmann::json(Command)>& answer) {
  while (clients_.size() < kMaxClients) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) break;
    clients_.push_back({fd, {}});
  }
  for (auto& c : clients_) {
    char buf[1024];
    ssize_t n;
    while ((n = ::recv(c.fd, buf, sizeof buf, 0)) > 0)
      c.buffer.append(buf, static_cast<std::size_t>(n));
    const auto newline = c.buffer.find('\n');
    if (newline != std::string::npos) {
      const ParsedRequest req = decode_request(std::string_view(c.buffer).substr(0, newline));
      reply(c, req.command ? answer(*req.command) : error_json(req.error));
    } else if (c.buffer.size() > kMaxRequest) {
      reply(c, error_json("request longer than 4096 bytes"));
    } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      ::close(c.fd);  // gone before finishing its request
      c.fd = -1;
    }
  }
  clients_.erase(
      std::remove_if(clients_.begin(), clients_.end(), [](const Client& c) { return c.fd < 0; }),
      clients_.end());
}

}  // namespace masq::ctl
