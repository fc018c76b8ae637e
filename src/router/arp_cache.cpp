#include "masq/router/arp_cache.hpp"

#include <bit>

namespace masq::router {
namespace {

constexpr std::uint64_t kNsPerMs = 1'000'000;

}  // namespace

ArpCache::ArpCache(std::uint32_t capacity, const ArpTimings& timings)
    : capacity_(capacity),
      reachable_ns_(timings.reachable_ms * kNsPerMs),
      retry_ns_(timings.retry_ms * kNsPerMs),
      max_retries_(timings.max_retries) {
  // At most half full keeps the probe sequences short.
  slots_.resize(std::bit_ceil(std::size_t{capacity} * 2 + 2));
  mask_ = slots_.size() - 1;
  events_.reserve(capacity);
}

std::size_t ArpCache::home(net::Ipv4Addr ip) const noexcept {
  // Fibonacci hashing: neighbours differ in their low bits, the multiply
  // spreads those over the high bits that the shift keeps.
  const std::uint64_t h = std::uint64_t{ip.value()} * 0x9E3779B97F4A7C15ull;
  return static_cast<std::size_t>(h >> 32) & mask_;
}

std::size_t ArpCache::find(net::Ipv4Addr ip) const noexcept {
  for (std::size_t i = home(ip);; i = (i + 1) & mask_) {
    const Entry& e = slots_[i];
    if (e.state == State::free) return kNone;
    if (e.ip == ip) return i;
  }
}

const MacAddr* ArpCache::lookup(net::Ipv4Addr ip) const noexcept {
  const std::size_t i = find(ip);
  if (i == kNone || slots_[i].state == State::incomplete) return nullptr;
  return &slots_[i].mac;
}

ArpCache::Entry* ArpCache::add(net::Ipv4Addr ip) noexcept {
  if (size_ >= capacity_) return nullptr;
  std::size_t i = home(ip);
  while (slots_[i].state != State::free) i = (i + 1) & mask_;
  ++size_;
  slots_[i].ip = ip;
  return &slots_[i];
}

void ArpCache::erase(std::size_t index) noexcept {
  // Backward-shift deletion: pull later members of the probe run into the
  // hole so that no lookup stops early; no tombstones.
  std::size_t hole = index;
  for (std::size_t i = (hole + 1) & mask_; slots_[i].state != State::free; i = (i + 1) & mask_) {
    const std::size_t h = home(slots_[i].ip);
    // The entry may move to the hole when its home is not in (hole, i].
    const bool home_after_hole = ((i - h) & mask_) < ((i - hole) & mask_);
    if (!home_after_hole) {
      slots_[hole] = slots_[i];
      hole = i;
    }
  }
  slots_[hole] = Entry{};
  --size_;
}

ArpCache::Learned ArpCache::learn(net::Ipv4Addr ip, const MacAddr& mac, bool create,
                                  std::uint64_t now_ns) noexcept {
  Entry* e = nullptr;
  Learned result = Learned::refreshed;
  if (const std::size_t i = find(ip); i != kNone) {
    e = &slots_[i];
    if (e->state == State::incomplete) result = Learned::resolved;
  } else {
    if (!create) return Learned::ignored;
    e = add(ip);
    if (e == nullptr) return Learned::full;
    result = Learned::added;
  }
  e->mac = mac;
  e->state = State::reachable;
  e->requests = 0;
  e->deadline_ns = now_ns + reachable_ns_;
  return result;
}

ArpCache::Resolve ArpCache::resolve(net::Ipv4Addr ip, std::uint64_t now_ns) noexcept {
  if (find(ip) != kNone) return Resolve::waiting;
  Entry* e = add(ip);
  if (e == nullptr) return Resolve::full;
  e->mac = MacAddr();
  e->state = State::incomplete;
  e->requests = 1;
  e->deadline_ns = now_ns + retry_ns_;
  return Resolve::request;
}

std::span<const ArpEvent> ArpCache::tick(std::uint64_t now_ns) {
  events_.clear();
  // An erase may shift a later entry into slot i, so i advances only when
  // nothing was erased. An entry shifted across the end of the table into
  // a slot already passed is seen twice; its deadline is then in the future.
  for (std::size_t i = 0; i < slots_.size();) {
    Entry& e = slots_[i];
    if (e.state == State::free || e.deadline_ns > now_ns) {
      ++i;
      continue;
    }
    if (e.state == State::reachable) {
      e.state = State::probing;
      e.requests = 0;
    }
    if (e.requests < max_retries_) {
      ++e.requests;
      e.deadline_ns = now_ns + retry_ns_;
      events_.push_back({ArpEvent::Kind::request, e.ip,
                         e.state == State::probing ? e.mac : MacAddr::broadcast()});
      ++i;
      continue;
    }
    if (e.state == State::incomplete) events_.push_back({ArpEvent::Kind::failed, e.ip, MacAddr()});
    erase(i);
  }
  return events_;
}

}  // namespace masq::router
