// Server: the control socket of masqd, served by the control plane's own
// thread (never by a worker). One request line per connection, answered
// with one JSON line, then the connection is closed.
//
// Non-blocking throughout: a reply of any size is queued and written as the
// client reads it, so it arrives whole; a request may be answered later
// (when the worker has delivered what it needs) through reply(id, ...).
// Bounds: at most kMaxClients connections (the listener is not polled while
// full, so a full server does not spin); a client that sends no complete
// request, or reads nothing of its reply, for idle_timeout_ms is closed; a
// request line longer than kMaxRequest bytes or not valid JSON is answered
// with an error and the server carries on.
// A request may instead be answered with a stream (follow()): the
// connection stays open and lines are added (push()) as they come, like
// conntrack -E. A follower is never timed out; it holds up to
// kMaxStreamBytes of unread lines, and a push beyond that is refused (the
// caller counts the loss), so a reader that stalls never stalls the
// server. It goes when the client hangs up. Cold.
#pragma once

#include <poll.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "masq/ctl/protocol.hpp"

namespace masq::ctl {

// Where and how the socket is made. The directory is created (0755) when
// missing; the socket gets `mode` and, when named (a name or a number),
// `owner` and `group`, so that a monitoring user can use masqctl without
// being root.
struct SocketOptions {
  std::string path = std::string(kDefaultSocketPath);
  std::uint32_t mode = 0660;
  std::string owner;  // empty: masqd's own user
  std::string group;  // empty: masqd's own group
};

class Server {
 public:
  static constexpr std::size_t kMaxClients = 16;
  static constexpr std::size_t kMaxRequest = 4096;
  // masqctl sends its request as soon as it connects: a second is ample,
  // and frees a slot well within masqctl's own wait for an answer.
  static constexpr int kDefaultIdleTimeoutMs = 1000;
  static constexpr std::size_t kMaxStreamBytes = 256 * 1024;

  using ClientId = std::uint64_t;
  // Called once per well-formed request; the answer goes out through reply().
  using OnRequest = std::function<void(ClientId, const Request&)>;

  struct OpenResult {
    std::unique_ptr<Server> server;  // set exactly when error is empty
    std::string error;
  };
  // Replaces a stale socket left by a process that died, and nothing else:
  // any other file at the path (a regular file, a live socket) is refused
  // with an error, never removed.
  static OpenResult open(const SocketOptions& options, int idle_timeout_ms = kDefaultIdleTimeoutMs);
  static OpenResult open(const std::string& path, int idle_timeout_ms = kDefaultIdleTimeoutMs) {
    SocketOptions options;
    options.path = path;
    return open(options, idle_timeout_ms);
  }
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Appends what to poll: the listener while below kMaxClients, each client
  // for reading until its request is complete and for writing while a
  // reply is queued (one waiting for its answer is left out). Returns how
  // many entries it appended.
  std::size_t poll_fds(std::vector<pollfd>& fds) const;
  // Milliseconds until the next idle deadline (-1: none; 0 when a client
  // is finished and waits to be closed), for poll's timeout.
  int next_timeout_ms(std::uint64_t now_ms) const;
  // Accepts, reads and writes what is ready, closes finished and idle
  // clients, and calls on_request for every request that became complete.
  // Never blocks.
  void serve(std::uint64_t now_ms, const OnRequest& on_request);
  // Queues the answer to a request; unknown ids (a client that went away)
  // are ignored. The client is closed by the next serve() once written.
  void reply(ClientId id, const nlohmann::json& response, std::uint64_t now_ms);
  // Answers a request with `first` and keeps the connection open for push().
  void follow(ClientId id, const nlohmann::json& first);
  // Adds a line (its newline is added) to a follower's stream; false when
  // its unread lines would pass kMaxStreamBytes (or it is gone).
  bool push(ClientId id, std::string_view line);
  // Whether the client is (still) a follower.
  bool following(ClientId id) const;

  std::size_t client_count() const { return clients_.size(); }

 private:
  enum class Phase : std::uint8_t { reading, answering, writing, following, done };
  struct Client {
    ClientId id;
    int fd;
    Phase phase;
    std::uint64_t deadline_ms;
    std::string in;
    std::string out;
    std::size_t written = 0;
  };
  Server(int listen_fd, std::string path, int idle_timeout_ms, std::uint64_t inode);
  void accept_new(std::uint64_t now_ms);
  void read_request(Client& c, std::uint64_t now_ms, const OnRequest& on_request);
  void write_reply(Client& c, std::uint64_t now_ms);
  void queue(Client& c, const nlohmann::json& response, std::uint64_t now_ms);
  void close_done();
  // Writes what a follower can take, and notices its hang-up.
  void serve_follower(Client& c);
  Client* find(ClientId id);

  int listen_fd_;
  std::string path_;
  int idle_timeout_ms_;
  // The socket file this server made: the destructor removes the path only
  // while it is still that file.
  std::uint64_t inode_;
  ClientId next_id_ = 1;
  std::vector<Client> clients_;
};

}  // namespace masq::ctl
