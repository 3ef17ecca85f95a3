#pragma once
// Child processes: short commands whose output we need, and long-lived
// detached processes (brokers) that outlive a `kchaos cluster up`.

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>  // before boost/process, which uses std::unique_ptr without including it
#include <string>
#include <vector>

#include <boost/process/extend.hpp>

namespace kchaos {

using namespace std::chrono_literals;

/// A Boost.Process initializer that puts the child in a session of its own
/// between fork and exec, so a Ctrl-C on the controller's terminal does not
/// reach it: the controller decides how its children stop.
struct NewSession : boost::process::extend::handler {
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    ::setsid();
  }
};

/// A Boost.Process initializer for children that must not outlive the
/// controller (workers): the kernel SIGKILLs the child when the thread that
/// started it exits (start them through on_spawner_thread), and a child whose
/// parent died before the call exits at once. The setting survives exec (of
/// `ip netns exec`, then the worker).
struct DieWithParent : boost::process::extend::handler {
  pid_t parent = ::getpid();
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    die_with_parent(parent);
  }
  static void die_with_parent(pid_t parent);
};

/// A Boost.Process initializer that closes every descriptor above stderr in
/// the child, after its own redirections: lanes and fault operations start
/// children from several threads at once, and a child that inherited
/// another's pipe (a broker holding a worker's stdout) would keep that
/// pipe's reader from ever seeing end-of-file. Give it last.
struct CloseInherited : boost::process::extend::handler {
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    close_above_stderr();
  }
  static void close_above_stderr();
};

/// Runs fn on a thread that lives as long as the process and waits for it
/// (its exception is rethrown here). Children that must die with the
/// controller (DieWithParent) are started there: the kernel signals them
/// when the thread that forked them ends, and lanes and fault operations run
/// on threads that end before the children should.
void on_spawner_thread(const std::function<void()>& fn);

struct CommandResult {
  int exit_code = -1;
  bool timed_out = false;
  std::string out;
  std::string err;
};

/// Runs argv[0] (looked up in PATH) and waits for it, killing it after timeout.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = 60s);

/// Like run_command, but throws HarnessError naming the command and its
/// stderr when it does not exit 0.
std::string run_checked(const std::vector<std::string>& argv,
                        std::chrono::milliseconds timeout = 60s);

/// Starts argv in a new session (so a Ctrl-C on the controller's terminal does
/// not reach it), stdin closed, stdout and stderr appended to log. The caller
/// does not wait for it; reap() collects it once it has exited.
pid_t spawn_detached(const std::vector<std::string>& argv, const std::filesystem::path& log);

/// Collects the exit status of a child of ours that has exited, so that it
/// does not linger as a zombie, and remembers it for how_it_ended(). Only for
/// pids we started detached: a child that Boost.Process still manages must be
/// left to it, or its pid may be reused before it knows the child is gone.
void reap(pid_t pid);

/// How a child collected by reap() ended ("killed by signal 9 (SIGKILL)",
/// "exited with code 1"), or empty if reap() has not collected it.
std::string how_it_ended(pid_t pid);

/// What /proc says of a live pid, for error messages: its state, its name,
/// where it waits in the kernel and its pending signals.
std::string process_details(pid_t pid);

enum class ProcessState { running, stopped, gone };

/// The state of pid, or gone if it has exited or is a zombie.
ProcessState process_state(pid_t pid);

/// The command line of pid joined by spaces, or empty if it is gone.
std::string process_cmdline(pid_t pid);

/// Joins argv for messages.
std::string join(const std::vector<std::string>& argv, const std::string& sep = " ");

/// The last lines of a text file, for error messages.
std::string tail_lines(const std::filesystem::path& file, int lines);

/// The filesystem type of the mount at exactly dir ("tmpfs",
/// "fuse.kchaos-pagefs"), or empty when nothing is mounted there.
std::string mount_type(const std::filesystem::path& dir);

/// Whether an executable of this name is in PATH.
bool in_path(const std::string& program);

}  // namespace kchaos
