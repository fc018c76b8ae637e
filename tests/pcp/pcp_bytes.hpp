// Hand-written PCP and NAT-PMP datagrams for the tests, field by field in
// the order of the RFC 6887 §7.1/§11.1/§12.1 and RFC 6886 §3 layouts, so a
// test reads like the RFC's figure. Test-only; allocates freely.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace masq::pcp::test {

using Bytes = std::vector<std::uint8_t>;

class Writer {
 public:
  Writer& u8(std::uint8_t v) {
    b_.push_back(v);
    return *this;
  }
  Writer& be16(std::uint16_t v) {
    return u8(static_cast<std::uint8_t>(v >> 8)).u8(static_cast<std::uint8_t>(v & 0xFF));
  }
  Writer& be32(std::uint32_t v) {
    return be16(static_cast<std::uint16_t>(v >> 16)).be16(static_cast<std::uint16_t>(v & 0xFFFF));
  }
  Writer& zeros(std::size_t n) {
    b_.insert(b_.end(), n, 0);
    return *this;
  }
  // ::ffff:a.b.c.d
  Writer& v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return zeros(10).u8(0xFF).u8(0xFF).u8(a).u8(b).u8(c).u8(d);
  }
  Writer& raw(std::initializer_list<std::uint8_t> bytes) {
    b_.insert(b_.end(), bytes);
    return *this;
  }
  Bytes bytes() const { return b_; }

 private:
  Bytes b_;
};

// The nonce every test MAP uses unless it needs another.
inline constexpr std::initializer_list<std::uint8_t> kNonceA = {1, 2, 3, 4,  5,  6,
                                                                7, 8, 9, 10, 11, 12};
inline constexpr std::initializer_list<std::uint8_t> kNonceB = {12, 11, 10, 9, 8, 7,
                                                                6,  5,  4,  3, 2, 1};

// PCP request header (§7.1) from client 192.168.1.10 unless told.
inline Writer header(std::uint8_t opcode, std::uint32_t lifetime_s, std::uint8_t c = 10) {
  Writer w;
  w.u8(2).u8(opcode).be16(0).be32(lifetime_s).v4(192, 168, 1, c);
  return w;
}

// MAP body (§11.1): nonce, protocol, 3 reserved, internal port, suggested
// external port, suggested external address (0.0.0.0 when a == 0).
inline Writer& map_body(Writer& w, std::initializer_list<std::uint8_t> nonce, std::uint8_t proto,
                        std::uint16_t internal_port, std::uint16_t suggested_port = 0,
                        std::uint8_t a = 0, std::uint8_t b = 0, std::uint8_t c = 0,
                        std::uint8_t d = 0) {
  return w.raw(nonce).u8(proto).zeros(3).be16(internal_port).be16(suggested_port).v4(a, b, c, d);
}

inline Bytes map_request(std::uint32_t lifetime_s, std::uint8_t proto, std::uint16_t internal_port,
                         std::uint16_t suggested_port = 0,
                         std::initializer_list<std::uint8_t> nonce = kNonceA) {
  Writer w = header(1, lifetime_s);
  map_body(w, nonce, proto, internal_port, suggested_port);
  return w.bytes();
}

// PEER body (§12.1): the MAP fields, then remote port, 2 reserved, remote address.
inline Writer& peer_body(Writer& w, std::initializer_list<std::uint8_t> nonce, std::uint8_t proto,
                         std::uint16_t internal_port, std::uint16_t peer_port, std::uint8_t a,
                         std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  map_body(w, nonce, proto, internal_port);
  return w.be16(peer_port).zeros(2).v4(a, b, c, d);
}

// Options (§7.3): code, reserved, length, data.
inline Writer& third_party(Writer& w, std::uint8_t a, std::uint8_t b, std::uint8_t c,
                           std::uint8_t d) {
  return w.u8(1).u8(0).be16(16).v4(a, b, c, d);
}
inline Writer& prefer_failure(Writer& w) {
  return w.u8(2).u8(0).be16(0);
}
inline Writer& filter(Writer& w, std::uint8_t prefix_length, std::uint16_t port, std::uint8_t a,
                      std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return w.u8(3).u8(0).be16(20).u8(0).u8(prefix_length).be16(port).v4(a, b, c, d);
}

// NAT-PMP (RFC 6886 §3.3) mapping request.
inline Bytes natpmp_map(std::uint8_t op, std::uint16_t internal_port, std::uint16_t suggested_port,
                        std::uint32_t lifetime_s) {
  return Writer()
      .u8(0)
      .u8(op)
      .be16(0)
      .be16(internal_port)
      .be16(suggested_port)
      .be32(lifetime_s)
      .bytes();
}

}  // namespace masq::pcp::test
