// run_router_scenario: drives a fresh Router (and through it a fresh
// Engine) through a router-mode Scenario. Sent packets are wrapped in
// Ethernet to the gateway's MAC from the MAC of the hop they come from
// (router_text.hpp); each call's frames out are matched, in order per
// side, against its expect lines, and any frame no line accounts for is a
// failure. Every IPv4 frame out has its checksums recomputed by the
// independent oracle (fragments: each one, and the datagram they make),
// its Ethernet header checked (from the gateway, to the MAC of the next
// hop), and nothing leaving by the WAN may carry an inside address. Cold.
#pragma once

#include <vector>

#include "scenarios/scenario.hpp"
#include "scenarios/scenario_runner.hpp"

namespace masq::test {

std::vector<Failure> run_router_scenario(const Scenario& scenario);

}  // namespace masq::test
