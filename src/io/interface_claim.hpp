// InterfaceClaim: one process owns an interface at a time. The claim is an
// flock(2) on a file named after the network namespace and the interface,
// holding the owner's pid and name; the kernel drops the lock when the
// owner dies, however it dies, so a claim never outlives its process and
// no cleanup is needed. A second claim fails before anything touches the
// interface ("lan0 is owned by masqd pid 4242"). Lock files are ours alone
// and are left in place (a later claim reuses them). Internal to io; cold.
#pragma once

#include <string>
#include <string_view>

#include "unique_fd.hpp"

namespace masq::io::detail {

// Where the lock files live; made on first use.
inline constexpr std::string_view kClaimDirectory = "/run/masq/interfaces";

struct Claim {
  UniqueFd lock;      // valid exactly when error is empty
  std::string error;  // "lan0 is owned by masqd pid 4242"
};

Claim claim_interface(std::string_view ifname);

}  // namespace masq::io::detail
