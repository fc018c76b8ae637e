#include "support/packet_dissect.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/packet_builder.hpp"
#include "support/sample_udp.hpp"

namespace masq::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

PacketSpec udp() {
  PacketSpec s = sample_udp();
  s.payload = {0xAB};
  return s;
}

TEST(Dissect, NamesEveryField) {
  const auto fields = dissect(build_packet(udp()));
  EXPECT_THAT(field_value(fields, "ip.ttl"), Optional(64u));
  EXPECT_THAT(field_value(fields, "ip.src"), Optional(0xC0A84D02u));
  EXPECT_THAT(field_value(fields, "udp.src_port"), Optional(5000u));
  EXPECT_THAT(field_value(fields, "udp.length"), Optional(9u));
  EXPECT_EQ(field_value(fields, "tcp.src_port"), std::nullopt);
  const auto payload = std::find_if(fields.begin(), fields.end(),
                                    [](const Field& f) { return f.name == "payload"; });
  ASSERT_NE(payload, fields.end());
  EXPECT_EQ(payload->text, "ab");
}

TEST(Dissect, IcmpErrorFieldsArePrefixedInner) {
  PacketSpec error;
  error.kind = L4Kind::icmp;
  error.icmp_type = 11;
  error.src = net::Ipv4Addr::from_octets(198, 51, 100, 1);
  error.dst = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  error.inner = {udp()};
  error.quote_bytes = 28;
  const auto fields = dissect(build_packet(error));
  EXPECT_THAT(field_value(fields, "icmp.type"), Optional(11u));
  EXPECT_THAT(field_value(fields, "inner.ip.dst"), Optional(0xC6336407u));
  EXPECT_THAT(field_value(fields, "inner.udp.dst_port"), Optional(53u));
  EXPECT_EQ(field_value(fields, "inner.payload"), std::nullopt);  // cut off by the quote
}

TEST(Dissect, SurvivesGarbage) {
  const std::vector<std::uint8_t> junk{0x4F, 0x00, 0xFF, 0xFF, 1,  2,  3,  4,  5,  6, 7,
                                       8,    9,    10,   11,   12, 13, 14, 15, 16, 17};
  EXPECT_FALSE(dissect(junk).empty());
  EXPECT_THAT(dissect(std::vector<std::uint8_t>{1, 2}),
              ElementsAre(::testing::Field(&Field::name, "raw")));
}

TEST(CompareFields, ReportsDifferencesByName) {
  PacketSpec changed = udp();
  changed.ttl = 63;
  changed.src_port = 6000;
  EXPECT_THAT(compare_fields(dissect(build_packet(udp())), dissect(build_packet(changed))),
              ElementsAre(HasSubstr("ip.ttl: expected 64, got 63"),
                          HasSubstr("udp.src_port: expected 5000, got 6000")));
}

TEST(CompareFields, ReportsMissingAndExtraFields) {
  PacketSpec longer = udp();
  longer.ip_options = {1, 1, 1, 1};
  EXPECT_THAT(compare_fields(dissect(build_packet(udp())), dissect(build_packet(longer))),
              ElementsAre(HasSubstr("ip.ihl"), HasSubstr("ip.total_length"),
                          HasSubstr("ip.options: unexpected")));
}

TEST(CompareFields, LeavesChecksumsToTheOracleExceptUdpZero) {
  PacketSpec bad = udp();
  bad.corrupt_ip_checksum = true;
  bad.corrupt_l4_checksum = true;
  EXPECT_THAT(compare_fields(dissect(build_packet(udp())), dissect(build_packet(bad))), IsEmpty());
  PacketSpec none = udp();
  none.udp_no_checksum = true;
  EXPECT_THAT(compare_fields(dissect(build_packet(none)), dissect(build_packet(udp()))),
              ElementsAre(HasSubstr("udp.checksum: expected zero")));
  EXPECT_THAT(compare_fields(dissect(build_packet(udp())), dissect(build_packet(none))),
              ElementsAre(HasSubstr("udp.checksum: expected a checksum")));
}

}  // namespace
}  // namespace masq::test
