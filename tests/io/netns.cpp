#include "netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace masq::test {
namespace {

constexpr const char* kPrefix = "mqio";
constexpr const char* kNetnsDir = "/run/netns";

std::atomic<int> g_counter{0};

// Deletes namespaces left by test processes that no longer exist.
void sweep_orphans() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kNetnsDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    const std::size_t dash = name.find('-');
    if (dash == std::string::npos) continue;
    const long pid = std::strtol(name.c_str() + 4, nullptr, 10);
    if (pid <= 0 || pid == getpid()) continue;
    if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      run_command("ip netns del " + name);
    }
  }
}

}  // namespace

bool run_command(const std::string& command) {
  const int status = std::system((command + " >/dev/null 2>&1").c_str());
  if (status == 0) return true;
  std::fprintf(stderr, "command failed (%d): %s\n", status, command.c_str());
  return false;
}

bool Netns::available() {
  static const bool yes = [] {
    if (geteuid() != 0) return false;
    const Netns probe;
    return probe.ok();
  }();
  return yes;
}

Netns::Netns() {
  static std::once_flag swept;
  std::call_once(swept, sweep_orphans);
  name_ = std::string(kPrefix) + std::to_string(getpid()) + "-" + std::to_string(g_counter++);
  ok_ = run_command("ip netns add " + name_) && exec("ip link set lo up") &&
        exec("sysctl -qw net.ipv6.conf.all.disable_ipv6=1") &&
        exec("sysctl -qw net.ipv6.conf.default.disable_ipv6=1");
}

Netns::~Netns() {
  run_command("ip netns del " + name_);
}

bool Netns::exec(const std::string& command) const {
  return run_command("ip netns exec " + name_ + " " + command);
}

bool add_veth(const Netns& left, const std::string& left_if, const std::string& left_mac,
              const Netns& right, const std::string& right_if, const std::string& right_mac) {
  return run_command("ip link add " + left_if + " address " + left_mac + " netns " + left.name() +
                     " type veth peer name " + right_if + " address " + right_mac + " netns " +
                     right.name()) &&
         left.exec("ip link set " + left_if + " up") &&
         right.exec("ip link set " + right_if + " up");
}

EnterNetns::EnterNetns(const Netns& ns) {
  original_fd_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  const int target =
      ::open((std::string(kNetnsDir) + "/" + ns.name()).c_str(), O_RDONLY | O_CLOEXEC);
  ok_ = original_fd_ >= 0 && target >= 0 && ::setns(target, CLONE_NEWNET) == 0;
  if (target >= 0) ::close(target);
}

EnterNetns::~EnterNetns() {
  if (original_fd_ < 0) return;
  if (ok_) ::setns(original_fd_, CLONE_NEWNET);
  ::close(original_fd_);
}

std::thread thread_in(const Netns& ns, std::function<void()> body) {
  return std::thread([&ns, body = std::move(body)] {
    const EnterNetns inside(ns);
    if (inside.ok()) {
      body();
    } else {
      std::fprintf(stderr, "could not enter namespace %s\n", ns.name().c_str());
    }
  });
}

}  // namespace masq::test
