#include "af_packet_port.hpp"
#include "af_xdp_port.hpp"
#include "masq/io/frame_port.hpp"

namespace masq::io {

std::string_view to_string(Backend b) {
  switch (b) {
    case Backend::af_packet:
      return "af_packet";
    case Backend::af_xdp:
      return "af_xdp";
  }
  return "unknown";
}

OpenResult open_port(Backend backend, std::string_view ifname, const PortOptions& options) {
  OpenResult r = backend == Backend::af_xdp ? detail::AfXdpPort::open(ifname, options)
                                            : detail::AfPacketPort::open(ifname, options);
  if (!r.error.empty()) {
    r.error = std::string(to_string(backend)) + " on " + std::string(ifname) + ": " + r.error;
  }
  return r;
}

}  // namespace masq::io
