#include "masq/router/drop_reason.hpp"

namespace masq::router {

std::string_view to_string(DropReason r) {
  switch (r) {
    case DropReason::none:
      return "none";
    case DropReason::frame_truncated:
      return "frame_truncated";
    case DropReason::not_our_mac:
      return "not_our_mac";
    case DropReason::unsupported_ethertype:
      return "unsupported_ethertype";
    case DropReason::batch_too_large:
      return "batch_too_large";
    case DropReason::arp_malformed:
      return "arp_malformed";
    case DropReason::arp_other_target:
      return "arp_other_target";
    case DropReason::arp_sender_off_link:
      return "arp_sender_off_link";
    case DropReason::arp_address_conflict:
      return "arp_address_conflict";
    case DropReason::arp_cache_full:
      return "arp_cache_full";
    case DropReason::arp_queue_overflow:
      return "arp_queue_overflow";
    case DropReason::arp_unresolved:
      return "arp_unresolved";
    case DropReason::arp_queue_too_large:
      return "arp_queue_too_large";
    case DropReason::ipv4_malformed:
      return "ipv4_malformed";
    case DropReason::exceeds_ingress_mtu:
      return "exceeds_ingress_mtu";
    case DropReason::link_broadcast_ipv4:
      return "link_broadcast_ipv4";
    case DropReason::broadcast_destination:
      return "broadcast_destination";
    case DropReason::martian_source:
      return "martian_source";
    case DropReason::martian_destination:
      return "martian_destination";
    case DropReason::local_fragment:
      return "local_fragment";
    case DropReason::local_bad_checksum:
      return "local_bad_checksum";
    case DropReason::local_unsupported:
      return "local_unsupported";
    case DropReason::gso_not_tcp:
      return "gso_not_tcp";
    case DropReason::reassembly_overlap:
      return "reassembly_overlap";
    case DropReason::reassembly_inconsistent:
      return "reassembly_inconsistent";
    case DropReason::reassembly_too_big:
      return "reassembly_too_big";
    case DropReason::reassembly_timeout:
      return "reassembly_timeout";
    case DropReason::reassembly_evicted:
      return "reassembly_evicted";
    case DropReason::reassembly_no_context:
      return "reassembly_no_context";
    case DropReason::no_route:
      return "no_route";
    case DropReason::frag_needed:
      return "frag_needed";
    case DropReason::df_too_big:
      return "df_too_big";
    case DropReason::gso_exceeds_mtu:
      return "gso_exceeds_mtu";
    case DropReason::tx_exhausted:
      return "tx_exhausted";
    case DropReason::count_:
      break;
  }
  return "unknown";
}

}  // namespace masq::router
