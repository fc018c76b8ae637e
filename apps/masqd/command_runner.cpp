#include "command_runner.hpp"

namespace masq::app {

bool CommandRunner::serve(nat::Engine& engine, Mailbox& mailbox, std::uint64_t now_ns,
                          std::size_t slots,
                          const std::function<CommandResult(const WorkerCommand&)>& whole) {
  if (const Mailbox::Ticket posted = mailbox.commands_posted();
      posted > taken_ && mailbox.try_take_commands(incoming_)) {
    taken_ = posted;
    for (auto& c : incoming_) queue_.push_back(std::move(c));
    incoming_.clear();
  }
  if (!queue_.empty()) {
    const WorkerCommand& c = queue_.front();
    if (c.whole()) {
      current_ += whole(c);
      cursor_ = 0;
    } else {
      std::size_t deleted = 0;
      cursor_ = engine.remove_sessions_from(
          cursor_, slots, [&c](const nat::SessionView& v) { return c.delete_sessions.matches(v); },
          now_ns, deleted);
      current_.deleted += deleted;
    }
    current_.ticket = c.ticket;
    if (cursor_ == 0) {
      unpublished_.push_back(current_);
      current_ = {};
      queue_.pop_front();
    }
  }
  while (!unpublished_.empty() && mailbox.try_publish_result(unpublished_.front())) {
    unpublished_.erase(unpublished_.begin());
  }
  return !queue_.empty() || !unpublished_.empty() || mailbox.commands_posted() > taken_;
}

}  // namespace masq::app
