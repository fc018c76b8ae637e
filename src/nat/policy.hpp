// Policy: the NAT's behaviour in RFC 4787's terms, chosen per protocol
// (EngineConfig::behaviour). Mapping: which sessions share an external
// endpoint, by the key a new session's mapping is found under
// (mapping_key(): the internal endpoint, and the remote address under ADM
// or its endpoint under APDM). Filtering: what becomes of a packet that
// matches no session: from the LAN, whether it may open one; from the WAN
// (or hairpinned), whether static NAT, a forward or a mapping whose filter
// admits its source takes it (RFC 4787 §5: EIF any source, ADF a source
// address the mapping has a live session with, APDF only a session's own
// remote, which out2in() has already found), or an explicit mapping
// (explicit_mappings.hpp) that admits it, whatever the filtering.
// Reads the static rules, the pool and the session table; changes nothing.
// Slow path; outbound_miss() and mapping_key(), which every new flow asks,
// inline.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "address_pool.hpp"
#include "explicit_mappings.hpp"
#include "masq/nat/drop_reason.hpp"
#include "masq/nat/engine_config.hpp"
#include "masq/nat/verdict.hpp"
#include "session.hpp"
#include "session_table.hpp"
#include "static_rules.hpp"

namespace masq::nat {

// What to do with a LAN packet that matched no session.
struct OutboundMiss {
  enum class Kind : std::uint8_t {
    drop,          // reason
    untranslated,  // routed as it is, leaving by `action`
    static_nat,    // 1:1 NAT to `external`
    open,          // a new session
  } kind = Kind::drop;
  DropReason reason = DropReason::none;
  Action action = Action::forward_wan;
  std::uint32_t external = 0;
  // The destination is one of our external addresses: the packet comes
  // back in through the out2in rewrite (hairpinning, RFC 4787 REQ-9).
  bool hairpin = false;
};

// What to do with a packet to an external address that matched no session.
struct InboundMiss {
  enum class Kind : std::uint8_t {
    drop,          // reason
    untranslated,  // routed as it is to the LAN
    static_nat,    // 1:1 NAT to internal.addr
    forward,       // a new session to `internal`, on the destination endpoint
    admitted,      // a new session on the ring of mapping `session`, to `internal`
  } kind = Kind::drop;
  DropReason reason = DropReason::none;
  Endpoint internal;
  std::uint32_t session = SessionTable::kNone;
};

class Policy {
 public:
  Policy(const EngineConfig& cfg, const StaticRules& rules, const AddressPool& pool,
         const SessionTable& table, const ExplicitMappings& explicit_mappings);

  // How mappings of `proto` depend on the remote.
  Dependence mapping(net::Proto proto) const { return mapping_[slot(proto)]; }
  // The key a new session's mapping is looked up by in the session table's
  // by_internal() index. It equals Session::internal_endpoint_key() of
  // every session of the mapping, which is how the index keys them.
  net::FlowKey mapping_key(Endpoint internal, Endpoint remote, net::Proto proto) const {
    return nat::mapping_key(masks_[slot(proto)], internal.addr, internal.port, remote.addr,
                            remote.port, proto);
  }

  // `key`: the packet's. `opens`: the packet may open a session: from the
  // LAN a TCP SYN (RFC 7857 §3.1), an ICMP echo request or any UDP
  // datagram; from the WAN the same, but an echo reply for ICMP (the
  // request carries no mapped identifier).
  OutboundMiss outbound_miss(const net::FlowKey& key, bool opens) const;
  InboundMiss inbound_miss(const net::FlowKey& key, bool opens) const;
  // What static NAT, a forward or an admitting mapping puts behind the
  // destination of `key`, an external endpoint, if anything: the part of
  // inbound_miss() that hairpinned packets go through too.
  std::optional<InboundMiss> behind_external(const net::FlowKey& key, bool opens) const;
  // A live session of the mapping at the destination of `key` whose filter
  // admits the key's source; SessionTable::kNone when there is none.
  std::uint32_t admitting_session(const net::FlowKey& key) const;

  // One of our external addresses: pool, static NAT or forward.
  bool is_ours(std::uint32_t addr) const {
    if (addr < ours_first_ || addr > ours_last_) return false;
    return pool_.contains(addr) || rules_.static_internal(addr) || rules_.is_forward_address(addr);
  }
  bool hairpinning() const { return hairpinning_; }
  // Takes behaviour, hairpinning and our external addresses from `cfg`
  // (a reconfigure, which never changes a mapping behaviour).
  void configure(const EngineConfig& cfg);
  // Takes the span of our external addresses from `cfg` again (they changed).
  void cover_addresses(const EngineConfig& cfg);
  const StaticRules& rules() const { return rules_; }

 private:
  // A distinct index below 4 for each protocol (ICMP 1, TCP 2, UDP 0), so
  // that what every new flow asks by protocol is a load, not a compare.
  static std::size_t slot(net::Proto proto) {
    const auto p = static_cast<unsigned>(proto);
    return (p ^ p >> 4) & 3;
  }

  const StaticRules& rules_;
  const AddressPool& pool_;
  const SessionTable& table_;
  const ExplicitMappings& explicit_;
  Behaviours behaviour_;
  std::array<Dependence, 4> mapping_{};
  std::array<MappingMasks, 4> masks_{};
  bool hairpinning_ = true;
  // The span from the lowest to the highest of our external addresses:
  // most addresses is_ours() is asked about lie outside it.
  std::uint32_t ours_first_ = 0xFFFFFFFFu;
  std::uint32_t ours_last_ = 0;
};

inline OutboundMiss Policy::outbound_miss(const net::FlowKey& key, bool opens) const {
  using Kind = OutboundMiss::Kind;
  const std::uint32_t src = key.src.value();
  const std::uint32_t dst = key.dst.value();
  if (!rules_.inside(src)) return {Kind::drop, DropReason::source_not_inside};
  // Between inside networks, and to excluded destinations (RFC 6888
  // REQ-6), the gateway routes without translating.
  const bool dst_inside = rules_.inside(dst);
  if (dst_inside || rules_.excluded(dst)) {
    return {Kind::untranslated, DropReason::none,
            dst_inside ? Action::hairpin : Action::forward_wan};
  }
  const bool to_ours = is_ours(dst);
  if (to_ours && !hairpinning_) return {Kind::drop, DropReason::no_session};
  if (const auto external = rules_.static_external(src)) {
    return {Kind::static_nat, DropReason::none, Action::forward_wan, *external, to_ours};
  }
  if (!opens) {
    return {Kind::drop,
            key.proto == net::Proto::tcp ? DropReason::tcp_not_syn : DropReason::no_session};
  }
  return {Kind::open, DropReason::none, Action::forward_wan, 0, to_ours};
}

}  // namespace masq::nat
