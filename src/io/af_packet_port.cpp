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

#include "interface_info.hpp"
#include "masq/io/checksum_completion.hpp"
#include "tcp_super_frame.hpp"
#include "vnet_header.hpp"

namespace masq::io::detail {
namespace {

// A block must hold the largest super-frame the kernel may hand us (64 KiB
// of GSO payload plus headers): tpacket_rcv truncates anything longer than
// a block, and a truncated super-frame cannot be segmented.
constexpr std::size_t kRxBlockBytes = 256 * 1024;
constexpr std::size_t kRxFrameBudget = 2048;  // ring bytes per MTU frame, for sizing
constexpr std::uint32_t kMinRxBlocks = 4;
constexpr std::size_t kMinTxBlockBytes = 64 * 1024;
constexpr std::size_t kLinkHeaderBytes = 14 + 4;  // Ethernet and one VLAN tag
constexpr std::size_t kMinFrameBytes = 14;
// Where a TX slot's data starts: TPACKET_ALIGN(sizeof(struct tpacket3_hdr)).
constexpr std::size_t kTxDataOffset =
    (sizeof(tpacket3_hdr) + TPACKET_ALIGNMENT - 1) / TPACKET_ALIGNMENT * TPACKET_ALIGNMENT;
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

AfPacketPort::Geometry make_geometry(const PortOptions& options, std::uint32_t mtu) {
  AfPacketPort::Geometry g{};
  const std::size_t rx_bytes = std::size_t{std::max(options.rx_frames, 1u)} * kRxFrameBudget;
  g.rx_blocks = std::max(
      kMinRxBlocks, static_cast<std::uint32_t>((rx_bytes + kRxBlockBytes - 1) / kRxBlockBytes));
  g.max_tx_frame = std::size_t{mtu} + kLinkHeaderBytes;
  g.tx_slot_bytes = std::bit_ceil(kTxDataOffset + kVnetHeaderBytes + g.max_tx_frame);
  g.tx_block_bytes = std::max(g.tx_slot_bytes, kMinTxBlockBytes);
  const std::size_t per_block = g.tx_block_bytes / g.tx_slot_bytes;
  const std::size_t blocks =
      (std::max<std::size_t>(options.tx_frames, 1) + per_block - 1) / per_block;
  g.tx_slots = static_cast<std::uint32_t>(blocks * per_block);
  return g;
}

}  // namespace

OpenResult AfPacketPort::open(std::string_view ifname, const PortOptions& options) {
  InterfaceLookup lookup = lookup_interface(ifname);
  if (!lookup.error.empty()) return {nullptr, std::move(lookup.error)};
  std::unique_ptr<AfPacketPort> port(new AfPacketPort(std::move(lookup.info), options));
  std::string error = port->setup(options);
  if (!error.empty()) return {nullptr, std::move(error)};
  return {std::move(port), {}};
}

AfPacketPort::AfPacketPort(PortInfo info, const PortOptions& options)
    : info_(std::move(info)),
      geometry_(make_geometry(options, info_.mtu)),
      segments_(kSegmentArenaBytes, kSegmentArenaBytes / kSmallestSegmentBytes) {
  walked_blocks_.reserve(geometry_.rx_blocks);
}

AfPacketPort::~AfPacketPort() {
  close();
}

std::string AfPacketPort::setup(const PortOptions& options) {
  // Protocol 0: nothing is queued to the socket before the rings exist and
  // bind() names the protocol and the interface.
  fd_.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!fd_.valid()) return "socket(AF_PACKET): " + error_text(errno);
  const int fd = fd_.get();
  const int version = TPACKET_V3;
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
  if (!e.empty()) return e;

  tpacket_req3 rx{};
  rx.tp_block_size = static_cast<unsigned>(kRxBlockBytes);
  rx.tp_block_nr = geometry_.rx_blocks;
  rx.tp_frame_size = static_cast<unsigned>(kRxFrameBudget);
  rx.tp_frame_nr = static_cast<unsigned>(kRxBlockBytes / kRxFrameBudget) * geometry_.rx_blocks;
  rx.tp_retire_blk_tov = std::max(options.block_timeout_ms, 1u);
  e = set_option(fd, PACKET_RX_RING, rx, "PACKET_RX_RING");
  if (!e.empty()) return e;

  tpacket_req3 tx{};
  tx.tp_block_size = static_cast<unsigned>(geometry_.tx_block_bytes);
  tx.tp_block_nr = static_cast<unsigned>(geometry_.tx_slots * geometry_.tx_slot_bytes /
                                         geometry_.tx_block_bytes);
  tx.tp_frame_size = static_cast<unsigned>(geometry_.tx_slot_bytes);
  tx.tp_frame_nr = geometry_.tx_slots;
  e = set_option(fd, PACKET_TX_RING, tx, "PACKET_TX_RING");
  if (!e.empty()) return e;

  const std::size_t rx_bytes = kRxBlockBytes * geometry_.rx_blocks;
  const std::size_t tx_bytes = geometry_.tx_slot_bytes * geometry_.tx_slots;
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
  info_.mode = options.qdisc_bypass ? "af_packet tpacket_v3 qdisc-bypass" : "af_packet tpacket_v3";
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

std::uint8_t* AfPacketPort::rx_block(std::uint32_t index) const {
  return map_ + std::size_t{index} * kRxBlockBytes;
}

std::uint8_t* AfPacketPort::tx_slot(std::uint32_t index) const {
  return map_ + kRxBlockBytes * geometry_.rx_blocks + std::size_t{index} * geometry_.tx_slot_bytes;
}

bool AfPacketPort::open_block() {
  auto* block = reinterpret_cast<tpacket_block_desc*>(rx_block(block_index_));
  if ((load_acquire(block->hdr.bh1.block_status) & TP_STATUS_USER) == 0) return false;
  in_block_ = true;
  block_remaining_ = block->hdr.bh1.num_pkts;
  next_packet_ = rx_block(block_index_) + block->hdr.bh1.offset_to_first_pkt;
  return true;
}

void AfPacketPort::finish_block() {
  walked_blocks_.push_back(block_index_);
  block_index_ = (block_index_ + 1) % geometry_.rx_blocks;
  in_block_ = false;
}

AfPacketPort::Take AfPacketPort::take(tpacket3_hdr& packet, net::Frame& slot) {
  if (packet.tp_snaplen < packet.tp_len) {
    ++stats_.rx_dropped_truncated;
    return {true, false};
  }
  // A VLAN tag the NIC stripped (rx-vlan-offload) lives only in tp_vlan_tci:
  // the frame would pass for untagged traffic, which masq alone handles.
  if ((packet.tp_status & TP_STATUS_VLAN_VALID) != 0) {
    ++stats_.rx_dropped_offload;
    return {true, false};
  }
  auto* const base = reinterpret_cast<std::uint8_t*>(&packet);
  const std::span<std::uint8_t> frame{base + packet.tp_mac, packet.tp_snaplen};
  const VnetOffload offload = decode_vnet_header(base + packet.tp_mac - kVnetHeaderBytes);

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
    if (!in_block_ && !open_block()) break;
    if (block_remaining_ == 0) {
      finish_block();
      continue;
    }
    auto& packet = *reinterpret_cast<tpacket3_hdr*>(next_packet_);
    const Take t = take(packet, out[n]);
    if (!t.consumed) break;  // the segment arena is full until release_rx()
    if (t.emitted) ++n;
    next_packet_ += packet.tp_next_offset;
    --block_remaining_;
  }
  for (std::size_t i = 0; i < n; ++i) stats_.rx_bytes += out[i].bytes.size();
  stats_.rx_frames += n;
  return n;
}

void AfPacketPort::release_rx() {
  for (const std::uint32_t index : walked_blocks_) {
    auto* block = reinterpret_cast<tpacket_block_desc*>(rx_block(index));
    store_release(block->hdr.bh1.block_status, TP_STATUS_KERNEL);
  }
  walked_blocks_.clear();
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
    auto* const header = reinterpret_cast<tpacket3_hdr*>(slot);
    if (load_acquire(header->tp_status) != TP_STATUS_AVAILABLE) {
      stats_.tx_dropped_ring_full += frames.size() - i;
      break;
    }
    // A zero virtio-net header: no GSO, checksums already complete.
    std::memset(slot + kTxDataOffset, 0, kVnetHeaderBytes);
    std::memcpy(slot + kTxDataOffset + kVnetHeaderBytes, bytes.data(), bytes.size());
    header->tp_len = static_cast<std::uint32_t>(kVnetHeaderBytes + bytes.size());
    header->tp_next_offset = 0;
    store_release(header->tp_status, TP_STATUS_SEND_REQUEST);
    tx_head_ = (tx_head_ + 1) % geometry_.tx_slots;
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
  tpacket_stats_v3 kernel{};
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
}

}  // namespace masq::io::detail
