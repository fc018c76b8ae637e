// Engine::Impl: the engine's state and the steps of process(), split over
// engine.cpp (batch pipeline, fast path), session_store.cpp (making and
// freeing sessions, expiry), new_flow.cpp (slow path: first packets,
// static rules, hairpin) and icmp_errors.cpp (RFC 5508 error translation).
// Private to the engine.
#pragma once

#include <array>
#include <vector>

#include "address_pool.hpp"
#include "masq/nat/engine.hpp"
#include "random.hpp"
#include "rewrite.hpp"
#include "session_index.hpp"
#include "static_rules.hpp"
#include "subscriber_table.hpp"
#include "table_array.hpp"

namespace masq::nat {

// An external port the port choice may take for a new flow, with the
// by_external_ hash of its endpoint and the out2in_ hash of the session it
// would give, computed ahead by the prefetch waves.
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
// LAN, which making its session needs again (prefetch_new_flows()).
struct NewFlowHashes {
  std::uint64_t in2out = 0;   // in2out_: the packet's key
  std::uint64_t mapping = 0;  // by_internal_: the internal endpoint
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

// What the first pipeline stage made of a packet.
struct Pending {
  net::ParsedPacket pkt;
  net::FlowKey key;
  std::uint64_t hash = 0;  // of `key` in the index of the side it came from
  std::uint32_t candidate = 0;
  enum class Kind : std::uint8_t { done, lookup, icmp_error } kind = Kind::done;
};

// A session to make. fixed_external: the external endpoint is given (a
// forward), not chosen. remote_is_ours: the remote is one of our external
// addresses (hairpin). hashes: what the prefetch waves already computed.
struct NewSession {
  Endpoint internal;
  Endpoint remote;
  net::Proto proto = net::Proto::udp;
  const Endpoint* fixed_external = nullptr;
  bool remote_is_ours = false;
  const NewFlowHashes* hashes = nullptr;
};

// Why a session could not be made; DropReason::none on success.
struct Created {
  std::uint32_t idx = 0;
  DropReason failure = DropReason::none;
};

struct Engine::Impl {
  explicit Impl(const EngineConfig& config);

  static constexpr std::size_t kChunk = 64;
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // engine.cpp: the pipeline, compiled once per side.
  void process(std::span<const PacketRef> batch, Side from, std::uint64_t now_ns,
               std::span<Verdict> verdicts);
  template <Side from>
  void run(std::span<const PacketRef> batch, std::span<Verdict> verdicts);
  template <Side from>
  Verdict classify(const PacketRef& ref, Pending& p) const;
  // Instantiated for both sides in engine.cpp (the slow path calls it too).
  template <Side from>
  Verdict translate_hit(std::uint32_t idx, const net::ParsedPacket& pkt);
  template <bool in2out>
  void refresh(Session& s, const net::ParsedPacket& pkt);
  // The index that finds a session from a packet arriving on `from`.
  template <Side from>
  const auto& flow_index() const {
    if constexpr (from == Side::lan) {
      return in2out_;
    } else {
      return out2in_;
    }
  }

  // session_store.cpp
  Created create_session(const NewSession& n);
  Created try_create_session(const NewSession& n);
  void remove_session(std::uint32_t idx);
  void expire_some(std::uint32_t budget);
  std::uint32_t reclaim_expired();
  bool alive(const Session& s) const { return now_s_ <= s.expires_s; }
  std::uint32_t timeout_s(const Session& s) const {
    return s.protocol() == net::Proto::tcp ? tcp_timeout_s_[static_cast<std::size_t>(s.tcp_state())]
                                           : other_timeout_s_[s.protocol() == net::Proto::udp];
  }

  // new_flow.cpp
  // new_flows[i] belongs to pending[i].
  void prefetch_new_flows(std::span<const Pending> pending, std::span<NewFlowHashes> new_flows);
  Verdict first_in2out(const Pending& p, const NewFlowHashes& hashes);
  Verdict first_out2in(const net::ParsedPacket& pkt, const net::FlowKey& key);
  Verdict hairpin(const net::ParsedPacket& pkt, const Rewrite& outbound);
  bool is_ours(std::uint32_t addr) const;

  // icmp_errors.cpp
  Verdict translate_icmp_error(const net::ParsedPacket& pkt, Side from);
  std::optional<Rewrite> quote_outbound(const net::ParsedPacket& quote) const;
  std::optional<Rewrite> quote_inbound(const net::ParsedPacket& quote,
                                       const net::FlowKey& reply_key) const;

  Verdict drop(DropReason r) {
    ++counters_.drops[static_cast<std::size_t>(r)];
    return Verdict::dropped(r);
  }
  Verdict refuse(DropReason r) {
    ++counters_.drops[static_cast<std::size_t>(r)];
    return Verdict::icmp(r, net::icmp::kDestUnreachable, net::icmp::kCodeAdminProhibited);
  }

  EngineConfig cfg_;
  TableArray<Session> sessions_;
  TableArray<std::uint32_t> ring_prev_;  // cold half of the mapping ring
  std::uint32_t free_head_ = kNone;
  std::uint32_t live_ = 0;
  std::uint32_t sweep_hand_ = 0;
  std::uint32_t high_water_ = 0;  // slots [0, high_water_) have been used
  SessionIndex<&Session::in2out_key> in2out_;
  SessionIndex<&Session::out2in_key> out2in_;
  SessionIndex<&Session::internal_endpoint_key> by_internal_;
  SessionIndex<&Session::external_endpoint_key> by_external_;
  SubscriberTable subscribers_;
  AddressPool pool_;
  StaticRules rules_;
  SplitMix64 rng_;
  // Timeouts by TCP state, and for ICMP [0] and UDP [1]: a load, not a switch.
  std::array<std::uint32_t, Session::kStateMask + 1> tcp_timeout_s_{};
  std::array<std::uint32_t, 2> other_timeout_s_{};
  Counters counters_;
  std::uint32_t now_s_ = 0;
  // The span from the lowest to the highest of our external addresses (pool,
  // static, forwards): most addresses is_ours() is asked about lie outside it.
  std::uint32_t ours_first_ = 0xFFFFFFFFu;
  std::uint32_t ours_last_ = 0;
  // Scratch of the pipeline stages, kept here so that no call constructs it.
  std::array<Pending, kChunk> pending_;
  // Beside pending_, for the LAN packets that missed (apart: the fast path
  // does not need them).
  std::array<NewFlowHashes, kChunk> new_flows_;
};

}  // namespace masq::nat
