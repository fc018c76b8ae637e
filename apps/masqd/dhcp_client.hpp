// DhcpClient: the DHCP client of a WAN taken by DHCP (config::Interface::
// dhcp): busybox's udhcpc, in the foreground on the WAN host interface,
// with a hook script masqd writes for it. The script puts the lease's
// address and default route on the interface and nothing else (not the
// host's resolv.conf); masqd learns them from the kernel (LeaseWatch), so
// any client that configures the interface would do. udhcpc renews the
// lease itself (RFC 2131 §4.4.5); masqd restarts it when it exits, and
// it dies with masqd (PR_SET_PDEATHSIG), so a killed masqd leaves no
// client behind. Cold.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace masq::app {

class DhcpClient {
 public:
  struct Started {
    std::unique_ptr<DhcpClient> client;  // set exactly when error is empty
    std::string error;
  };
  // Writes the hook script into a directory of its own and starts udhcpc
  // on `ifname`.
  static Started start(const std::string& ifname);
  // Stops the client, and removes the script and its directory.
  ~DhcpClient();
  DhcpClient(const DhcpClient&) = delete;
  DhcpClient& operator=(const DhcpClient&) = delete;

  // Starts the client again when it has exited, at most once a second
  // (it exits when it cannot even send). Returns a line for the log when
  // it did, empty otherwise.
  std::string supervise(std::uint64_t now_ms);
  pid_t pid() const { return pid_; }

 private:
  DhcpClient(std::string ifname, std::filesystem::path dir)
      : ifname_(std::move(ifname)), dir_(std::move(dir)) {}
  std::string spawn();

  std::string ifname_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::uint64_t next_start_ms_ = 0;
};

}  // namespace masq::app
