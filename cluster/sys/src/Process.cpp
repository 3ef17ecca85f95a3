// What /proc and wait() say of processes, and small file helpers.

#include "kchaos/sys/Process.h"

#include <string.h>
#include <sys/wait.h>

#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace kchaos {
namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}


std::mutex g_ended_mutex;
std::map<pid_t, int> g_ended;  // wait statuses collected by reap()
}  // namespace

bool child_running(pid_t pid, int& exit_code) {
  reap(pid);
  std::lock_guard lock(g_ended_mutex);
  auto it = g_ended.find(pid);
  if (it == g_ended.end()) return true;
  const int status = it->second;
  exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

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
      // It ended between the reap above and this read: reap it now, so
      // how_it_ended knows how (the unit test saw "" once in a while).
      reap(pid);
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
