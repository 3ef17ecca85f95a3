// Starting children: short commands whose output we need, brokers that
// outlive a `kchaos cluster up`, and workers that die with the controller.

#include "kchaos/sys/Process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>  // before boost/process, which uses std::unique_ptr without including it

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "kchaos/common/Error.h"

namespace bp = boost::process;

namespace kchaos {
namespace {

// A Boost.Process initializer that puts the child in a session of its own
// between fork and exec, so a Ctrl-C on the controller's terminal does not
// reach it: the controller decides how its children stop.
struct NewSession : bp::extend::handler {
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    ::setsid();
  }
};

// For children that must not outlive the controller (workers): the kernel
// SIGKILLs the child when the thread that started it exits (so they are
// started from the spawner thread), and a child whose parent died before the
// call exits at once. The setting survives exec (of `ip netns exec`, then
// the worker). Between fork and exec: only async-signal-safe calls.
struct DieWithParent : bp::extend::handler {
  pid_t parent = ::getpid();
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
  }
};

// Closes every descriptor above stderr in the child, after its own
// redirections: lanes and fault operations start children from several
// threads at once, and a child that inherited another's pipe (a broker
// holding a worker's stdout) would keep that pipe's reader from ever seeing
// end-of-file. Given last.
struct CloseInherited : bp::extend::handler {
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    ::close_range(3, ~0U, 0);  // a system call, nothing else
  }
};

// A file with no name (O_TMPFILE; else one unlinked at once), for a child's
// output: nothing is left in /tmp whenever this process dies.
FILE* unnamed_file() {
  int fd = ::open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    char name[] = "/tmp/kchaos-out-XXXXXX";
    fd = ::mkostemp(name, O_CLOEXEC);
    if (fd >= 0) ::unlink(name);
  }
  if (fd < 0) throw HarnessError(std::string("cannot make a temporary file: ") + strerror(errno));
  FILE* f = ::fdopen(fd, "w+");
  if (f == nullptr) {
    ::close(fd);
    throw HarnessError(std::string("cannot open a temporary file: ") + strerror(errno));
  }
  return f;
}

std::string read_all(FILE* f) {
  std::string out;
  ::lseek(fileno(f), 0, SEEK_SET);
  char buf[8192];
  ssize_t n;
  while ((n = ::read(fileno(f), buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

// The thread children that die with the controller are started from.
class Spawner {
 public:
  Spawner() : thread_([this] { loop(); }) {}
  ~Spawner() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  void run(const std::function<void()>& fn) {
    if (std::this_thread::get_id() == thread_.get_id()) return fn();
    std::packaged_task<void()> task(fn);
    auto done = task.get_future();
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(task));
    }
    wake_.notify_all();
    done.get();
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      auto task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<void()>> queue_;
  bool stop_ = false;
  std::thread thread_;
};

boost::filesystem::path executable(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  auto path = bp::search_path(program);
  if (path.empty()) throw UserError("'" + program + "' is not installed (not found in PATH)");
  return path;
}

}  // namespace

void keep_stdio_open() {
  // Once they are open this only asks; the lowest free descriptor is the
  // closed one, so open() lands on it.
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0 && null != fd) {
      ::dup2(null, fd);
      ::close(null);
    }
  }
}

void on_spawner_thread(const std::function<void()>& fn) {
  static Spawner spawner;
  spawner.run(fn);
}

std::string join(const std::vector<std::string>& argv, const std::string& sep) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += sep;
    s += a;
  }
  return s;
}

bool in_path(const std::string& program) { return !bp::search_path(program).empty(); }

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  keep_stdio_open();
  const auto program = executable(argv.at(0));
  // Output goes to files rather than pipes: no reader threads, no deadlock on
  // a full pipe, and nothing depends on an io_context's SIGCHLD handling.
  std::unique_ptr<FILE, int (*)(FILE*)> out(unnamed_file(), &std::fclose);
  std::unique_ptr<FILE, int (*)(FILE*)> err(unnamed_file(), &std::fclose);
  CommandResult result;
  {
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    bp::child child(program, bp::args(args), bp::std_in.close(), bp::std_out > out.get(),
                    bp::std_err > err.get(), CloseInherited{});
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = 1ms;
    while (child.running()) {
      if (std::chrono::steady_clock::now() > deadline) {
        result.timed_out = true;
        child.terminate();
        break;
      }
      std::this_thread::sleep_for(pause);
      pause = std::min<std::chrono::milliseconds>(pause * 2, 50ms);
    }
    if (!result.timed_out) {
      child.wait();
      result.exit_code = child.exit_code();
    }
  }
  result.out = read_all(out.get());
  result.err = read_all(err.get());
  return result;
}

std::string run_checked(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  CommandResult r = run_command(argv, timeout);
  if (r.timed_out) {
    throw HarnessError("command timed out after " + std::to_string(timeout.count()) +
                       " ms: " + join(argv));
  }
  if (r.exit_code != 0) {
    std::string why = r.err.empty() ? r.out : r.err;
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw HarnessError("command failed (exit " + std::to_string(r.exit_code) + "): " + join(argv) +
                       (why.empty() ? "" : "\n  " + why));
  }
  return r.out;
}

pid_t spawn_detached(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  keep_stdio_open();
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  FILE* out = std::fopen(log.c_str(), "ae");
  if (out == nullptr) throw HarnessError("cannot open log file " + log.string());
  bp::child child(executable(argv.at(0)), bp::args(args), bp::std_in.close(), bp::std_out > out,
                  bp::std_err > out, NewSession{}, CloseInherited{});
  std::fclose(out);
  pid_t pid = child.id();
  child.detach();
  return pid;
}

PipedChild spawn_piped(const std::vector<std::string>& argv, const std::filesystem::path& err_log) {
  keep_stdio_open();
  const auto program = executable(argv.at(0));
  const std::vector<std::string> args(argv.begin() + 1, argv.end());
  bp::pipe out;
  PipedChild started;
  // From the spawner thread: the child dies with this process, not with
  // whichever lane or fault thread asked for it.
  on_spawner_thread([&] {
    bp::child child(program, bp::args(args), bp::std_in.close(), bp::std_out > out,
                    bp::std_err > err_log.string(), NewSession{}, DieWithParent{},
                    CloseInherited{});
    started.pid = child.id();
    child.detach();  // child_running reaps it
  });
  // Boost.Process closed our copy of the write end once the child started;
  // the read end is the caller's now.
  out.assign_sink(-1);
  started.out_fd = out.native_source();
  out.assign_source(-1);
  return started;
}

}  // namespace kchaos
