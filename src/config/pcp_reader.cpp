// [pcp]: the PCP and NAT-PMP server (pcp::ServerConfig, docs/config.md).
#include <string>

#include "toml_reader.hpp"

namespace masq::config {

void read_pcp(TableReader& table, pcp::ServerConfig& pcp) {
  const auto flag = [&](std::string_view key, bool& field) {
    if (const auto v = table.boolean(key)) field = *v;
  };
  const auto count = [&](std::string_view key, std::uint32_t& field) {
    if (const auto v = table.integer<std::uint32_t>(key)) field = *v;
  };
  flag("enabled", pcp.enabled);
  flag("natpmp", pcp.natpmp);
  flag("allow_third_party", pcp.allow_third_party);
  count("min_lifetime_s", pcp.min_lifetime_s);
  count("max_lifetime_s", pcp.max_lifetime_s);
  count("max_mappings", pcp.max_mappings);
  count("max_mappings_per_host", pcp.max_mappings_per_host);
  count("max_filters", pcp.max_filters);
  count("max_requests_per_s", pcp.max_requests_per_s);
  count("long_error_lifetime_s", pcp.long_error_lifetime_s);
  count("short_error_lifetime_s", pcp.short_error_lifetime_s);
  if (const std::string_view problem = pcp::validate(pcp); !problem.empty()) {
    table.error("", problem);
  }
}

}  // namespace masq::config
