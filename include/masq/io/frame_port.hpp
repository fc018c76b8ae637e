// FramePort: one network interface as a batch source and sink of Ethernet
// frames, and nothing more (no parsing beyond what offload repair needs, no
// policy). Backends: AF_PACKET with TPACKET_V2 rings, and AF_XDP.
//
// Every frame handed out carries complete checksums, whatever offloads the
// peer used, and is at most MTU + link header bytes long: super-frames
// (GSO/TSO) are segmented and partial checksums completed in software
// (docs/adr/0002-offloads.md). The one exception is asked for: with
// PortOptions::keep_tcp_gso, AF_PACKET hands TCPv4 super-frames over whole,
// marked with their segment size and with the checksum seed in their TCP
// checksum field, and send() takes them back the same way for the kernel
// to cut (docs/adr/0003-tcp-super-frames.md, 0004-super-frame-checksum-seed.md).
//
// Ownership: received frames (net::Frame) are views into the backend's rings
// (or its segment arena), writable in place, valid until release_rx(). send()
// copies, so a received frame can be sent on another port and then released.
// One thread per port; a port is not shareable between threads.
// Hot: receive/release_rx/send/flush. Cold: open_port, close, stats.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "masq/net/frame.hpp"
#include "masq/net/names.hpp"

namespace masq::io {

#define MASQ_IO_BACKENDS(X) X(af_packet) X(af_xdp)
enum class Backend : std::uint8_t { MASQ_IO_BACKENDS(MASQ_ENUMERATOR) };
inline constexpr net::NameTable<2> kBackendNames{MASQ_IO_BACKENDS(MASQ_NAME)};
constexpr std::string_view to_string(Backend b) {
  return net::name_of(kBackendNames, b);
}

// AF_XDP attach mode. automatic = native (driver) mode, falling back to
// generic (skb) mode when the driver has no XDP support.
enum class XdpMode : std::uint8_t { automatic, native, generic };

struct PortOptions {
  std::uint32_t rx_frames = 4096;  // receive ring slots for MTU-sized frames (rounded up)
  std::uint32_t tx_frames = 4096;  // transmit ring slots (rounded up)
  // Receive promiscuously. Off by default: masqd answers for the
  // interface's own MAC, so unicast to other stations is not ours.
  bool promiscuous = false;

  // AF_PACKET: transmit straight to the driver, skipping the qdisc (and so
  // also packet taps: tcpdump on the interface will not see our frames).
  bool qdisc_bypass = true;
  // AF_PACKET: keep TCPv4 super-frames whole (net::Frame::gso_size) and send
  // them with their segmentation left to the kernel: one pass through the
  // gateway per 64 KiB instead of one per segment. A gateway that rewrites
  // headers only (no payload, no length) can forward them as they are.
  bool keep_tcp_gso = false;

  // AF_XDP.
  XdpMode xdp_mode = XdpMode::automatic;
  bool xdp_zero_copy = true;         // try zero-copy first, fall back to copy mode
  std::uint32_t queue_id = 0;        // the rx/tx queue this port (open_ports: the first) binds to
  std::uint32_t frame_bytes = 4096;  // UMEM chunk size (2048 or 4096)
  // Complete CHECKSUM_PARTIAL frames that AF_XDP hands over without their
  // checksum state (repair_partial_checksum in checksum_completion.hpp).
  bool xdp_repair_checksums = true;
};

// Cumulative since open. Kernel-side drops are read from the socket. Each
// counter is listed once (MASQ_IO_PORT_STATS): the fields and
// kPortStatsFields, the names masqctl and metrics read, both come from it.
#define MASQ_IO_PORT_STATS(X)                                                            \
  X(rx_frames) /* handed to the caller (segments count one each) */                      \
  X(rx_bytes)                                                                            \
  X(rx_gso_frames)   /* super-frames segmented in software */                            \
  X(rx_gso_segments) /* segments they produced */                                        \
  X(rx_gso_kept)     /* TCPv4 super-frames handed over whole (keep_tcp_gso) */           \
  X(rx_csum_completed)                                                                   \
  X(rx_dropped_kernel)    /* the kernel could not queue them to us */                    \
  X(rx_dropped_truncated) /* larger than a ring slot, and no whole copy */               \
  X(rx_dropped_offload)   /* an offload we cannot undo (UFO, IPv6 TSO, stripped VLAN) */ \
  X(tx_frames)            /* queued to the ring (super-frames: sent) */                  \
  X(tx_bytes)                                                                            \
  X(tx_gso_frames) /* super-frames among them, left to the kernel to segment */          \
  X(tx_dropped_ring_full)                                                                \
  /* Shorter than Ethernet, longer than the MTU allows, or a super-frame this port */    \
  /* cannot send (not TCPv4, segments over the MTU, no keep_tcp_gso). */                 \
  X(tx_dropped_bad_size)                                                                 \
  X(tx_dropped_kernel) /* rejected by the kernel after queueing */                       \
  X(wakeups)           /* syscalls made to kick the kernel */

struct PortStats {
  MASQ_IO_PORT_STATS(MASQ_COUNTER_MEMBER)
};

#define MASQ_IO_PORT_STATS_FIELD(name) \
  net::CounterField<PortStats>{#name, [](const PortStats& s) { return s.name; }},
inline constexpr std::array kPortStatsFields{MASQ_IO_PORT_STATS(MASQ_IO_PORT_STATS_FIELD)};
#undef MASQ_IO_PORT_STATS_FIELD

using MacAddr = std::array<std::uint8_t, 6>;

struct PortInfo {
  std::string ifname;
  int ifindex = 0;
  MacAddr mac{};
  std::uint32_t mtu = 0;
  std::string mode;  // what was set up, e.g. "af_xdp native copy", for logs
};

class FramePort {
 public:
  virtual ~FramePort() = default;
  FramePort() = default;
  FramePort(const FramePort&) = delete;
  FramePort& operator=(const FramePort&) = delete;

  // Fills up to out.size() frames; never blocks. May be called again before
  // release_rx(): everything received since the last release stays valid.
  // When it fills `out` completely, more may be waiting: call it again
  // before polling wait_fd().
  virtual std::size_t receive(std::span<net::Frame> out) = 0;
  // Gives every frame received so far back to the kernel.
  virtual void release_rx() = 0;

  // Copies frames into the transmit ring, in order; returns how many were
  // queued. The rest are counted as drops (ring full, bad size). Frames go
  // out at the next flush(); a super-frame goes out at once, after what
  // was queued before it.
  virtual std::size_t send(std::span<const net::Frame> frames) = 0;
  // Kicks the kernel to transmit what send() queued (only when it asks to
  // be kicked) and reclaims finished transmit slots.
  virtual void flush() = 0;

  // Readable (POLLIN) when receive() has something.
  virtual int wait_fd() const = 0;

  virtual PortStats stats() = 0;
  virtual const PortInfo& info() const = 0;

  // Detaches from the interface and frees rings and memory; idempotent, and
  // the destructor calls it. No other call is allowed afterwards.
  virtual void close() = 0;
};

struct OpenResult {
  std::unique_ptr<FramePort> port;  // set exactly when error is empty
  std::string error;                // "af_xdp on wan0: XDP attach failed: ..."
};

// Expected failures (no such interface, no permission, attach refused) come
// back as a message, never as an exception.
OpenResult open_port(Backend backend, std::string_view ifname, const PortOptions& options = {});

// The rx and tx queues an interface has now (its ethtool channels, what
// `ethtool -l` shows as current). An AF_XDP socket binds one queue for
// both directions, so min(rx, tx) bounds the AF_XDP ports on it. A driver
// that reports no channels counts as one queue of each.
struct QueueCount {
  std::uint32_t rx = 0;
  std::uint32_t tx = 0;
  std::string error;  // "interface not found: lan0"; rx and tx are 0 then
};
QueueCount queue_count(std::string_view ifname);

struct OpenManyResult {
  std::vector<std::unique_ptr<FramePort>> ports;  // `count` of them exactly when error is empty
  std::string error;
};

// `count` ports on one interface, one per worker, under one claim held
// until the last of them closes. AF_PACKET: with more than one, their
// sockets join one PACKET_FANOUT group, in order, so that the kernel gives
// each frame to one of them: the one `fanout_program_fd` (a BPF socket
// filter program, whose return value modulo `count` is the port's index)
// names. The program is the caller's: io moves frames, it does not know
// who owns them. AF_XDP: port k binds queue `queue_id + k`, and gets what
// the NIC's RSS (a veth: the sender's transmit queue) puts there; one XDP
// program serves them all and is detached when the last one closes. An
// interface with too few queues is refused, saying how to get more.
// `fanout_program_fd` is ignored.
OpenManyResult open_ports(Backend backend, std::string_view ifname, const PortOptions& options,
                          std::size_t count, int fanout_program_fd);

}  // namespace masq::io
