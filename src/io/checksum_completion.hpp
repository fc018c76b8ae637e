// Completing transport checksums that a local sender left to "hardware"
// (Linux CHECKSUM_PARTIAL): the checksum field holds only the folded
// pseudo-header sum, and whoever puts the packet on a wire must sum the
// transport segment and store the complement. A gateway that receives such
// frames from a veth or tap peer has to finish the job before forwarding.
// Pure: no allocation, no OS headers. Hot: runs on every offloaded frame.
#pragma once

#include <cstdint>
#include <span>

namespace masq::io {

// virtio-net semantics (VIRTIO_NET_HDR_F_NEEDS_CSUM, as packet sockets
// report it): sum the bytes from csum_start to the end of the frame, with
// the field at csum_start + csum_offset in place, and store the complement
// there; a result of 0 is stored as 0xFFFF as Linux does (RFC 768 needs it
// for UDP, and for TCP the two encodings are equal). False, untouched, when
// the field lies outside the frame.
bool complete_checksum(std::span<std::uint8_t> frame, std::size_t csum_start,
                       std::size_t csum_offset) noexcept;

enum class L4Checksum : std::uint8_t {
  not_checked,  // not an unfragmented IPv4 TCP/UDP packet
  valid,        // verifies (or UDP without checksum)
  completed,    // was a pseudo-header-only partial checksum, now complete
  invalid,      // wrong, and not the partial form: left for the receiver to drop
};

// For backends that lose the kernel's checksum metadata (AF_XDP): verify the
// TCP/UDP checksum of an IPv4 frame, and when it fails and the field equals
// the folded pseudo-header sum (the CHECKSUM_PARTIAL signature), complete it.
// A corrupted packet whose field happens to equal that sum would be
// "repaired" too; that needs a 1 in 65536 coincidence on an already broken
// packet, the price of not trusting every veth sender to finish its sums.
L4Checksum repair_partial_checksum(std::span<std::uint8_t> frame) noexcept;

}  // namespace masq::io
