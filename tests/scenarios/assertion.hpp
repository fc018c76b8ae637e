// The `counter` and `check` lines of a scenario:
//   counter NAME = N     an engine counter (Counters field, drop.REASON,
//                        total_drops, sessions_live, subscribers)
//   check A OP B         OP one of == != < <= > >=; A and B are $names,
//                        numbers or addresses
//   check A in SET       SET: comma-separated values and inclusive LO-HI
//                        ranges, e.g. 1-1023 or 203.0.113.1,198.51.100.9
// Cold.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "masq/nat/engine.hpp"

namespace masq::test {

// Values captured with $name from the engine's output.
using Variables = std::map<std::string, std::uint32_t, std::less<>>;

// The DropReason whose to_string() is `name`; none is no drop.
std::optional<nat::DropReason> drop_reason_named(std::string_view name);

// Syntax and names only, at load time. Throws TextError.
void validate_assertion(std::span<const std::string> words);

// Empty when the assertion holds, else what is wrong. Throws TextError on
// an unbound variable.
std::optional<std::string> evaluate_assertion(std::span<const std::string> words,
                                              const nat::Engine& engine, const Variables& vars);

}  // namespace masq::test
