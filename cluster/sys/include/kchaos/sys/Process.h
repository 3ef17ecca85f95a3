#pragma once
// Child processes: short commands whose output we need, and long-lived
// detached processes (brokers) that outlive a `kchaos cluster up`.

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kchaos {

using namespace std::chrono_literals;

/// Runs fn on a thread that lives as long as the process and waits for it
/// (its exception is rethrown here). Children that must die with the
/// controller are started there (spawn_piped does): the kernel signals them
/// when the thread that forked them ends, and lanes and fault operations run
/// on threads that end before the children should.
void on_spawner_thread(const std::function<void()>& fn);

/// Opens /dev/null on whichever of stdin, stdout and stderr this process was
/// started without (a parent that closed them, as a CI runner or a test
/// harness may). Else the first file we open takes descriptor 0, 1 or 2, and
/// a child's redirections close or overwrite it before they use it. Called
/// first thing in main, and again before every spawn.
void keep_stdio_open();

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

/// A child whose standard output is a pipe: out_fd is its read end, the
/// caller's to read and close (end-of-file once the child and everything
/// it started are gone).
struct PipedChild {
  pid_t pid = -1;
  int out_fd = -1;
};
/// Starts argv (looked up in PATH) in a session of its own (a Ctrl-C on the
/// controller's terminal does not reach it), stdin closed, stderr appended
/// to err_log, and killed when this process dies: a worker.
PipedChild spawn_piped(const std::vector<std::string>& argv, const std::filesystem::path& err_log);

/// Whether child pid (spawn_piped's) still runs; once it has exited, its
/// exit status (its code, or 128 + the signal that killed it) goes to
/// exit_code. It is reaped then.
bool child_running(pid_t pid, int& exit_code);

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
