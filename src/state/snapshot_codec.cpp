// The snapshot's bytes (masq/state/snapshot_file.hpp). Layout, version 1,
// every integer little-endian:
//
//   header, 64 bytes
//     0  magic "MASQSNAP"          32 mapping count (u64)
//     8  version (u32)             40 PCP epoch start, unix s (u64)
//    12  header size (u32)         48 flags (u32): 1 = PCP state
//    16  saved at, unix s (u64)    52 CRC-32 of the body (u32)
//    24  session count (u64)       56 zero (u32)
//                                  60 CRC-32 of bytes 0-59 (u32)
//   body: the session records, then the mapping records.
//   session, 28 bytes: protocol, kind, state (its index in
//     nat::session_state_names()), 0; internal address, internal port,
//     external port, external address, remote address, remote port, 0,
//     seconds left.
//   mapping, 104 bytes: origin, protocol, filter count, 0; internal
//     address, internal port, external port, external address, peer
//     address, peer port, 0, seconds left, nonce (12); 8 filters of
//     address, prefix length, 0, port.
// The CRC-32 is zlib's (ISO-HDLC, as in gzip and PNG).
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#include "masq/state/snapshot_file.hpp"

namespace masq::state {
namespace {

constexpr std::array<char, 8> kMagic = {'M', 'A', 'S', 'Q', 'S', 'N', 'A', 'P'};
constexpr std::size_t kHeader = 64;
constexpr std::size_t kBodyCrcAt = 52;
constexpr std::size_t kCheckedHeader = 60;  // the header's CRC follows what it covers
constexpr std::size_t kSessionRecord = 28;
constexpr std::size_t kMappingRecord = 104;
constexpr std::uint32_t kFlagPcp = 1;

std::uint32_t crc32_of(std::span<const std::uint8_t> bytes) {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  // zlib takes at most a uInt per call.
  constexpr std::size_t kStep = 1u << 30;
  for (std::size_t at = 0; at < bytes.size(); at += kStep) {
    const std::size_t n = std::min(kStep, bytes.size() - at);
    crc = ::crc32(crc, bytes.data() + at, static_cast<uInt>(n));
  }
  return static_cast<std::uint32_t>(crc);
}

// Writes into a buffer sized beforehand: one store per byte, no growth.
class Writer {
 public:
  explicit Writer(std::uint8_t* out) : p_(out) {}
  void u8(std::uint8_t v) { *p_++ = v; }
  void u16(std::uint16_t v) { le(v, 2); }
  void u32(std::uint32_t v) { le(v, 4); }
  void u64(std::uint64_t v) { le(v, 8); }
  void bytes(std::span<const std::uint8_t> b) {
    std::memcpy(p_, b.data(), b.size());
    p_ += b.size();
  }

 private:
  void le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) *p_++ = static_cast<std::uint8_t>(v >> (8 * i));
  }
  std::uint8_t* p_;
};

void put_u32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  std::uint8_t u8() { return in_[at_++]; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(le(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(le(4)); }
  std::uint64_t u64() { return le(8); }
  void bytes(std::span<std::uint8_t> out) {
    std::memcpy(out.data(), in_.data() + at_, out.size());
    at_ += out.size();
  }

 private:
  std::uint64_t le(int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint64_t{in_[at_++]} << (8 * i);
    return v;
  }
  std::span<const std::uint8_t> in_;
  std::size_t at_ = 0;
};

std::uint8_t state_index(std::string_view state) {
  const auto names = nat::session_state_names();
  return static_cast<std::uint8_t>(std::find(names.begin(), names.end(), state) - names.begin());
}

void put_session(Writer& w, const nat::SessionView& v) {
  w.u8(static_cast<std::uint8_t>(v.proto));
  w.u8(static_cast<std::uint8_t>(v.kind));
  w.u8(state_index(v.state));
  w.u8(0);
  w.u32(v.internal_addr.value());
  w.u16(v.internal_port.value());
  w.u16(v.external_port.value());
  w.u32(v.external_addr.value());
  w.u32(v.remote_addr.value());
  w.u16(v.remote_port.value());
  w.u16(0);
  w.u32(v.expires_in_s);
}

void put_mapping(Writer& w, const SavedMapping& s) {
  const pcp::Mapping& m = s.mapping;
  w.u8(static_cast<std::uint8_t>(m.origin));
  w.u8(static_cast<std::uint8_t>(m.proto));
  w.u8(m.filter_count);
  w.u8(0);
  w.u32(m.internal.addr.value());
  w.u16(m.internal.port);
  w.u16(m.external.port);
  w.u32(m.external.addr.value());
  w.u32(m.peer.addr.value());
  w.u16(m.peer.port);
  w.u16(0);
  w.u32(s.left_s);
  w.bytes(m.nonce);
  for (const pcp::RemoteFilter& f : m.filters) {
    w.u32(f.remote.network().value());
    w.u8(f.remote.length());
    w.u8(0);
    w.u16(f.port);
  }
}

// The session of a record, or nullopt when a field holds what no session can.
std::optional<nat::SessionView> get_session(Reader& r) {
  nat::SessionView v;
  const std::uint8_t proto = r.u8();
  const std::uint8_t kind = r.u8();
  const std::uint8_t state = r.u8();
  r.u8();
  v.internal_addr = net::Ipv4Addr(r.u32());
  v.internal_port = net::Port(r.u16());
  v.external_port = net::Port(r.u16());
  v.external_addr = net::Ipv4Addr(r.u32());
  v.remote_addr = net::Ipv4Addr(r.u32());
  v.remote_port = net::Port(r.u16());
  r.u16();
  v.expires_in_s = r.u32();
  const auto states = nat::session_state_names();
  if (!net::is_supported_proto(proto) || kind >= nat::kSessionKindNames.size() ||
      state >= states.size()) {
    return std::nullopt;
  }
  v.proto = static_cast<net::Proto>(proto);
  v.kind = static_cast<nat::SessionKind>(kind);
  v.state = states[state];
  return v;
}

std::optional<SavedMapping> get_mapping(Reader& r) {
  SavedMapping s;
  pcp::Mapping& m = s.mapping;
  const std::uint8_t origin = r.u8();
  const std::uint8_t proto = r.u8();
  m.filter_count = r.u8();
  r.u8();
  m.internal.addr = net::Ipv4Addr(r.u32());
  m.internal.port = r.u16();
  m.external.port = r.u16();
  m.external.addr = net::Ipv4Addr(r.u32());
  m.peer.addr = net::Ipv4Addr(r.u32());
  m.peer.port = r.u16();
  r.u16();
  s.left_s = r.u32();
  r.bytes(m.nonce);
  for (pcp::RemoteFilter& f : m.filters) {
    const net::Ipv4Addr network(r.u32());
    const std::uint8_t length = r.u8();
    r.u8();
    f.port = r.u16();
    if (length > 32) return std::nullopt;
    f.remote = net::Ipv4Prefix(network, length);
  }
  if (origin >= pcp::kOriginCount || !net::is_supported_proto(proto) ||
      m.filter_count > pcp::kMaxFiltersPerMapping) {
    return std::nullopt;
  }
  m.origin = static_cast<pcp::Origin>(origin);
  m.proto = static_cast<net::Proto>(proto);
  return s;
}

Decoded refuse(std::string why) {
  return {std::nullopt, std::move(why)};
}

}  // namespace

std::vector<std::uint8_t> encode(const Snapshot& s) {
  // A view in a state no session is saved in (an explicit mapping's
  // anchor, "mapping") is left out: no restore could take it.
  const auto saved = [](const nat::SessionView& v) {
    return state_index(v.state) < nat::session_state_names().size();
  };
  const auto sessions =
      static_cast<std::size_t>(std::count_if(s.sessions.begin(), s.sessions.end(), saved));
  std::vector<std::uint8_t> out(kHeader + sessions * kSessionRecord +
                                s.mappings.size() * kMappingRecord);
  Writer w(out.data());
  for (const char c : kMagic) w.u8(static_cast<std::uint8_t>(c));
  w.u32(kFormatVersion);
  w.u32(kHeader);
  w.u64(s.saved_unix_s);
  w.u64(sessions);
  w.u64(s.mappings.size());
  w.u64(s.pcp_epoch_start_unix_s);
  w.u32(s.has_pcp ? kFlagPcp : 0);
  w.u32(0);  // the body's CRC, once the body is there
  w.u32(0);
  w.u32(0);  // the header's
  for (const nat::SessionView& v : s.sessions) {
    if (saved(v)) put_session(w, v);
  }
  for (const SavedMapping& m : s.mappings) put_mapping(w, m);
  put_u32(out, kBodyCrcAt, crc32_of(std::span(out).subspan(kHeader)));
  put_u32(out, kCheckedHeader, crc32_of(std::span(out).first(kCheckedHeader)));
  return out;
}

Decoded decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kMagic.size() ||
      !std::equal(kMagic.begin(), kMagic.end(), bytes.begin(),
                  [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; })) {
    return refuse("not a masqd state snapshot (no MASQSNAP magic)");
  }
  if (bytes.size() < kHeader) {
    return refuse("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the header");
  }
  Reader r(bytes);
  std::array<std::uint8_t, 8> magic{};
  r.bytes(magic);
  const std::uint32_t version = r.u32();
  if (version != kFormatVersion) {
    return refuse("format version " + std::to_string(version) + ", this masqd reads version " +
                  std::to_string(kFormatVersion));
  }
  const std::uint32_t header_size = r.u32();
  Snapshot s;
  s.saved_unix_s = r.u64();
  const std::uint64_t sessions = r.u64();
  const std::uint64_t mappings = r.u64();
  s.pcp_epoch_start_unix_s = r.u64();
  const std::uint32_t flags = r.u32();
  const std::uint32_t body_crc = r.u32();
  r.u32();
  const std::uint32_t header_crc = r.u32();
  if (header_crc != crc32_of(bytes.first(kCheckedHeader)) || header_size != kHeader ||
      (flags & ~kFlagPcp) != 0) {
    return refuse("corrupt header (checksum mismatch)");
  }
  s.has_pcp = (flags & kFlagPcp) != 0;
  // Counts a valid header cannot hold are refused before any multiplication.
  const std::uint64_t body = bytes.size() - kHeader;
  if (sessions > body / kSessionRecord || mappings > body / kMappingRecord ||
      sessions * kSessionRecord + mappings * kMappingRecord != body) {
    return refuse("truncated or overlong: the header announces " + std::to_string(sessions) +
                  " sessions and " + std::to_string(mappings) + " mappings, the body holds " +
                  std::to_string(body) + " bytes");
  }
  if (body_crc != crc32_of(bytes.subspan(kHeader))) {
    return refuse("corrupt body (checksum mismatch)");
  }
  Reader records(bytes.subspan(kHeader));
  s.sessions.reserve(sessions);
  for (std::uint64_t i = 0; i < sessions; ++i) {
    const auto v = get_session(records);
    if (!v) return refuse("session record " + std::to_string(i) + " holds an unknown value");
    s.sessions.push_back(*v);
  }
  s.mappings.reserve(mappings);
  for (std::uint64_t i = 0; i < mappings; ++i) {
    const auto m = get_mapping(records);
    if (!m) return refuse("mapping record " + std::to_string(i) + " holds an unknown value");
    s.mappings.push_back(*m);
  }
  return {std::move(s), {}};
}

}  // namespace masq::state
