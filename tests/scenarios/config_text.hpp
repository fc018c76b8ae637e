// The `config ... end` block of a scenario file: one line at a time onto a
// masq::nat::EngineConfig. Deliberately not the config component (TOML):
// the scenarios test the engine alone. Syntax in README.md. Cold.
#pragma once

#include <span>
#include <string>

#include "masq/nat/engine_config.hpp"

namespace masq::test {

// `words` is one line split on blanks. Throws TextError.
void apply_config_line(std::span<const std::string> words, nat::EngineConfig& cfg);

}  // namespace masq::test
