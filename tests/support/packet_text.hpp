// The one-line packet syntax of the scenario fixtures and the fuzz corpus,
// parsed into a PacketSpec. Grammar (see tests/scenarios/README.md):
//
//   udp  ADDR:PORT > ADDR:PORT  field...
//   tcp  ADDR:PORT > ADDR:PORT  field...
//   icmp echo|echo-reply|T/C  ADDR > ADDR  field...  [inner PACKET]
//   ip   ADDR > ADDR proto=N  field...
//   raw  HEX...
//
// Any address, port, echo id or sequence may be `$name`, which the caller's
// resolver turns into a value; it is told which dissected field the token
// stands for ("udp.src_port", "inner.ip.dst"), so it can capture a value
// from a real packet. Parsing starts from `base`: fields the text does not
// mention keep base's values. Throws TextError. Cold.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "support/packet_spec.hpp"
#include "support/text_tokens.hpp"

namespace masq::test {

using VariableResolver =
    std::function<std::uint32_t(std::string_view name, std::string_view field)>;

struct PacketText {
  PacketSpec spec;
  std::set<std::string, std::less<>> given;  // keys written for the outer packet ("ttl", ...)
};

PacketText parse_packet_text(std::span<const std::string> words, const PacketSpec& base,
                             const VariableResolver& resolve);

// A resolver for text without variables: any `$name` is an error.
std::uint32_t no_variables(std::string_view name, std::string_view field);

}  // namespace masq::test
