// Steering: the BPF programs (steer.bpf.c) that the kernel runs to give
// each frame of lan0 and wan0 to the worker owning it, loaded for a given
// number of workers; their descriptors go to io::open_ports(). The
// programs stay loaded while the Steering lives (the fanout groups keep
// their own reference once attached). Cold.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "masq/nat/engine_config.hpp"

struct bpf_object;

namespace masq::app {

class Steering {
 public:
  struct Loaded {
    std::unique_ptr<Steering> steering;  // set exactly when error is empty
    std::string error;
  };
  // `host`: the gateway host's ports on the WAN address, steered to
  // worker 0 (worker_owner.h), when there are host interfaces.
  static Loaded load(std::uint32_t workers, const std::optional<nat::HostPorts>& host);
  ~Steering();
  Steering(const Steering&) = delete;
  Steering& operator=(const Steering&) = delete;

  int lan_fd() const { return lan_fd_; }
  int wan_fd() const { return wan_fd_; }

 private:
  Steering(bpf_object* object, int lan_fd, int wan_fd)
      : object_(object), lan_fd_(lan_fd), wan_fd_(wan_fd) {}
  bpf_object* object_;
  int lan_fd_;
  int wan_fd_;
};

}  // namespace masq::app
