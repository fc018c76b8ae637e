#include "flow_sets.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

namespace masq::bench {
namespace {

constexpr std::uint32_t kEphemeralFirst = 32768;  // Linux net.ipv4.ip_local_port_range
constexpr std::uint32_t kEphemeralCount = 60999 - 32768 + 1;
constexpr std::uint32_t kSamePortFirst = 40000;
constexpr std::uint32_t kRemoteNet = 0xC6120000;  // 198.18.0.0/15
constexpr std::uint32_t kRemoteCount = 1u << 17;
constexpr std::uint16_t kRemotePort = 443;

// Source ports for one host, following the pattern.
class PortPicker {
 public:
  PortPicker(PortPattern pattern, std::mt19937_64& rng)
      : pattern_(pattern), rng_(rng), owner_(kEphemeralCount, 0) {}

  void start_host(std::uint32_t host, std::uint32_t flows) {
    host_ = host + 1;
    switch (pattern_) {
      case PortPattern::random_ports:
        break;
      case PortPattern::port_blocks:
        next_ = kEphemeralFirst + below(kEphemeralCount - flows + 1);
        break;
      case PortPattern::same_port:
        next_ = kSamePortFirst;
        break;
    }
  }

  std::uint16_t next() {
    if (pattern_ != PortPattern::random_ports) return static_cast<std::uint16_t>(next_++);
    // Rejection sampling: owner_ remembers which host last took each port.
    for (;;) {
      const std::uint32_t offset = below(kEphemeralCount);
      if (owner_[offset] == host_) continue;
      owner_[offset] = host_;
      return static_cast<std::uint16_t>(kEphemeralFirst + offset);
    }
  }

 private:
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }

  PortPattern pattern_;
  std::mt19937_64& rng_;
  std::vector<std::uint32_t> owner_;
  std::uint32_t host_ = 0;
  std::uint32_t next_ = 0;
};

}  // namespace

std::vector<net::FlowKey> make_flows(const FlowSetSpec& spec) {
  if (spec.flows_per_host > kEphemeralCount) {
    throw std::invalid_argument("make_flows: more flows per host than ephemeral ports");
  }
  std::mt19937_64 rng(spec.seed);
  PortPicker ports(spec.ports, rng);
  std::vector<net::FlowKey> flows;
  flows.reserve(std::size_t{spec.hosts} * spec.flows_per_host);
  for (std::uint32_t h = 0; h < spec.hosts; ++h) {
    ports.start_host(h, spec.flows_per_host);
    for (std::uint32_t j = 0; j < spec.flows_per_host; ++j) {
      const auto remote = kRemoteNet + static_cast<std::uint32_t>(rng() % kRemoteCount);
      flows.push_back({net::Ipv4Addr(kFirstHost + h),
                       net::Ipv4Addr(remote),
                       net::Port(ports.next()),
                       net::Port(kRemotePort),
                       net::Proto::udp,
                       {}});
    }
  }
  std::shuffle(flows.begin(), flows.end(), rng);
  return flows;
}

std::vector<net::FlowKey> reshuffled(std::vector<net::FlowKey> flows, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::shuffle(flows.begin(), flows.end(), rng);
  return flows;
}

}  // namespace masq::bench
