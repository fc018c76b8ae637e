// SessionRate: how fast one subscriber may open sessions, a token bucket
// per subscriber (EngineConfig::new_sessions_per_s, new_sessions_burst).
// The session and port quotas bound what a LAN host holds (RFC 6888
// REQ-4/5); this bounds how fast it churns, so that a host flooding new
// flows (a SYN flood, a scan) spends its own budget, not the table's
// sweep and the port choice everyone shares. Whole seconds, as the session
// table's clock: a subscriber gets `rate` tokens a second, up to `burst`.
// Private to the engine. Slow path: new flows only.
#pragma once

#include <algorithm>
#include <cstdint>

#include "subscriber_table.hpp"

namespace masq::nat {

class SessionRate {
 public:
  SessionRate(std::uint32_t rate_per_s, std::uint32_t burst) : rate_(rate_per_s), burst_(burst) {}

  // Takes a token from `sub` at `now_s`; false when it has none left.
  bool admit(Subscriber& sub, std::uint32_t now_s) const {
    if (rate_ == 0) return true;
    if (sub.rate_tokens == kUnset) {
      sub.rate_tokens = burst_;  // a new subscriber starts with a full bucket
    } else if (now_s != sub.rate_refilled_s) {
      const std::uint64_t refill = std::uint64_t{now_s - sub.rate_refilled_s} * rate_;
      sub.rate_tokens = static_cast<std::uint32_t>(
          std::min<std::uint64_t>(burst_, std::uint64_t{sub.rate_tokens} + refill));
    }
    sub.rate_refilled_s = now_s;
    if (sub.rate_tokens == 0) return false;
    --sub.rate_tokens;
    return true;
  }

  static constexpr std::uint32_t kUnset = 0xFFFFFFFFu;

 private:
  std::uint32_t rate_;
  std::uint32_t burst_;
};

}  // namespace masq::nat
