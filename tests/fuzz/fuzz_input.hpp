// The byte format of a fuzz_engine input, shared by the fuzz target (which
// reads it) and the seed corpus generator (which writes it). An input is a
// sequence of steps, each
//   [flags] [dt] [len_hi] [len_lo] [len bytes: one IPv4 packet]
// flags bit 0: the side (0 = LAN, 1 = WAN); bit 1: the packet joins the
// previous step's batch (same side and time) instead of starting a new one;
// bit 2: its TCP checksum field is an offload's seed (ParsedPacket::l4_seed, in the PacketRef).
// dt: seconds added to the clock before this step (a new batch only), in
// half-second units, so timers of tens of seconds expire within a few steps.
// A length running past the end takes what is left. Cold.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "masq/nat/verdict.hpp"

namespace masq::test {

inline constexpr std::uint64_t kFuzzTimeUnitNs = 500'000'000;

struct FuzzStep {
  Side side = Side::lan;
  bool joins_batch = false;
  std::uint8_t dt = 0;
  std::span<const std::uint8_t> packet;
  bool l4_seed = false;
};

class FuzzInputReader {
 public:
  explicit FuzzInputReader(std::span<const std::uint8_t> input) : rest_(input) {}
  std::optional<FuzzStep> next();

 private:
  std::span<const std::uint8_t> rest_;
};

void append_fuzz_step(std::vector<std::uint8_t>& out, const FuzzStep& step);

}  // namespace masq::test
