#include "masq/pcp/pcp_wire.hpp"

#include <algorithm>
#include <cstring>

#include "masq/net/byte_order.hpp"

namespace masq::pcp {
namespace {

constexpr std::array<std::uint8_t, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

AddrBytes load_addr(const std::uint8_t* p) {
  AddrBytes a;
  std::memcpy(a.data(), p, a.size());
  return a;
}

Decoded drop(DropReason r) {
  Decoded d;
  d.kind = Decoded::Kind::drop;
  d.drop = r;
  return d;
}

Decoded error(ResultCode c) {
  Decoded d;
  d.kind = Decoded::Kind::error;
  d.error = c;
  return d;
}

// Which options each opcode accepts (§13.1-§13.3): THIRD_PARTY for MAP
// and PEER, PREFER_FAILURE and FILTER for MAP only, none for ANNOUNCE.
bool valid_for(OptionCode code, Opcode op) {
  switch (code) {
    case OptionCode::third_party:
      return op == Opcode::map || op == Opcode::peer;
    case OptionCode::prefer_failure:
    case OptionCode::filter:
      return op == Opcode::map;
  }
  return false;
}

bool is_known(std::uint8_t code) {
  return code >= 1 && code <= 3;
}

// §7.3 and §13; returns SUCCESS or the error the options earn.
ResultCode parse_options(std::span<const std::uint8_t> rest, Opcode op, Options& out) {
  std::size_t at = 0;
  while (at < rest.size()) {
    if (rest.size() - at < kOptionHeaderSize) return ResultCode::malformed_option;
    const std::uint8_t code = rest[at];
    const std::size_t length = net::load_be16(&rest[at + 2]);
    const std::size_t padded = (length + 3) & ~std::size_t{3};
    at += kOptionHeaderSize;
    if (rest.size() - at < padded) return ResultCode::malformed_option;
    const std::uint8_t* data = &rest[at];
    at += padded;
    if (!is_known(code)) {
      if (code < kFirstOptionalOption) return ResultCode::unsupp_option;
      continue;
    }
    const auto known = static_cast<OptionCode>(code);
    if (!valid_for(known, op)) return ResultCode::unsupp_option;
    switch (known) {
      case OptionCode::third_party:
        // At most once (§13.1).
        if (length != kThirdPartyLength || out.third_party) return ResultCode::malformed_option;
        out.third_party = load_addr(data);
        break;
      case OptionCode::prefer_failure:
        // At most once, no data (§13.2).
        if (length != 0 || out.prefer_failure) return ResultCode::malformed_option;
        out.prefer_failure = true;
        break;
      case OptionCode::filter: {
        if (length != kFilterLength) return ResultCode::malformed_option;
        FilterOption f;
        f.prefix_length = data[1];
        f.remote_port = net::load_be16(data + 2);
        f.remote_addr = load_addr(data + 4);
        // §13.3: a prefix longer than the address, or shorter than the
        // mapped prefix for an IPv4 peer, is malformed; 0 means every peer.
        if (f.prefix_length > 128) return ResultCode::malformed_option;
        if (f.prefix_length != 0 && f.prefix_length < 96 && as_ipv4(f.remote_addr))
          return ResultCode::malformed_option;
        // A datagram of at most kMaxMessage octets cannot carry more.
        out.filters[out.filter_count++] = f;
        break;
      }
    }
  }
  return ResultCode::success;
}

// The response header of §7.2; `op` is raw so that an unsupported opcode
// can be echoed in its UNSUPP_OPCODE answer.
std::uint8_t* put_header(std::span<std::uint8_t> out, std::uint8_t op, ResultCode result,
                         std::uint32_t lifetime_s, std::uint32_t epoch_s) {
  std::uint8_t* p = out.data();
  std::memset(p, 0, kHeaderSize);
  p[0] = kPcpVersion;
  p[1] = static_cast<std::uint8_t>(kResponseBit | op);
  p[3] = static_cast<std::uint8_t>(result);
  net::store_be32(p + 4, lifetime_s);
  net::store_be32(p + 8, epoch_s);
  return p + kHeaderSize;
}

std::uint8_t* put_option_header(std::uint8_t* p, OptionCode code, std::uint16_t length) {
  p[0] = static_cast<std::uint8_t>(code);
  p[1] = 0;
  net::store_be16(p + 2, length);
  return p + kOptionHeaderSize;
}

}  // namespace

AddrBytes mapped(net::Ipv4Addr a) {
  AddrBytes b{};
  std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), b.begin());
  net::store_be32(b.data() + 12, a.value());
  return b;
}

std::optional<net::Ipv4Addr> as_ipv4(const AddrBytes& b) {
  if (!std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), b.begin())) return std::nullopt;
  return net::Ipv4Addr(net::load_be32(b.data() + 12));
}

bool is_unspecified(const AddrBytes& b) {
  if (b == AddrBytes{}) return true;
  const auto v4 = as_ipv4(b);
  return v4 && v4->is_unspecified();
}

Decoded decode_request(std::span<const std::uint8_t> d) {
  if (d.size() < 2) return drop(DropReason::too_short);
  if ((d[1] & kResponseBit) != 0) return drop(DropReason::response_received);
  if (d[0] != kPcpVersion) return error(ResultCode::unsupp_version);
  if (d.size() < kHeaderSize) return drop(DropReason::too_short);
  if (d.size() > kMaxMessage || d.size() % 4 != 0) return error(ResultCode::malformed_request);

  Decoded out;
  Request& r = out.request;
  r.version = d[0];
  const std::uint8_t op = d[1];
  std::size_t body = 0;
  switch (op) {
    case static_cast<std::uint8_t>(Opcode::announce):
      break;
    case static_cast<std::uint8_t>(Opcode::map):
      body = kMapBodySize;
      break;
    case static_cast<std::uint8_t>(Opcode::peer):
      body = kPeerBodySize;
      break;
    default:
      return error(ResultCode::unsupp_opcode);
  }
  if (d.size() < kHeaderSize + body) return error(ResultCode::malformed_request);
  r.opcode = static_cast<Opcode>(op);
  r.lifetime_s = net::load_be32(&d[4]);
  r.client_addr = load_addr(&d[8]);
  if (body != 0) {
    const std::uint8_t* b = &d[kHeaderSize];
    std::memcpy(r.nonce.data(), b, r.nonce.size());
    r.protocol = b[12];
    r.internal_port = net::load_be16(b + 16);
    r.suggested_port = net::load_be16(b + 18);
    r.suggested_addr = load_addr(b + 20);
    if (r.opcode == Opcode::peer) {
      r.peer_port = net::load_be16(b + 36);
      r.peer_addr = load_addr(b + 40);
    }
  }
  const ResultCode opt = parse_options(d.subspan(kHeaderSize + body), r.opcode, r.options);
  if (opt != ResultCode::success) return error(opt);
  out.kind = Decoded::Kind::request;
  return out;
}

std::size_t encode_error_response(std::span<const std::uint8_t> request, ResultCode result,
                                  std::uint32_t lifetime_s, std::uint32_t epoch_s,
                                  std::span<std::uint8_t> out) {
  const std::size_t copied = std::min(request.size(), kMaxMessage);
  const std::size_t length = std::max(kHeaderSize, (copied + 3) & ~std::size_t{3});
  if (out.size() < length) return 0;
  std::memset(out.data(), 0, length);
  std::memcpy(out.data(), request.data(), copied);
  const std::uint8_t op = request.size() >= 2 ? static_cast<std::uint8_t>(request[1] & 0x7F) : 0;
  put_header(out, op, result, lifetime_s, epoch_s);
  return length;
}

std::size_t encode_response(const Response& r, const Options& echoed, std::span<std::uint8_t> out) {
  std::size_t length = kHeaderSize;
  if (r.opcode == Opcode::map) length += kMapBodySize;
  if (r.opcode == Opcode::peer) length += kPeerBodySize;
  if (echoed.third_party) length += kOptionHeaderSize + kThirdPartyLength;
  if (echoed.prefer_failure) length += kOptionHeaderSize;
  length += echoed.filter_count * (kOptionHeaderSize + kFilterLength);
  if (length > kMaxMessage || length > out.size()) return 0;

  std::uint8_t* p =
      put_header(out, static_cast<std::uint8_t>(r.opcode), r.result, r.lifetime_s, r.epoch_s);
  if (r.opcode != Opcode::announce) {
    std::memset(p, 0, r.opcode == Opcode::map ? kMapBodySize : kPeerBodySize);
    std::memcpy(p, r.nonce.data(), r.nonce.size());
    p[12] = r.protocol;
    net::store_be16(p + 16, r.internal_port);
    net::store_be16(p + 18, r.external_port);
    std::memcpy(p + 20, r.external_addr.data(), r.external_addr.size());
    if (r.opcode == Opcode::peer) {
      net::store_be16(p + 36, r.peer_port);
      std::memcpy(p + 40, r.peer_addr.data(), r.peer_addr.size());
      p += kPeerBodySize;
    } else {
      p += kMapBodySize;
    }
  }
  if (echoed.third_party) {
    p = put_option_header(p, OptionCode::third_party, kThirdPartyLength);
    std::memcpy(p, echoed.third_party->data(), kThirdPartyLength);
    p += kThirdPartyLength;
  }
  if (echoed.prefer_failure) p = put_option_header(p, OptionCode::prefer_failure, 0);
  for (std::size_t i = 0; i < echoed.filter_count; ++i) {
    const FilterOption& f = echoed.filters[i];
    p = put_option_header(p, OptionCode::filter, kFilterLength);
    p[0] = 0;
    p[1] = f.prefix_length;
    net::store_be16(p + 2, f.remote_port);
    std::memcpy(p + 4, f.remote_addr.data(), f.remote_addr.size());
    p += kFilterLength;
  }
  return length;
}

std::size_t encode_announce(std::uint32_t epoch_s, std::span<std::uint8_t> out) {
  Response r;
  r.opcode = Opcode::announce;
  r.epoch_s = epoch_s;
  return encode_response(r, Options{}, out);
}

}  // namespace masq::pcp
