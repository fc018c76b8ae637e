// HostFirewall: the nftables rules masqd installs once the kernel holds
// the gateway's addresses on the host interfaces, in two tables of its own
// named after the WAN host interface (`masq_host_<name>`, '-' read as '_'):
//   table netdev: the kernel's own stack takes nothing from the links
//     masqd owns (an ingress drop on lan0 and wan0). Linux accepts a
//     local address on any interface, so without it the kernel would
//     answer beside masq what arrives on them; masqd's packet sockets see
//     every frame before that hook, and AF_XDP before the kernel at all.
//   table inet: the WAN host interface admits only replies to the host's
//     own connections (ct state established,related) and the ports
//     [host] open lists; the LAN host interface admits everything.
// The tables go with the HostFirewall; masqd touches no other table. A
// table of these names left by a masqd that died is replaced: it can only
// be masqd's, which owns the interfaces (docs/config.md, "[host]").
// Runs nft(8). Cold.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "masq/config/config.hpp"

namespace masq::app {

// What the firewall is about: the links masqd owns, the WAN host
// interface and what it opens.
struct HostFirewallSpec {
  std::string lan;       // "lan0"
  std::string wan;       // "wan0"
  std::string host_wan;  // "masq-wan0"
  std::vector<config::OpenPort> open;
};

// The ruleset `nft -f` takes for the tables named `table`.
std::string host_ruleset(const std::string& table, const HostFirewallSpec& spec);
// "masq_host_masq_wan0" for "masq-wan0".
std::string host_table_name(const std::string& ifname);

class HostFirewall {
 public:
  struct Installed {
    std::unique_ptr<HostFirewall> firewall;  // set exactly when error is empty
    std::string error;
  };
  static Installed install(const HostFirewallSpec& spec);
  // Deletes the tables (and logs when nft refuses).
  ~HostFirewall();
  HostFirewall(const HostFirewall&) = delete;
  HostFirewall& operator=(const HostFirewall&) = delete;

 private:
  explicit HostFirewall(std::string table) : table_(std::move(table)) {}
  std::string table_;
};

// Runs `nft -f -` with `script` on its standard input; the error (nft's
// own message) is empty on success.
std::string run_nft(const std::string& script);

}  // namespace masq::app
