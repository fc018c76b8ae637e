#include "state_saver.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "masq/state/snapshot_file.hpp"
#include "worker.hpp"

namespace masq::app {
namespace {

std::uint64_t unix_now_s() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

StateSaver::StateSaver(std::filesystem::path path, std::uint32_t interval_s, std::uint64_t now_ms)
    : path_(std::move(path)),
      interval_ms_(std::uint64_t{interval_s} * 1000),
      next_ms_(now_ms + interval_ms_) {}

void StateSaver::restore(std::span<const std::unique_ptr<Worker>> workers) const {
  const state::Loaded loaded = state::load(path_);
  if (loaded.absent) {
    spdlog::info("state: no snapshot at {}; starting empty", path_.string());
    return;
  }
  if (!loaded.snapshot) {
    spdlog::error("state: snapshot {} refused: {}; starting empty", path_.string(), loaded.error);
    return;
  }
  const state::Snapshot& s = *loaded.snapshot;
  const std::uint64_t now = unix_now_s();
  RestoreTallies total;
  for (const auto& w : workers) total += w->restore(s, now);
  if (total.sessions_waiting + total.mappings_waiting != 0) {
    // The WAN's address comes by DHCP: only its first lease tells which
    // of the snapshot's external endpoints are still ours.
    spdlog::info(
        "state: {} sessions and {} PCP mappings from {} (saved {} s ago) wait for the first "
        "DHCP lease",
        total.sessions_waiting, total.mappings_waiting, path_.string(),
        now > s.saved_unix_s ? now - s.saved_unix_s : 0);
    return;
  }
  spdlog::info(
      "state: restored {} of {} sessions and {} of {} PCP mappings from {} (saved {} s ago); "
      "refused: {}",
      total.sessions.restored(), s.sessions.size(),
      total.mappings[static_cast<std::size_t>(pcp::MapStatus::ok)], s.mappings.size(),
      path_.string(), now > s.saved_unix_s ? now - s.saved_unix_s : 0, refusals(total));
}

int StateSaver::timeout_ms(std::uint64_t now_ms) const {
  if (interval_ms_ == 0) return -1;
  return now_ms >= next_ms_ ? 0 : static_cast<int>(next_ms_ - now_ms);
}

void StateSaver::save(std::span<const nat::SessionView> sessions,
                      std::span<const WorkerState> states) const {
  // What waits for the first lease is in no table: a snapshot now would
  // lose it.
  for (const WorkerState& w : states) {
    if (w.restore_waiting) return;
  }
  state::Snapshot s;
  const std::uint64_t now = unix_now_s();
  s.sessions.reserve(sessions.size());
  // An explicit mapping's anchor comes back with its PCP mapping.
  for (const nat::SessionView& v : sessions) {
    if (v.kind != nat::SessionKind::pcp) s.sessions.push_back(v);
  }
  for (const WorkerState& w : states) {
    if (!w.pcp) continue;
    if (!s.has_pcp) s.pcp_epoch_start_unix_s = now - std::min<std::uint64_t>(w.pcp_epoch_s, now);
    s.has_pcp = true;
    s.mappings.insert(s.mappings.end(), w.pcp_mappings.begin(), w.pcp_mappings.end());
  }
  write(s, false);
}

void StateSaver::save(std::span<const std::unique_ptr<Worker>> workers) const {
  state::Snapshot s;
  const std::uint64_t now = unix_now_s();
  for (const auto& w : workers) w->save(s, now);
  write(s, true);
}

void StateSaver::write(state::Snapshot& s, bool at_stop) const {
  const auto start = std::chrono::steady_clock::now();
  s.saved_unix_s = unix_now_s();
  const std::string error = state::write_atomically(path_, state::encode(s));
  if (!error.empty()) {
    spdlog::error("state: snapshot not saved: {}", error);
    return;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  if (at_stop) {
    spdlog::info("state: saved {} sessions and {} PCP mappings to {} in {} ms", s.sessions.size(),
                 s.mappings.size(), path_.string(), ms);
  } else {
    spdlog::debug("state: saved {} sessions and {} PCP mappings to {} in {} ms", s.sessions.size(),
                  s.mappings.size(), path_.string(), ms);
  }
}

}  // namespace masq::app
