// What masqctl did not understand on its command line, said with what
// would have been valid there: CLI11 alone reports an unknown command as
// "A subcommand is required" and an unknown option without the known
// ones. Cold.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace masq::cli {

// After app.parse() with allow_extras() at every level: the first argument
// nobody took ("unknown command 'stat' (commands: status, sessions, ...)"),
// or that no command was given; empty when the line was understood.
std::string unknown_argument(const CLI::App& app);

}  // namespace masq::cli
