// Accounting: per-session packet and byte counts in each direction, as
// conntrack's "packets= bytes=" pairs (EngineConfig::accounting). Kept
// apart from the session: the session line (session.hpp) is read by every
// packet and has no room, and a table that does not count should not pay
// for counts. A session's counts live at its slot index in an array of
// their own, allocated in the constructor only when accounting is on,
// zeroed when a session is made in the slot. Hot when on: count() is on
// the fast path, one branch when off. Private to the engine.
#pragma once

#include <cstdint>
#include <optional>

#include "masq/nat/session_view.hpp"
#include "masq/net/parse.hpp"
#include "table_array.hpp"

namespace masq::nat {

class Accounting {
 public:
  // `sessions`: the table's capacity; nothing is allocated when !on.
  Accounting(bool on, std::uint32_t sessions) {
    if (on) counts_ = table_.emplace(sessions).data();
  }

  bool enabled() const { return counts_ != nullptr; }

  // Slot idx holds a new session.
  void reset(std::uint32_t idx) {
    if (counts_ != nullptr) counts_[idx] = FlowCounts{};
  }
  // `pkt` (counted by its IPv4 total length, as conntrack counts)
  // translated by the session in slot idx. Off, one test of a member the
  // fast path has loaded anyway; the counting itself is out of the line.
  template <bool in2out>
  [[gnu::always_inline]] void count(std::uint32_t idx, const net::ParsedPacket& pkt) {
    if (counts_ != nullptr) [[unlikely]]
      add<in2out>(idx, pkt.ip.total_length());
  }
  template <bool in2out>
  void add(std::uint32_t idx, std::uint32_t bytes) {
    DirectionCounts& d = in2out ? counts_[idx].in2out : counts_[idx].out2in;
    ++d.packets;
    d.bytes += bytes;
  }
  // Starts loading slot idx's counts (when enabled()), beside its
  // session's line: a second line each packet touches, which the
  // pipeline's prefetch stage must cover too.
  void prefetch(std::uint32_t idx) const { __builtin_prefetch(&counts_[idx], 1); }
  std::optional<FlowCounts> of(std::uint32_t idx) const {
    if (counts_ == nullptr) return std::nullopt;
    return counts_[idx];
  }

  std::size_t memory_bytes() const {
    return table_ ? table_memory_size(table_->size() * sizeof(FlowCounts)) : 0;
  }

 private:
  std::optional<TableArray<FlowCounts>> table_;
  FlowCounts* counts_ = nullptr;  // table_'s, or null when off
};

}  // namespace masq::nat
