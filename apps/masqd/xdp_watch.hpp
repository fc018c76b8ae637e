// XdpWatch: with AF_XDP, the XDP program that redirects to masqd's sockets
// must stay attached to each interface; a program detached or replaced
// behind masqd's back (bpftool link detach, another loader) silently
// starves it. The control plane checks each one
// periodically, logs an error and counts when a program is gone or not
// masqd's any more, and logs again when it is back. Cold.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace masq::app {

class XdpWatch {
 public:
  struct Link {
    std::string name;
    int ifindex = 0;
  };
  // Notes the program attached to each link now (links without one are
  // not watched).
  explicit XdpWatch(const std::vector<Link>& links);

  // Checks every link again; returns how many were found lost in this check.
  std::uint64_t check();

  bool watching() const { return !watched_.empty(); }

 private:
  struct Watched {
    Link link;
    std::uint32_t program_id = 0;
    bool lost = false;
  };
  std::vector<Watched> watched_;
};

}  // namespace masq::app
