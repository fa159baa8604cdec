#!/usr/bin/env bash
# A Docker engine for this checkout: uses one that already answers, or starts a private dockerd under .cache/docker/.
#   scripts/docker-local.sh start    prints DOCKER_HOST=… (an answering engine is used as is, nothing started)
#   scripts/docker-local.sh env      prints DOCKER_HOST=… for an engine that answers, exit 1 when none
#   scripts/docker-local.sh status   says which engine answers, and whether the private one runs
#   scripts/docker-local.sh stop     stops the private dockerd by its pid file (never a system-wide engine)
# The private engine (Debian/Ubuntu as root): docker.io installed when missing, vfs storage, no iptables, masquerade or
# forwarding (containers reach each other and published loopback ports, nothing outside), data, exec root, socket
# and pid file under CACHEQUAKE_DOCKER_DIR (default .cache/docker in the checkout). It runs in its own session with
# every inherited fd closed, so a caller's lock (flock) is not held by the daemon.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${CACHEQUAKE_DOCKER_DIR:-$PWD/.cache/docker}"
sock="$dir/docker.sock"
pidfile="$dir/docker.pid"
private_host="unix://$sock"

answers() { # $1: DOCKER_HOST ('' = the client's default)
  if [ -n "$1" ]; then DOCKER_HOST="$1" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
  else env -u DOCKER_HOST timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; fi
}

private_running() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

# The engine to use: DOCKER_HOST when set and answering, then the private one, then the default socket.
existing_engine() {
  if [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then echo "$DOCKER_HOST"; return 0; fi
  if private_running && answers "$private_host"; then echo "$private_host"; return 0; fi
  if command -v docker >/dev/null 2>&1 && answers ""; then echo "unix:///var/run/docker.sock"; return 0; fi
  return 1
}

install_engine() {
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "docker-local: no Docker engine answers and ${need[*]} is missing; install Docker (https://docs.docker.com/engine/install/) or run as root on Debian/Ubuntu" >&2
    exit 3
  fi
  echo "docker-local: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }
}

start_private() {
  install_engine
  mkdir -p "$dir/data" "$dir/exec"
  rm -f "$sock"
  # setsid: its own session and process group; every fd above 2 closed so no caller's lock is inherited
  setsid bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
    exec dockerd --data-root "$1/data" --exec-root "$1/exec" --host "unix://$1/docker.sock" --pidfile "$1/docker.pid" \
      --storage-driver=vfs --iptables=false --ip-masq=false --ip-forward=false' _ "$dir" \
    </dev/null >"$dir/dockerd.log" 2>&1 &
  local began=$SECONDS
  until answers "$private_host"; do
    if [ $((SECONDS - began)) -ge 60 ]; then
      echo "docker-local: dockerd did not answer within 60 s; its log: $dir/dockerd.log" >&2
      tail -20 "$dir/dockerd.log" >&2 || true
      exit 1
    fi
    sleep 0.3
  done
  echo "docker-local: started dockerd (pid $(cat "$pidfile")) in $((SECONDS - began)) s under $dir" >&2
}

stop_private() {
  if ! [ -s "$pidfile" ]; then echo "docker-local: no private dockerd (no $pidfile)" >&2; return 0; fi
  local pid
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    # containers first, so no mount or shim outlives the daemon
    local ids
    ids=$(DOCKER_HOST="$private_host" timeout 20 docker ps -aq 2>/dev/null || true)
    [ -n "$ids" ] && DOCKER_HOST="$private_host" timeout 60 docker rm -fv $ids >/dev/null 2>&1 || true
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$pidfile" "$sock"
  # mounts dockerd left under our directory (netns, overlay of a killed daemon)
  { grep -o " $dir/[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
  echo "docker-local: stopped dockerd (pid $pid)" >&2
}

case "${1:-}" in
  start)
    if host=$(existing_engine); then echo "DOCKER_HOST=$host"; exit 0; fi
    start_private
    echo "DOCKER_HOST=$private_host"
    ;;
  env)
    host=$(existing_engine) || { echo "docker-local: no Docker engine answers" >&2; exit 1; }
    echo "DOCKER_HOST=$host"
    ;;
  status)
    if private_running; then echo "private dockerd: running (pid $(cat "$pidfile")), DOCKER_HOST=$private_host"
    else echo "private dockerd: not running"; fi
    if host=$(existing_engine); then echo "engine answering: DOCKER_HOST=$host"; else echo "engine answering: none"; exit 1; fi
    ;;
  stop) stop_private ;;
  *)
    echo "usage: scripts/docker-local.sh start|stop|env|status" >&2
    exit 2
    ;;
esac
