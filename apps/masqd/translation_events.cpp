#include "translation_events.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "masq/ctl/event_line.hpp"
#include "masq/ctl/translation_lookup.hpp"

namespace masq::app {
namespace {

std::int64_t ns_since_epoch(auto time_point) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time_point.time_since_epoch())
      .count();
}

}  // namespace

TranslationEvents::TranslationEvents(std::vector<Mailbox*> mailboxes,
                                     std::unique_ptr<ctl::TranslationLog> log,
                                     std::unique_ptr<ctl::IpfixExporter> ipfix)
    : mailboxes_(std::move(mailboxes)),
      log_(std::move(log)),
      ipfix_(std::move(ipfix)),
      // The workers stamp events with steady_clock (worker.cpp's now_ns).
      wall_offset_ns_(ns_since_epoch(std::chrono::system_clock::now()) -
                      ns_since_epoch(std::chrono::steady_clock::now())) {}

void TranslationEvents::pump(ctl::Server* server) {
  if (server != nullptr) {
    std::erase_if(followers_, [server](const Follower& f) { return !server->following(f.id); });
  }
  for (Mailbox* m : mailboxes_) {
    taken_ += m->events().drain([&](const nat::SessionEvent& e) {
      if (ipfix_) batch_.push_back(e);
      if (!log_ && followers_.empty()) return;
      const std::string line = ctl::event_json(e, wall_offset_ns_).dump();
      if (log_) log_->append(line);
      if (server != nullptr) stream(*server, line);
    });
  }
  if (ipfix_ && !batch_.empty()) {
    ipfix_->send(batch_, wall_offset_ns_,
                 static_cast<std::uint32_t>(ns_since_epoch(std::chrono::system_clock::now()) /
                                            1'000'000'000));
    batch_.clear();
  }
  if (!log_) return;
  log_->flush();
  if (std::string error = log_->take_error(); !error.empty()) {
    if (error != last_error_) spdlog::warn("{}", error);
    last_error_ = std::move(error);
  }
}

void TranslationEvents::stream(ctl::Server& server, const std::string& line) {
  for (Follower& f : followers_) {
    if (f.lost != 0 &&
        server.push(f.id, nlohmann::json{{"event", "lost"}, {"count", f.lost}}.dump())) {
      f.lost = 0;
    }
    if (f.lost != 0 || !server.push(f.id, line)) {
      ++f.lost;
      ++follower_drops_;
    }
  }
}

void TranslationEvents::serve(ctl::Server& server, ctl::Server::ClientId client,
                              const ctl::Request& request, std::uint64_t now_ms) {
  if (request.command == ctl::Command::events) {
    server.follow(client, {{"ok", true}});
    followers_.push_back({client});
    return;
  }
  if (!log_) {
    server.reply(client,
                 ctl::error_json("no translation log: set [log] translations "
                                 "(or --translation-log) to look endpoints up"),
                 now_ms);
    return;
  }
  // What the workers queued until now is in the files before they are read.
  pump(&server);
  const auto result = ctl::lookup(ctl::translation_log_files(log_->options()), request.lookup,
                                  ns_since_epoch(std::chrono::system_clock::now()));
  server.reply(client,
               result.error.empty() ? ctl::lookup_json(result) : ctl::error_json(result.error),
               now_ms);
}

ctl::CounterGroup TranslationEvents::counters() const {
  EventCounters c;
  c.taken = taken_;
  for (const Mailbox* m : mailboxes_) c.dropped_queue_full += m->events().dropped();
  c.dropped_slow_follower = follower_drops_;
  if (log_) {
    c.log_lines_written = log_->lines_written();
    c.log_lines_lost = log_->lines_lost();
    c.log_rotations = log_->rotations();
  }
  if (ipfix_) {
    c.ipfix_messages_sent = ipfix_->messages_sent();
    c.ipfix_send_errors = ipfix_->send_errors();
  }
#define MASQ_EVENT_COUNTER_VALUE(name) {#name, c.name},
  return {"session_events", {MASQ_EVENT_COUNTERS(MASQ_EVENT_COUNTER_VALUE)}};
#undef MASQ_EVENT_COUNTER_VALUE
}

}  // namespace masq::app
