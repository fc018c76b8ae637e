#include "established_world.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "flow_sets.hpp"
#include "workloads.hpp"

namespace masq::bench {

std::unique_ptr<EstablishedWorld> make_established_world(std::uint32_t sessions, bool accounting) {
  const FlowSetSpec spec = established_flows(sessions);
  const std::vector<net::FlowKey> flows = make_flows(spec);
  nat::EngineConfig cfg = engine_config(sessions, spec.hosts);
  cfg.accounting = accounting;
  auto engine = std::make_unique<nat::Engine>(cfg);

  // Open every session, and record each flow's reply as the remote sends it
  // to the external endpoint the engine chose.
  std::vector<net::FlowKey> replies;
  replies.reserve(flows.size());
  BatchBuffers buffers;
  std::size_t refused = 0;
  feed(*engine, PacketStream(flows), Side::lan, kNowNs, buffers, [&](BatchBuffers& b) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      if (b.verdicts()[i].action != nat::Action::forward_wan) ++refused;
      replies.push_back(read_udp_flow(b.packet(i)).reversed());
    }
  });
  if (refused != 0 || engine->session_count() != flows.size()) {
    throw std::runtime_error("established world: " + std::to_string(refused) + " flows refused, " +
                             std::to_string(engine->session_count()) + " sessions for " +
                             std::to_string(flows.size()) + " flows");
  }
  return std::make_unique<EstablishedWorld>(
      EstablishedWorld{std::move(engine), PacketStream(reshuffled(flows, spec.seed + 1)),
                       PacketStream(reshuffled(std::move(replies), spec.seed + 2))});
}

}  // namespace masq::bench
