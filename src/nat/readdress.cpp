// Engine::readdress(): an external address changes under a running engine
// (the WAN's DHCP lease moved). Cold.
#include "engine_impl.hpp"

namespace masq::nat {

bool Engine::readdress(net::Ipv4Addr from, net::Ipv4Addr to, std::uint64_t now_ns,
                       std::size_t& removed) {
  Impl& impl = *impl_;
  if (!impl.binder_.pool().replace(from.value(), to.value())) return false;
  EngineConfig& cfg = impl.cfg_;
  move_address(cfg, from, to);
  impl.rules_ = StaticRules(cfg);
  impl.policy_.cover_addresses(cfg);
  // What was made on the old address is unreachable now: its peers send to
  // an address that is no longer ours.
  impl.now_ns_ = now_ns;
  impl.table_.set_now(static_cast<std::uint32_t>(now_ns / 1'000'000'000u));
  const std::uint32_t old = from.value();
  impl.remove_matching(
      0, impl.table_.used_slots(),
      [old](const SessionView& v) { return v.external_addr.value() == old; },
      impl.counters_.sessions_readdressed, DeleteReason::readdressed, removed);
  return true;
}

}  // namespace masq::nat
