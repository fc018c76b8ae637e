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

Server::OpenResult Server::open(const std::string& path, int idle_timeout_ms) {
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
  // Only a socket can be one a crashed masqd left: anything else at the
  // path is someone's file, and stays.
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) == 0) {
    if (!S_ISSOCK(existing.st_mode)) {
      ::close(fd);
      return {nullptr,
              "control socket path " + path + " exists and is not a socket; not removing it"};
    }
    ::unlink(path.c_str());
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, static_cast<int>(kMaxClients)) != 0) {
    const std::string error = system_error("bind", path);
    ::close(fd);
    return {nullptr, error};
  }
  ::chmod(path.c_str(), 0660);
  return {std::unique_ptr<Server>(new Server(fd, path, idle_timeout_ms)), {}};
}

Server::Server(int listen_fd, std::string path, int idle_timeout_ms)
    : listen_fd_(listen_fd), path_(std::move(path)), idle_timeout_ms_(idle_timeout_ms) {}

Server::~Server() {
  for (auto& c : clients_) ::close(c.fd);
  ::close(listen_fd_);
  ::unlink(path_.c_str());
}

std::size_t Server::poll_fds(std::vector<pollfd>& fds) const {
  const std::size_t before = fds.size();
  if (clients_.size() < kMaxClients) fds.push_back({listen_fd_, POLLIN, 0});
  for (const auto& c : clients_) {
    // A client being answered is not polled at all: its hang-up would be
    // reported regardless, again and again until the answer is ready. It
    // is noticed when the reply is written.
    if (c.phase == Phase::reading) fds.push_back({c.fd, POLLIN, 0});
    if (c.phase == Phase::writing) fds.push_back({c.fd, POLLOUT, 0});
  }
  return fds.size() - before;
}

int Server::next_timeout_ms(std::uint64_t now_ms) const {
  int timeout = -1;
  for (const auto& c : clients_) {
    if (c.phase == Phase::done) return 0;  // to be closed by serve() at once
    if (c.phase == Phase::answering) continue;
    const int left = c.deadline_ms > now_ms ? static_cast<int>(c.deadline_ms - now_ms) : 0;
    timeout = timeout < 0 ? left : std::min(timeout, left);
  }
  return timeout;
}

void Server::accept_new(std::uint64_t now_ms) {
  while (clients_.size() < kMaxClients) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) break;
    Client c{};
    c.id = next_id_++;
    c.fd = fd;
    c.phase = Phase::reading;
    c.deadline_ms = now_ms + static_cast<std::uint64_t>(idle_timeout_ms_);
    clients_.push_back(std::move(c));
  }
}

void Server::read_request(Client& c, std::uint64_t now_ms, const OnRequest& on_request) {
  char buf[1024];
  ssize_t n = 0;
  // Never more than one byte past the limit is kept: enough to tell.
  while (c.in.size() <= kMaxRequest && (n = ::recv(c.fd, buf, sizeof buf, 0)) > 0) {
    c.in.append(buf, static_cast<std::size_t>(n));
    c.deadline_ms = now_ms + static_cast<std::uint64_t>(idle_timeout_ms_);
  }
  const auto newline = c.in.find('\n');
  if (newline != std::string::npos && newline <= kMaxRequest) {
    const ParsedRequest req = decode_request(std::string_view(c.in).substr(0, newline));
    c.in.clear();
    if (!req.command) {
      queue(c, error_json(req.error), now_ms);
      return;
    }
    c.phase = Phase::answering;
    on_request(c.id, *req.command);
  } else if (c.in.size() > kMaxRequest) {
    queue(c, error_json("request longer than " + std::to_string(kMaxRequest) + " bytes"), now_ms);
  } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
    c.phase = Phase::done;  // gone before finishing its request
  }
}

void Server::queue(Client& c, const nlohmann::json& response, std::uint64_t now_ms) {
  c.out = response.dump() + "\n";
  c.written = 0;
  c.phase = Phase::writing;
  c.deadline_ms = now_ms + static_cast<std::uint64_t>(idle_timeout_ms_);
  write_reply(c, now_ms);
}

void Server::write_reply(Client& c, std::uint64_t now_ms) {
  while (c.written < c.out.size()) {
    const ssize_t n = ::send(c.fd, c.out.data() + c.written, c.out.size() - c.written,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) c.phase = Phase::done;  // reader gone
      return;
    }
    c.written += static_cast<std::size_t>(n);
    c.deadline_ms = now_ms + static_cast<std::uint64_t>(idle_timeout_ms_);
  }
  c.phase = Phase::done;
}

void Server::reply(ClientId id, const nlohmann::json& response, std::uint64_t now_ms) {
  const auto c =
      std::find_if(clients_.begin(), clients_.end(), [id](const Client& k) { return k.id == id; });
  if (c != clients_.end() && c->phase == Phase::answering) queue(*c, response, now_ms);
}

void Server::serve(std::uint64_t now_ms, const OnRequest& on_request) {
  accept_new(now_ms);
  // Index-based: on_request may reply (and so write) at once.
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    Client& c = clients_[i];
    if (c.phase == Phase::reading) {
      read_request(c, now_ms, on_request);
    } else if (c.phase == Phase::writing) {
      write_reply(c, now_ms);
    }
    if ((c.phase == Phase::reading || c.phase == Phase::writing) && now_ms >= c.deadline_ms)
      c.phase = Phase::done;  // idle: sent no request, or reads nothing of its reply
  }
  close_done();
}

void Server::close_done() {
  std::erase_if(clients_, [](const Client& c) {
    if (c.phase != Phase::done) return false;
    ::close(c.fd);
    return true;
  });
}

}  // namespace masq::ctl
