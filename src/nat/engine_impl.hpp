// Engine::Impl: the pipeline that ties the engine's parts together. It
// owns the session table (session_table.hpp), the static rules, the binder
// (binder.hpp) and the policy (policy.hpp), and runs process() over them:
// engine.cpp (batch pipeline, fast path), new_flow.cpp (slow path: first
// packets, making sessions, hairpin) and icmp_errors.cpp (RFC 5508 error
// translation). The rewrite is rewrite.hpp. Private to the engine.
#pragma once

#include <array>

#include "accounting.hpp"
#include "binder.hpp"
#include "event_ring.hpp"
#include "explicit_mappings.hpp"
#include "ip_id.hpp"
#include "masq/nat/engine.hpp"
#include "policy.hpp"
#include "rewrite.hpp"
#include "session_rate.hpp"
#include "session_table.hpp"
#include "static_rules.hpp"
#include "syn_hold.hpp"

namespace masq::nat {

// What the first pipeline stage made of a packet.
struct Pending {
  const net::ParsedPacket* pkt = nullptr;  // the caller's, alive for the whole batch
  net::FlowKey key;
  std::uint64_t hash = 0;  // of `key` in the index of the side it came from
  std::uint32_t candidate = 0;
  enum class Kind : std::uint8_t { done, lookup, icmp_error } kind = Kind::done;
};

// Whether a packet may open a session: only a SYN opens a TCP one (RFC 7857
// §3.1), only an echo request an ICMP one.
inline bool opens_session(const net::ParsedPacket& pkt, net::Proto proto) {
  if (proto == net::Proto::tcp) {
    const TcpFlags f = tcp_flags(pkt);
    return f.syn && !f.ack && !f.rst;
  }
  return proto != net::Proto::icmp || net::IcmpView(pkt.l4).type() == net::icmp::kEchoRequest;
}

// The same for a packet to an external endpoint, which may open a session
// on a mapping that admits it: for ICMP an echo reply, which carries the
// mapped identifier.
inline bool opens_inbound(const net::ParsedPacket& pkt, net::Proto proto) {
  if (proto == net::Proto::icmp) return net::IcmpView(pkt.l4).type() == net::icmp::kEchoReply;
  return opens_session(pkt, proto);
}

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
  const Endpoint* suggested = nullptr;  // an explicit mapping's wish
};

// Why a session could not be made; DropReason::none on success.
struct Created {
  std::uint32_t idx = 0;
  DropReason failure = DropReason::none;
};

struct Engine::Impl {
  explicit Impl(const EngineConfig& config);

  static constexpr std::size_t kChunk = 64;
  // Unsolicited SYNs held at once (RFC 5382 REQ-4): a scan beyond it in 6 s
  // is dropped silently, as without the option.
  static constexpr std::size_t kSynHoldCapacity = 256;
  static constexpr std::uint32_t kNone = SessionTable::kNone;

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
      return table_.in2out();
    } else {
      return table_.out2in();
    }
  }

  Verdict expired_out2in(const Pending& p);
  // new_flow.cpp
  // new_flows[i] belongs to pending[i].
  void prefetch_new_flows(std::span<const Pending> pending, std::span<NewFlowHashes> new_flows);
  Verdict first_in2out(const Pending& p, const NewFlowHashes& hashes);
  Verdict first_out2in(const net::ParsedPacket& pkt, const net::FlowKey& key);
  // origin: the session whose rewrite `outbound` is (kNone: static NAT).
  Verdict hairpin(const net::ParsedPacket& pkt, const Rewrite& outbound, std::uint32_t origin);
  Created create_session(const NewSession& n);
  Created try_create_session(const NewSession& n);
  // Expires session idx, whose packet found it expired (its mapping may
  // rest), or whose explicit mapping ended (`why`).
  void remove_expired(std::uint32_t idx, DeleteReason why = DeleteReason::expired);
  // A session as masqctl shows it.
  SessionView view_of(const Session& s, std::uint32_t now_s) const;
  SessionKind kind_of(const Session& s) const;
  // The table's removals, seen by the binder and the explicit mappings.
  void forget(const SessionTable::Removed& r) {
    binder_.release(r.session.int_addr, r.mapping_gone, r.session.protocol());
    if (is_explicit_anchor(r.session)) [[unlikely]]
      explicit_.erase_anchor(r.session.protocol(), {r.session.int_addr, r.session.int_port});
  }
  // ... and by the counters and the events.
  void removed(const SessionTable::Removed& r, DeleteReason why) {
    forget(r);
    ++counters_.sessions_expired;
    record(r.session, EventType::delete_, why);
  }
  // Removes the live sessions among `budget` slots from `cursor` on that
  // `match` selects, as though they expired now; each one removed adds 1
  // to `counter` and `removed`, and is recorded as deleted for `why`.
  // Returns the cursor to go on from, 0 at the end.
  std::size_t remove_matching(std::size_t cursor, std::size_t budget,
                              const std::function<bool(const SessionView&)>& match,
                              std::uint64_t& counter, DeleteReason why, std::size_t& removed);
  // A session event into the ring, when events are on (session_event.hpp);
  // counted as dropped when the ring is full.
  void record(const Session& s, EventType type, DeleteReason why) {
    if (!events_.enabled()) return;
    if (!events_.push(event_of(s, type, why))) ++counters_.events_dropped;
  }
  SessionEvent event_of(const Session& s, EventType type, DeleteReason why) const;

  // restore.cpp: whether `rules` (and the pool's pairing) allow the session
  // `v` to exist, judged as a restore judges a saved one; restored if so.
  RestoreOutcome allowed(const SessionView& v, const StaticRules& rules) const;

  // explicit_mapping.cpp
  ExplicitResult map_explicit(const ExplicitRequest& r);
  void unmap_explicit(net::Proto proto, Endpoint internal, std::optional<Endpoint> peer);
  std::uint32_t find_anchor(net::Proto proto, Endpoint internal) const;

  // icmp_errors.cpp
  Verdict translate_icmp_error(const net::ParsedPacket& pkt, Side from);
  std::optional<Rewrite> quote_outbound(const net::ParsedPacket& quote) const;
  std::optional<Rewrite> quote_inbound(const net::ParsedPacket& quote,
                                       const net::FlowKey& reply_key) const;

  Verdict drop(DropReason r) {
    ++counters_.drops[static_cast<std::size_t>(r)];
    return Verdict::dropped(r);
  }
  Verdict time_exceeded() {
    ++counters_.drops[static_cast<std::size_t>(DropReason::ttl_expired)];
    return Verdict::icmp(DropReason::ttl_expired, net::icmp::kTimeExceeded, 0);
  }
  // MSS clamping (mss_clamp.hpp) of a TCP SYN or SYN-ACK crossing, by
  // whatever path (session, static 1:1, untranslated): the clamp is about
  // the links, not the translation.
  void clamp_syn(const net::ParsedPacket& pkt) {
    if (cfg_.tcp_mss_clamp != 0) [[unlikely]]
      clamp_tcp_syn(pkt);
  }
  void clamp_tcp_syn(const net::ParsedPacket& pkt);
  // RFC 5382 REQ-4: an unsolicited inbound SYN, held when so configured.
  void hold_unsolicited_syn(const net::ParsedPacket& pkt, const net::FlowKey& key);

  Verdict refuse(DropReason r) {
    ++counters_.drops[static_cast<std::size_t>(r)];
    return Verdict::icmp(r, net::icmp::kDestUnreachable, net::icmp::kCodeAdminProhibited);
  }

  EngineConfig cfg_;
  SessionTable table_;
  StaticRules rules_;
  Binder binder_;
  ExplicitMappings explicit_;
  Policy policy_;
  IpIds ip_ids_;
  SessionRate session_rate_;
  SynHold syn_hold_;
  EventRing events_;
  Accounting accounting_;
  std::uint64_t now_ns_ = 0;  // of the batch being processed
  Counters counters_;
  // Scratch of the pipeline stages, kept here so that no call constructs it.
  std::array<Pending, kChunk> pending_;
  // Beside pending_, for the LAN packets that missed (apart: the fast path
  // does not need them).
  std::array<NewFlowHashes, kChunk> new_flows_;
};

}  // namespace masq::nat
