#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for cachequake: the OS packages it drives, then the pinned npm dependencies (Node 24 included).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-benchmark >/dev/null 2>&1 || need+=(redis-tools)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql-15)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)   # report tests validate junit.xml with xmllint --schema
# report tests open report.html in headless chromium: always on CI, elsewhere when CACHEQUAKE_SETUP_CHROMIUM=1 (it is large)
if { [ -n "${CI:-}" ] || [ "${CACHEQUAKE_SETUP_CHROMIUM:-0}" = 1 ]; } && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
# the example targets (examples/targets/: PHP and Flask session stacks, and an express one from npm): always on CI,
# elsewhere when CACHEQUAKE_SETUP_EXAMPLE_TARGETS=1; Debian's own python3, which the Debian Flask packages serve
examples=0
if [ -n "${CI:-}" ] || [ "${CACHEQUAKE_SETUP_EXAMPLE_TARGETS:-0}" = 1 ]; then examples=1; fi
if [ $examples = 1 ]; then
  command -v php >/dev/null 2>&1 || need+=(php-cli)
  { command -v php >/dev/null 2>&1 && php -m | grep -qx redis; } || need+=(php-redis)
  for module in flask:python3-flask flask_session:python3-flask-session redis:python3-redis; do
    /usr/bin/python3 -c "import ${module%%:*}" >/dev/null 2>&1 || need+=("${module#*:}")
  done
fi
# the live Docker tests (test/runtimes/docker, test/runtimes/compose): always on CI, elsewhere when
# CACHEQUAKE_SETUP_DOCKER=1. With no engine answering, scripts/docker-local.sh starts a private dockerd (Debian's
# docker.io) and scripts/docker-images.sh builds the local images with debootstrap: no registry needed.
if [ -n "${CI:-}" ] || [ "${CACHEQUAKE_SETUP_DOCKER:-0}" = 1 ]; then
  if ! { [ -n "${DOCKER_HOST:-}" ] || [ -S /var/run/docker.sock ]; }; then
    command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
    command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  fi
  command -v docker >/dev/null 2>&1 || need+=(docker.io)
  { command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1; } || need+=(docker-compose)
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: missing ${need[*]}; install them (Debian/Ubuntu: sudo apt-get install -y ${need[*]}; macOS: brew install redis postgresql@15)" >&2
    exit 3
  fi
fi

if [ -L node_modules ]; then
  echo "setup: node_modules is a link to another checkout's install: leaving it alone (run npm ci there)"
elif [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
if ! node_modules/.bin/node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  echo "setup: node_modules/.bin/node is not Node >= 22: run npm ci without --ignore-scripts" >&2
  exit 3
fi
if [ $examples = 1 ]; then
  lock=examples/targets/express-session/package-lock.json
  if [ ! -d examples/targets/express-session/node_modules ] || [ $lock -nt examples/targets/express-session/node_modules/.package-lock.json ]; then
    echo "setup: npm ci in examples/targets/express-session"
    (cd examples/targets/express-session && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
echo "setup: ready (node $(node_modules/.bin/node --version), $(redis-server --version | grep -o 'v=[^ ]*'))"
