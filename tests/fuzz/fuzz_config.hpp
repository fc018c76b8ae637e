// The fixed engine configuration of the fuzz_engine target, also used by
// the seed corpus generator so that its packets hit the configured rules.
// Small tables and short timers, so that limits and expiry are reached
// within a few packets. Cold.
#pragma once

#include "masq/nat/engine_config.hpp"

namespace masq::test {

nat::EngineConfig fuzz_engine_config();

}  // namespace masq::test
