#include "masq/router/icmp_limiter.hpp"

#include <algorithm>

namespace masq::router {
namespace {

constexpr std::uint64_t kNsPerS = 1'000'000'000;

}  // namespace

IcmpLimiter::IcmpLimiter(const IcmpRateLimit& limit) noexcept {
  const auto bucket = [](std::uint32_t rate_per_s, std::uint32_t burst) {
    Bucket b;
    if (rate_per_s == 0) return b;
    b.interval_ns = kNsPerS / rate_per_s;
    b.slack_ns = b.interval_ns * (burst - 1);
    return b;
  };
  global_ = bucket(limit.rate_per_s, limit.burst);
  host_ = bucket(limit.per_host_rate_per_s, limit.per_host_burst);
}

bool IcmpLimiter::conforms(const Bucket& b, std::uint64_t next_ns, std::uint64_t now_ns) noexcept {
  return b.interval_ns == 0 || next_ns <= now_ns + b.slack_ns;
}

std::uint64_t IcmpLimiter::taken(const Bucket& b, std::uint64_t next_ns,
                                 std::uint64_t now_ns) noexcept {
  return std::max(next_ns, now_ns) + b.interval_ns;
}

bool IcmpLimiter::allow(net::Ipv4Addr host, bool per_host, std::uint64_t now_ns) noexcept {
  HostSlot* slot = nullptr;
  if (per_host && host_.interval_ns != 0) {
    // Fibonacci hashing: the top bits of the product spread neighbouring
    // addresses over the table.
    const std::uint32_t index = (host.value() * 0x9E3779B1u) >> 22;
    static_assert(kHostSlots == std::size_t{1} << 10);
    slot = &hosts_[index];
    if (slot->host != host.value() && slot->next_ns <= now_ns) *slot = {host.value(), 0};
    if (!conforms(host_, slot->next_ns, now_ns)) return false;
  }
  if (!conforms(global_, global_next_ns_, now_ns)) return false;
  if (global_.interval_ns != 0) global_next_ns_ = taken(global_, global_next_ns_, now_ns);
  if (slot != nullptr) slot->next_ns = taken(host_, slot->next_ns, now_ns);
  return true;
}

}  // namespace masq::router
