// Snapshot: masqd's state that survives a restart (docs/operations.md,
// "State across restarts"): every live session as the workers' session
// walk shows it, and the PCP server's mappings and epoch. Saved as a
// versioned file with a checksum, written atomically (snapshot_file.hpp).
// Lifetimes are the seconds left when the snapshot was taken
// (saved_unix_s, wall clock): a restore takes the time since off them.
// Cold: once per save or restore.
#pragma once

#include <cstdint>
#include <vector>

#include "masq/nat/session_view.hpp"
#include "masq/pcp/mapping.hpp"

namespace masq::state {

// A PCP or NAT-PMP mapping (mapping.expire_s is not kept: left_s is).
struct SavedMapping {
  pcp::Mapping mapping;
  std::uint32_t left_s = 0;
};

struct Snapshot {
  std::uint64_t saved_unix_s = 0;
  // The sessions; explicit mappings' anchors (kind pcp) are not among
  // them: they come back with their mappings.
  std::vector<nat::SessionView> sessions;
  // With the PCP server on: its epoch's start on the wall clock (RFC 6887
  // §8.5: the epoch resets only when state is lost), and its mappings.
  bool has_pcp = false;
  std::uint64_t pcp_epoch_start_unix_s = 0;
  std::vector<SavedMapping> mappings;
};

}  // namespace masq::state
