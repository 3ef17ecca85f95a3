#include "kchaos/run/WorkerProcess.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <fstream>

#include "kchaos/cluster/Network.h"
#include "kchaos/cluster/Process.h"
#include "kchaos/common/Error.h"

namespace kchaos::run {

std::filesystem::path worker_executable() {
  if (const char* env = std::getenv("KCHAOS_WORKER")) return env;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (auto candidate : {self.parent_path() / "kchaos-worker",
                           self.parent_path().parent_path() / "workloads" / "kchaos-worker"}) {
      if (std::filesystem::exists(candidate)) return candidate;
    }
  }
  if (std::filesystem::exists(KCHAOS_WORKER_PATH)) return KCHAOS_WORKER_PATH;
  throw UserError(
      "kchaos-worker not found beside kchaos: build it (cmake --build build) or set "
      "KCHAOS_WORKER");
}

WorkerProcess::WorkerProcess(const std::string& role, const std::filesystem::path& spec,
                             const std::string& netns, const std::filesystem::path& log,
                             EventHandler on_event)
    : role_(role), log_(log), on_event_(std::move(on_event)) {
  namespace bp = boost::process;
  const auto argv = cluster::in_netns(netns, {worker_executable().string(), role, spec.string()});
  bp::pipe out;
  const std::vector<std::string> args(argv.begin() + 1, argv.end());
  // The worker itself when there is no namespace to enter (a path), else ip.
  const boost::filesystem::path program =
      argv[0].find('/') != std::string::npos ? argv[0] : bp::search_path(argv[0]);
  // From the spawner thread: the worker dies with this process, not with
  // whichever lane or fault thread asked for it.
  on_spawner_thread([&] {
    child_ = bp::child(program, bp::args(args), bp::std_in.close(), bp::std_out > out,
                       bp::std_err > (log.string() + ".stderr"), NewSession{}, DieWithParent{},
                       CloseInherited{});
  });
  // Boost.Process closed our copy of the write end once the child started
  // (so the reader sees end-of-file when the worker exits); forget it.
  out.assign_sink(-1);
  pid_ = child_.id();
  reader_ = std::thread([this, fd = out.native_source()] { read_lines(fd); });
  out.assign_source(-1);  // the reader thread owns the descriptor now
}

WorkerProcess::~WorkerProcess() {
  if (running()) {
    kill();
    wait(std::chrono::seconds(10));
  }
  if (reader_.joinable()) reader_.join();
}

void WorkerProcess::read_lines(int fd) {
  std::ofstream log(log_, std::ios::app);
  std::string pending;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<size_t>(n));
    size_t start = 0, nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
      std::string line = pending.substr(start, nl - start);
      start = nl + 1;
      log << line << '\n';
      try {
        auto j = Json::parse(line);
        if (on_event_) on_event_(j);
        const std::string name = j.value("name", "");
        std::lock_guard lock(mutex_);
        last_[name] = std::move(j);
        ++counts_[name];
      } catch (const std::exception&) {
        // Not an event line: kept in the log only.
      }
    }
    pending.erase(0, start);
    log.flush();
  }
  ::close(fd);
}

bool WorkerProcess::running() {
  std::lock_guard lock(exit_mutex_);
  if (exited_) return false;
  std::error_code ec;
  if (child_.running(ec)) return true;
  exited_ = true;
  exit_code_ = child_.native_exit_code();
  exit_code_ = WIFEXITED(exit_code_) ? WEXITSTATUS(exit_code_) : 128 + WTERMSIG(exit_code_);
  return false;
}

void WorkerProcess::stop() {
  if (running()) ::kill(pid_, SIGTERM);
}

void WorkerProcess::kill() {
  if (running()) ::kill(pid_, SIGKILL);
}

bool WorkerProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // The worker is gone, but its last lines (its "done") may still be in the
  // pipe: the reader ends at end-of-file, once it has read them all.
  std::lock_guard lock(exit_mutex_);
  if (reader_.joinable()) reader_.join();
  return true;
}

int WorkerProcess::exit_code() const {
  std::lock_guard lock(exit_mutex_);
  return exit_code_;
}

Json WorkerProcess::last(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = last_.find(name);
  return it == last_.end() ? Json() : it->second;
}

int WorkerProcess::count(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(name);
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace kchaos::run
