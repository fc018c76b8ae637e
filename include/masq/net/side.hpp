// Side: the gateway interface a packet arrived on (and, for a forward, the
// one it leaves by). Every layer names it, so it lives at the bottom.
#pragma once

#include <cstdint>

namespace masq {

enum class Side : std::uint8_t { lan, wan };

}  // namespace masq
