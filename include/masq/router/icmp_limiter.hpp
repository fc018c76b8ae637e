// IcmpLimiter: token buckets for the ICMP errors the gateway originates
// (time exceeded, destination unreachable of every code). RFC 1812
// §4.3.2.8 asks a router to limit them; without a limit a flood of TTL-1
// probes or of flows over quota draws one error each, which makes the
// gateway an amplifier and spends the uplink.
//
// Two levels, as Linux has (icmp_msgs_per_sec/icmp_msgs_burst, and the
// per-peer icmp_ratelimit): a global bucket bounds what all errors
// together cost; a bucket per destination host keeps one flooding host
// from using up the errors every other host is owed (a traceroute from
// one host still works while another floods). Fragmentation needed is
// held to the global bucket only: path MTU discovery (RFC 1191) needs one
// per path, and a host opening many paths at once must not lose them
// (Linux exempts it from both levels).
//
// Each bucket is GCRA-shaped: it holds the theoretical arrival time of the
// next error; an error conforms while that lies no more than burst - 1
// intervals ahead. Host buckets live in a fixed, direct-mapped table: a
// host whose slot holds another host takes the slot over when that one is
// idle (its bucket full again, so nothing is lost), else shares it, which
// can only limit more. Fixed size, no allocation after construction; time
// is a parameter. Cold: called only when an error is due.
#pragma once

#include <array>
#include <cstdint>

#include "masq/net/ipv4_addr.hpp"

namespace masq::router {

// A rate of 0 switches that level off (no limit); validate() holds rates
// to kMaxIcmpRatePerS and bursts to at least 1.
inline constexpr std::uint32_t kMaxIcmpRatePerS = 1'000'000;

struct IcmpRateLimit {
  std::uint32_t rate_per_s = 1000;        // Linux icmp_msgs_per_sec
  std::uint32_t burst = 50;               // Linux icmp_msgs_burst
  std::uint32_t per_host_rate_per_s = 1;  // Linux icmp_ratelimit, 1000 ms
  std::uint32_t per_host_burst = 6;       // Linux XRLIM_BURST_FACTOR
  bool operator==(const IcmpRateLimit&) const = default;
};

class IcmpLimiter {
 public:
  static constexpr std::size_t kHostSlots = 1024;

  explicit IcmpLimiter(const IcmpRateLimit& limit) noexcept;

  // Whether an error to `host` may go now; if so it is taken from the
  // buckets. `per_host`: false for errors only the global level limits.
  bool allow(net::Ipv4Addr host, bool per_host, std::uint64_t now_ns) noexcept;

 private:
  struct Bucket {
    std::uint64_t interval_ns = 0;  // 0: no limit
    std::uint64_t slack_ns = 0;     // (burst - 1) intervals
  };
  struct HostSlot {
    std::uint32_t host = 0;
    std::uint64_t next_ns = 0;  // theoretical arrival time; 0: never used
  };

  static bool conforms(const Bucket& b, std::uint64_t next_ns, std::uint64_t now_ns) noexcept;
  static std::uint64_t taken(const Bucket& b, std::uint64_t next_ns, std::uint64_t now_ns) noexcept;

  Bucket global_;
  Bucket host_;
  std::uint64_t global_next_ns_ = 0;
  std::array<HostSlot, kHostSlots> hosts_{};
};

}  // namespace masq::router
