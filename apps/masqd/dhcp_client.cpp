#include "dhcp_client.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

namespace masq::app {
namespace {

constexpr std::uint64_t kRestartGapMs = 1000;

// udhcpc's hook (busybox udhcpc(8): $1 the event; $interface, $ip, $mask,
// $router from the lease). A renewal of the same address replaces it in
// place, so the kernel never sees it go; a new address is added before the
// old ones are removed.
constexpr const char* kScript = R"(#!/bin/sh
# Written by masqd for udhcpc: the lease's address and default route on
# $interface, nothing else. masqd follows them through rtnetlink.
case "$1" in
deconfig)
  ip -4 addr flush dev "$interface"
  ip link set "$interface" up
  ;;
bound | renew)
  ip addr replace "$ip/${mask:-32}" dev "$interface"
  for old in $(ip -4 -o addr show dev "$interface" | awk '{print $4}'); do
    [ "$old" = "$ip/${mask:-32}" ] || ip addr del "$old" dev "$interface"
  done
  if [ -n "$router" ]; then
    ip route replace default via "${router%% *}" dev "$interface"
  fi
  ;;
esac
exit 0
)";

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

}  // namespace

DhcpClient::Started DhcpClient::start(const std::string& ifname) {
  std::string pattern =
      (std::filesystem::exists("/run") ? "/run" : "/tmp") + std::string("/masqd-dhcp.XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) return {nullptr, errno_text("mkdtemp " + pattern)};
  std::unique_ptr<DhcpClient> c(new DhcpClient(ifname, pattern));
  const std::filesystem::path script = c->dir_ / "udhcpc.script";
  {
    std::ofstream out(script);
    out << kScript;
    if (!out) return {nullptr, "cannot write " + script.string()};
  }
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  if (std::string e = c->spawn(); !e.empty()) return {nullptr, e};
  return {std::move(c), {}};
}

std::string DhcpClient::spawn() {
  const std::string script = (dir_ / "udhcpc.script").string();
  // -f foreground, -B ask for broadcast answers (no address to unicast to
  // yet); without -n it never gives up: 3 discovers 1 s apart, then 2 s
  // of rest, again.
  std::vector<std::string> args = {"udhcpc", "-f", "-B", "-T",    "1",  "-t",  "3",
                                   "-A",     "2",  "-i", ifname_, "-s", script};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return errno_text("fork for udhcpc");
  if (pid == 0) {
    // Only async-signal-safe calls until exec: masqd has threads.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::syscall(SYS_close_range, 3u, ~0u, 0u);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  return {};
}

std::string DhcpClient::supervise(std::uint64_t now_ms) {
  if (pid_ > 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return {};
    pid_ = -1;
    next_start_ms_ = now_ms + kRestartGapMs;
    return "udhcpc on " + ifname_ + " exited (" +
           (WIFEXITED(status) ? "status " + std::to_string(WEXITSTATUS(status))
                              : "signal " + std::to_string(WTERMSIG(status))) +
           "); restarting it";
  }
  if (now_ms < next_start_ms_) return {};
  if (std::string e = spawn(); !e.empty()) {
    next_start_ms_ = now_ms + kRestartGapMs;
    return e;
  }
  return {};
}

DhcpClient::~DhcpClient() {
  if (pid_ > 0) {
    // udhcpc leaves the lease on SIGTERM (-R is not given): a restarted
    // masqd renews the same address.
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove(dir_ / "udhcpc.script", ignored);
  std::filesystem::remove(dir_, ignored);
}

}  // namespace masq::app
