#include "masq/router/drop_reason.hpp"

#include <array>

namespace masq::router {
namespace {

constexpr std::array kNames{std::string_view{"none"},
                            MASQ_ROUTER_LINK_DROP_REASONS(MASQ_NAME)
                                MASQ_NET_PARSE_ERRORS(MASQ_NAME)
                                    MASQ_ROUTER_IP_DROP_REASONS(MASQ_NAME)};
static_assert(kNames.size() == kDropReasonCount);

// Indexed by net::ParseError: ok is no drop, every refusal its namesake.
#define MASQ_ROUTER_FROM_PARSE(name) DropReason::name,
constexpr std::array kFromParseError{DropReason::none,
                                     MASQ_NET_PARSE_ERRORS(MASQ_ROUTER_FROM_PARSE)};
#undef MASQ_ROUTER_FROM_PARSE
static_assert(kFromParseError.size() == net::kParseErrorNames.size());

}  // namespace

std::string_view to_string(DropReason r) {
  return net::name_of(kNames, r);
}

std::optional<DropReason> drop_reason_named(std::string_view name) {
  return net::value_named<DropReason>(kNames, name);
}

DropReason from_parse_error(net::ParseError e) {
  return kFromParseError[static_cast<std::size_t>(e)];
}

}  // namespace masq::router
