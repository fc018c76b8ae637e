#include "binder.hpp"

namespace masq::nat {

Binder::Binder(const EngineConfig& cfg, const SessionTable& table, const StaticRules& rules)
    : table_(table),
      rules_(rules),
      subscribers_(cfg.max_subscribers),
      pool_(cfg.pool, cfg.pool_mode, cfg.seed),
      pool_mappings_(pool_.size()),
      rng_(cfg.seed),
      slice_(cfg.worker) {
  configure(cfg);
}

void Binder::configure(const EngineConfig& cfg) {
  preserve_port_ = cfg.preserve_port;
  port_parity_ = cfg.port_parity;
  port_probe_limit_ = cfg.port_probe_limit;
  sessions_per_subscriber_ = cfg.sessions_per_subscriber;
  ports_per_subscriber_ = cfg.ports_per_subscriber;
}

void Binder::abandon(Subscriber* sub) {
  if (sub == nullptr || sub->sessions != 0) return;
  if (sub->pool_index != kNoPool) pool_.release(sub->pool_index);
  subscribers_.erase(sub->addr);
}

void Binder::release(std::uint32_t int_addr, bool mapping_gone, net::Proto proto) {
  Subscriber* sub = subscribers_.find(int_addr);
  if (mapping_gone) {
    --sub->mappings;
    if (sub->pool_index != kNoPool) --pool_mappings_[sub->pool_index][proto_slot(proto)];
  }
  if (--sub->sessions == 0) {
    if (sub->pool_index != kNoPool) pool_.release(sub->pool_index);
    subscribers_.erase(int_addr);
  }
}

std::optional<std::uint32_t> Binder::pool_address(std::uint32_t internal_addr) const {
  std::uint32_t index = kNoPool;
  if (const Subscriber* sub = subscribers_.find(internal_addr)) {
    index = sub->pool_index;
  } else if (pool_.size() != 0) {
    index = pool_.home(internal_addr);
  }
  if (index == kNoPool) return std::nullopt;
  // 0.0.0.0: the address is not known yet (AddressPool::replace()).
  const std::uint32_t addr = pool_.address(index);
  if (addr == 0) return std::nullopt;
  return addr;
}

}  // namespace masq::nat
