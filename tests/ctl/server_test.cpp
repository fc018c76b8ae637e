// The server and the client over a real Unix socket, served from a loop
// on a thread of the test's own, polling as the control plane does.
#include "masq/ctl/server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "masq/ctl/client.hpp"

namespace masq::ctl {
namespace {

std::string temp_socket(const std::string& suffix) {
  return (std::filesystem::temp_directory_path() /
          ("masq-ctl-test-" + std::to_string(::getpid()) + suffix))
      .string();
}

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

nlohmann::json answer(Command c) {
  if (c == Command::status) return status_json({"test", "lan0", "wan0", 5, 1, 10});
  return error_json("not in this test");
}

// Runs the server loop on a thread until destroyed, answering each
// request at once with answer_of(command) (or never, when null, as when
// the worker has not delivered yet); counts the loop's turns.
struct Serving {
  explicit Serving(Server& s, std::function<nlohmann::json(Command)> answer_of = answer)
      : thread([&s, this, answer_of] {
          std::vector<pollfd> fds;
          while (!done) {
            fds.clear();
            s.poll_fds(fds);
            const int idle = s.next_timeout_ms(now_ms());
            ::poll(fds.data(), fds.size(), idle < 0 || idle > 50 ? 50 : idle);
            ++turns;
            s.serve(now_ms(), [&](Server::ClientId id, const Request& r) {
              if (answer_of) s.reply(id, answer_of(r.command), now_ms());
            });
            clients = s.client_count();
          }
        }) {}
  ~Serving() {
    done = true;
    thread.join();
  }
  std::atomic<bool> done{false};
  std::atomic<int> turns{0};
  std::atomic<std::size_t> clients{0};
  std::thread thread;
};

int connect_to(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

// Sends `request` raw and returns everything the server sent back.
std::string send_raw(const std::string& path, const std::string& request) {
  const int fd = connect_to(path);
  EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  std::string got;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return got;
}

TEST(Server, AnswersRequests) {
  const std::string path = temp_socket("-a");
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
  const std::string path = temp_socket("-g");
  auto opened = Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  Serving serving(*opened.server);
  EXPECT_NE(send_raw(path, "{{{\n").find("request is not a JSON object"), std::string::npos);
  // The server still works for the next client.
  EXPECT_TRUE(request(path, Command::status).error.empty());
}

TEST(Server, AnswersAnOversizedRequestWithAnError) {
  const std::string path = temp_socket("-o");
  auto opened = Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  Serving serving(*opened.server);
  const std::string got = send_raw(path, std::string(Server::kMaxRequest + 100, 'x'));
  EXPECT_NE(got.find("request longer than 4096 bytes"), std::string::npos) << got;
  EXPECT_TRUE(request(path, Command::status).error.empty());
}

TEST(Server, ALargeReplyArrivesWhole) {
  const std::string path = temp_socket("-l");
  auto opened = Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  // Far more than a socket buffer: the reply is written as the client reads.
  constexpr std::size_t kSessions = 30'000;
  std::vector<nat::SessionView> sessions(kSessions);
  for (std::size_t i = 0; i < kSessions; ++i) {
    sessions[i].internal_port = net::Port(static_cast<std::uint16_t>(i));
    sessions[i].state = "udp";
  }
  Serving serving(*opened.server, [&](Command c) {
    return c == Command::sessions ? sessions_json(sessions) : answer(c);
  });
  // Generous: a sanitizer build takes seconds to make the reply.
  const Reply r = request(path, Command::sessions, /*timeout_ms=*/30'000);
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.body.at("sessions").size(), kSessions);
  EXPECT_EQ(r.body.at("sessions").back().at("internal"),
            "0.0.0.0:" + std::to_string(kSessions - 1));
}

TEST(Server, IdleClientsAreClosedAndLockNobodyOut) {
  const std::string path = temp_socket("-i");
  auto opened = Server::open(path, /*idle_timeout_ms=*/200);
  ASSERT_TRUE(opened.server) << opened.error;
  Serving serving(*opened.server);
  std::vector<int> idle;
  for (std::size_t i = 0; i < Server::kMaxClients; ++i) idle.push_back(connect_to(path));
  // Every slot is taken by a client that says nothing; the next one still
  // gets its answer once they are timed out.
  const Reply r = request(path, Command::status);
  EXPECT_TRUE(r.error.empty()) << r.error;
  for (const int fd : idle) {
    char c;
    EXPECT_EQ(::recv(fd, &c, 1, 0), 0);  // closed by the server
    ::close(fd);
  }
}

TEST(Server, AFullServerDoesNotSpin) {
  const std::string path = temp_socket("-f");
  auto opened = Server::open(path, /*idle_timeout_ms=*/10'000);
  ASSERT_TRUE(opened.server) << opened.error;
  Serving serving(*opened.server);
  std::vector<int> idle;
  // One more than it takes: the last waits in the listen backlog.
  for (std::size_t i = 0; i <= Server::kMaxClients; ++i) idle.push_back(connect_to(path));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const int before = serving.turns;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // The loop polls at most every 50 ms: about 10 turns, not thousands.
  EXPECT_LE(serving.turns - before, 20);
  EXPECT_EQ(serving.clients, Server::kMaxClients);
  for (const int fd : idle) ::close(fd);
}

TEST(Server, AClientThatHangsUpBeforeItsAnswerDoesNotMakeItSpin) {
  const std::string path = temp_socket("-h");
  auto opened = Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  Serving serving(*opened.server, nullptr);
  const int fd = connect_to(path);
  const std::string line = encode_request(Command::sessions);
  ASSERT_EQ(::send(fd, line.data(), line.size(), 0), static_cast<ssize_t>(line.size()));
  ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const int before = serving.turns;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_LE(serving.turns - before, 20);
}

TEST(Server, ReplacesStaleSocketButNotLiveOne) {
  const std::string path = temp_socket("-s");
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

TEST(Server, RefusesAndKeepsAFileThatIsNotASocket) {
  const std::string path = temp_socket("-r");
  { std::ofstream(path) << "precious\n"; }
  const auto opened = Server::open(path);
  EXPECT_FALSE(opened.server);
  EXPECT_NE(opened.error.find("exists and is not a socket"), std::string::npos) << opened.error;
  std::string kept;
  std::getline(std::ifstream(path), kept);
  EXPECT_EQ(kept, "precious");
  ::unlink(path.c_str());
}

TEST(Server, MakesItsDirectoryAndGivesTheSocketItsMode) {
  const std::string dir = temp_socket("-d");
  const std::string path = dir + "/sub/masqd.sock";
  {
    auto opened = Server::open(
        SocketOptions{path, 0640, std::to_string(::getuid()), std::to_string(::getgid())});
    ASSERT_TRUE(opened.server) << opened.error;
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0640u);
  }
  EXPECT_NE(::access(path.c_str(), F_OK), 0);  // removed: it was ours
  std::filesystem::remove_all(dir);
}

TEST(Server, AnUnknownOwnerIsAnError) {
  const auto opened = Server::open(SocketOptions{temp_socket("-u"), 0660, "no-such-user-x", ""});
  EXPECT_FALSE(opened.server);
  EXPECT_NE(opened.error.find("no-such-user-x': no such user"), std::string::npos);
}

TEST(Server, LeavesAFileThatReplacedItsSocket) {
  const std::string path = temp_socket("-x");
  {
    auto opened = Server::open(path);
    ASSERT_TRUE(opened.server) << opened.error;
    ::unlink(path.c_str());
    std::ofstream(path) << "someone else's\n";
  }
  EXPECT_EQ(::access(path.c_str(), F_OK), 0);
  ::unlink(path.c_str());
}

TEST(Client, ExplainsMissingDaemon) {
  const Reply r = request("/nonexistent/masq.sock", Command::status);
  EXPECT_NE(r.error.find("is masqd running"), std::string::npos);
}

// A loop that answers events requests with a stream and pushes `lines`
// numbered lines to every follower, as the control plane does.
struct Streaming {
  Streaming(Server& s, int lines)
      : thread([&s, this, lines]() mutable {
          std::vector<pollfd> fds;
          std::vector<Server::ClientId> followers;
          while (!done) {
            fds.clear();
            s.poll_fds(fds);
            ::poll(fds.data(), fds.size(), 10);
            s.serve(now_ms(), [&](Server::ClientId id, const Request& r) {
              if (r.command != Command::events) return s.reply(id, answer(r.command), now_ms());
              s.follow(id, {{"ok", true}});
              followers.push_back(id);
            });
            std::erase_if(followers, [&](Server::ClientId id) { return !s.following(id); });
            for (Server::ClientId id : followers) {
              for (int i = 0; i < lines; ++i) {
                if (s.push(id, nlohmann::json{{"n", i}}.dump())) {
                  ++pushed;
                } else {
                  ++refused;
                }
              }
            }
            if (!followers.empty()) lines = 0;  // once
            following = followers.size();
          }
        }) {}
  ~Streaming() {
    done = true;
    thread.join();
  }
  std::atomic<bool> done{false};
  std::atomic<int> pushed{0};
  std::atomic<int> refused{0};
  std::atomic<std::size_t> following{0};
  std::thread thread;
};

TEST(Server, FollowersGetTheirStream) {
  const std::string path = temp_socket("-f");
  auto opened = Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  Streaming streaming(*opened.server, 100);
  int seen = 0;
  const Reply r = follow(path, Request(Command::events), [&](const nlohmann::json& j) {
    EXPECT_EQ(j.at("n"), seen);
    return ++seen < 100;
  });
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(seen, 100);
  // Its hang-up ends the stream; the server goes on answering.
  for (int i = 0; i < 200 && streaming.following != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(streaming.following, 0u);
  EXPECT_TRUE(request(path, Command::status).error.empty());
}

TEST(Server, AFollowerThatDoesNotReadLosesLinesAndStallsNothing) {
  const std::string path = temp_socket("-s");
  auto opened = Server::open(path);
  ASSERT_TRUE(opened.server) << opened.error;
  // Far more than the socket buffers and kMaxStreamBytes hold.
  Streaming streaming(*opened.server, 200000);
  const int fd = connect_to(path);
  const std::string line = encode_request(Command::events);
  ASSERT_EQ(::send(fd, line.data(), line.size(), MSG_NOSIGNAL), static_cast<ssize_t>(line.size()));
  for (int i = 0; i < 400 && streaming.refused == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_GT(streaming.refused, 0);
  EXPECT_GT(streaming.pushed, 0);
  // Others are still answered while it sits there.
  EXPECT_TRUE(request(path, Command::status).error.empty());
  ::close(fd);
}

}  // namespace
}  // namespace masq::ctl
