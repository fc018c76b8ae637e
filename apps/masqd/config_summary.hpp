// effective_config: the configuration masqd runs with, in one log line, as
// the start of its log records it (docs/operations.md, "Logs"). Cold.
#pragma once

#include <cstdint>
#include <string>

#include "masq/config/config.hpp"

namespace masq::app {

std::string effective_config(const config::Config& cfg, std::uint32_t workers);

}  // namespace masq::app
