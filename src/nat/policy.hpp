// Policy: the NAT's behaviour in RFC 4787's terms, decided from addresses
// and keys alone. Mapping: which sessions share an external endpoint, by
// the key a new session's mapping is found under; masq maps
// endpoint-independently (RFC 4787 REQ-1, RFC 5382 REQ-1). Filtering: what
// becomes of a packet that matches no session: from the LAN, whether it
// may open one; from the WAN, whether anything (static NAT, a forward)
// takes it. masq filters per session (address-and-port-dependent): an
// unmatched WAN packet is refused even when it reaches a mapping's
// external endpoint; endpoint-independent or address-dependent filtering
// (RFC 4787 REQ-8) would admit it in inbound_miss().
// Reads the static rules and the pool, never the session table; changes
// nothing. Slow path; outbound_miss(), which every new flow asks, inline.
#pragma once

#include <cstdint>
#include <optional>

#include "address_pool.hpp"
#include "masq/nat/drop_reason.hpp"
#include "masq/nat/engine_config.hpp"
#include "masq/nat/verdict.hpp"
#include "session.hpp"
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
  } kind = Kind::drop;
  DropReason reason = DropReason::none;
  Endpoint internal;
};

class Policy {
 public:
  Policy(const EngineConfig& cfg, const StaticRules& rules, const AddressPool& pool);

  // The key a new session's mapping is looked up by in the session table's
  // by_internal() index: endpoint-independent, so the internal endpoint
  // alone. It must equal Session::internal_endpoint_key() of every session
  // of the mapping, which is how the index keys them.
  static net::FlowKey mapping_key(Endpoint internal, net::Proto proto) {
    return endpoint_key(net::Ipv4Addr(internal.addr), internal.port, proto);
  }

  // `key`: the packet's. `opens`: the packet may open a session (a TCP
  // SYN, RFC 7857 §3.1; an ICMP echo request; any UDP datagram).
  OutboundMiss outbound_miss(const net::FlowKey& key, bool opens) const;
  InboundMiss inbound_miss(const net::FlowKey& key, bool opens) const;
  // What static NAT or a forward puts behind the destination of `key`, an
  // external endpoint, if anything: the part of inbound_miss() that
  // hairpinned packets go through too.
  std::optional<InboundMiss> behind_external(const net::FlowKey& key, bool opens) const;

  // One of our external addresses: pool, static NAT or forward.
  bool is_ours(std::uint32_t addr) const {
    if (addr < ours_first_ || addr > ours_last_) return false;
    return pool_.contains(addr) || rules_.static_internal(addr) || rules_.is_forward_address(addr);
  }
  bool hairpinning() const { return hairpinning_; }
  const StaticRules& rules() const { return rules_; }

 private:
  const StaticRules& rules_;
  const AddressPool& pool_;
  bool hairpinning_;
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
