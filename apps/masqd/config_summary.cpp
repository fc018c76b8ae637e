#include "config_summary.hpp"

#include "masq/ctl/protocol.hpp"

namespace masq::app {
namespace {

std::string side(const config::Interface& i) {
  return i.name + "=" + i.address.to_string() + "/" + std::to_string(i.prefix.length()) +
         (i.mtu ? " mtu " + std::to_string(*i.mtu) : "");
}

std::string pool(const nat::EngineConfig& engine) {
  std::string text;
  for (const nat::AddressRange& r : engine.pool) {
    if (!text.empty()) text += ",";
    text += r.first.to_string();
    if (r.last != r.first) {
      text += '-';
      text += r.last.to_string();
    }
  }
  return text;
}

}  // namespace

std::string effective_config(const config::Config& cfg, std::uint32_t workers) {
  const nat::EngineConfig& e = cfg.engine;
  std::string s = "lan " + side(cfg.lan) + ", wan " + side(cfg.wan);
  s += ", next hop " + (cfg.gateway ? cfg.gateway->to_string() : std::string("none"));
  s += ", io " + std::string(cfg.io == config::IoBackend::af_xdp ? "af_xdp" : "af_packet");
  s += ", " + std::to_string(workers) + (workers == 1 ? " worker" : " workers");
  s += ", " + std::to_string(e.max_sessions) + " sessions and " +
       std::to_string(e.max_subscribers) + " subscribers per worker";
  s += ", pool " + pool(e);
  s += ", per subscriber " + std::to_string(e.sessions_per_subscriber) + " sessions " +
       std::to_string(e.ports_per_subscriber) + " ports " + std::to_string(e.new_sessions_per_s) +
       " new/s";
  s += ", " + std::to_string(e.forwards.size()) + " forwards, " +
       std::to_string(e.static_nat.size()) + " static";
  s += ", pcp " + std::string(cfg.pcp.enabled ? "on" : "off");
  s += ", host interfaces " + std::string(cfg.host.interfaces ? "on" : "off");
  const std::string control = cfg.control.path.value_or(std::string(ctl::kDefaultSocketPath));
  s += ", control " + (control.empty() ? std::string("none") : control);
  s += ", metrics " +
       (cfg.metrics ? cfg.metrics->address.to_string() + ":" + std::to_string(cfg.metrics->port)
                    : std::string("none"));
  s += ", log " + std::string(to_string(cfg.log.target)) + " " +
       std::string(to_string(cfg.log.level));
  return s;
}

}  // namespace masq::app
