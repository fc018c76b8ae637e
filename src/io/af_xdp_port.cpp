#include "af_xdp_port.hpp"

#include <linux/if_xdp.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "checksum_completion.hpp"
#include "interface_info.hpp"

namespace masq::io::detail {
namespace {

constexpr std::uint32_t kMinRingSlots = 64;
constexpr std::size_t kLinkHeaderBytes = 14 + 4;  // Ethernet and one VLAN tag
constexpr std::size_t kMinFrameBytes = 14;
// Copy mode transmits at most this many frames per sendto (Linux
// TX_BATCH_SIZE) and answers EAGAIN while more are queued.
constexpr std::uint32_t kCopyModeTxBatch = 32;
// Binding a queue fails with EBUSY while the kernel still tears down the
// buffer pool of a socket closed an instant before (asynchronous release).
constexpr int kBindAttempts = 20;
constexpr auto kBindRetryDelay = std::chrono::milliseconds(50);

std::uint32_t ring_slots(std::uint32_t wanted) {
  return std::bit_ceil(std::max(wanted, kMinRingSlots));
}

// Port k binds queue `first + k` for both directions (the kernel binds a
// socket to one index of each): the interface must have them all.
std::string check_queues(std::string_view ifname, std::uint32_t first, std::size_t count) {
  const QueueCount q = queue_count(ifname);
  if (!q.error.empty()) return q.error;
  const std::uint64_t needed = std::uint64_t{first} + count;
  if (std::min(q.rx, q.tx) >= needed) return {};
  const std::string name(ifname);
  const std::string n = std::to_string(needed);
  return name + " has " + std::to_string(q.rx) + " rx and " + std::to_string(q.tx) +
         " tx queues, and " + std::to_string(count) +
         " AF_XDP sockets (one per worker) need queues " + std::to_string(first) + " to " +
         std::to_string(needed - 1) + " of each: add queues (`ethtool -L " + name + " combined " +
         n + "`, or `rx " + n + " tx " + n +
         "` on a veth, up to the numrxqueues/numtxqueues it was made with) or run fewer workers";
}

}  // namespace

OpenManyResult AfXdpPort::open(std::string_view ifname, const PortOptions& options,
                               std::size_t count, UniqueFd claim) {
  silence_bpf_logging();
  if (options.frame_bytes != 2048 && options.frame_bytes != 4096) {
    return {{}, "frame_bytes must be 2048 or 4096"};
  }
  InterfaceLookup lookup = lookup_interface(ifname);
  if (!lookup.error.empty()) return {{}, std::move(lookup.error)};
  if (std::string e = check_queues(ifname, options.queue_id, count); !e.empty()) {
    return {{}, std::move(e)};
  }
  auto shared = std::make_shared<XdpInterface>();
  shared->claim = std::move(claim);
  const int ifindex = lookup.info.ifindex;
  if (options.promiscuous) {
    // Protocol 0: the socket receives nothing, it only holds the membership.
    shared->promiscuous.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    if (!shared->promiscuous.valid()) return {{}, "socket(AF_PACKET): " + error_text(errno)};
    std::string e = add_promiscuous_membership(shared->promiscuous.get(), ifindex);
    if (!e.empty()) return {{}, std::move(e)};
  }
  std::vector<bool> modes;  // native?
  if (options.xdp_mode != XdpMode::generic) modes.push_back(true);
  if (options.xdp_mode != XdpMode::native) modes.push_back(false);
  std::string error;
  for (const bool native : modes) {
    XskProgram::Attached attached =
        XskProgram::attach(ifindex, native, options.queue_id + static_cast<std::uint32_t>(count));
    if (attached.program == nullptr) {
      error = std::move(attached.error);
      continue;
    }
    shared->program = std::move(attached.program);
    OpenManyResult r;
    for (std::size_t k = 0; k < count; ++k) {
      const auto queue = options.queue_id + static_cast<std::uint32_t>(k);
      std::unique_ptr<AfXdpPort> port(new AfXdpPort(lookup.info, options, queue, shared));
      error = port->bind(native, options.xdp_zero_copy);
      if (!error.empty()) break;
      r.ports.push_back(std::move(port));
    }
    if (r.ports.size() == count) return r;
    r.ports.clear();
    shared->program.reset();  // detach before trying the next mode
  }
  return {{}, std::move(error)};
}

std::string AfXdpPort::bind(bool native, bool try_zero_copy) {
  // Generic mode always copies; native mode may offer zero-copy.
  std::vector<bool> copies = {false};
  if (native && try_zero_copy) copies = {true, false};
  std::string error;
  for (const bool zero_copy : copies) {
    const int err = create_socket(zero_copy);
    if (err == 0) {
      info_.mode = std::string("af_xdp ") + (native ? "native" : "generic") +
                   (zero_copy ? " zero-copy" : " copy") + " queue " + std::to_string(queue_id_);
      return {};
    }
    error = std::string("AF_XDP socket (") + (zero_copy ? "zero-copy" : "copy") + ") on queue " +
            std::to_string(queue_id_) + ": " + error_text(-err);
  }
  return error;
}

AfXdpPort::AfXdpPort(PortInfo info, const PortOptions& options, std::uint32_t queue_id,
                     std::shared_ptr<XdpInterface> shared)
    : info_(std::move(info)),
      queue_id_(queue_id),
      rx_slots_(ring_slots(options.rx_frames)),
      tx_slots_(ring_slots(options.tx_frames)),
      frame_bytes_(options.frame_bytes),
      repair_checksums_(options.xdp_repair_checksums),
      max_tx_frame_(
          std::min<std::size_t>(std::size_t{info_.mtu} + kLinkHeaderBytes, options.frame_bytes)),
      shared_(std::move(shared)) {}

AfXdpPort::~AfXdpPort() {
  close();
}

int AfXdpPort::create_socket(bool zero_copy) {
  int err = -EBUSY;
  for (int attempt = 0; attempt < kBindAttempts && err == -EBUSY; ++attempt) {
    if (attempt != 0) std::this_thread::sleep_for(kBindRetryDelay);
    area_bytes_ = std::size_t{rx_slots_ + tx_slots_} * frame_bytes_;
    void* area = ::mmap(nullptr, area_bytes_, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (area == MAP_FAILED) return -errno;
    area_ = area;

    xsk_umem_config umem_config{};
    umem_config.fill_size = rx_slots_;
    umem_config.comp_size = tx_slots_;
    umem_config.frame_size = frame_bytes_;
    err = xsk_umem__create(&umem_, area_, area_bytes_, &fill_, &comp_, &umem_config);
    if (err == 0) {
      xsk_socket_config config{};
      config.rx_size = rx_slots_;
      config.tx_size = tx_slots_;
      config.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD;
      config.bind_flags =
          static_cast<std::uint16_t>((zero_copy ? XDP_ZEROCOPY : XDP_COPY) | XDP_USE_NEED_WAKEUP);
      err = xsk_socket__create(&xsk_, info_.ifname.c_str(), queue_id_, umem_, &rx_, &tx_, &config);
    }
    if (err == 0) err = xsk_socket__update_xskmap(xsk_, shared_->program->xskmap_fd());
    if (err != 0) destroy_socket();
  }
  if (err != 0) return err;

  // Every rx chunk starts in the fill ring, which is exactly as large.
  std::uint32_t index = 0;
  xsk_ring_prod__reserve(&fill_, rx_slots_, &index);
  for (std::uint32_t i = 0; i < rx_slots_; ++i) {
    *xsk_ring_prod__fill_addr(&fill_, index + i) = std::uint64_t{i} * frame_bytes_;
  }
  xsk_ring_prod__submit(&fill_, rx_slots_);
  held_.reserve(rx_slots_);
  free_tx_.reserve(tx_slots_);
  for (std::uint32_t i = 0; i < tx_slots_; ++i) {
    free_tx_.push_back(std::uint64_t{rx_slots_ + i} * frame_bytes_);
  }
  return 0;
}

void AfXdpPort::destroy_socket() {
  if (xsk_ != nullptr) xsk_socket__delete(xsk_);
  if (umem_ != nullptr) xsk_umem__delete(umem_);
  if (area_ != nullptr) ::munmap(area_, area_bytes_);
  xsk_ = nullptr;
  umem_ = nullptr;
  area_ = nullptr;
  fill_ = {};
  comp_ = {};
  rx_ = {};
  tx_ = {};
  held_.clear();
  free_tx_.clear();
}

int AfXdpPort::wait_fd() const {
  return xsk_ != nullptr ? xsk_socket__fd(xsk_) : -1;
}

std::size_t AfXdpPort::receive(std::span<net::Frame> out) {
  std::uint32_t index = 0;
  const auto want = static_cast<std::uint32_t>(std::min<std::size_t>(out.size(), rx_slots_));
  const std::uint32_t n = xsk_ring_cons__peek(&rx_, want, &index);
  const std::uint64_t chunk_mask = ~std::uint64_t{frame_bytes_ - 1};
  for (std::uint32_t i = 0; i < n; ++i) {
    const xdp_desc* desc = xsk_ring_cons__rx_desc(&rx_, index + i);
    auto* data = static_cast<std::uint8_t*>(xsk_umem__get_data(area_, desc->addr));
    const std::span<std::uint8_t> frame{data, desc->len};
    held_.push_back(desc->addr & chunk_mask);
    if (repair_checksums_ && repair_partial_checksum(frame) == L4Checksum::completed) {
      ++stats_.rx_csum_completed;
    }
    out[i] = {frame, 0};
    stats_.rx_bytes += frame.size();
  }
  xsk_ring_cons__release(&rx_, n);
  stats_.rx_frames += n;
  return n;
}

void AfXdpPort::release_rx() {
  if (held_.empty()) return;
  const auto n = static_cast<std::uint32_t>(held_.size());
  std::uint32_t index = 0;
  // Cannot fail: the fill ring holds all rx chunks, and these are out of it.
  if (xsk_ring_prod__reserve(&fill_, n, &index) != n) return;
  for (std::uint32_t i = 0; i < n; ++i) *xsk_ring_prod__fill_addr(&fill_, index + i) = held_[i];
  xsk_ring_prod__submit(&fill_, n);
  held_.clear();
  if (xsk_ring_prod__needs_wakeup(&fill_)) {
    ++stats_.wakeups;
    ::recvfrom(xsk_socket__fd(xsk_), nullptr, 0, MSG_DONTWAIT, nullptr, nullptr);
  }
}

std::size_t AfXdpPort::send(std::span<const net::Frame> frames) {
  reclaim_completions();
  std::uint32_t queued = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const std::span<const std::uint8_t> bytes = frames[i].bytes;
    if (bytes.size() < kMinFrameBytes || bytes.size() > max_tx_frame_) {
      ++stats_.tx_dropped_bad_size;
      continue;
    }
    std::uint32_t index = 0;
    if (free_tx_.empty() || xsk_ring_prod__reserve(&tx_, 1, &index) != 1) {
      stats_.tx_dropped_ring_full += frames.size() - i;
      break;
    }
    const std::uint64_t addr = free_tx_.back();
    free_tx_.pop_back();
    std::memcpy(xsk_umem__get_data(area_, addr), bytes.data(), bytes.size());
    xdp_desc* desc = xsk_ring_prod__tx_desc(&tx_, index);
    desc->addr = addr;
    desc->len = static_cast<std::uint32_t>(bytes.size());
    desc->options = 0;
    stats_.tx_bytes += bytes.size();
    ++queued;
  }
  if (queued != 0) {
    xsk_ring_prod__submit(&tx_, queued);
    tx_pending_ = true;
  }
  stats_.tx_frames += queued;
  return queued;
}

void AfXdpPort::kick_tx() {
  const auto drained = [this] {
    return __atomic_load_n(tx_.consumer, __ATOMIC_ACQUIRE) == *tx_.producer;
  };
  // A zero-copy driver that is already polling the ring clears the flag.
  if (!xsk_ring_prod__needs_wakeup(&tx_)) {
    tx_pending_ = false;
    return;
  }
  const std::uint32_t max_kicks = tx_slots_ / kCopyModeTxBatch + 2;
  for (std::uint32_t kick = 0; kick < max_kicks && !drained(); ++kick) {
    ++stats_.wakeups;
    if (::sendto(xsk_socket__fd(xsk_), nullptr, 0, MSG_DONTWAIT, nullptr, 0) < 0 &&
        errno != EAGAIN && errno != EBUSY && errno != ENOBUFS) {
      break;
    }
  }
  tx_pending_ = !drained();
}

void AfXdpPort::flush() {
  if (tx_pending_) kick_tx();
  reclaim_completions();
}

void AfXdpPort::reclaim_completions() {
  std::uint32_t index = 0;
  const std::uint32_t n = xsk_ring_cons__peek(&comp_, tx_slots_, &index);
  for (std::uint32_t i = 0; i < n; ++i) {
    free_tx_.push_back(*xsk_ring_cons__comp_addr(&comp_, index + i));
  }
  xsk_ring_cons__release(&comp_, n);
}

PortStats AfXdpPort::stats() {
  xdp_statistics kernel{};
  socklen_t len = sizeof kernel;
  if (xsk_ != nullptr &&
      ::getsockopt(xsk_socket__fd(xsk_), SOL_XDP, XDP_STATISTICS, &kernel, &len) == 0) {
    // Cumulative since the socket was made. rx_dropped counts frames that
    // did not fit a chunk (e.g. GSO super-frames in generic mode).
    stats_.rx_dropped_kernel =
        kernel.rx_dropped + kernel.rx_ring_full + kernel.rx_fill_ring_empty_descs;
    stats_.tx_dropped_kernel = kernel.tx_invalid_descs;
  }
  return stats_;
}

void AfXdpPort::close() {
  // The kernel takes a closing socket out of the program's map: frames for
  // its queue go to the kernel's stack until the program is detached.
  destroy_socket();
  shared_.reset();  // the last port detaches the program and ends the claim
}

}  // namespace masq::io::detail
