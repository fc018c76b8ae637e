#include "router/frames.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>

#include "masq/net/byte_order.hpp"
#include "support/checksum_oracle.hpp"
#include "support/inet_checksum.hpp"
#include "support/packet_builder.hpp"

namespace masq::router::test {

MacAddr mac(std::uint8_t side, std::uint8_t host) {
  return MacAddr({0x02, 0x00, 0x00, 0x00, side, host});
}

Bytes ethernet_frame(const MacAddr& dst, const MacAddr& src, std::uint16_t ether_type,
                     std::span<const std::uint8_t> payload) {
  // The header is written apart: GCC 12 at -O3 sees a vector that might be
  // empty and warns (-Warray-bounds) about writing into it.
  std::array<std::uint8_t, kEthernetHeader> header{};
  write_ethernet(header.data(), dst, src, ether_type);
  Bytes f;
  f.reserve(header.size() + payload.size());
  std::copy(header.begin(), header.end(), std::back_inserter(f));
  std::copy(payload.begin(), payload.end(), std::back_inserter(f));
  return f;
}

Bytes ipv4_frame(const MacAddr& dst, const MacAddr& src, const masq::test::PacketSpec& spec) {
  return ethernet_frame(dst, src, kEtherTypeIpv4, masq::test::build_packet(spec));
}

Bytes arp_frame(const MacAddr& dst, const MacAddr& src, const ArpPacket& arp) {
  Bytes payload(kArpLength);
  encode_arp(arp, payload.data());
  return ethernet_frame(dst, src, kEtherTypeArp, payload);
}

std::vector<SentFrame> sent(const Output& out, Side side) {
  std::vector<SentFrame> frames;
  for (const net::Frame& f : out.frames(side)) {
    EXPECT_GE(f.bytes.size(), kEthernetHeader);
    const auto payload = f.bytes.subspan(kEthernetHeader);
    frames.push_back({read_ethernet(f.bytes.data()), Bytes(payload.begin(), payload.end())});
  }
  return frames;
}

Bytes reassemble(const std::vector<Bytes>& fragments) {
  std::map<std::size_t, Bytes> data;  // offset -> bytes
  Bytes header;
  std::size_t end = 0;
  for (const Bytes& f : fragments) {
    const std::size_t ihl = std::size_t{f[0] & 0x0Fu} * 4;
    const std::uint16_t flags_offset = net::load_be16(f.data() + 6);
    const std::size_t offset = std::size_t{flags_offset & 0x1FFFu} * 8;
    const bool more = (flags_offset & 0x2000u) != 0;
    const std::size_t total = net::load_be16(f.data() + 2);
    EXPECT_EQ(total, f.size());
    if (offset == 0) header.assign(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(ihl));
    data[offset] = Bytes(f.begin() + static_cast<std::ptrdiff_t>(ihl), f.end());
    if (!more) end = offset + total - ihl;
  }
  Bytes out = header;
  std::size_t at = 0;
  for (const auto& [offset, bytes] : data) {
    if (offset != at)
      ADD_FAILURE() << "gap or overlap at offset " << at << " (next " << offset << ")";
    out.insert(out.end(), bytes.begin(), bytes.end());
    at = offset + bytes.size();
  }
  EXPECT_EQ(at, end) << "the last fragment does not end the datagram";
  if (header.empty()) {
    ADD_FAILURE() << "no first fragment";
    return out;
  }
  net::store_be16(out.data() + 2, static_cast<std::uint16_t>(out.size()));
  net::store_be16(out.data() + 6,
                  static_cast<std::uint16_t>(net::load_be16(out.data() + 6) & 0x4000u));
  net::store_be16(out.data() + 10, 0);
  masq::test::OnesSum sum;
  sum.add({out.data(), header.size()});
  net::store_be16(out.data() + 10, sum.checksum());
  return out;
}

Bytes fragment(std::span<const std::uint8_t> header, std::size_t offset_bytes,
               std::span<const std::uint8_t> data, bool more) {
  Bytes f(header.begin(), header.end());
  f.insert(f.end(), data.begin(), data.end());
  net::store_be16(f.data() + 2, static_cast<std::uint16_t>(f.size()));
  net::store_be16(f.data() + 6,
                  static_cast<std::uint16_t>(offset_bytes / 8 | (more ? 0x2000u : 0)));
  net::store_be16(f.data() + 10, 0);
  masq::test::OnesSum sum;
  sum.add({f.data(), header.size()});
  net::store_be16(f.data() + 10, sum.checksum());
  return f;
}

Bytes slice(const Bytes& datagram, std::size_t offset_bytes, std::size_t length) {
  const std::size_t ihl = std::size_t{datagram[0] & 0x0Fu} * 4;
  const std::span<const std::uint8_t> whole(datagram);
  const std::size_t data = whole.size() - ihl;
  return fragment(whole.first(ihl), offset_bytes, whole.subspan(ihl + offset_bytes, length),
                  offset_bytes + length < data);
}

std::vector<Bytes> split(const Bytes& datagram, std::size_t data_per_fragment) {
  const std::size_t data = datagram.size() - std::size_t{datagram[0] & 0x0Fu} * 4;
  std::vector<Bytes> out;
  for (std::size_t at = 0; at < data; at += data_per_fragment) {
    out.push_back(slice(datagram, at, std::min(data_per_fragment, data - at)));
  }
  return out;
}

std::string checksum_report(std::span<const std::uint8_t> packet,
                            masq::test::TransportSum transport) {
  std::string report;
  for (const std::string& p : masq::test::checksum_problems(packet, transport)) report += p + "\n";
  return report;
}

}  // namespace masq::router::test
