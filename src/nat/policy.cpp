#include "policy.hpp"

#include <algorithm>

namespace masq::nat {

Policy::Policy(const EngineConfig& cfg, const StaticRules& rules, const AddressPool& pool,
               const SessionTable& table, const ExplicitMappings& explicit_mappings)
    : rules_(rules), pool_(pool), table_(table), explicit_(explicit_mappings) {
  configure(cfg);
}

void Policy::configure(const EngineConfig& cfg) {
  behaviour_ = cfg.behaviour;
  hairpinning_ = cfg.hairpinning;
  for (const net::Proto proto : {net::Proto::icmp, net::Proto::tcp, net::Proto::udp}) {
    mapping_[slot(proto)] = behaviour_.of(proto).mapping;
    masks_[slot(proto)] = mapping_masks(mapping_[slot(proto)]);
  }
  cover_addresses(cfg);
}

void Policy::cover_addresses(const EngineConfig& cfg) {
  ours_first_ = 0xFFFFFFFFu;
  ours_last_ = 0;
  // 0.0.0.0 stands for an address not known yet (AddressPool::replace()).
  const auto cover = [this](std::uint32_t first, std::uint32_t last) {
    if (last == 0) return;
    ours_first_ = std::min(ours_first_, std::max(first, 1u));
    ours_last_ = std::max(ours_last_, last);
  };
  for (const auto& r : cfg.pool) cover(r.first.value(), r.last.value());
  for (const auto& s : cfg.static_nat) cover(s.external.value(), s.external.value());
  for (const auto& f : cfg.forwards) cover(f.external_addr.value(), f.external_addr.value());
}

std::optional<InboundMiss> Policy::behind_external(const net::FlowKey& key, bool opens) const {
  using Kind = InboundMiss::Kind;
  const std::uint32_t dst = key.dst.value();
  if (const auto internal = rules_.static_internal(dst)) {
    return InboundMiss{Kind::static_nat, DropReason::none, {*internal, 0}};
  }
  // ICMP echo has no forwards: its identifier is no port.
  if (key.proto != net::Proto::icmp) {
    if (const auto target = rules_.forward_inbound(key.proto, {dst, key.dst_port.value()})) {
      if (!opens) return InboundMiss{Kind::drop, DropReason::no_session, {}};
      return InboundMiss{Kind::forward, DropReason::none, *target};
    }
  }
  if (!opens) return std::nullopt;
  if (const std::uint32_t idx = admitting_session(key); idx != SessionTable::kNone) {
    const Session& s = table_[idx];
    return InboundMiss{Kind::admitted, DropReason::none, {s.int_addr, s.int_port}, idx};
  }
  return std::nullopt;
}

std::uint32_t Policy::admitting_session(const net::FlowKey& key) const {
  constexpr std::uint32_t kNone = SessionTable::kNone;
  const Dependence filter = behaviour_.of(key.proto).filtering;
  // Under APDF only a session with the key's own remote admits it, and
  // out2in() would have found that session; or an explicit mapping.
  if (filter == Dependence::address_and_port && explicit_.empty()) return kNone;
  const auto& index = table_.by_external();
  const net::FlowKey external = endpoint_key(key.dst, key.dst_port.value(), key.proto);
  const std::uint32_t head = index.find(external, index.hash(external));
  if (head == kNone) return kNone;
  // The filter's state is the mapping's live sessions (RFC 4787 §5): its
  // ring. The mapping lasts while one of them does. An explicit mapping's
  // anchor admits whom its entries admit (RFC 6887 §11.3, §13.3).
  const std::uint32_t src = key.src.value();
  std::uint32_t idx = head;
  do {
    const Session& s = table_[idx];
    if (table_.alive(s) && !s.resting()) {
      if (is_explicit_anchor(s)) {
        if (explicit_.admits(key.proto, {s.int_addr, s.int_port}, {src, key.src_port.value()},
                             table_.now_s())) {
          return idx;
        }
      } else if (filter == Dependence::independent ||
                 (filter == Dependence::address && s.rem_addr == src)) {
        return idx;
      }
    }
    idx = s.ring_next;
  } while (idx != head);
  return kNone;
}

InboundMiss Policy::inbound_miss(const net::FlowKey& key, bool opens) const {
  using Kind = InboundMiss::Kind;
  const std::uint32_t src = key.src.value();
  const std::uint32_t dst = key.dst.value();
  // RFC 1812 §5.3.7 spirit: a WAN packet claiming an inside or one of our
  // own addresses as its source is forged.
  if (rules_.inside(src) || is_ours(src)) return {Kind::drop, DropReason::martian_source, {}};
  if (const auto behind = behind_external(key, opens)) return *behind;
  if (rules_.excluded(src) && rules_.inside(dst)) return {Kind::untranslated, DropReason::none, {}};
  // RFC 5382 REQ-4: an unsolicited SYN gets no answer at all.
  return {Kind::drop, is_ours(dst) ? DropReason::no_session : DropReason::not_for_us, {}};
}

}  // namespace masq::nat
