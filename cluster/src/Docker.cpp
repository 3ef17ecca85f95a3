#include "kchaos/cluster/Docker.h"

#include <unistd.h>

#include <sstream>

#include "kchaos/common/Error.h"
#include "kchaos/common/Json.h"

namespace kchaos::cluster {

std::string docker_executable() {
  // Debian's client matches Debian's daemon; another one earlier in PATH
  // may be a newer client that no longer speaks to it.
  if (::access("/usr/bin/docker", X_OK) == 0) return "/usr/bin/docker";
  return "docker";
}

CommandResult docker(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {docker_executable()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, timeout);
}

void check_docker() {
  if (docker_executable() == "docker" && !in_path("docker")) {
    throw UserError(
        "the compose backend needs Docker: apt-get install docker.io docker-compose "
        "(scripts/setup.sh does)");
  }
  CommandResult r = docker({"info", "--format", "{{.ServerVersion}}"}, std::chrono::seconds(20));
  if (r.exit_code != 0) {
    throw UserError("no Docker daemon answers (" + r.err.substr(0, r.err.find('\n')) +
                    "): start it with scripts/start-docker.sh, or systemctl start docker");
  }
}

std::vector<std::string> compose_command() {
  // Asked once: it does not change while kchaos runs.
  static const std::vector<std::string> found = []() -> std::vector<std::string> {
    if (docker({"compose", "version"}, std::chrono::seconds(20)).exit_code == 0) {
      return {docker_executable(), "compose"};
    }
    if (in_path("docker-compose")) return {"docker-compose"};
    return {};
  }();
  if (!found.empty()) return found;
  throw UserError(
      "the compose backend needs Docker Compose (the docker compose plugin, or docker-compose): "
      "apt-get install docker-compose (scripts/setup.sh does)");
}

std::map<std::string, ContainerState> inspect_containers(const std::vector<std::string>& names) {
  std::map<std::string, ContainerState> out;
  for (const auto& n : names) out[n] = {};
  std::vector<std::string> args = {"inspect", "--type", "container", "--format",
                                   "{{json .Name}} {{json .State}}"};
  args.insert(args.end(), names.begin(), names.end());
  // A missing container fails the command but the others are still printed;
  // any other failure (no daemon, a timeout) is no answer at all.
  const CommandResult r = docker(args, std::chrono::seconds(30));
  if (r.exit_code != 0) {
    std::istringstream errors(r.err);
    for (std::string line; std::getline(errors, line);) {
      if (!line.empty() && line.find("No such") == std::string::npos) {
        throw HarnessError("docker inspect failed (" + line + ")");
      }
    }
  }
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto space = line.find(' ');
    if (space == std::string::npos) continue;
    try {
      std::string name = Json::parse(line.substr(0, space)).get<std::string>();
      if (!name.empty() && name[0] == '/') name.erase(0, 1);
      const Json state = Json::parse(line.substr(space + 1));
      ContainerState& s = out[name];
      s.exists = true;
      s.running = state.value("Running", false);
      s.paused = state.value("Paused", false);
      s.pid = s.running ? state.value("Pid", 0) : 0;
    } catch (const std::exception&) {
    }
  }
  return out;
}

namespace {

// The ids (names, for volumes) of one kind's resources in the lane.
std::vector<std::string> labelled(const std::string& kind, int lane) {
  std::vector<std::string> cmd = {kind, "ls", "--filter", std::string("label=") + kClusterLabel,
                                  "--format",
                                  std::string(kind == "volume" ? "{{.Name}}" : "{{.ID}}") +
                                      " {{.Label \"" + kLaneLabel + "\"}}"};
  if (kind == "container") cmd.insert(cmd.begin() + 2, "-a");
  const std::string want = std::to_string(lane);
  std::vector<std::string> out;
  std::istringstream lines(docker(cmd, std::chrono::seconds(30)).out);
  for (std::string line; std::getline(lines, line);) {
    const auto space = line.find(' ');
    const std::string id = line.substr(0, space);
    const std::string of = space == std::string::npos ? "" : line.substr(space + 1);
    if (!id.empty() && (of == want || (lane == 0 && of.empty()))) out.push_back(id);
  }
  return out;
}

}  // namespace

std::vector<std::string> labelled_resources(int lane) {
  std::vector<std::string> out;
  for (const char* kind : {"container", "network", "volume"}) {
    for (const auto& id : labelled(kind, lane)) out.push_back(std::string(kind) + " " + id);
  }
  return out;
}

void remove_labelled_resources(int lane) {
  // Containers first: a network in use cannot go.
  for (const auto& id : labelled("container", lane)) docker({"rm", "-f", "-v", id});
  for (const auto& id : labelled("network", lane)) docker({"network", "rm", id});
  for (const auto& id : labelled("volume", lane)) docker({"volume", "rm", "-f", id});
}

}  // namespace kchaos::cluster
