#include "kchaos/cluster/Process.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

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

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

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

void CloseInherited::close_above_stderr() {
  // Between fork and exec: a system call, nothing else.
  ::close_range(3, ~0U, 0);
}

void on_spawner_thread(const std::function<void()>& fn) {
  static Spawner spawner;
  spawner.run(fn);
}

void DieWithParent::die_with_parent(pid_t parent) {
  // Between fork and exec: only async-signal-safe calls.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
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

namespace {
std::mutex g_ended_mutex;
std::map<pid_t, int> g_ended;  // wait statuses collected by reap()
}  // namespace

void reap(pid_t pid) {
  int status = 0;
  pid_t r;
  while ((r = ::waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR) {
  }
  if (r == pid) {
    std::lock_guard lock(g_ended_mutex);
    g_ended[pid] = status;
  }
}

std::string how_it_ended(pid_t pid) {
  std::lock_guard lock(g_ended_mutex);
  auto it = g_ended.find(pid);
  if (it == g_ended.end()) return "";
  const int status = it->second;
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return "killed by signal " + std::to_string(WTERMSIG(status)) +
           (name != nullptr ? std::string(" (SIG") + name + ")" : "");
  }
  return "wait status " + std::to_string(status);
}

std::string process_details(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  std::string out;
  std::ifstream status(dir + "/status");
  std::string line;
  while (std::getline(status, line)) {
    for (const char* key : {"Name:", "State:", "PPid:", "SigPnd:", "ShdPnd:", "SigBlk:"}) {
      if (line.rfind(key, 0) == 0) {
        if (!out.empty()) out += ", ";
        std::string value = line.substr(std::string(key).size());
        value.erase(0, value.find_first_not_of(" \t"));
        out += std::string(key, std::string(key).size() - 1) + " " + value;
      }
    }
  }
  std::string wchan = slurp(dir + "/wchan");
  if (!wchan.empty() && wchan != "0") out += ", waiting in " + wchan;
  return out.empty() ? "no /proc entry" : out;
}

ProcessState process_state(pid_t pid) {
  if (pid <= 0) return ProcessState::gone;
  reap(pid);
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return ProcessState::gone;
  // The state letter follows the command name in parentheses, which may hold spaces.
  auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return ProcessState::gone;
  switch (line[close + 2]) {
    case 'Z':
    case 'X':
      return ProcessState::gone;
    case 'T':
    case 't':
      return ProcessState::stopped;
    default:
      return ProcessState::running;
  }
}

std::string process_cmdline(pid_t pid) {
  std::string raw = slurp("/proc/" + std::to_string(pid) + "/cmdline");
  for (char& c : raw) {
    if (c == '\0') c = ' ';
  }
  return raw;
}

std::string mount_type(const std::filesystem::path& dir) {
  std::ifstream mounts("/proc/mounts");
  std::string source, target, type, rest, found;
  // The last mount at a path is the one in effect.
  while (mounts >> source >> target >> type && std::getline(mounts, rest)) {
    if (target == dir.string()) found = type;
  }
  return found;
}

std::string tail_lines(const std::filesystem::path& file, int lines) {
  std::ifstream in(file);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string s;
  for (const auto& l : last) s += "    " + l + "\n";
  return s;
}

}  // namespace kchaos
