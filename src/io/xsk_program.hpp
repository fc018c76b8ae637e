// XskProgram: the XDP program that steers an interface's frames to AF_XDP
// sockets: libxdp's default xsk program (bpf_redirect_map on the rx queue's
// XSKMAP entry, XDP_PASS when no socket is bound there), one per interface
// whatever the number of its sockets, loaded with libbpf
// and attached through a BPF link. The link belongs to this process: the
// kernel detaches the program when the last reference goes, on close() or
// when the process dies however it dies (SIGKILL included), so no program
// is ever left steering frames to a socket that no longer exists. While
// the link holds the interface, no other program can be attached to it,
// and a program someone else attached is refused, never removed
// (docs/adr/0002-offloads.md, "Life cycle"). Internal to io; cold.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

struct xdp_program;

namespace masq::io::detail {

class XskProgram {
 public:
  struct Attached {
    std::unique_ptr<XskProgram> program;  // set exactly when error is empty
    std::string error;
  };
  // native: driver mode (XDP_FLAGS_DRV_MODE), else generic (skb) mode.
  // queues: the map has a slot for each rx queue index below it (at least).
  static Attached attach(int ifindex, bool native, std::uint32_t queues);

  ~XskProgram();
  XskProgram(const XskProgram&) = delete;
  XskProgram& operator=(const XskProgram&) = delete;

  int xskmap_fd() const { return xskmap_fd_; }
  bool native() const { return native_; }

 private:
  XskProgram(xdp_program* program, int link_fd, bool native, int xskmap_fd)
      : program_(program), link_fd_(link_fd), native_(native), xskmap_fd_(xskmap_fd) {}

  xdp_program* program_;  // libxdp's wrapper around the loaded bpf_object
  int link_fd_;
  bool native_;
  int xskmap_fd_;
};

// Routes libbpf's and libxdp's own stderr chatter to nowhere; the errors
// that matter come back as return codes.
void silence_bpf_logging();

}  // namespace masq::io::detail
