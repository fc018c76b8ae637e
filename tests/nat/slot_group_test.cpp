// The group probe against its one-slot-at-a-time reference, over random
// groups with tags, empties and the sought tag mixed in.
#include "slot_group.hpp"

#include <gtest/gtest.h>

#include <random>

namespace masq::nat {
namespace {

TEST(SlotGroup, AgreesWithThePortableProbe) {
  std::mt19937 rng(11);
  const auto draw = [&rng] { return static_cast<std::uint32_t>(rng()); };
  alignas(16) std::uint32_t group[kSlotGroup];
  for (int round = 0; round < 20000; ++round) {
    const std::uint32_t want = draw() % 4 == 0 ? 0 : draw() & 0xFF;
    for (auto& slot : group) {
      switch (draw() % 4) {
        case 0:
          slot = 0;  // empty
          break;
        case 1:
          slot = want << 24 | (draw() & 0xFFFFFF);  // the tag sought
          break;
        default:
          slot = draw();  // anything, tag 0 included
      }
    }
    const GroupMasks fast = probe_group(group, want);
    const GroupMasks slow = probe_group_portable(group, want);
    ASSERT_EQ(fast.tags, slow.tags) << "round " << round;
    ASSERT_EQ(fast.empties, slow.empties) << "round " << round;
  }
}

TEST(SlotGroup, OneBitASlot) {
  alignas(16) std::uint32_t group[kSlotGroup] = {0, 0x07000001, 0, 0x07FFFFFF, 5, 0, 0, 0x07000000};
  const GroupMasks m = probe_group(group, 7);
  EXPECT_EQ(m.tags, 0b1000'1010u);
  EXPECT_EQ(m.empties, 0b0110'0101u);
}

}  // namespace
}  // namespace masq::nat
