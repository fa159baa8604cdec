#!/usr/bin/env bash
# Builds the local images (no registry needed) into the engine at DOCKER_HOST, from Debian packages and this checkout:
#   cachequake.local/redis:7.0.15          Debian's redis-server 7.0.15
#   cachequake.local/postgres:15           Debian's PostgreSQL 15, the official image's POSTGRES_* first-start contract
#   cachequake.local/toxiproxy:2.12.0      cachequake's Toxiproxy 2.12-compatible server on the pinned Node binary
#   cachequake.local/node:24               the pinned Node binary (node_modules/node)
#   cachequake.local/session-service:dev   targets/session-service with its production dependencies
# Usage: scripts/docker-images.sh [name…]   (default: all). One debootstrap minbase rootfs (cached under
# .cache/images/) is shared by all of them; an image whose inputs are unchanged (label cachequake.hash) is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${CACHEQUAKE_IMAGES_DIR:-$PWD/.cache/images}"
suite=bookworm
mkdir -p "$cache"
# one build at a time per cache: .ci/run starts a build in the background and the Docker tests' own call then waits
# here and finds the images current
exec 9>"$cache/.build.lock"
flock 9
command -v docker >/dev/null || { echo "docker-images: no docker client" >&2; exit 3; }
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
  { echo "docker-images: no engine answers (run: eval \$(scripts/docker-local.sh start) first)" >&2; exit 3; }

mirror() { # the machine's own Debian mirror, from its apt sources
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -oE 'https?://[^ ]*/debian/?' | grep -v security | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# The shared minbase rootfs, made once (apt lists kept so packages can be added in a copy).
base_rootfs() {
  local base="$cache/base-$suite"
  if [ ! -f "$base/.complete" ]; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    rm -rf "$base"
    echo "docker-images: debootstrap --variant=minbase $suite from $(mirror)" >&2
    debootstrap --variant=minbase "$suite" "$base" "$(mirror)" >"$cache/debootstrap.log" 2>&1 ||
      { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
    # services are never started inside the rootfs
    printf '#!/bin/sh\nexit 101\n' >"$base/usr/sbin/policy-rc.d" && chmod +x "$base/usr/sbin/policy-rc.d"
    touch "$base/.complete"
  fi
  echo "$base"
}

# A copy of the base with Debian packages added, docs and caches removed: $1 = dir, rest = packages.
rootfs_with() {
  local dir="$1"
  shift
  rm -rf "$dir"
  cp -a "$(base_rootfs)" "$dir"
  if [ $# -gt 0 ]; then
    chroot "$dir" apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get install -y -qq --no-install-recommends "$@" \
      >"$cache/apt-$(basename "$dir").log" 2>&1 || { tail -20 "$cache/apt-$(basename "$dir").log" >&2; exit 1; }
  fi
  chroot "$dir" apt-get clean
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
    "$dir"/usr/share/locale/* "$dir"/var/cache/debconf/*-old "$dir"/var/log/* "$dir/.complete"
}

# The hash of an image's inputs: this script, its helpers, and the files named.
inputs_hash() {
  { cat "$0" scripts/docker-images/*; for f in "$@"; do find "$f" -type f -print0 | sort -z | xargs -0 sha256sum; done; } |
    sha256sum | cut -c1-16
}

current() { # $1 image, $2 hash → 0 when the image exists with that hash
  [ "$(docker image inspect "$1" --format '{{index .Config.Labels "cachequake.hash"}}' 2>/dev/null)" = "$2" ]
}

import_rootfs() { # $1 dir, $2 image, $3 hash, rest: --change instructions
  local dir="$1" image="$2" hash="$3"
  shift 3
  local changes=(--change "LABEL cachequake.hash=$hash" --change "LABEL cachequake.local=true")
  for c in "$@"; do changes+=(--change "$c"); done
  tar -C "$dir" --numeric-owner -c . | docker import "${changes[@]}" - "$image" >/dev/null
  rm -rf "$dir"
  echo "docker-images: built $image ($(docker image inspect "$image" --format '{{.Size}}' | awk '{printf "%d MB", $1/1e6}'))" >&2
}

node_rootfs() { # $1 dir: the base with the pinned node binary
  rootfs_with "$1"
  install -m 755 node_modules/node/bin/node "$1/usr/local/bin/node"
}

build() {
  local name="$1" image hash dir="$cache/rootfs-$1"
  case "$name" in
    redis)
      image=cachequake.local/redis:7.0.15
      hash=$(inputs_hash)
      current "$image" "$hash" && return 0
      rootfs_with "$dir" redis-server
      mkdir -p "$dir/data" "$dir/usr/local/etc/redis"
      import_rootfs "$dir" "$image" "$hash" 'WORKDIR /data' 'EXPOSE 6379' 'CMD ["redis-server", "--protected-mode", "no"]'
      ;;
    postgres)
      image=cachequake.local/postgres:15
      hash=$(inputs_hash)
      current "$image" "$hash" && return 0
      rootfs_with "$dir" postgresql-15
      # the package's own cluster is not used: the entrypoint makes one in $PGDATA at first start
      rm -rf "$dir/var/lib/postgresql/15" "$dir/etc/postgresql/15"
      # no JIT (LLVM is most of the size; postgres runs without it when llvmjit.so is absent)
      rm -rf "$dir"/usr/lib/x86_64-linux-gnu/libLLVM* "$dir"/usr/lib/postgresql/15/lib/llvmjit* \
        "$dir"/usr/lib/postgresql/15/lib/bitcode
      install -m 755 scripts/docker-images/postgres-entrypoint.sh "$dir/usr/local/bin/docker-entrypoint.sh"
      import_rootfs "$dir" "$image" "$hash" \
        'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        'ENV PGDATA=/var/lib/postgresql/data' 'EXPOSE 5432' \
        'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' 'CMD ["postgres"]'
      ;;
    node)
      image=cachequake.local/node:24
      hash=$(inputs_hash node_modules/node/bin/node)
      current "$image" "$hash" && return 0
      node_rootfs "$dir"
      import_rootfs "$dir" "$image" "$hash" 'CMD ["node"]'
      ;;
    toxiproxy)
      image=cachequake.local/toxiproxy:2.12.0
      hash=$(inputs_hash node_modules/node/bin/node src package.json)
      current "$image" "$hash" && return 0
      node_rootfs "$dir"
      local app="$dir/opt/cachequake"
      mkdir -p "$app/scripts/docker-images"
      cp -r src package.json "$app/"
      cp scripts/docker-images/toxiproxy-server.ts "$app/scripts/docker-images/"
      node_modules/.bin/node scripts/docker-images/package-closure.mjs yaml zod |
        while read -r d; do mkdir -p "$app/$(dirname "$d")" && cp -r "$d" "$app/$d"; done
      import_rootfs "$dir" "$image" "$hash" 'EXPOSE 8474' \
        'ENTRYPOINT ["/usr/local/bin/node", "/opt/cachequake/scripts/docker-images/toxiproxy-server.ts"]' \
        'CMD ["-host=0.0.0.0"]'
      ;;
    session-service)
      image=cachequake.local/session-service:dev
      hash=$(inputs_hash node_modules/node/bin/node targets/session-service package-lock.json)
      current "$image" "$hash" && return 0
      node_rootfs "$dir"
      local app="$dir/app"
      mkdir -p "$app/targets"
      cp package.json "$app/"
      cp -r targets/session-service "$app/targets/"
      node_modules/.bin/node scripts/docker-images/package-closure.mjs fastify ioredis opossum pg prom-client |
        while read -r d; do mkdir -p "$app/$(dirname "$d")" && cp -r "$d" "$app/$d"; done
      chroot "$dir" useradd --system --no-create-home node 2>/dev/null || true
      import_rootfs "$dir" "$image" "$hash" 'ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000' \
        'WORKDIR /app/targets/session-service' 'USER node' 'EXPOSE 3000' 'CMD ["node", "server.js"]'
      ;;
    *)
      echo "docker-images: unknown image $name (redis, postgres, toxiproxy, node, session-service)" >&2
      exit 2
      ;;
  esac
}

names=("$@")
[ ${#names[@]} -eq 0 ] && names=(redis postgres toxiproxy node session-service)
for n in "${names[@]}"; do build "$n"; done
