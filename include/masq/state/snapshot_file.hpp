// The snapshot file (docs/operations.md, "State across restarts"): a
// header (magic "MASQSNAP", format version, what the body holds, the
// body's CRC-32 and the header's own) and fixed-size little-endian
// records, so that a file that is corrupt, truncated, of another version
// or no snapshot at all is refused with a message that says which, never
// half read. Written atomically: a temporary file in the same directory,
// fsync, rename over the old one, fsync of the directory, so that a crash
// leaves the old snapshot or the new one. Cold.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "masq/state/snapshot.hpp"

namespace masq::state {

inline constexpr std::uint32_t kFormatVersion = 1;

std::vector<std::uint8_t> encode(const Snapshot& s);

// The snapshot, or why the bytes are none.
struct Decoded {
  std::optional<Snapshot> snapshot;
  std::string error;
};
Decoded decode(std::span<const std::uint8_t> bytes);

// Writes `bytes` to `path` atomically, making its directory if need be;
// the error, or empty.
std::string write_atomically(const std::filesystem::path& path,
                             std::span<const std::uint8_t> bytes);

// What reading a snapshot file gave: a snapshot; none because there is no
// file (absent, a first start); or none, and why (error).
struct Loaded {
  std::optional<Snapshot> snapshot;
  bool absent = false;
  std::string error;
};
Loaded load(const std::filesystem::path& path);

}  // namespace masq::state
