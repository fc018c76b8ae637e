#include "metrics_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace masq::app {
namespace {

// The text exposition format, version 0.0.4.
constexpr std::string_view kExposition = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace

MetricsServer::OpenResult MetricsServer::open(net::Ipv4Addr address, std::uint16_t port) {
  const std::string where = address.to_string() + ":" + std::to_string(port);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return {nullptr, "metrics socket: " + std::string(std::strerror(errno))};
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  sin.sin_addr.s_addr = htonl(address.value());
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&sin), sizeof sin) != 0 ||
      ::listen(fd, static_cast<int>(kMaxClients)) != 0) {
    const std::string error = "metrics listen on " + where + ": " + std::strerror(errno);
    ::close(fd);
    return {nullptr, error};
  }
  return {std::unique_ptr<MetricsServer>(new MetricsServer(fd)), {}};
}

std::uint16_t MetricsServer::port() const {
  sockaddr_in sin{};
  socklen_t len = sizeof sin;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&sin), &len);
  return ntohs(sin.sin_port);
}

MetricsServer::~MetricsServer() {
  for (const auto& c : clients_) ::close(c.fd);
  ::close(listen_fd_);
}

std::size_t MetricsServer::poll_fds(std::vector<pollfd>& fds) const {
  const std::size_t before = fds.size();
  if (clients_.size() < kMaxClients) fds.push_back({listen_fd_, POLLIN, 0});
  for (const auto& c : clients_) {
    if (c.phase == Phase::reading) fds.push_back({c.fd, POLLIN, 0});
    if (c.phase == Phase::writing) fds.push_back({c.fd, POLLOUT, 0});
  }
  return fds.size() - before;
}

int MetricsServer::next_timeout_ms(std::uint64_t now_ms) const {
  int timeout = -1;
  for (const auto& c : clients_) {
    if (c.phase == Phase::done) return 0;
    if (c.phase == Phase::answering) continue;
    const int left = c.deadline_ms > now_ms ? static_cast<int>(c.deadline_ms - now_ms) : 0;
    timeout = timeout < 0 ? left : std::min(timeout, left);
  }
  return timeout;
}

void MetricsServer::serve(std::uint64_t now_ms, const OnScrape& on_scrape) {
  while (clients_.size() < kMaxClients) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) break;
    Client c;
    c.id = next_id_++;
    c.fd = fd;
    c.deadline_ms = now_ms + kIdleTimeoutMs;
    clients_.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    Client& c = clients_[i];
    if (c.phase == Phase::reading) read_request(c, now_ms, on_scrape);
    if (c.phase == Phase::writing) write_out(c);
    if ((c.phase == Phase::reading || c.phase == Phase::writing) && now_ms >= c.deadline_ms)
      c.phase = Phase::done;
  }
  std::erase_if(clients_, [](const Client& c) {
    if (c.phase != Phase::done) return false;
    ::close(c.fd);
    return true;
  });
}

void MetricsServer::read_request(Client& c, std::uint64_t now_ms, const OnScrape& on_scrape) {
  char buf[2048];
  ssize_t n = 0;
  while (c.in.size() <= kMaxRequest && (n = ::recv(c.fd, buf, sizeof buf, 0)) > 0) {
    c.in.append(buf, static_cast<std::size_t>(n));
  }
  const auto head_end = c.in.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    if (c.in.size() > kMaxRequest) {
      respond(c, "400 Bad Request", "text/plain", "request head too long\n", now_ms);
    } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      c.phase = Phase::done;
    }
    return;
  }
  // "GET /metrics HTTP/1.1": the method and the path, query ignored.
  const std::string_view line = std::string_view(c.in).substr(0, c.in.find("\r\n"));
  const auto sp1 = line.find(' ');
  const auto sp2 = line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) {
    respond(c, "400 Bad Request", "text/plain", "malformed request line\n", now_ms);
    return;
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view path = target.substr(0, target.find('?'));
  if (path != "/metrics") {
    respond(c, "404 Not Found", "text/plain", "masqd serves /metrics only\n", now_ms);
  } else if (method != "GET") {
    respond(c, "405 Method Not Allowed", "text/plain", "GET only\n", now_ms);
  } else {
    c.phase = Phase::answering;
    on_scrape(c.id);
  }
}

void MetricsServer::respond(Client& c, std::string_view status, std::string_view type,
                            const std::string& body, std::uint64_t now_ms) {
  c.out = "HTTP/1.0 " + std::string(status) + "\r\nContent-Type: " + std::string(type) +
          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
          body;
  c.written = 0;
  c.phase = Phase::writing;
  c.deadline_ms = now_ms + kIdleTimeoutMs;
  write_out(c);
}

void MetricsServer::write_out(Client& c) {
  while (c.written < c.out.size()) {
    const ssize_t n = ::send(c.fd, c.out.data() + c.written, c.out.size() - c.written,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) c.phase = Phase::done;
      return;
    }
    c.written += static_cast<std::size_t>(n);
  }
  c.phase = Phase::done;
}

MetricsServer::Client* MetricsServer::find(ClientId id) {
  const auto it =
      std::find_if(clients_.begin(), clients_.end(), [id](const Client& c) { return c.id == id; });
  return it != clients_.end() && it->phase == Phase::answering ? &*it : nullptr;
}

void MetricsServer::reply(ClientId id, const std::string& body, std::uint64_t now_ms) {
  if (Client* c = find(id)) respond(*c, "200 OK", kExposition, body, now_ms);
}

void MetricsServer::fail(ClientId id, const std::string& why, std::uint64_t now_ms) {
  if (Client* c = find(id))
    respond(*c, "503 Service Unavailable", "text/plain", why + "\n", now_ms);
}

}  // namespace masq::app
