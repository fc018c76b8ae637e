#include <unistd.h>

#include <cerrno>

#include "af_packet_port.hpp"
#include "af_xdp_port.hpp"
#include "interface_claim.hpp"
#include "interface_info.hpp"
#include "masq/io/frame_port.hpp"

namespace masq::io {

OpenResult open_port(Backend backend, std::string_view ifname, const PortOptions& options) {
  // Claimed before anything touches the interface: a second owner would
  // double every frame (AF_PACKET) or take the first one's XDP program away.
  detail::Claim claim = detail::claim_interface(ifname);
  OpenResult r;
  if (!claim.error.empty()) {
    r.error = std::move(claim.error);
  } else if (backend == Backend::af_xdp) {
    OpenManyResult one = detail::AfXdpPort::open(ifname, options, 1, std::move(claim.lock));
    if (!one.ports.empty()) r.port = std::move(one.ports.front());
    r.error = std::move(one.error);
  } else {
    r = detail::AfPacketPort::open(ifname, options, std::move(claim.lock));
  }
  if (!r.error.empty()) {
    r.error = std::string(to_string(backend)) + " on " + std::string(ifname) + ": " + r.error;
  }
  return r;
}

OpenManyResult open_ports(Backend backend, std::string_view ifname, const PortOptions& options,
                          std::size_t count, int fanout_program_fd) {
  if (count <= 1) {
    OpenResult one = open_port(backend, ifname, options);
    OpenManyResult r;
    if (one.port) r.ports.push_back(std::move(one.port));
    r.error = std::move(one.error);
    return r;
  }
  const std::string where = std::string(to_string(backend)) + " on " + std::string(ifname) + ": ";
  detail::Claim claim = detail::claim_interface(ifname);
  if (!claim.error.empty()) return {{}, where + claim.error};
  if (backend == Backend::af_xdp) {
    OpenManyResult r = detail::AfXdpPort::open(ifname, options, count, std::move(claim.lock));
    if (!r.error.empty()) r.error = where + r.error;
    return r;
  }
  OpenManyResult r;
  for (std::size_t k = 0; k < count; ++k) {
    // Each port holds the claim (the lock is the open file's, shared by
    // its duplicates): it ends with the last of them.
    detail::UniqueFd lock(::dup(claim.lock.get()));
    if (!lock.valid()) return {{}, where + "dup: " + detail::error_text(errno)};
    auto opened = detail::AfPacketPort::open(ifname, options, std::move(lock));
    if (!opened.port) return {{}, where + opened.error};
    auto* port = static_cast<detail::AfPacketPort*>(opened.port.get());
    if (std::string e = port->join_fanout(k == count - 1 ? fanout_program_fd : -1); !e.empty()) {
      return {{}, where + e};
    }
    r.ports.push_back(std::move(opened.port));
  }
  return r;
}

}  // namespace masq::io
