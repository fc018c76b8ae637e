// The server and the client over a real Unix socket, served from the test's
// own loop the way masqd serves it between batches.
#include "masq/ctl/server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <thread>

#include "masq/ctl/client.hpp"

namespace masq::ctl {
namespace {

std::string temp_socket() {
  return (std::filesystem::temp_directory_path() / ("masq-ctl-test-" + std::to_string(::getpid())))
      .string();
}

nlohmann::json answer(Command c) {
  if (c == Command::status) return status_json({"test", "lan0", "wan0", 5, 1, 10});
  return error_json("not in this test");
}

// Runs the server loop on a thread until `done`.
struct Serving {
  explicit Serving(Server& s)
      : thread([&s, this] {
          while (!done) {
            s.serve(answer);
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        }) {}
  ~Serving() {
    done = true;
    thread.join();
  }
  std::atomic<bool> done{false};
  std::thread thread;
};

TEST(Server, AnswersRequests) {
  const std::string path = temp_socket();
  auto opened = Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  Serving serving(*opened.server);
  const Reply r = request(path, Command::status);
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.body.at("uptime_s"), 5);
  const Reply e = request(path, Command::sessions);
  EXPECT_EQ(e.error, "masqd: not in this test");
}

TEST(Server, AnswersGarbageWithAnError) {
  const std::string path = temp_socket() + "-g";
  auto opened = Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  Serving serving(*opened.server);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string junk = "{{{\n";
  ASSERT_EQ(::send(fd, junk.data(), junk.size(), 0), static_cast<ssize_t>(junk.size()));
  char buf[256] = {};
  const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
  ::close(fd);
  ASSERT_GT(n, 0);
  EXPECT_NE(std::string(buf).find("request is not a JSON object"), std::string::npos);
  // The server still works for the next client.
  EXPECT_TRUE(request(path, Command::status).error.empty());
}

TEST(Server, ReplacesStaleSocketButNotLiveOne) {
  const std::string path = temp_socket() + "-s";
  {
    auto first = Server::open(path);
    ASSERT_TRUE(first.server) << first.error;
    const auto second = Server::open(path);
    EXPECT_FALSE(second.server);
    EXPECT_NE(second.error.find("in use"), std::string::npos);
  }
  // A file left behind (as after a crash) does not stop the next start.
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
  const auto again = Server::open(path);
  EXPECT_TRUE(again.server) << again.error;
}

TEST(Client, ExplainsMissingDaemon) {
  const Reply r = request("/nonexistent/masq.sock", Command::status);
  EXPECT_NE(r.error.find("is masqd running"), std::string::npos);
}

}  // namespace
}  // namespace masq::ctl
