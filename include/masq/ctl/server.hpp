// Server: the control socket inside masqd. Non-blocking and served from
// the worker's own loop between batches (the engine is single-threaded, so
// answers are built where the state lives, never from another thread).
// At most kMaxClients connections at once; a request line longer than
// kMaxRequest bytes is answered with an error. Cold.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "masq/ctl/protocol.hpp"

namespace masq::ctl {

class Server {
 public:
  static constexpr std::size_t kMaxClients = 16;
  static constexpr std::size_t kMaxRequest = 4096;

  struct OpenResult {
    std::unique_ptr<Server> server;  // set exactly when error is empty
    std::string error;
  };
  // Replaces a stale socket file left by a process that died.
  static OpenResult open(const std::string& path);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The descriptors to poll for POLLIN: the listener and every client.
  std::vector<int> fds() const;
  // Accepts what is waiting, reads what clients sent, and answers every
  // complete request with answer(command). Never blocks.
  void serve(const std::function<nlohmann::json(Command)>& answer);

 private:
  struct Client {
    int fd;
    std::string buffer;
  };
  Server(int listen_fd, std::string path);
  void reply(Client& c, const nlohmann::json& response);

  int listen_fd_;
  std::string path_;
  std::vector<Client> clients_;
};

}  // namespace masq::ctl
