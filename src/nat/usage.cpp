// Engine::address_use() and Engine::busiest_subscribers() (usage.hpp):
// what the operator is told about ports running out. Cold.
#include <algorithm>

#include "engine_impl.hpp"
#include "masq/nat/port_slice.hpp"

namespace masq::nat {
namespace {

std::uint32_t size_of(PortRange r) {
  return r.last < r.first ? 0 : std::uint32_t{r.last} - r.first + 1u;
}

std::uint32_t overlap(PortRange a, PortRange b) {
  return size_of({std::max(a.first, b.first), std::min(a.last, b.last)});
}

}  // namespace

std::vector<AddressUse> Engine::address_use() const {
  const Impl& impl = *impl_;
  const AddressPool& pool = impl.binder_.pool();
  const WorkerSlice slice = impl.cfg_.worker;
  const std::optional<HostPorts>& host = impl.cfg_.host_ports;
  std::vector<AddressUse> out;
  for (std::uint32_t i = 0; i < pool.size(); ++i) {
    const net::Ipv4Addr addr(pool.address(i));
    if (addr.value() == 0) continue;  // not known yet (AddressPool::replace())
    for (const net::Proto proto : {net::Proto::tcp, net::Proto::udp, net::Proto::icmp}) {
      // The class a port choice falls back to (port_chooser.hpp).
      const PortRange ports = slice_range(
          proto == net::Proto::icmp ? PortRange{0, 65535} : PortRange{1024, 65535}, slice);
      std::uint32_t usable = size_of(ports);
      if (proto != net::Proto::icmp && host && host->address == addr)
        usable -= overlap(ports, host->ports);
      out.push_back({addr, proto, impl.binder_.pool_mappings(i, proto), usable});
    }
  }
  return out;
}

std::vector<SubscriberUse> Engine::busiest_subscribers(std::size_t n) const {
  std::vector<SubscriberUse> all;
  impl_->binder_.for_each_subscriber([&all](const Subscriber& s) {
    all.push_back({net::Ipv4Addr(s.addr), s.sessions, s.mappings});
  });
  const auto busier = [](const SubscriberUse& a, const SubscriberUse& b) {
    return a.mappings != b.mappings ? a.mappings > b.mappings : a.sessions > b.sessions;
  };
  n = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), busier);
  all.resize(n);
  return all;
}

}  // namespace masq::nat
