// complete: the last step of assembling a Config. Checks what only the merged
// file + flags can show (LAN and WAN both given, their prefixes apart, the
// gateway on the WAN link) and fills the defaults that derive from the
// interfaces: inside = the LAN prefix, pool = the WAN address, a forward's
// external address = the WAN address.
// Internal to the config component. Cold.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "draft.hpp"
#include "masq/config/config.hpp"

namespace masq::config {

// `source` labels errors that have no line ("masq.toml: lan: missing ...").
// Returns the Config when this step found nothing wrong.
std::optional<Config> complete(Draft draft, std::string_view source,
                               std::vector<std::string>& errors);

}  // namespace masq::config
