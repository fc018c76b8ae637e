#include "toml_reader.hpp"

namespace masq::config {
namespace {

// `name`, `address` and `mtu` of [lan] or [wan].
void read_interface(TableReader& table, InterfaceDraft& slot) {
  const auto name = table.parse("name", parse_interface_name, Presence::required);
  const auto on_link = table.parse("address", parse_address_on_link, Presence::required);
  slot.mtu = table.integer<std::uint16_t>("mtu", kMinMtu, kMaxMtu);
  if (!name || !on_link) {
    slot.rejected = true;
    return;
  }
  slot.value =
      Sourced<Interface>{{*name, on_link->address, on_link->prefix}, table.where("address")};
}

// A top-level table; a present key that is not a table marks the slot
// rejected (the type error is already reported).
std::optional<TableReader> interface_table(TableReader& root, std::string_view key,
                                           InterfaceDraft& slot) {
  const bool given = root.node(key) != nullptr;
  auto table = root.table(key);
  if (!table) slot.rejected = given;
  return table;
}

// [router] and its [router.icmp] table (router::IcmpRateLimit).
void read_router(TableReader& table, RouterOptions& router) {
  if (const auto allow = table.boolean("allow_source_route")) router.allow_source_route = *allow;
  auto icmp = table.table("icmp");
  if (!icmp) return;
  const auto rate = [&](std::string_view key, std::uint32_t& field) {
    if (const auto v = icmp->integer<std::uint32_t>(key, 0, router::kMaxIcmpRatePerS)) field = *v;
  };
  const auto burst = [&](std::string_view key, std::uint32_t& field) {
    if (const auto v = icmp->integer<std::uint32_t>(key, 1, router::kMaxIcmpRatePerS)) field = *v;
  };
  rate("rate_per_s", router.icmp.rate_per_s);
  burst("burst", router.icmp.burst);
  rate("per_host_rate_per_s", router.icmp.per_host_rate_per_s);
  burst("per_host_burst", router.icmp.per_host_burst);
  icmp->reject_unknown_keys();
}

// [log]: the translation log.
void read_log(TableReader& table, LogOptions& log) {
  if (const auto path = table.parse("translations", parse_log_path)) log.translations = *path;
  if (const auto max =
          table.integer<std::uint64_t>("translations_max_bytes", kMinLogBytes, kMaxLogBytes)) {
    log.translations_max_bytes = *max;
  }
  if (const auto keep = table.integer<std::uint32_t>("translations_keep", 0, kMaxLogKeep))
    log.translations_keep = *keep;
  if (const auto remote = table.boolean("translations_remote")) log.translations_remote = *remote;
  if (const auto collector = table.parse("ipfix", parse_endpoint)) {
    log.ipfix = collector->address.to_string() + ":" + std::to_string(collector->port);
  }
}

void read_sections(TableReader& root, Draft& draft) {
  if (auto lan = interface_table(root, "lan", draft.lan)) {
    read_interface(*lan, draft.lan);
    if (const auto guard = lan->boolean("source_guard")) draft.router.source_guard = *guard;
    lan->reject_unknown_keys();
  }
  if (auto wan = interface_table(root, "wan", draft.wan)) {
    read_interface(*wan, draft.wan);
    if (const auto gateway = wan->parse("gateway", parse_address)) {
      draft.gateway = Sourced<net::Ipv4Addr>{*gateway, wan->where("gateway")};
    }
    wan->reject_unknown_keys();
  }
  if (auto io = root.table("io")) {
    if (const auto backend = io->parse("backend", parse_io_backend)) draft.io = *backend;
    draft.rx_frames = io->integer<std::uint32_t>("rx_frames", kMinRingFrames, kMaxRingFrames);
    draft.tx_frames = io->integer<std::uint32_t>("tx_frames", kMinRingFrames, kMaxRingFrames);
    draft.tcp_gso = io->boolean("tcp_gso");
    draft.busy_poll_us = io->integer<std::uint32_t>("busy_poll_us", 0, kMaxBusyPollUs);
    draft.workers = io->integer<std::uint32_t>("workers", 1, nat::kMaxWorkers);
    io->reject_unknown_keys();
  }
  if (auto control = root.table("control")) {
    if (const auto socket = control->string("socket")) draft.control.path = *socket;
    if (const auto mode = control->parse("mode", parse_file_mode)) draft.control.mode = *mode;
    if (const auto owner = control->string("owner")) draft.control.owner = *owner;
    if (const auto group = control->string("group")) draft.control.group = *group;
    control->reject_unknown_keys();
  }
  if (auto metrics = root.table("metrics")) {
    if (const auto listen = metrics->parse("listen", parse_endpoint)) {
      draft.metrics = MetricsListen{listen->address, listen->port};
    }
    metrics->reject_unknown_keys();
  }
  if (auto log = root.table("log")) {
    read_log(*log, draft.log);
    log->reject_unknown_keys();
  }
  if (auto router = root.table("router")) {
    read_router(*router, draft.router);
    router->reject_unknown_keys();
  }
  if (auto pcp = root.table("pcp")) {
    read_pcp(*pcp, draft.pcp);
    pcp->reject_unknown_keys();
  }
  if (auto host = root.table("host")) {
    read_host(*host, draft.host);
    host->reject_unknown_keys();
  }
  if (auto nat = root.table("nat")) {
    read_nat(*nat, draft);
    nat->reject_unknown_keys();
  }
}

}  // namespace

bool read_toml(std::string_view text, std::string_view source, Draft& draft,
               std::vector<std::string>& errors) {
  toml::table document;
  try {
    document = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    errors.push_back(
        error_at(file_location(source, e.source().begin.line, "syntax error"), e.description()));
    return false;
  }
  TableReader root(document, "", source, errors);
  read_sections(root, draft);
  root.reject_unknown_keys();
  return true;
}

}  // namespace masq::config
