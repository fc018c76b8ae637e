#include "ip_options.hpp"

#include <span>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/l4_views.hpp"
#include "masq/net/parse.hpp"

namespace masq::router {
namespace {

// Calls visit(offset, length) for each option but EOL and NOP, in order.
// The parser has checked that every length is >= 2 and fits the header.
template <typename Visit>
void for_each_option(std::span<const std::uint8_t> header, Visit visit) {
  std::size_t i = net::kIpv4MinHeader;
  while (i < header.size()) {
    const std::uint8_t type = header[i];
    if (type == kOptionEnd) return;
    if (type == kOptionNop) {
      ++i;
      continue;
    }
    const std::size_t length = header[i + 1];
    visit(i, length);
    i += length;
  }
}

}  // namespace

bool has_source_route(const net::Ipv4View& ip) noexcept {
  const std::span<const std::uint8_t> header = ip.header();
  bool found = false;
  for_each_option(header, [&](std::size_t at, std::size_t) {
    found =
        found || header[at] == kOptionLooseSourceRoute || header[at] == kOptionStrictSourceRoute;
  });
  return found;
}

Neutralised neutralise_recording_options(const net::Ipv4View& ip) noexcept {
  const std::span<std::uint8_t> header = ip.header();
  Neutralised n;
  for_each_option(header, [&](std::size_t at, std::size_t length) {
    if (header[at] != kOptionRecordRoute && header[at] != kOptionTimestamp) return;
    // The checksum is over 16-bit words from the header's start: every
    // word the option touches is replaced whole. The header length is a
    // multiple of 4, so the last word lies inside it.
    const std::size_t end = at + length;
    for (std::size_t word = at & ~std::size_t{1}; word < end; word += 2) {
      const std::uint16_t old_word = net::load_be16(&header[word]);
      for (std::size_t b = word; b < word + 2; ++b) {
        if (b >= at && b < end) header[b] = kOptionNop;
      }
      n.delta.replace16(old_word, net::load_be16(&header[word]));
    }
    ++n.options;
  });
  if (n.options != 0) {
    const std::uint16_t old_checksum = ip.checksum();
    ip.set_checksum(n.delta.apply(old_checksum));
    n.delta.replace16(old_checksum, ip.checksum());
  }
  return n;
}

std::uint32_t neutralise_quoted_options(std::uint8_t* icmp, std::size_t icmp_length) noexcept {
  if (icmp_length < net::kIcmpHeader + net::kIpv4MinHeader) return 0;
  const net::ParseResult quote = net::parse_quoted_ipv4(
      {icmp + net::kIcmpHeader, icmp_length - net::kIcmpHeader}, {.verify_checksum = false});
  if (quote.error != net::ParseError::ok ||
      quote.packet.ip.header_length() == net::kIpv4MinHeader) {
    return 0;
  }
  // The quote starts 8 bytes into the message: its words are the message's.
  const Neutralised n = neutralise_recording_options(quote.packet.ip);
  if (n.options != 0) {
    const net::IcmpView view(icmp);
    view.set_checksum(n.delta.apply(view.checksum()));
  }
  return n.options;
}

}  // namespace masq::router
