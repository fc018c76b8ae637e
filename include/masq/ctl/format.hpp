// Human-readable tables of control replies, for masqctl. Cold.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace masq::ctl {

std::string format_status(const nlohmann::json& reply);
std::string format_sessions(const nlohmann::json& reply);
// Zero counters are left out unless `all` is set.
std::string format_counters(const nlohmann::json& reply, bool all);

}  // namespace masq::ctl
