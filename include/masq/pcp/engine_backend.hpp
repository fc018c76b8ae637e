// EngineBackend: the pcp::MappingBackend that makes PCP and NAT-PMP
// mappings real, as explicit mappings of a nat::Engine
// (masq/nat/explicit_mapping.hpp). It translates between the two
// vocabularies and nothing else: the engine chooses the port, applies the
// quotas and refuses conflicts. Times: the Server's seconds, on the same
// clock as the engine's nanoseconds. Owned beside the Server by the thread
// that owns the engine. Cold.
#pragma once

#include "masq/nat/engine.hpp"
#include "masq/pcp/backend.hpp"

namespace masq::pcp {

class EngineBackend final : public MappingBackend {
 public:
  explicit EngineBackend(nat::Engine& engine) : engine_(engine) {}

  bool supports(net::Proto proto) const override;
  MapResult map(const MapRequest& request, std::uint64_t now_s) override;
  void unmap(const MappingRef& mapping, std::uint64_t now_s) override;
  bool is_operator_mapping(net::Proto proto, Endpoint internal) const override;
  std::optional<net::Ipv4Addr> external_address(net::Ipv4Addr internal) const override;

 private:
  nat::Engine& engine_;
};

// The backend's answer for an engine result (exposed for the tests).
MapStatus map_status(const nat::ExplicitResult& result, bool has_external_address);

}  // namespace masq::pcp
