// Model test: SubscriberTable against std::map under seeded random churn.
#include "subscriber_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace masq::nat {
namespace {

TEST(SubscriberTable, AgreesWithReference) {
  SubscriberTable table(64);
  std::map<std::uint32_t, std::uint32_t> model;  // addr -> pool index
  std::mt19937 rng(6888);
  for (int step = 0; step < 20000; ++step) {
    const auto addr = static_cast<std::uint32_t>(0xC0A80000u + 1 + rng() % 100);
    const bool present = model.count(addr) != 0;
    switch (rng() % 3) {
      case 0:
        if (!present) {
          Subscriber* s = table.insert(addr, addr % 3);
          if (model.size() >= 64) {
            ASSERT_EQ(s, nullptr);
          } else {
            ASSERT_NE(s, nullptr);
            model[addr] = addr % 3;
          }
        }
        break;
      case 1:
        if (present) {
          table.erase(addr);
          model.erase(addr);
        }
        break;
      default: {
        Subscriber* s = table.find(addr);
        ASSERT_EQ(s != nullptr, present);
        if (s != nullptr) {
          EXPECT_EQ(s->pool_index, model[addr]);
        }
      }
    }
    ASSERT_EQ(table.size(), model.size());
  }
}

TEST(SubscriberTable, CountsAreKeptPerEntry) {
  SubscriberTable table(4);
  Subscriber* a = table.insert(0x0A000001u, 0);
  a->sessions = 3;
  table.insert(0x0A000002u, 0);
  EXPECT_EQ(table.find(0x0A000001u)->sessions, 3u);
  EXPECT_EQ(table.find(0x0A000003u), nullptr);
}

}  // namespace
}  // namespace masq::nat
