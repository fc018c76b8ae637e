#include "offload_frames.hpp"

#include "masq/net/byte_order.hpp"
#include "support/inet_checksum.hpp"
#include "support/packet_builder.hpp"

namespace masq::test {

std::vector<std::uint8_t> ethernet_frame(const PacketSpec& spec, bool vlan) {
  const std::size_t l3 = ipv4_offset(vlan);
  std::vector<std::uint8_t> frame(l3, 0);
  frame[0] = 0x02;  // destination 02:00:00:00:00:02, source 02:00:00:00:00:01
  frame[5] = 0x02;
  frame[6] = 0x02;
  frame[11] = 0x01;
  if (vlan) {
    net::store_be16(frame.data() + 12, 0x8100);  // 802.1Q
    net::store_be16(frame.data() + 14, 7);       // VLAN 7
  }
  net::store_be16(frame.data() + l3 - 2, 0x0800);
  const std::vector<std::uint8_t> packet = build_packet(spec);
  frame.insert(frame.end(), packet.begin(), packet.end());
  return frame;
}

std::size_t ipv4_offset(bool vlan) {
  return kEthernetBytes + (vlan ? kVlanTagBytes : 0);
}

std::size_t l4_checksum_offset(std::span<const std::uint8_t> frame, std::size_t l3) {
  const std::size_t l4 = l3 + std::size_t{frame[l3] & 0x0Fu} * 4;
  return l4 + (frame[l3 + 9] == 6 ? 16 : 6);
}

void make_partial(std::vector<std::uint8_t>& frame, std::size_t l3) {
  const std::uint8_t* ip = frame.data() + l3;
  const std::size_t header = std::size_t{ip[0] & 0x0Fu} * 4;
  const std::size_t total = net::load_be16(ip + 2);
  OnesSum pseudo;
  pseudo.add(std::span(ip + 12, 8));  // source and destination addresses
  pseudo.add_u16(ip[9]);
  pseudo.add_u16(static_cast<std::uint16_t>(total - header));
  net::store_be16(frame.data() + l4_checksum_offset(frame, l3), pseudo.folded());
}

}  // namespace masq::test
