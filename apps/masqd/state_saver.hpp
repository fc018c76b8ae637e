// StateSaver: masqd's state snapshot (masq/state/snapshot_file.hpp,
// docs/operations.md "State across restarts"). At start it reads the file
// and gives each worker its part before any runs; every interval_s the
// control plane hands it the workers' merged session table and published
// states to write (never a worker: writing a large table takes time); and
// when masqd stops it writes what the stopped workers hold. It logs what
// it did, and why a file was refused (then masqd starts empty). Cold.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "mailbox.hpp"
#include "masq/nat/session_view.hpp"

namespace masq::app {

class Worker;

class StateSaver {
 public:
  // interval_s 0: only when masqd stops.
  StateSaver(std::filesystem::path path, std::uint32_t interval_s, std::uint64_t now_ms);

  // Loads the snapshot (if there is one) into the workers, before they run.
  void restore(std::span<const std::unique_ptr<Worker>> workers) const;

  // Periodic snapshots, on the control plane's steady clock in ms: the
  // poll timeout until the next is due (-1: none), whether it is due, and
  // that one was asked for.
  int timeout_ms(std::uint64_t now_ms) const;
  bool due(std::uint64_t now_ms) const { return interval_ms_ != 0 && now_ms >= next_ms_; }
  void asked(std::uint64_t now_ms) { next_ms_ = now_ms + interval_ms_; }
  // Writes the workers' merged session table and their published states.
  void save(std::span<const nat::SessionView> sessions, std::span<const WorkerState> states) const;
  // Writes the state of the workers, which have stopped.
  void save(std::span<const std::unique_ptr<Worker>> workers) const;

 private:
  void write(state::Snapshot& snapshot, bool at_stop) const;

  std::filesystem::path path_;
  std::uint64_t interval_ms_;
  std::uint64_t next_ms_;
};

}  // namespace masq::app
