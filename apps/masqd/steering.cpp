#include "steering.hpp"

#include <bpf/libbpf.h>

#include <cstring>

#include "masq/nat/worker_owner.h"

namespace masq::app {

extern const std::uint8_t kSteerBpfObject[];
extern const std::size_t kSteerBpfObject_size;

namespace {

std::string error_text(int err) {
  char buf[128];
  libbpf_strerror(err, buf, sizeof buf);
  return buf;
}

}  // namespace

Steering::Loaded Steering::load(std::uint32_t workers, const std::optional<nat::HostPorts>& host) {
  LIBBPF_OPTS(bpf_object_open_opts, options, .object_name = "masq_steer");
  bpf_object* object = bpf_object__open_mem(kSteerBpfObject, kSteerBpfObject_size, &options);
  if (object == nullptr) return {nullptr, "opening the steering program: " + error_text(-errno)};
  auto fail = [&](std::string error) {
    bpf_object__close(object);
    return Loaded{nullptr, "loading the steering program: " + std::move(error)};
  };
  bpf_map* rodata = nullptr;
  bpf_map* map = nullptr;
  bpf_object__for_each_map(map, object) {
    if (std::strstr(bpf_map__name(map), ".rodata") != nullptr) rodata = map;
  }
  if (rodata == nullptr) return fail("no .rodata");
  masq_steer_config config{workers, 0, 0, 0};
  if (host) config = {workers, host->address.value(), host->ports.first, host->ports.last};
  if (const int err = bpf_map__set_initial_value(rodata, &config, sizeof config); err != 0) {
    return fail(error_text(-err));
  }
  if (const int err = bpf_object__load(object); err != 0) return fail(error_text(-err));
  bpf_program* lan = bpf_object__find_program_by_name(object, "steer_lan");
  bpf_program* wan = bpf_object__find_program_by_name(object, "steer_wan");
  if (lan == nullptr || wan == nullptr) return fail("no steer_lan or steer_wan");
  return {
      std::unique_ptr<Steering>(new Steering(object, bpf_program__fd(lan), bpf_program__fd(wan))),
      {}};
}

Steering::~Steering() {
  bpf_object__close(object_);
}

}  // namespace masq::app
