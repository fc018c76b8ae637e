// Worker::save() and restore(): a worker's part of the state snapshot
// (state_saver.hpp), on the thread that owns the worker while it does not
// run (before run(), or after it returned). A worker takes back the
// sessions its engine says are its own (Engine::owner(), by the external
// endpoint, as WAN packets are steered) and the PCP mappings of the hosts
// whose requests reach it (their subscriber's worker, as LAN packets are
// steered: nat::address_owner()). Lifetimes lose the time the snapshot
// spent on disk. With the WAN's address by DHCP, the pool has none before
// the first lease, so nothing could be put back at start: the worker keeps
// its part until the lease, then puts back what is on the leased address
// (a DHCP server usually gives the same one again); the rest is refused as
// restore refuses it (not_in_pool). Cold.
#include <spdlog/spdlog.h>

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

std::uint64_t unix_now_s() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

std::uint64_t since(std::uint64_t now_unix_s, std::uint64_t then) {
  return now_unix_s > then ? now_unix_s - then : 0;
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
  // Still waiting for a lease: saved again, as old as it is.
  if (waiting_) {
    const std::uint64_t age_s = since(now_unix_s, waiting_->saved_unix_s);
    for (nat::SessionView v : waiting_->sessions) {
      v.expires_in_s = left_after(v.expires_in_s, age_s);
      out.sessions.push_back(v);
    }
    for (state::SavedMapping m : waiting_->mappings) {
      m.left_s = left_after(m.left_s, age_s);
      out.mappings.push_back(m);
    }
  }
  if (!pcp_) return;
  const std::uint32_t epoch_s = pcp_->save(out.mappings, now);
  if (!out.has_pcp)
    out.pcp_epoch_start_unix_s = now_unix_s - std::min<std::uint64_t>(epoch_s, now_unix_s);
  out.has_pcp = true;
}

bool Worker::mine(const nat::SessionView& saved) const {
  return engine_.owner(saved) == self_;
}

bool Worker::mine(const state::SavedMapping& saved) const {
  return nat::address_owner(saved.mapping.internal.addr, engine_.worker().count) == self_;
}

RestoreTallies Worker::restore(const state::Snapshot& snapshot, std::uint64_t now_unix_s) {
  if (!wan_address_.is_unspecified()) return put_back(snapshot, now_unix_s);
  state::Snapshot part;
  part.saved_unix_s = snapshot.saved_unix_s;
  part.has_pcp = snapshot.has_pcp;
  part.pcp_epoch_start_unix_s = snapshot.pcp_epoch_start_unix_s;
  for (const nat::SessionView& v : snapshot.sessions) {
    if (mine(v)) part.sessions.push_back(v);
  }
  for (const state::SavedMapping& m : snapshot.mappings) {
    if (mine(m)) part.mappings.push_back(m);
  }
  RestoreTallies t;
  t.sessions_waiting = part.sessions.size();
  t.mappings_waiting = part.mappings.size();
  if (!part.sessions.empty() || !part.mappings.empty() || part.has_pcp) waiting_ = std::move(part);
  return t;
}

RestoreTallies Worker::put_back(const state::Snapshot& snapshot, std::uint64_t now_unix_s) {
  const std::uint64_t age_s = since(now_unix_s, snapshot.saved_unix_s);
  RestoreTallies t;
  const std::uint64_t now = steady_ns();
  for (nat::SessionView v : snapshot.sessions) {
    if (!mine(v)) continue;
    v.expires_in_s = left_after(v.expires_in_s, age_s);
    t.sessions.add(engine_.restore(v, now));
  }
  for (const state::SavedMapping& m : snapshot.mappings) {
    if (!mine(m)) continue;
    if (!pcp_) {
      ++t.mappings_without_pcp;
      continue;
    }
    ++t.mappings[static_cast<std::size_t>(pcp_->restore(m, left_after(m.left_s, age_s), now))];
  }
  // RFC 6887 §8.5: the epoch resets on state loss only; it went on
  // counting while masqd was down, as the clients' clocks did.
  if (pcp_ && snapshot.has_pcp) {
    pcp_->continue_epoch(since(now_unix_s, snapshot.pcp_epoch_start_unix_s), now);
  }
  return t;
}

void Worker::restore_waiting() {
  const RestoreTallies t = put_back(*waiting_, unix_now_s());
  if (waiting_->sessions.empty() && waiting_->mappings.empty()) {
    waiting_.reset();  // only the PCP epoch waited
    return;
  }
  spdlog::info(
      "state: {}with the first DHCP lease ({}), restored {} of {} sessions and {} of {} PCP "
      "mappings; refused: {}",
      engine_.worker().count > 1 ? "worker " + std::to_string(self_) + ": " : "",
      wan_address_.to_string(), t.sessions.restored(), waiting_->sessions.size(),
      t.mappings[static_cast<std::size_t>(pcp::MapStatus::ok)], waiting_->mappings.size(),
      refusals(t));
  waiting_.reset();
}

}  // namespace masq::app
