#!/usr/bin/env bash
# Starts the Docker daemon when none answers (a machine without systemd, or
# one where it is not running), and leaves it running. Idempotent.
# Usage: scripts/start-docker.sh
set -euo pipefail
docker_cli=/usr/bin/docker
[ -x "$docker_cli" ] || docker_cli=$(command -v docker) || {
  echo "start-docker: no docker command (scripts/setup.sh installs docker.io)" >&2; exit 2; }
if "$docker_cli" info >/dev/null 2>&1; then exit 0; fi
command -v dockerd >/dev/null || { echo "start-docker: no dockerd (scripts/setup.sh installs docker.io)" >&2; exit 2; }
log=/var/log/kchaos-dockerd.log
echo "start-docker: starting dockerd (log: $log)"
setsid nohup dockerd >>"$log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  if "$docker_cli" info >/dev/null 2>&1; then echo "start-docker: dockerd is up"; exit 0; fi
  sleep 1
done
echo "start-docker: dockerd did not answer within 60 s; the end of $log:" >&2
tail -20 "$log" >&2
exit 1
