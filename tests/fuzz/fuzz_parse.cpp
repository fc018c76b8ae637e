// libFuzzer target over the packet parser and the ICMP error builder of
// masq::net, cross-checked against the tests' independent code:
//  - whatever parse_ipv4 accepts has a verifying header checksum (by the
//    oracle's own arithmetic) and transport bounds inside the buffer;
//  - parse_quoted_ipv4 is at least as lenient as parse_ipv4;
//  - build_icmp_error output fits, quotes the offending bytes unchanged,
//    and has correct outer checksums (all checksums when the input had).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "masq/net/icmp_error.hpp"
#include "masq/net/parse.hpp"
#include "support/checksum_oracle.hpp"
#include "support/inet_checksum.hpp"

namespace masq::test {
namespace {

[[noreturn]] void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz_parse: %s\n", what.c_str());
  std::abort();
}

void check_bounds(const net::ParseResult& r, std::span<std::uint8_t> buf, bool verify_checksum) {
  if (r.error != net::ParseError::ok) return;
  const std::uint8_t* begin = buf.data();
  const std::uint8_t* end = begin + buf.size();
  const std::size_t ihl = r.packet.ip.header_length();
  if (r.packet.ip.data() != begin || ihl < 20 || ihl > buf.size())
    violated("header outside the buffer");
  if (verify_checksum) {
    OnesSum sum;
    sum.add(buf.first(ihl));
    if (!sum.verifies()) violated("accepted a header whose checksum does not verify");
  }
  if (r.packet.l4 != nullptr &&
      (r.packet.l4 < begin + ihl || r.packet.l4 + r.packet.l4_length > end)) {
    violated("transport bytes outside the buffer");
  }
}

void check_icmp_error(std::span<std::uint8_t> offending) {
  std::vector<std::uint8_t> out(net::kIcmpErrorMaxLength + 64);
  net::IcmpErrorSpec spec;
  spec.type = 3;
  spec.code = 4;
  spec.next_hop_mtu = 1280;
  spec.src = net::Ipv4Addr::from_octets(203, 0, 113, 1);
  const std::size_t len = net::build_icmp_error(offending, spec, out);
  if (len == 0) return;
  if (len > net::kIcmpErrorMaxLength) violated("ICMP error longer than 576 bytes");
  const std::size_t ihl = std::size_t{out[0] & 0x0Fu} * 4;
  if (len < ihl + 8) violated("ICMP error shorter than its headers");
  const std::size_t quoted = len - ihl - 8;
  if (quoted > offending.size()) violated("quoted more than the offending packet");
  if (!std::equal(out.begin() + static_cast<std::ptrdiff_t>(ihl + 8),
                  out.begin() + static_cast<std::ptrdiff_t>(len), offending.begin())) {
    violated("the quote differs from the offending packet");
  }
  const bool input_clean = checksum_problems(offending).empty();
  for (const std::string& problem : checksum_problems(std::span(out).first(len))) {
    if (input_clean || !problem.starts_with("inner.")) violated("ICMP error checksum: " + problem);
  }
}

}  // namespace
}  // namespace masq::test

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace masq;
  std::vector<std::uint8_t> buf(data, data + size);
  const net::ParseResult plain = net::parse_ipv4(buf);
  test::check_bounds(plain, buf, /*verify_checksum=*/true);
  for (const bool verify : {true, false}) {
    const net::ParseResult quoted = net::parse_quoted_ipv4(buf, {verify});
    test::check_bounds(quoted, buf, verify);
    if (plain.error == net::ParseError::ok && quoted.error != net::ParseError::ok) {
      test::violated("parse_quoted_ipv4 refused what parse_ipv4 accepted");
    }
  }
  if (plain.error == net::ParseError::ok) {
    std::vector<std::uint8_t> copy(buf.begin(), buf.begin() + plain.packet.ip.total_length());
    test::check_icmp_error(copy);
  }
  return 0;
}
