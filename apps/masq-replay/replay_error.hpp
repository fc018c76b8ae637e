// ReplayError: a failure that ends masq-replay, carrying the exit code it
// maps to. The message is one line and names what failed ("lan.pcap:
// unknown file format"). Cold: thrown while setting up or on I/O failure,
// never for a malformed packet (those are counted).
#pragma once

#include <stdexcept>
#include <string>

namespace masq::replay {

inline constexpr int kExitRuntime = 1;  // failed while running (e.g. a write error)
inline constexpr int kExitUsage = 2;    // bad flags, config or input files

class ReplayError : public std::runtime_error {
 public:
  ReplayError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

}  // namespace masq::replay
