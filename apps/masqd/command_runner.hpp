// CommandRunner: the worker's side of WorkerCommands. Between batches it
// takes the commands the Mailbox holds and runs them on the engine one at
// a time, in slices of a bounded number of session slots per loop turn
// (as the session walk goes), so that deleting from a table of any size
// never holds up forwarding for long; then publishes each result. Runs on
// the worker's thread only. Cold: touched between batches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "mailbox.hpp"
#include "masq/nat/engine.hpp"
#include "worker_command.hpp"

namespace masq::app {

class CommandRunner {
 public:
  // Runs one slice of `slots` session slots; true while work remains (a
  // command under way or queued, or a result the lock put off). A command
  // run whole (WorkerCommand::whole()) goes to `whole`, which answers it.
  bool serve(nat::Engine& engine, Mailbox& mailbox, std::uint64_t now_ns, std::size_t slots,
             const std::function<CommandResult(const WorkerCommand&)>& whole);

 private:
  Mailbox::Ticket taken_ = 0;  // the newest ticket moved out of the mailbox
  std::vector<WorkerCommand> incoming_;
  std::deque<WorkerCommand> queue_;
  std::size_t cursor_ = 0;  // where the command at the front stands
  CommandResult current_;
  std::vector<CommandResult> unpublished_;
};

}  // namespace masq::app
