#include "masq/pcp/natpmp_wire.hpp"

#include <gtest/gtest.h>

#include <array>

#include "pcp/pcp_bytes.hpp"

namespace masq::pcp {
namespace {

using test::Bytes;

TEST(NatPmpWire, DecodesTheAddressRequest) {
  const NatPmpDecoded d = decode_natpmp_request(Bytes{0, 0});
  ASSERT_EQ(d.kind, NatPmpDecoded::Kind::request);
  EXPECT_EQ(d.request.op, NatPmpOp::external_address);
}

TEST(NatPmpWire, DecodesAMapRequest) {
  const NatPmpDecoded d = decode_natpmp_request(test::natpmp_map(2, 22, 2222, 7200));
  ASSERT_EQ(d.kind, NatPmpDecoded::Kind::request);
  EXPECT_EQ(d.request.op, NatPmpOp::map_tcp);
  EXPECT_EQ(d.request.internal_port, 22);
  EXPECT_EQ(d.request.suggested_port, 2222);
  EXPECT_EQ(d.request.lifetime_s, 7200u);
}

TEST(NatPmpWire, DropsShortTruncatedAndResponses) {
  EXPECT_EQ(decode_natpmp_request(Bytes{0}).drop, DropReason::too_short);
  EXPECT_EQ(decode_natpmp_request(Bytes{0, 1, 0, 0, 0, 5}).drop, DropReason::natpmp_truncated);
  EXPECT_EQ(decode_natpmp_request(Bytes{0, 0x80}).drop, DropReason::response_received);
  EXPECT_EQ(decode_natpmp_request(Bytes{0, 0x81, 0, 0}).kind, NatPmpDecoded::Kind::drop);
}

TEST(NatPmpWire, UnsupportedVersionAndOpcode) {
  const NatPmpDecoded v = decode_natpmp_request(Bytes{1, 0});
  EXPECT_EQ(v.kind, NatPmpDecoded::Kind::error);
  EXPECT_EQ(v.error, NatPmpResult::unsupported_version);
  const NatPmpDecoded op = decode_natpmp_request(Bytes{0, 3});
  EXPECT_EQ(op.kind, NatPmpDecoded::Kind::error);
  EXPECT_EQ(op.error, NatPmpResult::unsupported_opcode);
  EXPECT_EQ(op.raw_op, 3);
}

// RFC 6886 §3.5: version, op + 128, result, seconds since start of epoch.
TEST(NatPmpWire, ErrorAnswerIsByteExact) {
  std::array<std::uint8_t, 16> out{};
  ASSERT_EQ(encode_natpmp_error(3, NatPmpResult::unsupported_opcode, 0x0A0B0C0D, out), 8u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 8), (Bytes{0, 131, 0, 5, 0x0A, 0x0B, 0x0C, 0x0D}));
  std::array<std::uint8_t, 7> small{};
  EXPECT_EQ(encode_natpmp_error(3, NatPmpResult::unsupported_opcode, 0, small), 0u);
}

// RFC 6886 §3.2: the same packet answers op 0 and announces a change.
TEST(NatPmpWire, AddressAnswerIsByteExact) {
  std::array<std::uint8_t, 16> out{};
  ASSERT_EQ(encode_natpmp_address(NatPmpResult::success, 60,
                                  net::Ipv4Addr::from_octets(203, 0, 113, 1), out),
            12u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 12),
            (Bytes{0, 128, 0, 0, 0, 0, 0, 60, 203, 0, 113, 1}));
}

TEST(NatPmpWire, MapAnswerIsByteExact) {
  std::array<std::uint8_t, 16> out{};
  ASSERT_EQ(encode_natpmp_map(NatPmpOp::map_udp, NatPmpResult::success, 1, 5000, 6000, 3600, out),
            16u);
  EXPECT_EQ(Bytes(out.begin(), out.end()),
            (Bytes{0, 129, 0, 0, 0, 0, 0, 1, 0x13, 0x88, 0x17, 0x70, 0, 0, 0x0E, 0x10}));
  std::array<std::uint8_t, 15> small{};
  EXPECT_EQ(encode_natpmp_map(NatPmpOp::map_udp, NatPmpResult::success, 1, 1, 1, 1, small), 0u);
}

TEST(NatPmpWire, ResultCodesAreTheRfcNumbers) {
  EXPECT_EQ(static_cast<int>(NatPmpResult::not_authorized), 2);
  EXPECT_EQ(static_cast<int>(NatPmpResult::network_failure), 3);
  EXPECT_EQ(static_cast<int>(NatPmpResult::out_of_resources), 4);
  EXPECT_EQ(to_string(NatPmpResult::unsupported_opcode), "unsupported_opcode");
  EXPECT_EQ(kNatPmpResultCount, 6u);
}

}  // namespace
}  // namespace masq::pcp
