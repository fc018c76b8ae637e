// Router mode of the scenarios: the `router.*` config lines, the MACs the
// runner gives the gateway and the hosts, and the `counter router.NAME`
// lines. Syntax in README.md. Cold.
//
// MACs: the gateway is 02:00:00:00:00:01 on the LAN and 02:00:00:00:00:02
// on the WAN; a host is 0a:00 followed by its IPv4 address (192.168.77.2
// is 0a:00:c0:a8:4d:02), so that every frame says who sent it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "masq/net/ipv4_addr.hpp"
#include "masq/router/counters.hpp"
#include "masq/router/ethernet.hpp"
#include "scenarios/scenario.hpp"

namespace masq::test {

inline constexpr router::MacAddr kScenarioLanMac({0x02, 0x00, 0x00, 0x00, 0x00, 0x01});
inline constexpr router::MacAddr kScenarioWanMac({0x02, 0x00, 0x00, 0x00, 0x00, 0x02});

router::MacAddr host_mac(net::Ipv4Addr ip);

// The RouterConfig defaults with the gateway's MACs filled in.
RouterSetup default_router_setup();

// One `router.KEY = VALUE` line. Throws TextError.
void apply_router_line(std::span<const std::string> words, RouterSetup& setup);

// `counter router.NAME = N`: NAME is drop.REASON (router::DropReason names)
// or a RouterCounters field (see README.md).
bool is_router_counter(std::span<const std::string> words);
void validate_router_counter(std::span<const std::string> words);  // throws TextError
std::optional<std::string> evaluate_router_counter(std::span<const std::string> words,
                                                   const router::RouterCounters& counters);

}  // namespace masq::test
