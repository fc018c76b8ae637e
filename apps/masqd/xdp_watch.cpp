#include "xdp_watch.hpp"

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

#include <cstring>

namespace masq::app {
namespace {

// The program attached to `ifindex` in whatever mode (0: none).
std::uint32_t attached_program(int ifindex, int& error) {
  std::uint32_t id = 0;
  error = ::bpf_xdp_query_id(ifindex, 0, &id);
  return error == 0 ? id : 0;
}

}  // namespace

XdpWatch::XdpWatch(const std::vector<Link>& links) {
  for (const Link& l : links) {
    int error = 0;
    const std::uint32_t id = attached_program(l.ifindex, error);
    if (id != 0) watched_.push_back({l, id, false});
  }
}

std::uint64_t XdpWatch::check() {
  std::uint64_t lost = 0;
  for (Watched& w : watched_) {
    int error = 0;
    const std::uint32_t id = attached_program(w.link.ifindex, error);
    const bool ours = id == w.program_id;
    if (!ours && !w.lost) {
      w.lost = true;
      ++lost;
      if (error != 0) {
        spdlog::error("{}: cannot see its XDP program any more ({}): nothing reaches masqd there",
                      w.link.name, std::strerror(-error));
      } else if (id == 0) {
        spdlog::error(
            "{}: masqd's XDP program was detached: nothing reaches masqd there; "
            "restart masqd",
            w.link.name);
      } else {
        spdlog::error(
            "{}: another XDP program (id {}) replaced masqd's (id {}): nothing reaches "
            "masqd there; restart masqd",
            w.link.name, id, w.program_id);
      }
    } else if (ours && w.lost) {
      w.lost = false;
      spdlog::info("{}: masqd's XDP program is attached again", w.link.name);
    }
  }
  return lost;
}

}  // namespace masq::app
