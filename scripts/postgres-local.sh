#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests, installing it from Debian's packages when it
# is missing, and prints the URL to reach it. Usage: eval "$(scripts/postgres-local.sh)"
# The server listens on a Unix socket and on 127.0.0.1:${PARENTALITE_PG_PORT:-54329} only.
set -euo pipefail
port=${PARENTALITE_PG_PORT:-54329}
racine=${PARENTALITE_PG_DIR:-/tmp/parentalite-pg}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "installing PostgreSQL from Debian's packages…" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# initdb and postgres refuse to run as root: use the postgres account when we are root.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$racine" postgres
  en() { runuser -u postgres -- "$@"; }
else
  en() { "$@"; }
fi

if ! en "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  mkdir -p "$racine"
  [ "$(id -u)" = 0 ] && chown postgres "$racine"
  if [ ! -f "$racine/data/PG_VERSION" ]; then
    en "$bin/initdb" -D "$racine/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  en "$bin/pg_ctl" -D "$racine/data" -l "$racine/log" -w -o "-p $port -k $racine -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
fi
echo "export PARENTALITE_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres"
