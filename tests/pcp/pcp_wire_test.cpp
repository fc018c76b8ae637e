#include "masq/pcp/pcp_wire.hpp"

#include <gtest/gtest.h>

#include <array>

#include "pcp/pcp_bytes.hpp"

namespace masq::pcp {
namespace {

using test::Bytes;
using test::Writer;

Decoded decode(const Bytes& b) {
  return decode_request(b);
}

void expect_error(const Bytes& b, ResultCode code) {
  const Decoded d = decode(b);
  EXPECT_EQ(d.kind, Decoded::Kind::error) << to_string(code);
  EXPECT_EQ(d.error, code) << to_string(d.error);
}

void expect_drop(const Bytes& b, DropReason r) {
  const Decoded d = decode(b);
  EXPECT_EQ(d.kind, Decoded::Kind::drop);
  EXPECT_EQ(d.drop, r) << to_string(d.drop);
}

TEST(PcpWire, DecodesAMapRequestFieldByField) {
  Writer w = test::header(1, 3600);
  test::map_body(w, test::kNonceA, 17, 5000, 6000, 203, 0, 113, 7);
  const Decoded d = decode(w.bytes());
  ASSERT_EQ(d.kind, Decoded::Kind::request);
  const Request& r = d.request;
  EXPECT_EQ(r.version, 2);
  EXPECT_EQ(r.opcode, Opcode::map);
  EXPECT_EQ(r.lifetime_s, 3600u);
  EXPECT_EQ(as_ipv4(r.client_addr), net::Ipv4Addr::from_octets(192, 168, 1, 10));
  EXPECT_EQ(r.nonce, (Nonce{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_EQ(r.protocol, 17);
  EXPECT_EQ(r.internal_port, 5000);
  EXPECT_EQ(r.suggested_port, 6000);
  EXPECT_EQ(as_ipv4(r.suggested_addr), net::Ipv4Addr::from_octets(203, 0, 113, 7));
  EXPECT_FALSE(r.options.third_party);
  EXPECT_FALSE(r.options.prefer_failure);
  EXPECT_EQ(r.options.filter_count, 0);
}

TEST(PcpWire, DecodesAPeerRequestAndItsRemotePeer) {
  Writer w = test::header(2, 600);
  test::peer_body(w, test::kNonceB, 6, 4000, 443, 198, 51, 100, 9);
  test::third_party(w, 192, 168, 1, 20);
  const Decoded d = decode(w.bytes());
  ASSERT_EQ(d.kind, Decoded::Kind::request);
  EXPECT_EQ(d.request.opcode, Opcode::peer);
  EXPECT_EQ(d.request.peer_port, 443);
  EXPECT_EQ(as_ipv4(d.request.peer_addr), net::Ipv4Addr::from_octets(198, 51, 100, 9));
  ASSERT_TRUE(d.request.options.third_party);
  EXPECT_EQ(as_ipv4(*d.request.options.third_party), net::Ipv4Addr::from_octets(192, 168, 1, 20));
}

// RFC 6887 §8.3: what cannot be answered is dropped silently.
TEST(PcpWire, DropsWhatCannotBeAnswered) {
  expect_drop(Bytes{}, DropReason::too_short);
  expect_drop(Bytes{2}, DropReason::too_short);
  Bytes response = test::map_request(60, 17, 5000);
  response[1] = static_cast<std::uint8_t>(response[1] | 0x80);
  expect_drop(response, DropReason::response_received);
  expect_drop(Bytes(20, 0x02), DropReason::too_short);  // version 2, shorter than a header
}

TEST(PcpWire, OtherVersionsAreUnsupportedEvenWhenShort) {
  Bytes v1 = test::map_request(60, 17, 5000);
  v1[0] = 1;
  expect_error(v1, ResultCode::unsupp_version);
  expect_error(Bytes{3, 1, 0, 0}, ResultCode::unsupp_version);
}

TEST(PcpWire, BadLengthsAreMalformedRequests) {
  Bytes long_one = test::map_request(60, 17, 5000);
  long_one.resize(1104, 0);
  expect_error(long_one, ResultCode::malformed_request);
  Bytes odd = test::map_request(60, 17, 5000);
  odd.resize(62, 0);
  expect_error(odd, ResultCode::malformed_request);
  Bytes short_body = test::map_request(60, 17, 5000);
  short_body.resize(56);
  expect_error(short_body, ResultCode::malformed_request);
  Bytes short_peer = test::map_request(60, 17, 5000);
  short_peer[1] = 2;  // a PEER needs 56 octets of body, this has 36
  expect_error(short_peer, ResultCode::malformed_request);
}

TEST(PcpWire, UnknownOpcodesAreUnsupported) {
  for (const std::uint8_t op : std::array<std::uint8_t, 4>{3, 4, 96, 127}) {
    Bytes b = test::map_request(60, 17, 5000);
    b[1] = op;
    expect_error(b, ResultCode::unsupp_opcode);
  }
}

TEST(PcpWire, UnknownMandatoryOptionIsUnsupportedUnknownOptionalIsSkipped) {
  Writer mandatory = test::header(1, 60);
  test::map_body(mandatory, test::kNonceA, 17, 5000);
  mandatory.u8(0x05).u8(0).be16(4).be32(0xDEADBEEF);
  expect_error(mandatory.bytes(), ResultCode::unsupp_option);

  Writer optional = test::header(1, 60);
  test::map_body(optional, test::kNonceA, 17, 5000);
  optional.u8(0x80).u8(0).be16(3).raw({9, 9, 9, 0});  // 3 octets, padded to 4
  test::prefer_failure(optional);
  const Decoded d = decode(optional.bytes());
  ASSERT_EQ(d.kind, Decoded::Kind::request);
  EXPECT_TRUE(d.request.options.prefer_failure);
}

TEST(PcpWire, OptionsNotValidForTheOpcodeAreUnsupported) {
  Writer announce = test::header(0, 0);
  test::third_party(announce, 192, 168, 1, 20);
  expect_error(announce.bytes(), ResultCode::unsupp_option);

  Writer peer = test::header(2, 60);
  test::peer_body(peer, test::kNonceA, 6, 4000, 443, 198, 51, 100, 9);
  test::prefer_failure(peer);
  expect_error(peer.bytes(), ResultCode::unsupp_option);

  Writer peer_filter = test::header(2, 60);
  test::peer_body(peer_filter, test::kNonceA, 6, 4000, 443, 198, 51, 100, 9);
  test::filter(peer_filter, 128, 0, 198, 51, 100, 9);
  expect_error(peer_filter.bytes(), ResultCode::unsupp_option);
}

TEST(PcpWire, BrokenOptionsAreMalformed) {
  const auto map_with = [](auto&& add) {
    Writer w = test::header(1, 60);
    test::map_body(w, test::kNonceA, 17, 5000);
    add(w);
    return w.bytes();
  };
  // Data runs past the end of the datagram.
  expect_error(map_with([](Writer& w) { w.u8(1).u8(0).be16(16).zeros(4); }),
               ResultCode::malformed_option);
  // THIRD_PARTY twice, and with the wrong length.
  expect_error(map_with([](Writer& w) {
                 test::third_party(w, 192, 168, 1, 20);
                 test::third_party(w, 192, 168, 1, 21);
               }),
               ResultCode::malformed_option);
  expect_error(map_with([](Writer& w) { w.u8(1).u8(0).be16(4).v4(0, 0, 0, 0).zeros(0); }),
               ResultCode::malformed_option);
  // PREFER_FAILURE twice, and with data.
  expect_error(map_with([](Writer& w) {
                 test::prefer_failure(w);
                 test::prefer_failure(w);
               }),
               ResultCode::malformed_option);
  expect_error(map_with([](Writer& w) { w.u8(2).u8(0).be16(4).zeros(4); }),
               ResultCode::malformed_option);
  // FILTER: wrong length, prefix past 128, IPv4 prefix shorter than /96.
  expect_error(map_with([](Writer& w) { w.u8(3).u8(0).be16(16).zeros(16); }),
               ResultCode::malformed_option);
  expect_error(map_with([](Writer& w) { test::filter(w, 129, 0, 198, 51, 100, 0); }),
               ResultCode::malformed_option);
  expect_error(map_with([](Writer& w) { test::filter(w, 64, 0, 198, 51, 100, 0); }),
               ResultCode::malformed_option);
}

TEST(PcpWire, DecodesAsManyFiltersAsADatagramHolds) {
  Writer w = test::header(1, 60);
  test::map_body(w, test::kNonceA, 17, 5000);
  for (std::size_t i = 0; i < kMaxFilterOptions; ++i)
    test::filter(w, 120, static_cast<std::uint16_t>(i), 198, 51, 100, 0);
  ASSERT_LE(w.bytes().size(), kMaxMessage);
  const Decoded d = decode(w.bytes());
  ASSERT_EQ(d.kind, Decoded::Kind::request);
  ASSERT_EQ(d.request.options.filter_count, kMaxFilterOptions);
  EXPECT_EQ(d.request.options.filters[5].prefix_length, 120);
  EXPECT_EQ(d.request.options.filters[5].remote_port, 5);
  EXPECT_EQ(as_ipv4(d.request.options.filters[5].remote_addr),
            net::Ipv4Addr::from_octets(198, 51, 100, 0));
}

TEST(PcpWire, AddressHelpers) {
  const net::Ipv4Addr a = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  EXPECT_EQ(mapped(a), (AddrBytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 203, 0, 113, 1}));
  EXPECT_EQ(as_ipv4(mapped(a)), a);
  AddrBytes v6{};
  v6[0] = 0x20;
  v6[1] = 0x01;
  EXPECT_FALSE(as_ipv4(v6));
  EXPECT_TRUE(is_unspecified(AddrBytes{}));
  EXPECT_TRUE(is_unspecified(mapped(net::Ipv4Addr{})));
  EXPECT_FALSE(is_unspecified(mapped(a)));
  EXPECT_FALSE(is_unspecified(v6));
}

// §7.2: an error response is the request with the response header over it.
TEST(PcpWire, ErrorResponseCopiesTheRequest) {
  Writer w = test::header(1, 3600);
  test::map_body(w, test::kNonceA, 17, 5000, 6000);
  test::prefer_failure(w);
  const Bytes req = w.bytes();
  std::array<std::uint8_t, kMaxMessage> out{};
  const std::size_t n = encode_error_response(req, ResultCode::address_mismatch, 1800, 77, out);
  ASSERT_EQ(n, req.size());
  const Bytes head(out.begin(), out.begin() + 24);
  EXPECT_EQ(head, (Bytes{2, 0x81, 0, 12, 0, 0, 0x07, 0x08, 0, 0, 0, 77,
                         0, 0,    0, 0,  0, 0, 0,    0,    0, 0, 0, 0}));
  EXPECT_TRUE(std::equal(req.begin() + 24, req.end(), out.begin() + 24));
}

TEST(PcpWire, ErrorResponsePadsTruncatesAndAnswersShortVersions) {
  std::array<std::uint8_t, kMaxMessage> out{};
  Bytes odd = test::map_request(60, 17, 5000);
  odd.resize(62, 0xEE);
  std::fill(out.begin(), out.end(), 0xAA);
  ASSERT_EQ(encode_error_response(odd, ResultCode::malformed_request, 1800, 0, out), 64u);
  EXPECT_EQ(out[61], 0xEE);
  EXPECT_EQ(out[62], 0);
  EXPECT_EQ(out[63], 0);

  Bytes big(1200, 0x02);
  big[1] = 1;
  EXPECT_EQ(encode_error_response(big, ResultCode::malformed_request, 1800, 0, out), kMaxMessage);

  const Bytes v3{3, 1, 0, 0};
  ASSERT_EQ(encode_error_response(v3, ResultCode::unsupp_version, 1800, 5, out), 24u);
  EXPECT_EQ(out[0], 2);  // the version this server speaks (§9)
  EXPECT_EQ(out[1], 0x81);
  EXPECT_EQ(out[3], 1);

  std::array<std::uint8_t, 23> small{};
  EXPECT_EQ(encode_error_response(v3, ResultCode::unsupp_version, 1800, 5, small), 0u);
}

TEST(PcpWire, MapResponseIsByteExact) {
  Response r;
  r.opcode = Opcode::map;
  r.lifetime_s = 7200;
  r.epoch_s = 0x01020304;
  r.nonce = Nonce{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  r.protocol = 6;
  r.internal_port = 0x1388;  // 5000
  r.external_port = 0x1770;  // 6000
  r.external_addr = mapped(net::Ipv4Addr::from_octets(203, 0, 113, 1));
  Options echoed;
  echoed.prefer_failure = true;
  std::array<std::uint8_t, kMaxMessage> out{};
  const std::size_t n = encode_response(r, echoed, out);
  const Bytes expected{
      // §7.2 header: version, R|opcode, reserved, result, lifetime, epoch, 96 reserved bits
      2, 0x81, 0, 0, 0, 0, 0x1C, 0x20, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      // §11.1 body: nonce, protocol, 3 reserved, internal port, external port, address
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 6, 0, 0, 0, 0x13, 0x88, 0x17, 0x70, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0xFF, 0xFF, 203, 0, 113, 1,
      // PREFER_FAILURE: code 2, reserved, length 0
      2, 0, 0, 0};
  ASSERT_EQ(n, expected.size());
  EXPECT_EQ(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n)), expected);
}

TEST(PcpWire, PeerResponseEchoesThePeerAndOptions) {
  Response r;
  r.opcode = Opcode::peer;
  r.lifetime_s = 120;
  r.protocol = 17;
  r.internal_port = 4000;
  r.external_port = 4001;
  r.external_addr = mapped(net::Ipv4Addr::from_octets(203, 0, 113, 1));
  r.peer_port = 443;
  r.peer_addr = mapped(net::Ipv4Addr::from_octets(198, 51, 100, 9));
  Options echoed;
  echoed.third_party = mapped(net::Ipv4Addr::from_octets(192, 168, 1, 20));
  echoed.filter_count = 1;
  echoed.filters[0] = FilterOption{120, 80, mapped(net::Ipv4Addr::from_octets(198, 51, 100, 0))};
  std::array<std::uint8_t, kMaxMessage> out{};
  const std::size_t n = encode_response(r, echoed, out);
  ASSERT_EQ(n, 24u + 56u + 20u + 24u);
  EXPECT_EQ(out[1], 0x82);
  const Bytes peer_tail(out.begin() + 24 + 36, out.begin() + 24 + 56);
  EXPECT_EQ(peer_tail,
            (Bytes{0x01, 0xBB, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 198, 51, 100, 9}));
  const Bytes options(out.begin() + 80, out.begin() + static_cast<std::ptrdiff_t>(n));
  EXPECT_EQ(options, (Bytes{1,    0,   0,   16, 0,  0, 0, 0, 0,    0,    0,   0,  0,   0, 0xFF,
                            0xFF, 192, 168, 1,  20, 3, 0, 0, 20,   0,    120, 0,  80,  0, 0,
                            0,    0,   0,   0,  0,  0, 0, 0, 0xFF, 0xFF, 198, 51, 100, 0}));
}

TEST(PcpWire, AnnounceIsAHeaderOnlySuccess) {
  std::array<std::uint8_t, kMaxMessage> out{};
  ASSERT_EQ(encode_announce(300, out), 24u);
  EXPECT_EQ(
      Bytes(out.begin(), out.begin() + 24),
      (Bytes{2, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  std::array<std::uint8_t, 20> small{};
  EXPECT_EQ(encode_announce(300, small), 0u);
}

}  // namespace
}  // namespace masq::pcp
