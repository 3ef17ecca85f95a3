#pragma once
// The Docker tools kchaos drives: the docker command, the Compose command
// (v2 plugin or v1), and the state of containers as the engine reports it.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "kchaos/sys/Process.h"

namespace kchaos::cluster {

/// The docker command (Debian's /usr/bin/docker when present, else the PATH's).
std::string docker_executable();
/// Throws UserError (exit 2) saying what to do when no Docker daemon answers.
void check_docker();
/// `docker compose` when the docker command has the v2 plugin, else
/// `docker-compose` (v1); throws UserError when there is neither.
std::vector<std::string> compose_command();
/// Runs `docker args...`.
CommandResult docker(const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));

struct ContainerState {
  bool exists = false;
  bool running = false;  // running or paused
  bool paused = false;
  pid_t pid = 0;  // its first process, as the host sees it (0 when not running)
};
/// The engine's view of the named containers (one `docker inspect`).
std::map<std::string, ContainerState> inspect_containers(const std::vector<std::string>& names);

/// What carries the label org.kchaos.cluster in the lane (its label
/// org.kchaos.lane; lane 0 also owns resources made before lanes, which have
/// none): containers, networks, volumes ("container ID", ...).
std::vector<std::string> labelled_resources(int lane);
/// Removes every container, network and volume of the lane's.
void remove_labelled_resources(int lane);
constexpr const char* kClusterLabel = "org.kchaos.cluster";
constexpr const char* kLaneLabel = "org.kchaos.lane";

}  // namespace kchaos::cluster
