#include "mailbox.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace masq::app {
namespace {

int make_eventfd() {
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  return fd;
}

void drain(int fd) {
  std::uint64_t count;
  static_cast<void>(::read(fd, &count, sizeof count));
}

}  // namespace

Mailbox::Mailbox() : wake_fd_(make_eventfd()), ready_fd_(-1) {
  try {
    ready_fd_ = make_eventfd();
  } catch (...) {
    ::close(wake_fd_);
    throw;
  }
}

Mailbox::~Mailbox() {
  ::close(wake_fd_);
  ::close(ready_fd_);
}

// Non-blocking: a counter that cannot grow is readable already.
void Mailbox::signal(int fd) {
  const std::uint64_t one = 1;
  static_cast<void>(::write(fd, &one, sizeof one));
}

Mailbox::Ticket Mailbox::ask_state() {
  const Ticket t = state_asked_.fetch_add(1, std::memory_order_acq_rel) + 1;
  signal(wake_fd_);
  return t;
}

Mailbox::Ticket Mailbox::ask_sessions() {
  const Ticket t = sessions_asked_.fetch_add(1, std::memory_order_acq_rel) + 1;
  signal(wake_fd_);
  return t;
}

void Mailbox::clear_ready() const {
  drain(ready_fd_);
}
void Mailbox::clear_wake() const {
  drain(wake_fd_);
}

Mailbox::Ticket Mailbox::latest_state(WorkerState& out) {
  const std::lock_guard lock(mutex_);
  if (state_ticket_ != 0) out = state_;
  return state_ticket_;
}

Mailbox::Ticket Mailbox::take_sessions(std::vector<nat::SessionView>& out) {
  const std::lock_guard lock(mutex_);
  if (!sessions_fresh_) return 0;
  out.swap(sessions_);
  sessions_.clear();
  sessions_fresh_ = false;
  return sessions_ticket_;
}

bool Mailbox::try_publish_state(const WorkerState& state, Ticket ticket) {
  {
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    state_ = state;
    state_ticket_ = ticket;
  }
  signal(ready_fd_);
  return true;
}

bool Mailbox::try_publish_sessions(std::vector<nat::SessionView>& sessions, Ticket ticket) {
  {
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    sessions_.swap(sessions);
    sessions_ticket_ = ticket;
    sessions_fresh_ = true;
  }
  signal(ready_fd_);
  return true;
}

Mailbox::Ticket Mailbox::post(WorkerCommand command) {
  Ticket t;
  {
    const std::lock_guard lock(mutex_);
    t = commands_posted_.load(std::memory_order_relaxed) + 1;
    command.ticket = t;
    commands_.push_back(std::move(command));
    commands_posted_.store(t, std::memory_order_release);
  }
  signal(wake_fd_);
  return t;
}

void Mailbox::take_results(std::vector<CommandResult>& out) {
  const std::lock_guard lock(mutex_);
  out.insert(out.end(), results_.begin(), results_.end());
  results_.clear();
}

bool Mailbox::try_take_commands(std::vector<WorkerCommand>& out) {
  const std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return false;
  for (auto& c : commands_) out.push_back(std::move(c));
  commands_.clear();
  return true;
}

bool Mailbox::try_publish_result(const CommandResult& result) {
  {
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    results_.push_back(result);
  }
  signal(ready_fd_);
  return true;
}

}  // namespace masq::app
