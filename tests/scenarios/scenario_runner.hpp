// run_scenario: drives a fresh Engine through a Scenario and collects every
// mismatch with the line it belongs to. For each packet the engine emits it
// checks the verdict, every field (fields the expectation does not mention
// must be unchanged, except the TTL, which drops by one), all checksums with
// the independent oracle, and that nothing leaving by the WAN still carries
// an inside address. Dropped packets must come back untouched. Cold.
#pragma once

#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace masq::test {

struct Failure {
  int line = 0;
  std::string message;
};

std::vector<Failure> run_scenario(const Scenario& scenario);

}  // namespace masq::test
