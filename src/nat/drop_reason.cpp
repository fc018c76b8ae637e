#include "masq/nat/drop_reason.hpp"

namespace masq::nat {

std::string_view to_string(DropReason r) {
  switch (r) {
    case DropReason::none:
      return "none";
    case DropReason::truncated:
      return "truncated";
    case DropReason::bad_version:
      return "bad_version";
    case DropReason::bad_ihl:
      return "bad_ihl";
    case DropReason::bad_total_length:
      return "bad_total_length";
    case DropReason::bad_ip_checksum:
      return "bad_ip_checksum";
    case DropReason::bad_ip_options:
      return "bad_ip_options";
    case DropReason::truncated_l4:
      return "truncated_l4";
    case DropReason::bad_tcp_offset:
      return "bad_tcp_offset";
    case DropReason::bad_udp_length:
      return "bad_udp_length";
    case DropReason::ttl_expired:
      return "ttl_expired";
    case DropReason::fragment:
      return "fragment";
    case DropReason::unsupported_protocol:
      return "unsupported_protocol";
    case DropReason::unsupported_icmp:
      return "unsupported_icmp";
    case DropReason::martian_source:
      return "martian_source";
    case DropReason::source_not_inside:
      return "source_not_inside";
    case DropReason::not_for_us:
      return "not_for_us";
    case DropReason::no_session:
      return "no_session";
    case DropReason::tcp_not_syn:
      return "tcp_not_syn";
    case DropReason::table_full:
      return "table_full";
    case DropReason::ports_exhausted:
      return "ports_exhausted";
    case DropReason::subscriber_limit:
      return "subscriber_limit";
    case DropReason::subscriber_sessions:
      return "subscriber_sessions";
    case DropReason::subscriber_ports:
      return "subscriber_ports";
    case DropReason::pool_exhausted:
      return "pool_exhausted";
    case DropReason::bad_icmp_checksum:
      return "bad_icmp_checksum";
    case DropReason::icmp_error_malformed:
      return "icmp_error_malformed";
    case DropReason::icmp_error_bad_inner_checksum:
      return "icmp_error_bad_inner_checksum";
    case DropReason::icmp_error_about_error:
      return "icmp_error_about_error";
    case DropReason::icmp_error_no_session:
      return "icmp_error_no_session";
    case DropReason::count_:
      break;
  }
  return "unknown";
}

DropReason from_parse_error(net::ParseError e) {
  switch (e) {
    case net::ParseError::ok:
      return DropReason::none;
    case net::ParseError::truncated:
      return DropReason::truncated;
    case net::ParseError::bad_version:
      return DropReason::bad_version;
    case net::ParseError::bad_ihl:
      return DropReason::bad_ihl;
    case net::ParseError::bad_total_length:
      return DropReason::bad_total_length;
    case net::ParseError::bad_ip_checksum:
      return DropReason::bad_ip_checksum;
    case net::ParseError::bad_ip_options:
      return DropReason::bad_ip_options;
    case net::ParseError::truncated_l4:
      return DropReason::truncated_l4;
    case net::ParseError::bad_tcp_offset:
      return DropReason::bad_tcp_offset;
    case net::ParseError::bad_udp_length:
      return DropReason::bad_udp_length;
  }
  return DropReason::truncated;
}

}  // namespace masq::nat
