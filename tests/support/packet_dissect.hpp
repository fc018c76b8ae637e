// dissect: an IPv4 packet as a flat list of named fields ("ip.ttl",
// "udp.src_port", "inner.ip.src", "payload", ...), so that two packets can
// be compared field by field with messages a person can read. Bounds-safe
// on any bytes: what cannot be decoded shows up as a hex blob. Cold.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace masq::test {

struct Field {
  std::string name;
  std::string text;          // for display and comparison
  std::uint64_t value = 0;   // numeric fields (addresses in host order)
  bool is_checksum = false;  // checked by the oracle, not by comparison
};

std::vector<Field> dissect(std::span<const std::uint8_t> packet);

std::optional<std::uint64_t> field_value(const std::vector<Field>& fields, std::string_view name);

// One message per difference between `expected` and `actual`. Checksum
// fields are left to the checksum oracle, with one exception: a UDP
// checksum of zero ("none", RFC 768) must stay zero, and a real one must
// not become zero.
std::vector<std::string> compare_fields(const std::vector<Field>& expected,
                                        const std::vector<Field>& actual);

}  // namespace masq::test
