#include "masq/pcp/natpmp_wire.hpp"

#include "masq/net/byte_order.hpp"

namespace masq::pcp {
namespace {

void put_header(std::uint8_t* p, std::uint8_t raw_op, NatPmpResult result, std::uint32_t epoch_s) {
  p[0] = kNatPmpVersion;
  p[1] = static_cast<std::uint8_t>(kNatPmpResponseBit | raw_op);
  net::store_be16(p + 2, static_cast<std::uint16_t>(result));
  net::store_be32(p + 4, epoch_s);
}

NatPmpDecoded dropped(DropReason r) {
  NatPmpDecoded d;
  d.drop = r;
  return d;
}

}  // namespace

NatPmpDecoded decode_natpmp_request(std::span<const std::uint8_t> d) {
  if (d.size() < 2) return dropped(DropReason::too_short);
  NatPmpDecoded out;
  out.raw_op = d[1];
  if (d[0] != kNatPmpVersion) {
    out.kind = NatPmpDecoded::Kind::error;
    out.error = NatPmpResult::unsupported_version;
    return out;
  }
  if ((d[1] & kNatPmpResponseBit) != 0) return dropped(DropReason::response_received);
  if (d[1] > static_cast<std::uint8_t>(NatPmpOp::map_tcp)) {
    out.kind = NatPmpDecoded::Kind::error;
    out.error = NatPmpResult::unsupported_opcode;
    return out;
  }
  out.request.op = static_cast<NatPmpOp>(d[1]);
  if (out.request.op != NatPmpOp::external_address) {
    if (d.size() < kNatPmpMapRequest) return dropped(DropReason::natpmp_truncated);
    out.request.internal_port = net::load_be16(&d[4]);
    out.request.suggested_port = net::load_be16(&d[6]);
    out.request.lifetime_s = net::load_be32(&d[8]);
  }
  out.kind = NatPmpDecoded::Kind::request;
  return out;
}

std::size_t encode_natpmp_error(std::uint8_t raw_op, NatPmpResult result, std::uint32_t epoch_s,
                                std::span<std::uint8_t> out) {
  if (out.size() < kNatPmpHeaderSize) return 0;
  put_header(out.data(), static_cast<std::uint8_t>(raw_op & 0x7F), result, epoch_s);
  return kNatPmpHeaderSize;
}

std::size_t encode_natpmp_address(NatPmpResult result, std::uint32_t epoch_s,
                                  net::Ipv4Addr external, std::span<std::uint8_t> out) {
  if (out.size() < kNatPmpAddressReply) return 0;
  put_header(out.data(), static_cast<std::uint8_t>(NatPmpOp::external_address), result, epoch_s);
  net::store_be32(out.data() + 8, external.value());
  return kNatPmpAddressReply;
}

std::size_t encode_natpmp_map(NatPmpOp op, NatPmpResult result, std::uint32_t epoch_s,
                              std::uint16_t internal_port, std::uint16_t external_port,
                              std::uint32_t lifetime_s, std::span<std::uint8_t> out) {
  if (out.size() < kNatPmpMapReply) return 0;
  std::uint8_t* p = out.data();
  put_header(p, static_cast<std::uint8_t>(op), result, epoch_s);
  net::store_be16(p + 8, internal_port);
  net::store_be16(p + 10, external_port);
  net::store_be32(p + 12, lifetime_s);
  return kNatPmpMapReply;
}

}  // namespace masq::pcp
