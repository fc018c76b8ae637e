// Binder: who gets which external endpoint. It keeps the subscribers (the
// internal hosts), pairs each with one pool address (RFC 4787 REQ-2),
// holds them to their quotas (RFC 6888 REQ-4/5), and chooses the external
// port of every new mapping (port_chooser.hpp): the one place that does.
// It reads the session table (is a port taken?) but never changes it.
// A worker's slice of the port space (port_slice.hpp) narrows every class
// choose_port() probes, and a kept port must lie in it; a suggested port
// (PCP, RFC 6887 §11.3) is tried first, when free and in the slice.
// Slow path, and the prefetch waves that run ahead of it (guess_*()). What
// every new flow runs is inline, bind() and its port choice forced so: a
// call apiece cost a new session about a tenth more instructions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "address_pool.hpp"
#include "masq/nat/drop_reason.hpp"
#include "masq/nat/engine_config.hpp"
#include "port_chooser.hpp"
#include "random.hpp"
#include "session_table.hpp"
#include "static_rules.hpp"
#include "subscriber_table.hpp"

namespace masq::nat {

// An external port the port choice may take for a new flow, with the
// by_external() hash of its endpoint and the out2in() hash of the session
// it would give, computed ahead by the prefetch waves.
struct PortGuess {
  std::uint16_t port = 0;
  std::uint64_t external_hash = 0;
  std::uint64_t out2in_hash = 0;
};

// How many of the ports the port choice tries first are guessed: the kept
// port and the first two of the probe cover all but a few percent of new
// flows even where most ports are taken.
inline constexpr std::size_t kPortGuesses = 3;

// What the prefetch waves compute for the first packet of a flow from the
// LAN, which making its session needs again.
struct NewFlowHashes {
  std::uint64_t in2out = 0;   // in2out(): the packet's key
  std::uint64_t mapping = 0;  // by_internal(): the mapping key
  // The port choice's first random start, drawn ahead (PortChoice), and
  // the offset of the probe's next port still to guess.
  std::uint32_t first_start = 0;
  std::uint32_t probe_offset = 0;
  // On the subscriber's pool address, when it was known: the first ports
  // the choice will try, in its order, as far as the waves got.
  std::uint32_t pool_addr = 0;
  std::size_t guesses = 0;
  std::array<PortGuess, kPortGuesses> tried;

  const PortGuess* guess_for(Endpoint external) const {
    if (external.addr != pool_addr) return nullptr;
    for (std::size_t i = 0; i < guesses; ++i) {
      if (tried[i].port == external.port) return &tried[i];
    }
    return nullptr;
  }
};

// A new session's claim on an external endpoint.
struct BindRequest {
  Endpoint internal;
  net::Proto proto = net::Proto::udp;
  // The external endpoint of the mapping the session joins, if it exists.
  const Endpoint* mapped = nullptr;
  // The external endpoint the session must have (a forward), if given.
  const Endpoint* fixed_external = nullptr;
  const NewFlowHashes* hashes = nullptr;  // the prefetch waves' work, if any
  // An explicit mapping's wish (addr 0: any pool address), taken when free.
  const Endpoint* suggested = nullptr;
};

// The external endpoint bound, or why none was. external_hash: its
// by_external() hash when the port choice computed it.
struct Binding {
  Endpoint external;
  std::optional<std::uint64_t> external_hash;
  DropReason failure = DropReason::none;
};

class Binder {
 public:
  static constexpr std::uint32_t kNoPool = 0xFFFFFFFFu;

  Binder(const EngineConfig& cfg, const SessionTable& table, const StaticRules& rules);
  // Takes the port choice and the quotas of `cfg` (a reconfigure).
  void configure(const EngineConfig& cfg);

  // The subscriber a new session from `addr` counts against, made (with
  // its pool address) when the host has none; null, with `failure` set,
  // when a limit refuses it.
  Subscriber* subscriber_for(std::uint32_t addr, DropReason& failure);
  // The external endpoint of a new session of `sub`: its mapping's, or,
  // for a new mapping, a forward's or a free port on the pool address.
  Binding bind(const Subscriber& sub, const BindRequest& r);
  // Counts a session made (and the mapping, when it started one).
  void commit(Subscriber& sub, bool new_mapping, net::Proto proto) {
    if (new_mapping) {
      ++sub.mappings;
      if (sub.pool_index != kNoPool) ++pool_mappings_[sub.pool_index][proto_slot(proto)];
    }
    ++sub.sessions;
  }
  // Lets go of a subscriber made for a session that was not made.
  void abandon(Subscriber* sub);
  // A session of `int_addr` went (and its mapping, when mapping_gone).
  void release(std::uint32_t int_addr, bool mapping_gone, net::Proto proto);

  // The prefetch waves' guesses at what bind() will do for the first
  // packet of a flow with `key` (hints only: bind() decides afresh).
  // Wave 0: draw the port choice's random start, prefetch the subscriber.
  void guess_start(const net::FlowKey& key, NewFlowHashes& h);
  // Wave 1: the subscriber gives the pool address; guess the first port.
  // False when the host would get no pool address (none to guess on).
  bool guess_first(const net::FlowKey& key, NewFlowHashes& h);
  // The next port the choice will try, should the last guessed be taken.
  void guess_next(const net::FlowKey& key, NewFlowHashes& h) const;

  // Whether a new mapping may take `external`: outside the reserved ranges
  // and held by no mapping (external_hash: its by_external() hash).
  bool available(net::Proto proto, Endpoint external, std::uint64_t external_hash) const {
    return !rules_.reserved(proto, external) &&
           table_.by_external().find(
               endpoint_key(net::Ipv4Addr(external.addr), external.port, proto), external_hash) ==
               SessionTable::kNone;
  }
  bool available(net::Proto proto, Endpoint external) const {
    return available(proto, external,
                     table_.by_external().hash(
                         endpoint_key(net::Ipv4Addr(external.addr), external.port, proto)));
  }
  // The pool address `internal_addr` has, or would get as a new subscriber.
  std::optional<std::uint32_t> pool_address(std::uint32_t internal_addr) const;

  // Mappings of `proto` held by the subscribers of pool address `index`
  // (forwards to them included): what the address's ports hold, counted
  // as commit() and release() go, never walked.
  std::uint32_t pool_mappings(std::uint32_t index, net::Proto proto) const {
    return pool_mappings_[index][proto_slot(proto)];
  }
  // Visits every subscriber (const Subscriber&). Cold: the whole table.
  template <class Visit>
  void for_each_subscriber(Visit&& visit) const {
    subscribers_.for_each(visit);
  }

  const AddressPool& pool() const { return pool_; }
  AddressPool& pool() { return pool_; }
  std::uint32_t subscriber_count() const { return subscribers_.size(); }
  std::size_t memory_bytes() const { return subscribers_.memory_bytes() + pool_.memory_bytes(); }

 private:
  static std::size_t proto_slot(net::Proto proto) {
    return proto == net::Proto::tcp ? 0 : proto == net::Proto::udp ? 1 : 2;
  }

  const SessionTable& table_;
  const StaticRules& rules_;
  SubscriberTable subscribers_;
  AddressPool pool_;
  std::vector<std::array<std::uint32_t, 3>> pool_mappings_;  // by pool index, proto_slot()
  SplitMix64 rng_;
  bool preserve_port_ = false;
  bool port_parity_ = false;
  WorkerSlice slice_;
  std::uint32_t port_probe_limit_ = 0;
  std::uint32_t sessions_per_subscriber_ = 0;
  std::uint32_t ports_per_subscriber_ = 0;
};

[[gnu::always_inline]] inline Subscriber* Binder::subscriber_for(std::uint32_t addr,
                                                                 DropReason& failure) {
  Subscriber* sub = subscribers_.find(addr);
  if (sub == nullptr) {
    if (subscribers_.size() >= subscribers_.max_size()) {
      failure = DropReason::subscriber_limit;
      return nullptr;
    }
    std::uint32_t pool_index = kNoPool;
    if (pool_.size() != 0) {
      const auto acquired = pool_.acquire(addr);
      if (!acquired) {
        failure = pool_.addressed() ? DropReason::pool_exhausted : DropReason::no_external_address;
        return nullptr;
      }
      pool_index = *acquired;
    }
    sub = subscribers_.insert(addr, pool_index);
  }
  if (sessions_per_subscriber_ != 0 && sub->sessions >= sessions_per_subscriber_) {
    failure = DropReason::subscriber_sessions;
    abandon(sub);
    return nullptr;
  }
  return sub;
}

[[gnu::always_inline]] inline Binding Binder::bind(const Subscriber& sub, const BindRequest& r) {
  // Every session of a mapping has its external endpoint (RFC 4787 REQ-1).
  if (r.mapped != nullptr) {
    if (r.fixed_external != nullptr && !(*r.fixed_external == *r.mapped)) {
      return {{}, std::nullopt, DropReason::no_session};
    }
    return {*r.mapped, std::nullopt, DropReason::none};
  }
  if (ports_per_subscriber_ != 0 && sub.mappings >= ports_per_subscriber_) {
    return {{}, std::nullopt, DropReason::subscriber_ports};
  }
  if (r.fixed_external != nullptr) return {*r.fixed_external, std::nullopt, DropReason::none};
  if (const PortForward* fwd = rules_.forward_outbound(r.proto, r.internal)) {
    return {StaticRules::forwarded_external(*fwd, r.internal.port), std::nullopt, DropReason::none};
  }
  if (sub.pool_index == kNoPool) return {{}, std::nullopt, DropReason::pool_exhausted};
  const std::uint32_t addr = pool_.address(sub.pool_index);
  Binding b;
  const auto is_free = [&](std::uint16_t port) __attribute__((always_inline)) {
    const net::FlowKey k = endpoint_key(net::Ipv4Addr(addr), port, r.proto);
    const PortGuess* guess = r.hashes != nullptr ? r.hashes->guess_for({addr, port}) : nullptr;
    b.external_hash = guess != nullptr ? guess->external_hash : table_.by_external().hash(k);
    return available(r.proto, {addr, port}, *b.external_hash);
  };
  if (r.suggested != nullptr && (r.suggested->addr == 0 || r.suggested->addr == addr) &&
      r.suggested->port != 0 &&
      (slice_.count <= 1 || port_owner(r.proto, r.suggested->port, slice_.count) == slice_.index) &&
      is_free(r.suggested->port)) {
    b.external = {addr, r.suggested->port};
    return b;
  }
  PortChoice how{preserve_port_, port_probe_limit_, std::nullopt, port_parity_};
  if (r.hashes != nullptr) how.first_start = r.hashes->first_start;
  const auto port = choose_port(r.proto, r.internal.port, how, rng_, is_free, slice_);
  if (!port) return {{}, std::nullopt, DropReason::ports_exhausted};
  b.external = {addr, *port};
  return b;
}

inline void Binder::guess_start(const net::FlowKey& key, NewFlowHashes& h) {
  h.guesses = 0;
  h.first_start =
      random_start(rng_, port_series(key.proto, key.src_port.value(), port_parity_, slice_).count);
  subscribers_.prefetch(key.src.value());
}

inline bool Binder::guess_first(const net::FlowKey& key, NewFlowHashes& h) {
  // A host without a subscriber yet will most likely get its pool home.
  const Subscriber* sub = subscribers_.find(key.src.value());
  std::uint32_t pool_index = kNoPool;
  if (sub != nullptr) {
    pool_index = sub->pool_index;
  } else if (pool_.size() != 0) {
    pool_index = pool_.home(key.src.value());
  }
  if (pool_index >= pool_.size()) return false;
  h.pool_addr = pool_.address(pool_index);
  h.probe_offset = h.first_start;
  guess_next(key, h);
  return true;
}

// The port the choice tries after the ones already guessed: the kept port
// first when it may be kept, then the probe from its start.
inline void Binder::guess_next(const net::FlowKey& key, NewFlowHashes& h) const {
  const std::uint16_t internal = key.src_port.value();
  const PortRange range = port_class(key.proto, internal, slice_);
  std::uint16_t port = internal;
  if (h.guesses != 0 || !preserve_port_ || !range.contains(internal)) {
    const PortSeries series = port_series(key.proto, internal, port_parity_, slice_);
    port = series.at(h.probe_offset);
    h.probe_offset = next_offset(h.probe_offset, series.count);
  }
  PortGuess& g = h.tried[h.guesses++];
  g.port = port;
  g.external_hash =
      table_.by_external().hash(endpoint_key(net::Ipv4Addr(h.pool_addr), port, key.proto));
  g.out2in_hash = table_.out2in().hash(
      net::FlowKey::of(key.dst.value(), h.pool_addr, key.dst_port.value(), port, key.proto));
  table_.by_external().prefetch(g.external_hash);
  table_.out2in().prefetch(g.out2in_hash);
}

}  // namespace masq::nat
