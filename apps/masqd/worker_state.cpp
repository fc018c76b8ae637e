// Worker::save() and restore(): a worker's part of the state snapshot
// (state_saver.hpp), on the thread that owns the worker while it does not
// run (before run(), or after it returned). A worker takes back the
// sessions its engine says are its own (Engine::owner(), by the external
// endpoint, as WAN packets are steered) and the PCP mappings of the hosts
// whose requests reach it (their subscriber's worker, as LAN packets are
// steered: nat::address_owner()). Lifetimes lose the time the snapshot
// spent on disk. Cold.
#include <chrono>

#include "masq/nat/port_slice.hpp"
#include "worker.hpp"

namespace masq::app {
namespace {

std::uint64_t steady_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

std::uint32_t left_after(std::uint32_t left_s, std::uint64_t age_s) {
  return left_s > age_s ? static_cast<std::uint32_t>(left_s - age_s) : 0;
}

}  // namespace

void Worker::save(state::Snapshot& out, std::uint64_t now_unix_s) const {
  const std::uint64_t now = steady_ns();
  // An explicit mapping's anchor comes back with its PCP mapping.
  engine_.for_each_session(
      [&out](const nat::SessionView& v) {
        if (v.kind != nat::SessionKind::pcp) out.sessions.push_back(v);
      },
      now);
  if (!pcp_) return;
  const std::uint32_t epoch_s = pcp_->save(out.mappings, now);
  if (!out.has_pcp)
    out.pcp_epoch_start_unix_s = now_unix_s - std::min<std::uint64_t>(epoch_s, now_unix_s);
  out.has_pcp = true;
}

RestoreTallies Worker::restore(const state::Snapshot& snapshot, std::uint64_t now_unix_s) {
  const auto since = [now_unix_s](std::uint64_t then) {
    return now_unix_s > then ? now_unix_s - then : 0;
  };
  const std::uint64_t age_s = since(snapshot.saved_unix_s);
  RestoreTallies t;
  const std::uint64_t now = steady_ns();
  for (nat::SessionView v : snapshot.sessions) {
    if (engine_.owner(v) != self_) continue;
    v.expires_in_s = left_after(v.expires_in_s, age_s);
    t.sessions.add(engine_.restore(v, now));
  }
  const nat::WorkerSlice slice = engine_.worker();
  for (const state::SavedMapping& m : snapshot.mappings) {
    if (nat::address_owner(m.mapping.internal.addr, slice.count) != self_) continue;
    if (!pcp_) {
      ++t.mappings_without_pcp;
      continue;
    }
    ++t.mappings[static_cast<std::size_t>(pcp_->restore(m, left_after(m.left_s, age_s), now))];
  }
  // RFC 6887 §8.5: the epoch resets on state loss only; it went on
  // counting while masqd was down, as the clients' clocks did.
  if (pcp_ && snapshot.has_pcp) pcp_->continue_epoch(since(snapshot.pcp_epoch_start_unix_s), now);
  return t;
}

}  // namespace masq::app
