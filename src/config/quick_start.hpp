// apply_flags: the quick-start command-line flags on top of a Draft read from
// the file. A flag replaces the file's value; --forward adds to the file's
// forwards. Errors read "--flag VALUE: message".
// Internal to the config component. Cold.
#pragma once

#include <string>
#include <vector>

#include "draft.hpp"
#include "masq/config/config.hpp"

namespace masq::config {

void apply_flags(const QuickStart& flags, Draft& draft, std::vector<std::string>& errors);

}  // namespace masq::config
