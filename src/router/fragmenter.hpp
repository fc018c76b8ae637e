// Fragmenter: splits one IPv4 datagram into fragments that fit an MTU
// (RFC 791 §2.3 and §3.2 "Fragmentation"; RFC 1812 §5.2.6).
//  - data is cut at multiples of 8 bytes; each fragment's offset is the
//    original offset plus its position, so a fragment can be fragmented again;
//  - MF is set on every fragment but the last, which keeps the original MF;
//  - the first fragment carries every option, later ones only the options
//    whose "copied" flag is set (RFC 791 §3.1), padded with EOL;
//  - total length and header checksum are recomputed for each fragment.
// Cold: only oversized datagrams with DF clear come here. No allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace masq::router {

// The smallest MTU every IPv4 link must carry (RFC 791 §3.2): a 60-byte
// header and 8 bytes of data, so fragmenting always makes progress.
inline constexpr std::size_t kMinIpv4Mtu = 68;

class Fragmenter {
 public:
  // `datagram` is one that parse_ipv4 accepted, exactly its total length,
  // with DF clear; kMinIpv4Mtu <= mtu.
  Fragmenter(std::span<const std::uint8_t> datagram, std::size_t mtu) noexcept;

  // How many fragments next() will write in all.
  std::size_t count() const noexcept { return count_; }
  bool done() const noexcept { return written_ == payload_.size() && emitted_ > 0; }

  // Writes the next fragment into `out` (at least mtu bytes) and returns its length.
  std::size_t next(std::span<std::uint8_t> out) noexcept;

 private:
  std::size_t capacity(bool first) const noexcept;

  std::span<const std::uint8_t> header_;   // the original header, options included
  std::span<const std::uint8_t> payload_;  // the original data
  std::array<std::uint8_t, 40> copied_{};  // options to repeat in later fragments
  std::size_t copied_length_ = 0;          // padded to a multiple of 4
  std::size_t mtu_ = 0;
  std::size_t base_offset_ = 0;       // the datagram's own fragment offset, in bytes
  bool last_more_fragments_ = false;  // the datagram's own MF
  std::size_t count_ = 0;
  std::size_t written_ = 0;
  std::size_t emitted_ = 0;
};

}  // namespace masq::router
