#include "supervisor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "masqd/log_capture.hpp"

namespace masq::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A stand-in for systemd: NOTIFY_SOCKET (and WATCHDOG_USEC) point at a
// datagram socket of the test's while it lives.
class FakeSystemd {
 public:
  explicit FakeSystemd(std::uint64_t watchdog_usec)
      : path_(std::filesystem::temp_directory_path() /
              ("masq-notify-" + std::to_string(::getpid()))) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    path_.native().copy(a.sun_path, sizeof a.sun_path - 1);
    std::filesystem::remove(path_);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    ::setenv("WATCHDOG_USEC", std::to_string(watchdog_usec).c_str(), 1);
  }
  ~FakeSystemd() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  FakeSystemd(const FakeSystemd&) = delete;
  FakeSystemd& operator=(const FakeSystemd&) = delete;

  // The datagrams received since the last call.
  std::vector<std::string> take() {
    std::vector<std::string> got;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) > 0;) {
      got.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return got;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// The worker's side: publishes what was asked, as a worker does between batches.
void answer(Mailbox& m, std::uint64_t sessions = 0) {
  WorkerState s;
  s.sessions = sessions;
  ASSERT_TRUE(m.try_publish_state(s, m.state_asked()));
}

// The control plane's side: takes the published states and ticks.
void tick(Supervisor& sup, std::vector<Mailbox*>& boxes, std::vector<WorkerState>& states,
          std::uint64_t now) {
  Mailbox::Ticket answered = ~Mailbox::Ticket{0};
  for (std::size_t k = 0; k < boxes.size(); ++k) {
    answered = std::min(answered, boxes[k]->latest_state(states[k]));
  }
  sup.tick(now, states, answered);
}

TEST(Supervisor, ReadyThenWatchdogPingsOnlyWhileEveryWorkerAnswers) {
  testing::LogCapture log;
  FakeSystemd systemd(400'000);  // a ping every 200 ms, a round every 50 ms
  Mailbox a;
  Mailbox b;
  std::vector<Mailbox*> boxes{&a, &b};
  std::vector<WorkerState> states(2);
  Supervisor sup(boxes,
                 {ServiceNotifier::from_environment(), {.table_slots = 100, .next_hop = {}}, {}});

  tick(sup, boxes, states, 1);  // asks
  EXPECT_THAT(systemd.take(), IsEmpty());
  answer(a, 3);
  tick(sup, boxes, states, 2);
  EXPECT_THAT(systemd.take(), IsEmpty()) << "READY=1 only once every worker answered";
  answer(b, 4);
  tick(sup, boxes, states, 3);
  EXPECT_THAT(systemd.take(),
              ElementsAre("READY=1\nSTATUS=forwarding: 7 sessions, 2 workers", "WATCHDOG=1"));

  // Rounds go on; a ping is due every 200 ms.
  std::uint64_t now = 3;
  for (int round = 0; round < 8; ++round) {
    now += 50;
    tick(sup, boxes, states, now);  // asks
    answer(a);
    answer(b);
    tick(sup, boxes, states, now + 1);
  }
  EXPECT_THAT(systemd.take(), ElementsAre("WATCHDOG=1", "WATCHDOG=1"));

  // Worker b stops answering: no ping, however long it lasts.
  now += 50;
  tick(sup, boxes, states, now);
  answer(a);
  for (std::uint64_t t = now; t < now + Supervisor::kStallMs + 100; t += 50) {
    tick(sup, boxes, states, t);
  }
  EXPECT_THAT(systemd.take(), IsEmpty());
  EXPECT_THAT(log.take(), HasSubstr("error a worker has not answered for 3000 ms: it is stuck; "
                                    "watchdog pings withheld"));
  EXPECT_EQ(sup.counter_group().values.front(),
            (std::pair<std::string, std::uint64_t>{"worker_stalls", 1}));
  // It answers again: pings resume.
  now += Supervisor::kStallMs + 200;
  answer(b);
  tick(sup, boxes, states, now);
  EXPECT_THAT(systemd.take(), ElementsAre("WATCHDOG=1"));
  EXPECT_THAT(log.take(), HasSubstr("every worker answers again"));

  sup.stopping();
  EXPECT_THAT(systemd.take(), ElementsAre("STOPPING=1\nSTATUS=stopping"));
}

TEST(Supervisor, WithoutNotifySocketNothingIsSentAndRoundsStillRun) {
  ::unsetenv("NOTIFY_SOCKET");
  const ServiceNotifier n = ServiceNotifier::from_environment();
  EXPECT_FALSE(n.enabled());
  EXPECT_FALSE(n.watchdog_ping_ms());
  Mailbox a;
  std::vector<Mailbox*> boxes{&a};
  std::vector<WorkerState> states(1);
  Supervisor sup(boxes, {n, {}, {}});
  tick(sup, boxes, states, 1);
  EXPECT_EQ(a.state_asked(), 1u);
  EXPECT_EQ(sup.next_timeout_ms(1), static_cast<int>(Supervisor::kStallMs));
  answer(a);
  tick(sup, boxes, states, 2);
  EXPECT_EQ(sup.next_timeout_ms(2), static_cast<int>(Supervisor::kRoundMs) - 1);
}

}  // namespace
}  // namespace masq::app
