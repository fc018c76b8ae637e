#include "packet_stream.hpp"

namespace masq::bench {

PacketStream::PacketStream(std::span<const net::FlowKey> flows)
    : batches_(flows.size() / kBatch), bytes_(batches_ * kBatch * kPacketBytes) {
  for (std::size_t i = 0; i < packets(); ++i) {
    write_udp_packet(flows[i], std::span<std::uint8_t, kPacketBytes>(
                                   bytes_.data() + i * kPacketBytes, kPacketBytes));
  }
}

}  // namespace masq::bench
