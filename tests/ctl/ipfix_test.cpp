// IPFIX NAT event records (RFC 7011 framing, RFC 8158 template): the
// bytes of the template and of data records, the sequence numbers, and
// the split into messages that fit. nfdump decodes them in the e2e test.
#include "masq/ctl/ipfix.hpp"

#include <gtest/gtest.h>

namespace masq::ctl {
namespace {

std::uint32_t be16(const std::vector<std::uint8_t>& m, std::size_t at) {
  return std::uint32_t{m[at]} << 8 | m[at + 1];
}
std::uint32_t be32(const std::vector<std::uint8_t>& m, std::size_t at) {
  return be16(m, at) << 16 | be16(m, at + 2);
}

nat::SessionEvent event() {
  nat::SessionEvent e;
  e.time_ns = 2'500'000'000;
  e.type = nat::EventType::delete_;
  e.proto = net::Proto::tcp;
  e.internal_addr = net::Ipv4Addr::from_octets(192, 168, 77, 2);
  e.internal_port = net::Port(40000);
  e.external_addr = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  e.external_port = net::Port(2729);
  e.remote_addr = net::Ipv4Addr::from_octets(198, 51, 100, 10);
  e.remote_port = net::Port(80);
  return e;
}

TEST(Ipfix, TheTemplateNamesTheNat44SessionFields) {
  const auto m = IpfixEncoder(7, false).template_message(1000);
  EXPECT_EQ(be16(m, 0), 10u);       // version
  EXPECT_EQ(be16(m, 2), m.size());  // length
  EXPECT_EQ(be32(m, 4), 1000u);     // export time
  EXPECT_EQ(be32(m, 12), 7u);       // observation domain
  EXPECT_EQ(be16(m, 16), 2u);       // template set
  EXPECT_EQ(be16(m, 20), IpfixEncoder::kTemplateId);
  EXPECT_EQ(be16(m, 22), 7u);    // fields
  EXPECT_EQ(be16(m, 24), 323u);  // observationTimeMilliseconds
  EXPECT_EQ(be16(m, 28), 230u);  // natEvent
  EXPECT_EQ(m.size(), 24u + 7 * 4);
  EXPECT_EQ(be16(IpfixEncoder(7, true).template_message(0), 22), 9u);  // with the remote
}

TEST(Ipfix, DataRecordsCarryTheEvent) {
  IpfixEncoder enc(0, true);
  const nat::SessionEvent e = event();
  const auto messages = enc.data_messages({&e, 1}, 1'000'000'000'000, 1000);
  ASSERT_EQ(messages.size(), 1u);
  const auto& m = messages[0];
  EXPECT_EQ(be16(m, 2), m.size());
  EXPECT_EQ(be32(m, 8), 0u);  // no record before this one
  EXPECT_EQ(be16(m, 16), IpfixEncoder::kTemplateId);
  EXPECT_EQ(be16(m, 18), 4u + enc.record_bytes());
  const std::size_t r = 20;
  EXPECT_EQ(be32(m, r) * (std::uint64_t{1} << 32) + be32(m, r + 4),
            1'002'500u);  // ms: 1000 s + 2.5 s
  EXPECT_EQ(m[r + 8], kNatEventSessionDelete);
  EXPECT_EQ(m[r + 9], 6u);
  EXPECT_EQ(be32(m, r + 10), e.internal_addr.value());
  EXPECT_EQ(be16(m, r + 14), 40000u);
  EXPECT_EQ(be32(m, r + 16), e.external_addr.value());
  EXPECT_EQ(be16(m, r + 20), 2729u);
  EXPECT_EQ(be32(m, r + 22), e.remote_addr.value());
  EXPECT_EQ(be16(m, r + 26), 80u);
  EXPECT_EQ(m.size(), r + enc.record_bytes());
  // The next message's sequence number counts this record.
  EXPECT_EQ(be32(enc.data_messages({&e, 1}, 0, 0).at(0), 8), 1u);
}

TEST(Ipfix, ManyEventsAreSplitIntoMessagesThatFit) {
  IpfixEncoder enc(0, false);
  const std::vector<nat::SessionEvent> events(200, event());
  const auto messages = enc.data_messages(events, 0, 0);
  ASSERT_GT(messages.size(), 1u);
  std::size_t records = 0;
  for (const auto& m : messages) {
    EXPECT_LE(m.size(), IpfixEncoder::kMaxMessage);
    EXPECT_EQ(be32(m, 8), records);
    records += (m.size() - 20) / enc.record_bytes();
  }
  EXPECT_EQ(records, 200u);
}

}  // namespace
}  // namespace masq::ctl
