#include "masq/router/pending_queue.hpp"

#include <algorithm>
#include <cstring>

#include "masq/router/ethernet.hpp"

namespace masq::router {

Origin Origin::of(std::span<const std::uint8_t> datagram, Side from) noexcept {
  Origin o;
  o.from = from;
  o.length = static_cast<std::uint8_t>(std::min(datagram.size(), kQuoteBytes));
  std::memcpy(o.quote.data(), datagram.data(), o.length);
  return o;
}

PendingQueue::PendingQueue(std::uint32_t slots, std::uint32_t per_hop, std::size_t max_packet)
    : storage_(std::size_t{slots} * (kEthernetHeader + max_packet)),
      slots_(slots),
      slot_bytes_(kEthernetHeader + max_packet),
      per_hop_(per_hop) {
  order_.reserve(per_hop);
  taken_.reserve(per_hop);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    slots_[i].pkt.packet = storage_.data() + i * slot_bytes_ + kEthernetHeader;
  }
}

std::size_t PendingQueue::oldest_of(Side egress, net::Ipv4Addr next_hop,
                                    std::size_t& count) const noexcept {
  std::size_t oldest = slots_.size();
  count = 0;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.state != State::waiting || s.pkt.egress != egress || s.pkt.next_hop != next_hop) continue;
    ++count;
    if (oldest == slots_.size() || s.seq < slots_[oldest].seq) oldest = i;
  }
  return oldest;
}

PendingQueue::Push PendingQueue::push(Side egress, net::Ipv4Addr next_hop,
                                      std::span<const std::uint8_t> packet, const Origin& origin,
                                      std::uint16_t gso_size) noexcept {
  if (packet.size() > slot_bytes_ - kEthernetHeader) return Push::too_large;
  std::size_t count = 0;
  const std::size_t oldest = oldest_of(egress, next_hop, count);
  Push result = Push::queued;
  std::size_t index = slots_.size();
  if (count >= per_hop_) {
    index = oldest;
    result = Push::queued_dropped_oldest;
  } else {
    const auto free = std::find_if(slots_.begin(), slots_.end(),
                                   [](const Slot& s) { return s.state == State::free; });
    if (free == slots_.end()) return Push::full;
    index = static_cast<std::size_t>(free - slots_.begin());
    ++waiting_;
  }
  Slot& s = slots_[index];
  s.state = State::waiting;
  s.seq = next_seq_++;
  s.pkt.egress = egress;
  s.pkt.next_hop = next_hop;
  s.pkt.length = static_cast<std::uint32_t>(packet.size());
  s.pkt.origin = origin;
  s.pkt.gso_size = gso_size;
  std::memcpy(s.pkt.packet, packet.data(), packet.size());
  return result;
}

std::span<PendingPacket* const> PendingQueue::take(Side egress, net::Ipv4Addr next_hop) noexcept {
  order_.clear();
  taken_.clear();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.state == State::waiting && s.pkt.egress == egress && s.pkt.next_hop == next_hop) {
      order_.push_back(i);
    }
  }
  std::sort(order_.begin(), order_.end(),
            [this](std::size_t a, std::size_t b) { return slots_[a].seq < slots_[b].seq; });
  // Taken slots are neither waiting nor free: a push() while the caller
  // works through them (an ICMP error that needs resolving too) leaves
  // them alone.
  for (const std::size_t i : order_) {
    slots_[i].state = State::taken;
    taken_.push_back(&slots_[i].pkt);
  }
  waiting_ -= order_.size();
  return taken_;
}

void PendingQueue::reclaim() noexcept {
  for (Slot& s : slots_) {
    if (s.state == State::taken) s.state = State::free;
  }
}

}  // namespace masq::router
