#include "af_packet_port.hpp"

#include <endian.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <optional>

#include "checksum_completion.hpp"
#include "interface_info.hpp"
#include "tcp_super_frame.hpp"
#include "vnet_header.hpp"

namespace masq::io::detail {
namespace {

constexpr std::size_t kMinBlockBytes = 64 * 1024;
constexpr std::size_t kMinRxSlotBytes = 2048;
// Room in an RX slot before the frame: the tpacket2_hdr and sockaddr_ll,
// aligned, the virtio-net header and the kernel's 16 bytes for the MAC
// header (tpacket_rcv's macoff), with room to spare.
constexpr std::size_t kRxSlotHeadroom = 128;
constexpr std::size_t kLinkHeaderBytes = 14 + 4;  // Ethernet and one VLAN tag
constexpr std::size_t kMinFrameBytes = 14;
// Where a TX slot's data starts: TPACKET_ALIGN(sizeof(struct tpacket2_hdr)).
constexpr std::size_t kTxDataOffset =
    (sizeof(tpacket2_hdr) + TPACKET_ALIGNMENT - 1) / TPACKET_ALIGNMENT * TPACKET_ALIGNMENT;
// Super-frames the kernel copied to the socket queue (TP_STATUS_COPY), held
// until release_rx(): the largest IPv4 datagram with its link and
// virtio-net headers, and as many as one receive() may hand out.
constexpr std::size_t kCopyBufferBytes = 65536 + 64;
constexpr std::size_t kCopyBuffers = 16;
// The socket queue holds super-frames between the ring slot that announces
// them and recv(): room for the copy buffers' worth, with slack for the
// kernel's per-skb overhead.
constexpr int kCopyQueueBytes = static_cast<int>(4 * kCopyBuffers * kCopyBufferBytes);
constexpr std::size_t kSegmentArenaBytes = 512 * 1024;
constexpr std::size_t kSmallestSegmentBytes = 64;

std::uint32_t load_acquire(const std::uint32_t& word) {
  return __atomic_load_n(&word, __ATOMIC_ACQUIRE);
}
void store_release(std::uint32_t& word, std::uint32_t value) {
  __atomic_store_n(&word, value, __ATOMIC_RELEASE);
}

template <typename T>
std::string set_option(int fd, int name, const T& value, const char* what) {
  if (::setsockopt(fd, SOL_PACKET, name, &value, sizeof value) == 0) return {};
  return std::string("setsockopt(") + what + "): " + error_text(errno);
}

// A ring of `wanted` slots of `slot_bytes` (a power of two), in blocks of
// at least kMinBlockBytes: slots never cross a block.
AfPacketPort::Ring make_ring(std::size_t slot_bytes, std::uint32_t wanted) {
  AfPacketPort::Ring r{};
  r.slot_bytes = slot_bytes;
  r.block_bytes = std::max(slot_bytes, kMinBlockBytes);
  const std::size_t per_block = r.block_bytes / slot_bytes;
  const std::size_t blocks = (std::max<std::size_t>(wanted, 1) + per_block - 1) / per_block;
  r.slots = static_cast<std::uint32_t>(blocks * per_block);
  return r;
}

AfPacketPort::Geometry make_geometry(const PortOptions& options, std::uint32_t mtu) {
  AfPacketPort::Geometry g{};
  g.max_tx_frame = std::size_t{mtu} + kLinkHeaderBytes;
  g.rx = make_ring(std::max(kMinRxSlotBytes, std::bit_ceil(kRxSlotHeadroom + g.max_tx_frame)),
                   options.rx_frames);
  g.tx = make_ring(std::bit_ceil(kTxDataOffset + kVnetHeaderBytes + g.max_tx_frame),
                   options.tx_frames);
  return g;
}

tpacket_req ring_request(const AfPacketPort::Ring& r) {
  tpacket_req req{};
  req.tp_block_size = static_cast<unsigned>(r.block_bytes);
  req.tp_block_nr = static_cast<unsigned>(r.slots * r.slot_bytes / r.block_bytes);
  req.tp_frame_size = static_cast<unsigned>(r.slot_bytes);
  req.tp_frame_nr = r.slots;
  return req;
}

}  // namespace

OpenResult AfPacketPort::open(std::string_view ifname, const PortOptions& options, UniqueFd claim) {
  InterfaceLookup lookup = lookup_interface(ifname);
  if (!lookup.error.empty()) return {nullptr, std::move(lookup.error)};
  std::unique_ptr<AfPacketPort> port(new AfPacketPort(std::move(lookup.info), options));
  port->claim_ = std::move(claim);
  std::string error = port->setup(options);
  if (!error.empty()) return {nullptr, std::move(error)};
  return {std::move(port), {}};
}

AfPacketPort::AfPacketPort(PortInfo info, const PortOptions& options)
    : info_(std::move(info)),
      geometry_(make_geometry(options, info_.mtu)),
      copies_(kCopyBuffers * kCopyBufferBytes),
      segments_(kSegmentArenaBytes, kSegmentArenaBytes / kSmallestSegmentBytes) {}

AfPacketPort::~AfPacketPort() {
  close();
}

std::string AfPacketPort::setup(const PortOptions& options) {
  // Protocol 0: nothing is queued to the socket before the rings exist and
  // bind() names the protocol and the interface.
  fd_.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!fd_.valid()) return "socket(AF_PACKET): " + error_text(errno);
  const int fd = fd_.get();
  const int version = TPACKET_V2;
  const int on = 1;
  std::string e = set_option(fd, PACKET_VERSION, version, "PACKET_VERSION");
  // Must precede the rings: every ring frame then starts with the header.
  if (e.empty()) e = set_option(fd, PACKET_VNET_HDR, on, "PACKET_VNET_HDR");
  // Our own transmissions would otherwise come back on the RX ring.
  if (e.empty()) e = set_option(fd, PACKET_IGNORE_OUTGOING, on, "PACKET_IGNORE_OUTGOING");
  // A malformed TX slot is skipped instead of stopping the ring.
  if (e.empty()) e = set_option(fd, PACKET_LOSS, on, "PACKET_LOSS");
  if (e.empty() && options.qdisc_bypass) {
    e = set_option(fd, PACKET_QDISC_BYPASS, on, "PACKET_QDISC_BYPASS");
  }
  // A frame larger than a slot is also queued whole to the socket, and its
  // slot says so (TP_STATUS_COPY): that is how super-frames arrive.
  if (e.empty()) e = set_option(fd, PACKET_COPY_THRESH, on, "PACKET_COPY_THRESH");
  if (e.empty()) e = set_option(fd, PACKET_RX_RING, ring_request(geometry_.rx), "PACKET_RX_RING");
  if (e.empty()) e = set_option(fd, PACKET_TX_RING, ring_request(geometry_.tx), "PACKET_TX_RING");
  if (!e.empty()) return e;
  // Beyond net.core.rmem_max (we run as root); without it the kernel keeps
  // no copy once the default queue is full, and the super-frame is lost.
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kCopyQueueBytes, sizeof kCopyQueueBytes) != 0 &&
      ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kCopyQueueBytes, sizeof kCopyQueueBytes) != 0) {
    return "setsockopt(SO_RCVBUF): " + error_text(errno);
  }

  const std::size_t rx_bytes = geometry_.rx.slot_bytes * geometry_.rx.slots;
  const std::size_t tx_bytes = geometry_.tx.slot_bytes * geometry_.tx.slots;
  void* map = ::mmap(nullptr, rx_bytes + tx_bytes, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_LOCKED | MAP_POPULATE, fd, 0);
  if (map == MAP_FAILED) {
    // MAP_LOCKED fails under a small RLIMIT_MEMLOCK; the rings work without it.
    map = ::mmap(nullptr, rx_bytes + tx_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                 fd, 0);
  }
  if (map == MAP_FAILED) return "mmap of the packet rings: " + error_text(errno);
  map_ = static_cast<std::uint8_t*>(map);
  map_bytes_ = rx_bytes + tx_bytes;

  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htobe16(ETH_P_ALL);
  addr.sll_ifindex = info_.ifindex;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return "bind: " + error_text(errno);
  }
  if (options.promiscuous) {
    e = add_promiscuous_membership(fd, info_.ifindex);
    if (!e.empty()) return e;
  }
  info_.mode = options.qdisc_bypass ? "af_packet tpacket_v2 qdisc-bypass" : "af_packet tpacket_v2";
  if (options.keep_tcp_gso) {
    // Never bound: it names the interface per send and receives nothing.
    gso_fd_.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (!gso_fd_.valid()) return "socket(AF_PACKET) for super-frames: " + error_text(errno);
    e = set_option(gso_fd_.get(), PACKET_VNET_HDR, on, "PACKET_VNET_HDR");
    if (e.empty() && options.qdisc_bypass) {
      e = set_option(gso_fd_.get(), PACKET_QDISC_BYPASS, on, "PACKET_QDISC_BYPASS");
    }
    if (!e.empty()) return e;
    info_.mode += " tcp-gso";
  }
  return {};
}

std::string AfPacketPort::join_fanout(int program_fd) {
  // Only a bound socket may join; every member must have the same type.
  const int fanout = (info_.ifindex & 0xFFFF) | (PACKET_FANOUT_EBPF << 16);
  std::string e = set_option(fd_.get(), PACKET_FANOUT, fanout, "PACKET_FANOUT");
  if (e.empty() && program_fd >= 0) {
    e = set_option(fd_.get(), PACKET_FANOUT_DATA, program_fd, "PACKET_FANOUT_DATA");
  }
  if (e.empty()) info_.mode += " fanout";
  return e;
}

std::uint8_t* AfPacketPort::rx_slot(std::uint32_t index) const {
  return map_ + std::size_t{index} * geometry_.rx.slot_bytes;
}

std::uint8_t* AfPacketPort::tx_slot(std::uint32_t index) const {
  return map_ + geometry_.rx.slot_bytes * geometry_.rx.slots +
         std::size_t{index} * geometry_.tx.slot_bytes;
}

std::optional<std::span<std::uint8_t>> AfPacketPort::copied_frame(std::uint8_t*& vnet) {
  if (copies_used_ == kCopyBuffers) return std::nullopt;  // full until release_rx()
  std::uint8_t* const buffer = copies_.data() + copies_used_ * kCopyBufferBytes;
  const ssize_t n = ::recv(fd_.get(), buffer, kCopyBufferBytes, MSG_DONTWAIT | MSG_TRUNC);
  if (n < static_cast<ssize_t>(kVnetHeaderBytes) ||
      static_cast<std::size_t>(n) > kCopyBufferBytes) {
    return std::span<std::uint8_t>{};  // lost or too long: the slot alone is left
  }
  ++copies_used_;
  vnet = buffer;
  return std::span<std::uint8_t>{buffer + kVnetHeaderBytes,
                                 static_cast<std::size_t>(n) - kVnetHeaderBytes};
}

AfPacketPort::Take AfPacketPort::take(tpacket2_hdr& packet, net::Frame& slot) {
  // A VLAN tag the NIC stripped (rx-vlan-offload) lives only in tp_vlan_tci:
  // the frame would pass for untagged traffic, which masq alone handles.
  if ((packet.tp_status & TP_STATUS_VLAN_VALID) != 0) {
    ++stats_.rx_dropped_offload;
    return {true, false};
  }
  auto* const base = reinterpret_cast<std::uint8_t*>(&packet);
  std::uint8_t* vnet = base + packet.tp_mac - kVnetHeaderBytes;
  std::span<std::uint8_t> frame{base + packet.tp_mac, packet.tp_snaplen};
  if (packet.tp_snaplen < packet.tp_len) {
    const auto copied =
        (packet.tp_status & TP_STATUS_COPY) != 0 ? copied_frame(vnet) : std::span<std::uint8_t>{};
    if (!copied) return {false, false};
    if (copied->size() != packet.tp_len) {
      ++stats_.rx_dropped_truncated;
      return {true, false};
    }
    frame = *copied;
  }
  const VnetOffload offload = decode_vnet_header(vnet);

  if (offload.gso == GsoKind::tcp4 && offload.gso_size != 0 && gso_fd_.valid()) {
    if (const auto at = locate_tcp_super_frame(frame)) {
      seed_tcp_checksum(frame, *at);
      ++stats_.rx_gso_kept;
      slot = {frame, offload.gso_size};
      return {true, true};
    }
  }
  if (offload.gso != GsoKind::none) {
    const SegmentResult r = segments_.push(frame, offload.gso, offload.gso_size);
    if (r.error == SegmentError::no_room && !segments_.empty()) return {false, false};
    if (r.error != SegmentError::ok) {
      ++stats_.rx_dropped_offload;
      return {true, false};
    }
    ++stats_.rx_gso_frames;
    stats_.rx_gso_segments += r.frames;
    return {true, false};  // the segments are handed out from the queue
  }
  if (offload.needs_csum) {
    if (!complete_checksum(frame, offload.csum_start, offload.csum_offset)) {
      ++stats_.rx_dropped_offload;
      return {true, false};
    }
    ++stats_.rx_csum_completed;
  }
  slot = {frame, 0};
  return {true, true};
}

std::size_t AfPacketPort::receive(std::span<net::Frame> out) {
  std::size_t n = 0;
  while (n < out.size()) {
    if (segments_.has_pending()) {
      out[n++] = {segments_.pop(), 0};
      continue;
    }
    // Every slot is taken until release_rx(): the ring has gone round.
    if (rx_taken_ == geometry_.rx.slots) break;
    auto& packet = *reinterpret_cast<tpacket2_hdr*>(rx_slot(rx_head_));
    if ((load_acquire(packet.tp_status) & TP_STATUS_USER) == 0) break;
    const Take t = take(packet, out[n]);
    if (!t.consumed) break;  // an arena is full until release_rx()
    if (t.emitted) ++n;
    rx_head_ = (rx_head_ + 1) % geometry_.rx.slots;
    ++rx_taken_;
  }
  for (std::size_t i = 0; i < n; ++i) stats_.rx_bytes += out[i].bytes.size();
  stats_.rx_frames += n;
  return n;
}

void AfPacketPort::release_rx() {
  // Slots go back in the order they were taken, oldest first.
  std::uint32_t index = (rx_head_ + geometry_.rx.slots - rx_taken_) % geometry_.rx.slots;
  for (; rx_taken_ > 0; --rx_taken_) {
    auto& packet = *reinterpret_cast<tpacket2_hdr*>(rx_slot(index));
    store_release(packet.tp_status, TP_STATUS_KERNEL);
    index = (index + 1) % geometry_.rx.slots;
  }
  copies_used_ = 0;
  segments_.release();
}

std::size_t AfPacketPort::send(std::span<const net::Frame> frames) {
  std::size_t queued = 0;
  std::size_t sent_whole = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const std::span<const std::uint8_t> bytes = frames[i].bytes;
    if (frames[i].gso_size != 0) {
      if (send_super_frame(bytes, frames[i].gso_size)) ++sent_whole;
      continue;
    }
    if (bytes.size() < kMinFrameBytes || bytes.size() > geometry_.max_tx_frame) {
      ++stats_.tx_dropped_bad_size;
      continue;
    }
    std::uint8_t* const slot = tx_slot(tx_head_);
    auto* const header = reinterpret_cast<tpacket2_hdr*>(slot);
    if (load_acquire(header->tp_status) != TP_STATUS_AVAILABLE) {
      stats_.tx_dropped_ring_full += frames.size() - i;
      break;
    }
    // A zero virtio-net header: no GSO, checksums already complete.
    std::memset(slot + kTxDataOffset, 0, kVnetHeaderBytes);
    std::memcpy(slot + kTxDataOffset + kVnetHeaderBytes, bytes.data(), bytes.size());
    header->tp_len = static_cast<std::uint32_t>(kVnetHeaderBytes + bytes.size());
    store_release(header->tp_status, TP_STATUS_SEND_REQUEST);
    tx_head_ = (tx_head_ + 1) % geometry_.tx.slots;
    stats_.tx_bytes += bytes.size();
    ++queued;
    tx_pending_ = true;
  }
  stats_.tx_frames += queued + sent_whole;
  return queued + sent_whole;
}

bool AfPacketPort::send_super_frame(std::span<const std::uint8_t> bytes, std::uint16_t gso_size) {
  const auto at = gso_fd_.valid() ? locate_tcp_super_frame(bytes) : std::nullopt;
  if (!at || at->payload + gso_size > geometry_.max_tx_frame) {
    ++stats_.tx_dropped_bad_size;
    return false;
  }
  // What the ring holds was sent before this frame: it leaves first.
  flush();
  std::uint8_t header[kVnetHeaderBytes];
  encode_vnet_header(tcp_gso_offload(bytes, *at, gso_size), header);
  // The frame's checksum field holds its seed already (seed_tcp_checksum).
  std::array<iovec, 2> parts{{
      {header, sizeof header},
      {const_cast<std::uint8_t*>(bytes.data()), bytes.size()},
  }};
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htobe16(ETH_P_IP);
  to.sll_ifindex = info_.ifindex;
  msghdr msg{};
  msg.msg_name = &to;
  msg.msg_namelen = sizeof to;
  msg.msg_iov = parts.data();
  msg.msg_iovlen = parts.size();
  if (::sendmsg(gso_fd_.get(), &msg, MSG_DONTWAIT) < 0) {
    ++stats_.tx_dropped_kernel;
    return false;
  }
  ++stats_.tx_gso_frames;
  stats_.tx_bytes += bytes.size();
  return true;
}

void AfPacketPort::flush() {
  if (!tx_pending_) return;
  ++stats_.wakeups;
  // One call walks every SEND_REQUEST slot. On a transient shortage the
  // rest stay requested and the next flush tries again.
  const ssize_t r = ::send(fd_.get(), nullptr, 0, MSG_DONTWAIT);
  tx_pending_ = r < 0 && (errno == EAGAIN || errno == ENOBUFS);
}

PortStats AfPacketPort::stats() {
  tpacket_stats kernel{};
  socklen_t len = sizeof kernel;
  // Reading PACKET_STATISTICS resets the kernel's counters: accumulate.
  if (fd_.valid() && ::getsockopt(fd_.get(), SOL_PACKET, PACKET_STATISTICS, &kernel, &len) == 0) {
    stats_.rx_dropped_kernel += kernel.tp_drops;
  }
  return stats_;
}

void AfPacketPort::close() {
  if (map_ != nullptr) {
    ::munmap(map_, map_bytes_);
    map_ = nullptr;
  }
  fd_.reset();
  gso_fd_.reset();
  claim_.reset();
}

}  // namespace masq::io::detail
