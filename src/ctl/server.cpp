#include "masq/ctl/server.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <optional>

namespace masq::ctl {
namespace {

std::string system_error(std::string_view what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

// The ids the socket is handed to; -1 (unchanged) for a name not given.
struct Owner {
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
  std::string error;
};

// A decimal id, or nothing when `name` is not all digits.
std::optional<unsigned> numeric_id(const std::string& name) {
  unsigned id = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
  if (name.empty() || ec != std::errc{} || end != name.data() + name.size()) return std::nullopt;
  return id;
}

Owner socket_owner(const SocketOptions& o) {
  Owner r;
  if (!o.owner.empty()) {
    if (const auto id = numeric_id(o.owner)) {
      r.uid = static_cast<uid_t>(*id);
    } else if (const passwd* pw = ::getpwnam(o.owner.c_str())) {
      r.uid = pw->pw_uid;
    } else {
      r.error = "control socket owner '" + o.owner + "': no such user";
    }
  }
  if (!o.group.empty()) {
    if (const auto id = numeric_id(o.group)) {
      r.gid = static_cast<gid_t>(*id);
    } else if (const group* gr = ::getgrnam(o.group.c_str())) {
      r.gid = gr->gr_gid;
    } else {
      r.error = "control socket group '" + o.group + "': no such group";
    }
  }
  return r;
}

// Creates the socket's directory, and any missing above it.
std::string make_parent_directory(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec)
    return "cannot create the control socket's directory " + parent.string() + ": " + ec.message();
  return {};
}

// Removes a socket at `path` that nobody answers on (left by a masqd that
// died); refuses a live one, and any file that is not a socket.
std::string clear_stale_socket(const std::string& path, const sockaddr_un& addr) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return errno == ENOENT ? std::string{} : system_error("stat", path);
  }
  if (!S_ISSOCK(st.st_mode)) {
    return "control socket path " + path +
           " exists and is not a socket; masqd removes no file it did not make: move it, or "
           "choose another path ([control] socket, --control)";
  }
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const bool in_use =
      probe >= 0 && ::connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  if (probe >= 0) ::close(probe);
  if (in_use) return "control socket " + path + " is in use by another process";
  if (::unlink(path.c_str()) != 0) return system_error("cannot remove the stale socket", path);
  return {};
}

}  // namespace

Server::OpenResult Server::open(const SocketOptions& options, int idle_timeout_ms) {
  const std::string& path = options.path;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    return {nullptr, "control socket path '" + path + "' is empty or too long"};
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const auto owner = socket_owner(options);
  if (!owner.error.empty()) return {nullptr, owner.error};
  if (std::string error = make_parent_directory(path); !error.empty()) return {nullptr, error};
  if (std::string error = clear_stale_socket(path, addr); !error.empty()) return {nullptr, error};
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return {nullptr, system_error("socket for", path)};
  const auto fail = [&](std::string_view what) {
    std::string error = system_error(what, path);
    ::close(fd);
    return OpenResult{nullptr, std::move(error)};
  };
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return fail("bind");
  // From here on the file is ours, and removed on any failure.
  struct stat made {};
  const auto undo = [&](std::string_view what) {
    OpenResult r = fail(what);
    ::unlink(path.c_str());
    return r;
  };
  if (::listen(fd, static_cast<int>(kMaxClients)) != 0) return undo("listen on");
  if (::chmod(path.c_str(), static_cast<mode_t>(options.mode)) != 0) return undo("chmod");
  if (::chown(path.c_str(), owner.uid, owner.gid) != 0) return undo("chown");
  if (::lstat(path.c_str(), &made) != 0) return undo("stat");
  return {std::unique_ptr<Server>(new Server(fd, path, idle_timeout_ms, made.st_ino)), {}};
}

Server::Server(int listen_fd, std::string path, int idle_timeout_ms, std::uint64_t inode)
    : listen_fd_(listen_fd),
      path_(std::move(path)),
      idle_timeout_ms_(idle_timeout_ms),
      inode_(inode) {}

Server::~Server() {
  for (auto& c : clients_) ::close(c.fd);
  ::close(listen_fd_);
  struct stat now {};
  if (::lstat(path_.c_str(), &now) == 0 && now.st_ino == inode_ && S_ISSOCK(now.st_mode))
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
    // A follower for its hang-up, and for writing while lines wait.
    if (c.phase == Phase::following) {
      fds.push_back(
          {c.fd, static_cast<short>(POLLIN | (c.written < c.out.size() ? POLLOUT : 0)), 0});
    }
  }
  return fds.size() - before;
}

int Server::next_timeout_ms(std::uint64_t now_ms) const {
  int timeout = -1;
  for (const auto& c : clients_) {
    if (c.phase == Phase::done) return 0;  // to be closed by serve() at once
    if (c.phase == Phase::answering || c.phase == Phase::following) continue;
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
    if (!req.request) {
      queue(c, error_json(req.error), now_ms);
      return;
    }
    c.phase = Phase::answering;
    on_request(c.id, *req.request);
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

Server::Client* Server::find(ClientId id) {
  const auto c =
      std::find_if(clients_.begin(), clients_.end(), [id](const Client& k) { return k.id == id; });
  return c != clients_.end() ? &*c : nullptr;
}

void Server::reply(ClientId id, const nlohmann::json& response, std::uint64_t now_ms) {
  Client* c = find(id);
  if (c != nullptr && c->phase == Phase::answering) queue(*c, response, now_ms);
}

void Server::follow(ClientId id, const nlohmann::json& first) {
  Client* c = find(id);
  if (c == nullptr || c->phase != Phase::answering) return;
  c->out = first.dump() + "\n";
  c->written = 0;
  c->phase = Phase::following;
  serve_follower(*c);
}

bool Server::push(ClientId id, std::string_view line) {
  Client* c = find(id);
  if (c == nullptr || c->phase != Phase::following) return false;
  if (c->out.size() - c->written + line.size() + 1 > kMaxStreamBytes) return false;
  // What was written goes before the buffer grows.
  if (c->written != 0) {
    c->out.erase(0, c->written);
    c->written = 0;
  }
  c->out.append(line);
  c->out.push_back('\n');
  return true;
}

bool Server::following(ClientId id) const {
  return std::any_of(clients_.begin(), clients_.end(),
                     [id](const Client& k) { return k.id == id && k.phase == Phase::following; });
}

void Server::serve_follower(Client& c) {
  char buf[256];
  ssize_t n = 0;
  // A follower sends nothing more: what it sends is ignored; end of file
  // (or an error) is its hang-up.
  while ((n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
  }
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
    c.phase = Phase::done;
    return;
  }
  while (c.written < c.out.size()) {
    const ssize_t sent = ::send(c.fd, c.out.data() + c.written, c.out.size() - c.written,
                                MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) c.phase = Phase::done;
      return;
    }
    c.written += static_cast<std::size_t>(sent);
  }
  c.out.clear();
  c.written = 0;
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
    } else if (c.phase == Phase::following) {
      serve_follower(c);
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
