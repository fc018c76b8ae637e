// XskProgram: the XDP program that steers an interface's frames to AF_XDP
// sockets: libxdp's default xsk program (bpf_redirect_map on the rx queue's
// XSKMAP entry, XDP_PASS when no socket is bound there). We attach and
// detach it ourselves instead of letting libxdp's socket code do it, so that
// close() always detaches it and a copy left attached by a run that died is
// found and removed at the next open (docs/adr/0002-offloads.md, "Life
// cycle"). Internal to io; cold.
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
  static Attached attach(int ifindex, bool native, std::uint32_t queue_id);

  // Detaches every xsk default program from the interface, in legacy or
  // multi-program (libxdp dispatcher) form; returns how many were removed.
  // An interface masqd owns runs no other AF_XDP user, so any such program
  // is a leftover.
  static int remove_stale(int ifindex);

  ~XskProgram();
  XskProgram(const XskProgram&) = delete;
  XskProgram& operator=(const XskProgram&) = delete;

  int xskmap_fd() const { return xskmap_fd_; }
  bool native() const { return native_; }

 private:
  XskProgram(xdp_program* program, int ifindex, bool native, int xskmap_fd)
      : program_(program), ifindex_(ifindex), native_(native), xskmap_fd_(xskmap_fd) {}

  xdp_program* program_;
  int ifindex_;
  bool native_;
  int xskmap_fd_;
};

// Routes libbpf's and libxdp's own stderr chatter to nowhere; the errors
// that matter come back as return codes.
void silence_bpf_logging();

}  // namespace masq::io::detail
