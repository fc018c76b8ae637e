#include "host_firewall.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace masq::app {
namespace {

std::string ports_text(const nat::PortRange& r) {
  return r.first == r.last ? std::to_string(r.first)
                           : std::to_string(r.first) + "-" + std::to_string(r.last);
}

}  // namespace

std::string host_table_name(const std::string& ifname) {
  std::string name = "masq_host_" + ifname;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

std::string host_ruleset(const std::string& table, const HostFirewallSpec& spec) {
  std::string s;
  // Declaring a table first lets the delete succeed whether or not one
  // was left behind; the whole script is one transaction.
  for (const char* family : {"netdev", "inet"}) {
    s += std::string("add table ") + family + " " + table + "\n";
    s += std::string("delete table ") + family + " " + table + "\n";
  }
  s += "table netdev " + table + " {\n";
  for (const auto& [chain, device] : {std::pair{"lan", &spec.lan}, std::pair{"wan", &spec.wan}}) {
    s += std::string("  chain ") + chain + " {\n";
    s += "    type filter hook ingress device \"" + *device + "\" priority filter; policy drop;\n";
    s += "  }\n";
  }
  s += "}\n";
  const std::string iif = "    iifname \"" + spec.host_wan + "\" ";
  s += "table inet " + table + " {\n";
  s += "  chain input {\n";
  s += "    type filter hook input priority filter; policy accept;\n";
  s += iif + "ct state established,related accept\n";
  for (const config::OpenPort& p : spec.open) {
    s += iif + (p.proto == net::Proto::tcp ? "tcp" : "udp") + " dport " + ports_text(p.ports) +
         " accept\n";
  }
  s += iif + "drop\n";
  s += "  }\n}\n";
  return s;
}

std::string run_nft(const std::string& script) {
  int in[2];
  int err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return std::string("pipe: ") + std::strerror(errno);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDOUT_FILENO);
  char nft[] = "nft";
  char file[] = "-f";
  char dash[] = "-";
  char* argv[] = {nft, file, dash, nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, "nft", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(err[1]);
  std::string output;
  if (spawned == 0) {
    // Small scripts: they fit the pipe, so writing all before reading
    // cannot deadlock against nft's own output.
    const char* p = script.data();
    std::size_t left = script.size();
    while (left > 0) {
      const ssize_t n = ::write(in[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  ::close(in[1]);
  char buffer[512];
  ssize_t n = 0;
  while ((n = ::read(err[0], buffer, sizeof buffer)) > 0) {
    output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(err[0]);
  if (spawned != 0) return std::string("cannot run nft: ") + std::strerror(spawned);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return "nft failed: " +
         (output.empty() ? std::string("status ") + std::to_string(status) : output);
}

HostFirewall::Installed HostFirewall::install(const HostFirewallSpec& spec) {
  const std::string table = host_table_name(spec.host_wan);
  if (std::string e = run_nft(host_ruleset(table, spec)); !e.empty()) {
    return {nullptr, "the host firewall (tables netdev and inet " + table + "): " + e};
  }
  return {std::unique_ptr<HostFirewall>(new HostFirewall(table)), {}};
}

HostFirewall::~HostFirewall() {
  const std::string script =
      "delete table netdev " + table_ + "\ndelete table inet " + table_ + "\n";
  if (std::string e = run_nft(script); !e.empty()) {
    spdlog::warn("removing tables netdev and inet {}: {}", table_, e);
  }
}

}  // namespace masq::app
