#include "kchaos/run/WorkerProcess.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "kchaos/cluster/Network.h"
#include "kchaos/sys/Process.h"
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
  const auto argv = cluster::in_netns(netns, {worker_executable().string(), role, spec.string()});
  const PipedChild child = spawn_piped(argv, log.string() + ".stderr");
  pid_ = child.pid;
  reader_ = std::thread([this, fd = child.out_fd] { read_lines(fd); });
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
  if (child_running(pid_, exit_code_)) return true;
  exited_ = true;
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
