#include "fragmenter.hpp"

#include <algorithm>
#include <cstring>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/ipv4_view.hpp"

namespace masq::router {
namespace {

constexpr std::uint8_t kOptionEnd = 0;
constexpr std::uint8_t kOptionNop = 1;
constexpr std::uint8_t kOptionCopied = 0x80;
constexpr std::uint16_t kFlagMoreFragments = 0x2000;
constexpr std::uint16_t kOffsetMask = 0x1FFF;

}  // namespace

Fragmenter::Fragmenter(std::span<const std::uint8_t> datagram, std::size_t mtu) noexcept
    : mtu_(mtu) {
  const std::uint8_t* p = datagram.data();
  const std::size_t ihl = std::size_t{p[0] & 0x0Fu} * 4;
  header_ = datagram.first(ihl);
  payload_ = datagram.subspan(ihl);
  const std::uint16_t flags_offset = net::load_be16(p + 6);
  base_offset_ = static_cast<std::size_t>(flags_offset & kOffsetMask) * 8;
  last_more_fragments_ = (flags_offset & kFlagMoreFragments) != 0;

  // The parser has proved the option list well formed (RFC 791 §3.1).
  const auto options = header_.subspan(net::kIpv4MinHeader);
  for (std::size_t i = 0; i < options.size();) {
    const std::uint8_t type = options[i];
    if (type == kOptionEnd) break;
    if (type == kOptionNop) {
      ++i;
      continue;
    }
    const std::size_t len = options[i + 1];
    if ((type & kOptionCopied) != 0) {
      std::memcpy(copied_.data() + copied_length_, options.data() + i, len);
      copied_length_ += len;
    }
    i += len;
  }
  copied_length_ = (copied_length_ + 3) & ~std::size_t{3};  // EOL padding: copied_ starts zeroed

  const std::size_t first = std::min(payload_.size(), capacity(true));
  count_ = 1 + (payload_.size() - first + capacity(false) - 1) / capacity(false);
}

std::size_t Fragmenter::capacity(bool first) const noexcept {
  const std::size_t header = first ? header_.size() : net::kIpv4MinHeader + copied_length_;
  return (mtu_ - header) & ~std::size_t{7};
}

std::size_t Fragmenter::next(std::span<std::uint8_t> out) noexcept {
  const bool first = emitted_ == 0;
  const std::size_t remaining = payload_.size() - written_;
  const bool last = remaining <= capacity(first);
  const std::size_t data = last ? remaining : capacity(first);

  std::uint8_t* p = out.data();
  std::size_t header = header_.size();
  if (first) {
    std::memcpy(p, header_.data(), header);
  } else {
    header = net::kIpv4MinHeader + copied_length_;
    std::memcpy(p, header_.data(), net::kIpv4MinHeader);
    std::memcpy(p + net::kIpv4MinHeader, copied_.data(), copied_length_);
    p[0] = static_cast<std::uint8_t>(0x40 | header / 4);
  }
  std::memcpy(p + header, payload_.data() + written_, data);

  const std::size_t length = header + data;
  const bool more = !last || last_more_fragments_;
  const auto offset_units = static_cast<std::uint16_t>((base_offset_ + written_) / 8);
  net::store_be16(p + 2, static_cast<std::uint16_t>(length));
  net::store_be16(p + 6,
                  static_cast<std::uint16_t>(offset_units | (more ? kFlagMoreFragments : 0)));
  net::store_be16(p + 10, 0);
  net::store_be16(p + 10, net::internet_checksum({p, header}));

  written_ += data;
  ++emitted_;
  return length;
}

}  // namespace masq::router
