// What both scenario runners (engine and router mode) do with the packets
// they compare: resolving $names, and the RFC 5508 leak check. Cold.
#pragma once

#include <string>
#include <vector>

#include "masq/nat/engine_config.hpp"
#include "scenarios/assertion.hpp"
#include "support/packet_dissect.hpp"
#include "support/packet_text.hpp"

namespace masq::test {

// Every $name must be bound already.
VariableResolver bound_only(const Variables& vars);

// Unbound names take the value of the same field in the actual packet.
VariableResolver capturing(Variables& vars, const std::vector<Field>& actual);

// RFC 5508 §4.2 / REQ-5: nothing that leaves by the WAN may carry an
// inside address, quoted headers included, unless the destination is
// excluded from translation (RFC 6888 REQ-6). One message per leak.
std::vector<std::string> inside_address_leaks(const nat::EngineConfig& cfg,
                                              const std::vector<Field>& fields);

// RFC 7857 §11: a non-atomic datagram (DF clear) leaving by the WAN gets
// an ID of the engine's choosing (src/nat/ip_id.hpp). Unless the expect
// line names `ipid=`, the expected packet takes the actual one's ID; a
// scenario about IDs captures them (`ipid=$a`) and checks them.
void accept_engine_ip_id(PacketText& want, const std::vector<Field>& actual);

}  // namespace masq::test
