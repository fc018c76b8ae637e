// Engine::reconfigure(): a new config under a running engine (masqctl
// reload, SIGHUP, runtime forwards and static rules). Cold.
#include <algorithm>

#include "engine_impl.hpp"

namespace masq::nat {

bool Engine::reconfigure(const EngineConfig& next, std::uint64_t now_ns, std::size_t& removed) {
  Impl& impl = *impl_;
  if (!validate(next).empty() || !restart_only_changes(impl.cfg_, next).empty()) return false;
  impl.now_ns_ = now_ns;
  SessionTable& table = impl.table_;
  table.set_now(static_cast<std::uint32_t>(now_ns / 1'000'000'000u));
  // Judged while the old rules still say what each session is: one made
  // through a forward the new config drops is a forward's, not a dynamic
  // session that happens to hold the port.
  StaticRules rules(next);
  impl.remove_matching(
      0, table.used_slots(),
      [&impl, &rules](const SessionView& v) {
        return impl.allowed(v, rules) != RestoreOutcome::restored;
      },
      impl.counters_.sessions_reconfigured, DeleteReason::reconfigured, removed);

  impl.cfg_ = next;
  impl.rules_ = std::move(rules);
  table.configure(impl.cfg_);
  impl.binder_.configure(impl.cfg_);
  impl.policy_.configure(impl.cfg_);
  impl.session_rate_ = SessionRate(impl.cfg_.new_sessions_per_s, impl.cfg_.new_sessions_burst);
  impl.syn_hold_ = SynHold(impl.cfg_.unsolicited_syn_icmp ? Impl::kSynHoldCapacity : 0);
  // A session never outlives the timeout its state has now; an explicit
  // mapping keeps the lifetime its host was granted.
  for (std::size_t idx = 0; idx < table.used_slots(); ++idx) {
    Session& s = table[static_cast<std::uint32_t>(idx)];
    if (!s.in_use() || s.resting() || !table.alive(s) || is_explicit_anchor(s)) continue;
    s.expires_s = std::min(s.expires_s, table.now_s() + table.timeout_s(s));
  }
  return true;
}

}  // namespace masq::nat
