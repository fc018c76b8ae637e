// The summary masq-replay prints on stderr when it is done: one
// "name value" pair per line, so scripts and tests can read it back.
// Engine drop reasons appear as drop.NAME, the router's as
// router.drop.NAME, each only when non-zero.
#pragma once

#include <ostream>

#include "replay.hpp"

namespace masq::replay {

void write_summary(std::ostream& out, const ReplayStats& stats);

}  // namespace masq::replay
