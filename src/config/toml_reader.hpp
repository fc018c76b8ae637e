// read_toml: the TOML configuration file (schema in docs/config.md) into a
// Draft. Every problem is reported as "FILE:LINE: KEY: message" and reading
// goes on, so that one run shows all of them. Returns false when the text is
// not TOML at all (the syntax error is then the only error).
// Internal to the config component. Cold.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "draft.hpp"
#include "table_reader.hpp"

namespace masq::config {

bool read_toml(std::string_view text, std::string_view source, Draft& draft,
               std::vector<std::string>& errors);

// The [nat] table (nat_reader.cpp).
void read_nat(TableReader& nat, Draft& draft);
// [pcp]: pcp::ServerConfig, checked by pcp::validate() (pcp_reader.cpp).
void read_pcp(TableReader& table, pcp::ServerConfig& pcp);

// The [host] table (host_reader.cpp).
void read_host(TableReader& host, HostOptions& options);

}  // namespace masq::config
