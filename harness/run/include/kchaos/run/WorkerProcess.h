#pragma once
// A worker (producer, consumer, audit) as the controller sees it: a child
// process in the client namespace whose JSON-line events are read as they
// come and copied to its log file. It dies with the controller (the brokers
// may outlive it; a worker never does).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include "kchaos/common/Json.h"
#include "kchaos/protocol/Events.h"

namespace kchaos::run {

class WorkerProcess {
 public:
  using EventHandler = std::function<void(const Json&)>;

  /// Starts `kchaos-worker ROLE SPEC` inside netns ("" for the current one);
  /// on_event, if set, sees every event as it arrives (on the reader thread).
  /// Every member may be called from several threads.
  WorkerProcess(const std::string& role, const std::filesystem::path& spec,
                const std::string& netns, const std::filesystem::path& log,
                EventHandler on_event = {});
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& role() const { return role_; }
  bool running();
  /// SIGTERM: the worker finishes cleanly (flush, commit, close).
  void stop();
  /// SIGKILL: a crash, as in production.
  void kill();
  /// Waits for exit and for every event it printed; false on timeout.
  /// exit_code() is valid after true.
  bool wait(std::chrono::milliseconds timeout);
  int exit_code() const;

  /// The newest event with this name, or null.
  Json last(const std::string& name) const;
  /// The newest event with this name as a typed event (its defaults when
  /// none came yet).
  template <typename Event>
  Event last_as(const std::string& name) const {
    const Json j = last(name);
    return j.is_null() ? Event{} : j.get<Event>();
  }
  /// The worker's newest counts: its done event, else its last progress.
  template <typename Progress>
  Progress latest() const {
    const Json done = last(protocol::event::kDone);
    return done.is_null() ? last_as<Progress>(protocol::event::kProgress) : done.get<Progress>();
  }
  /// How many events with this name arrived.
  int count(const std::string& name) const;

 private:
  void read_lines(int fd);

  std::string role_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  bool exited_ = false;
  std::filesystem::path log_;
  EventHandler on_event_;
  std::thread reader_;
  // The exit state and the reader's join, for the run loop and a fault
  // operation asking at once.
  mutable std::mutex exit_mutex_;
  mutable std::mutex mutex_;
  std::map<std::string, Json> last_;
  std::map<std::string, int> counts_;
};

/// The kchaos-worker executable (KCHAOS_WORKER, beside kchaos, or the build's).
std::filesystem::path worker_executable();

}  // namespace kchaos::run
