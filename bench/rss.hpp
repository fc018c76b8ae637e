// Resident set size of this process, from /proc/self/statm, for the memory
// benchmark's "actual RSS growth" figure. Cold.
#pragma once

#include <cstddef>

namespace masq::bench {

// Bytes resident now; 0 if /proc is unavailable.
std::size_t resident_bytes();

}  // namespace masq::bench
