#include "af_packet_port.hpp"
#include "af_xdp_port.hpp"
#include "interface_claim.hpp"
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
    r = detail::AfXdpPort::open(ifname, options, std::move(claim.lock));
  } else {
    r = detail::AfPacketPort::open(ifname, options, std::move(claim.lock));
  }
  if (!r.error.empty()) {
    r.error = std::string(to_string(backend)) + " on " + std::string(ifname) + ": " + r.error;
  }
  return r;
}

}  // namespace masq::io
