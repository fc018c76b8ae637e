// The snapshot's bytes: what encode() writes decode() reads back whole;
// bytes that are no snapshot, of another version, truncated or corrupt
// anywhere are refused with a message that says which.
#include <gtest/gtest.h>

#include "masq/state/snapshot_file.hpp"
#include "state/sample_snapshot.hpp"

namespace masq::state {
namespace {

bool same(const nat::SessionView& a, const nat::SessionView& b) {
  return a.proto == b.proto && a.internal_addr == b.internal_addr &&
         a.internal_port == b.internal_port && a.external_addr == b.external_addr &&
         a.external_port == b.external_port && a.remote_addr == b.remote_addr &&
         a.remote_port == b.remote_port && a.state == b.state && a.expires_in_s == b.expires_in_s &&
         a.kind == b.kind;
}

bool same(const SavedMapping& a, const SavedMapping& b) {
  const pcp::Mapping& x = a.mapping;
  const pcp::Mapping& y = b.mapping;
  return a.left_s == b.left_s && x.origin == y.origin && x.proto == y.proto &&
         x.internal == y.internal && x.external == y.external && x.peer == y.peer &&
         x.nonce == y.nonce && x.filter_count == y.filter_count && x.filters == y.filters;
}

TEST(SnapshotCodec, WhatIsEncodedDecodesTheSame) {
  const Snapshot s = test::sample_snapshot();
  const std::vector<std::uint8_t> bytes = encode(s);
  EXPECT_EQ(bytes.size(), 64u + 3 * 28 + 2 * 104);
  const Decoded d = decode(bytes);
  ASSERT_TRUE(d.snapshot) << d.error;
  EXPECT_EQ(d.snapshot->saved_unix_s, s.saved_unix_s);
  EXPECT_TRUE(d.snapshot->has_pcp);
  EXPECT_EQ(d.snapshot->pcp_epoch_start_unix_s, s.pcp_epoch_start_unix_s);
  ASSERT_EQ(d.snapshot->sessions.size(), s.sessions.size());
  for (std::size_t i = 0; i < s.sessions.size(); ++i) {
    EXPECT_TRUE(same(d.snapshot->sessions[i], s.sessions[i])) << i;
  }
  ASSERT_EQ(d.snapshot->mappings.size(), s.mappings.size());
  for (std::size_t i = 0; i < s.mappings.size(); ++i) {
    EXPECT_TRUE(same(d.snapshot->mappings[i], s.mappings[i])) << i;
  }
}

TEST(SnapshotCodec, AnEmptySnapshotIsOne) {
  const Decoded d = decode(encode(Snapshot{}));
  ASSERT_TRUE(d.snapshot) << d.error;
  EXPECT_TRUE(d.snapshot->sessions.empty());
  EXPECT_FALSE(d.snapshot->has_pcp);
}

TEST(SnapshotCodec, ForeignBytesAreRefused) {
  const std::vector<std::uint8_t> text = {'[', 'n', 'a', 't', ']', '\n'};
  const Decoded d = decode(text);
  EXPECT_FALSE(d.snapshot);
  EXPECT_NE(d.error.find("not a masqd state snapshot"), std::string::npos) << d.error;
  EXPECT_FALSE(decode({}).snapshot);
}

TEST(SnapshotCodec, AnotherVersionIsRefused) {
  std::vector<std::uint8_t> bytes = encode(test::sample_snapshot());
  bytes[8] = 2;
  const Decoded d = decode(bytes);
  EXPECT_FALSE(d.snapshot);
  EXPECT_NE(d.error.find("format version 2"), std::string::npos) << d.error;
}

TEST(SnapshotCodec, EveryTruncationIsRefused) {
  const std::vector<std::uint8_t> bytes = encode(test::sample_snapshot());
  for (std::size_t n = 8; n < bytes.size(); ++n) {
    const Decoded d = decode(std::span(bytes).first(n));
    EXPECT_FALSE(d.snapshot) << n;
    EXPECT_NE(d.error.find("truncated"), std::string::npos) << n << ": " << d.error;
  }
}

TEST(SnapshotCodec, EveryFlippedBitIsRefused) {
  const std::vector<std::uint8_t> bytes = encode(test::sample_snapshot());
  for (std::size_t i = 8; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<std::uint8_t> corrupt = bytes;
      corrupt[i] = static_cast<std::uint8_t>(corrupt[i] ^ (1u << bit));
      const Decoded d = decode(corrupt);
      EXPECT_FALSE(d.snapshot) << i << "." << bit;
      EXPECT_FALSE(d.error.empty());
    }
  }
}

TEST(SnapshotCodec, ARecordWithAnUnknownValueIsRefusedEvenWithAGoodChecksum) {
  Snapshot s = test::sample_snapshot();
  s.sessions[0].kind = static_cast<nat::SessionKind>(9);
  const Decoded d = decode(encode(s));
  EXPECT_FALSE(d.snapshot);
  EXPECT_NE(d.error.find("session record 0"), std::string::npos) << d.error;
}

TEST(SnapshotCodec, AViewInNoSessionStateIsLeftOut) {
  Snapshot s = test::sample_snapshot();
  s.sessions[1].state = "mapping";  // an explicit mapping's anchor
  const Decoded d = decode(encode(s));
  ASSERT_TRUE(d.snapshot) << d.error;
  ASSERT_EQ(d.snapshot->sessions.size(), 2u);
  EXPECT_EQ(d.snapshot->sessions[1].proto, net::Proto::icmp);
}

}  // namespace
}  // namespace masq::state
