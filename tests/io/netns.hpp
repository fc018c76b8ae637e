// Network namespaces and veth pairs for the io integration tests.
// Names carry the test process's pid ("mqio<pid>-<n>"), so parallel test
// processes never collide, and a namespace whose process died (a crash
// skips destructors) is deleted by the next test that starts. Every
// namespace runs without IPv6, so the only traffic is the test's own.
// Needs root; available() says whether this process can make namespaces.
// Cold.
#pragma once

#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace masq::test {

// Runs a shell command; false (and the command logged) on a non-zero exit.
bool run_command(const std::string& command);

class Netns {
 public:
  // Creates a fresh, uniquely named namespace with lo up; check ok().
  Netns();
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  bool ok() const { return ok_; }
  const std::string& name() const { return name_; }
  // Runs `command` inside the namespace (via ip netns exec).
  bool exec(const std::string& command) const;

  // Can this process create namespaces at all? Caches the answer.
  static bool available();

 private:
  std::string name_;
  bool ok_ = false;
};

// A veth pair with one end in each namespace, both up, fixed MACs.
bool add_veth(const Netns& left, const std::string& left_if, const std::string& left_mac,
              const Netns& right, const std::string& right_if, const std::string& right_mac);

// Moves the calling thread into a namespace and back out when destroyed.
// setns(2) with CLONE_NEWNET changes only the calling thread.
class EnterNetns {
 public:
  explicit EnterNetns(const Netns& ns);
  ~EnterNetns();
  EnterNetns(const EnterNetns&) = delete;
  EnterNetns& operator=(const EnterNetns&) = delete;
  bool ok() const { return ok_; }

 private:
  int original_fd_ = -1;
  bool ok_ = false;
};

// A thread that runs `body` inside `ns`.
std::thread thread_in(const Netns& ns, std::function<void()> body);

}  // namespace masq::test
