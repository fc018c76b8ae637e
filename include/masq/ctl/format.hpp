// Human-readable tables of control replies, for masqctl. Cold.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "masq/ctl/protocol.hpp"

namespace masq::ctl {

std::string format_status(const nlohmann::json& reply);
std::string format_sessions(const nlohmann::json& reply);
// The stats groups of a stats reply, and with `all` every counter too;
// zero values are left out unless `all` is set.
std::string format_stats(const nlohmann::json& reply, bool all);

// A lookup reply: who held the endpoint, or that nobody did.
std::string format_lookup(const nlohmann::json& reply, const std::string& outside,
                          const std::string& at);
// One line of an events stream, as conntrack -E prints them:
// "2026-...Z [NEW] udp inside=... outside=... kind=dynamic".
std::string format_event(const nlohmann::json& line);

// The reply to a reload, or to a forwards or static_rules `request`: the
// rules one per line after an edit or a list, and what an edit or a
// reload removed.
std::string format_reconfigured(const nlohmann::json& reply, const Request& request);

}  // namespace masq::ctl
