#include "masq/router/reassembler.hpp"

#include <algorithm>
#include <cstring>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/ipv4_view.hpp"
#include "masq/router/ethernet.hpp"

namespace masq::router {
namespace {

constexpr std::size_t kMaxHeader = 60;
constexpr std::size_t kMaxDatagram = 65535;  // RFC 791 §3.1: total length is 16 bits
constexpr std::size_t kBlock = 8;            // fragment offsets count 8-byte blocks
// A buffer holds Ethernet headroom, room for the largest header, then the
// data; the header is written right before the data, wherever it starts.
constexpr std::size_t kDataStart = kEthernetHeader + kMaxHeader;
constexpr std::uint16_t kFlagMoreFragments = 0x2000;
constexpr std::uint16_t kOffsetMask = 0x1FFF;

std::size_t blocks(std::size_t bytes) {
  return (bytes + kBlock - 1) / kBlock;
}

}  // namespace

Reassembler::Reassembler(std::uint32_t contexts, std::size_t max_bytes, std::uint64_t timeout_ns,
                         RouterCounters& counters)
    : contexts_(contexts),
      max_bytes_(max_bytes),
      buffer_bytes_(kDataStart + max_bytes - net::kIpv4MinHeader),
      bitmap_words_((blocks(max_bytes - net::kIpv4MinHeader) + 63) / 64),
      timeout_ns_(timeout_ns),
      counters_(counters) {
  buffers_.resize(contexts_.size() * buffer_bytes_);
  bitmaps_.resize(contexts_.size() * bitmap_words_);
  for (std::size_t i = 0; i < contexts_.size(); ++i) {
    contexts_[i].buffer = buffers_.data() + i * buffer_bytes_;
    contexts_[i].bitmap = bitmaps_.data() + i * bitmap_words_;
  }
}

std::span<std::uint8_t> Reassembler::add(std::span<const std::uint8_t> fragment, Side side,
                                         std::uint64_t now_ns) noexcept {
  expire(now_ns);
  Context* c = find_or_claim(fragment, side, now_ns);
  if (c == nullptr) {
    counters_.count(DropReason::reassembly_no_context);
    return {};
  }
  if (const DropReason r = merge(*c, fragment); r != DropReason::none) {
    drop(*c, r);
    return {};
  }
  if (c->header_length == 0 || !c->total_known || c->blocks_received != blocks(c->total_data)) {
    return {};
  }
  return finish(*c);
}

void Reassembler::release() noexcept {
  for (Context& c : contexts_) {
    if (c.state == State::delivered) c.state = State::free;
  }
}

void Reassembler::expire(std::uint64_t now_ns) noexcept {
  for (Context& c : contexts_) {
    // A clock that stepped back expires nothing.
    if (c.state == State::collecting && now_ns >= c.created_ns &&
        now_ns - c.created_ns >= timeout_ns_) {
      drop(c, DropReason::reassembly_timeout);
    }
  }
}

std::size_t Reassembler::in_progress() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(contexts_.begin(), contexts_.end(),
                    [](const Context& c) { return c.state == State::collecting; }));
}

Reassembler::Context* Reassembler::find_or_claim(std::span<const std::uint8_t> fragment, Side side,
                                                 std::uint64_t now_ns) noexcept {
  const std::uint8_t* p = fragment.data();
  const net::Ipv4Addr src(net::load_be32(p + 12));
  const net::Ipv4Addr dst(net::load_be32(p + 16));
  const std::uint16_t id = net::load_be16(p + 4);
  const std::uint8_t protocol = p[9];

  Context* unused = nullptr;
  Context* oldest = nullptr;
  for (Context& c : contexts_) {
    if (c.state == State::collecting) {
      if (c.side == side && c.src == src && c.dst == dst && c.id == id && c.protocol == protocol) {
        return &c;
      }
      if (oldest == nullptr || c.seq < oldest->seq) oldest = &c;
    } else if (c.state == State::free && unused == nullptr) {
      unused = &c;
    }
  }
  if (unused == nullptr) {
    // Contexts whose datagrams are in this call's output cannot be taken.
    if (oldest == nullptr) return nullptr;
    drop(*oldest, DropReason::reassembly_evicted);
    unused = oldest;
  }
  Context& c = *unused;
  c.state = State::collecting;
  c.side = side;
  c.src = src;
  c.dst = dst;
  c.id = id;
  c.protocol = protocol;
  c.header_length = 0;
  c.created_ns = now_ns;
  c.seq = next_seq_++;
  c.total_data = 0;
  c.total_known = false;
  c.highest_end = 0;
  c.blocks_received = 0;
  std::fill_n(c.bitmap, bitmap_words_, 0);
  return &c;
}

bool Reassembler::has_block(const Context& c, std::size_t block) const noexcept {
  return (c.bitmap[block / 64] >> (block % 64) & 1u) != 0;
}

DropReason Reassembler::merge(Context& c, std::span<const std::uint8_t> fragment) noexcept {
  const std::size_t header_length = std::size_t{fragment[0] & 0x0Fu} * 4;
  const std::uint16_t flags_offset = net::load_be16(fragment.data() + 6);
  const std::size_t offset = static_cast<std::size_t>(flags_offset & kOffsetMask) * kBlock;
  const bool more = (flags_offset & kFlagMoreFragments) != 0;
  const std::span<const std::uint8_t> data = fragment.subspan(header_length);
  const std::size_t end = offset + data.size();

  if (more) {
    // RFC 791 §3.2: every fragment but the last carries whole 8-byte blocks.
    if (data.empty() || data.size() % kBlock != 0) return DropReason::reassembly_inconsistent;
    if (c.total_known && end > c.total_data) return DropReason::reassembly_inconsistent;
  } else {
    if (c.total_known && end != c.total_data) return DropReason::reassembly_inconsistent;
    if (c.highest_end > end) return DropReason::reassembly_inconsistent;
    c.total_known = true;
    c.total_data = end;
  }
  // The first offset-0 fragment gives the datagram its header (RFC 791 §3.2).
  const bool first = offset == 0 && c.header_length == 0;
  if (first) c.header_length = static_cast<std::uint8_t>(header_length);

  // The datagram's length so far, with the real header once it is known
  // and the smallest one until then.
  const std::size_t length =
      std::max(c.highest_end, end) + (c.header_length != 0 ? c.header_length : net::kIpv4MinHeader);
  if (length > kMaxDatagram) return DropReason::reassembly_inconsistent;
  if (length > max_bytes_) return DropReason::reassembly_too_big;

  // Any overlap drops the datagram, identical bytes included (RFC 5722 §4
  // with errata 3089, as Linux since FragmentSmack): an overlap is how
  // fragments smuggle data past a check of the first one, and a datagram
  // with a duplicated fragment costs its sender one retransmission at most.
  std::uint8_t* stored = c.buffer + kDataStart;
  if (!data.empty()) {
    for (std::size_t b = offset / kBlock; b <= (end - 1) / kBlock; ++b) {
      if (has_block(c, b)) return DropReason::reassembly_overlap;
      c.bitmap[b / 64] |= std::uint64_t{1} << (b % 64);
      ++c.blocks_received;
    }
    std::memcpy(stored + offset, data.data(), data.size());
  }
  if (first) {
    std::memcpy(stored - header_length, fragment.data(), header_length);
  }
  c.highest_end = std::max(c.highest_end, end);
  return DropReason::none;
}

std::span<std::uint8_t> Reassembler::finish(Context& c) noexcept {
  std::uint8_t* p = c.buffer + kDataStart - c.header_length;
  const std::size_t length = c.header_length + c.total_data;
  net::store_be16(p + 2, static_cast<std::uint16_t>(length));
  // MF and the offset describe the whole datagram now. DF goes too: every
  // fragment that carried it passed the router's MTU check on its own, and
  // the egress path may need to fragment the datagram again (RFC 1812
  // §5.2.6), which it refuses to do for DF.
  net::store_be16(p + 6, 0);
  net::store_be16(p + 10, 0);
  net::store_be16(p + 10, net::internet_checksum({p, c.header_length}));
  c.state = State::delivered;
  ++counters_.datagrams_reassembled;
  return {p, length};
}

void Reassembler::drop(Context& c, DropReason reason) noexcept {
  counters_.count(reason);
  c.state = State::free;
}

}  // namespace masq::router
