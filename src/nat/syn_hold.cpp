#include "syn_hold.hpp"

#include <algorithm>

namespace masq::nat {

SynHold::SynHold(std::size_t capacity) : slots_(capacity) {}

SynHold::Held* SynHold::find(const net::FlowKey& key) {
  for (std::size_t i = 0, at = head_; i < count_; ++i, at = (at + 1) % slots_.size()) {
    if (slots_[at].live && slots_[at].key == key) return &slots_[at];
  }
  return nullptr;
}

bool SynHold::hold(const net::FlowKey& key, std::span<const std::uint8_t> packet,
                   std::uint64_t now_ns) {
  if (live_ == 0) {
    head_ = 0;
    count_ = 0;
  }
  if (count_ == slots_.size() || find(key) != nullptr) return false;
  Held& h = slots_[(head_ + count_) % slots_.size()];
  h.key = key;
  h.since_ns = now_ns;
  h.length = static_cast<std::uint16_t>(std::min(packet.size(), kQuoteBytes));
  std::copy_n(packet.begin(), h.length, h.quote.begin());
  h.live = true;
  ++count_;
  ++live_;
  return true;
}

bool SynHold::cancel(const net::FlowKey& key) {
  Held* h = find(key);
  if (h == nullptr) return false;
  h->live = false;
  --live_;
  return true;
}

void SynHold::pop() {
  if (slots_[head_].live) --live_;
  slots_[head_].live = false;
  head_ = (head_ + 1) % slots_.size();
  --count_;
}

}  // namespace masq::nat
