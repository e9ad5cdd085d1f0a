#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server on 127.0.0.1:${PGPORT:-55432} with its data in a temp
# folder (trust authentication, loopback only) and prints its connection string. As root it installs
# Debian's postgresql when missing and runs the server as the postgres user (PostgreSQL refuses
# root). Stop it with: pg_ctl -D <folder> stop (the folder is printed on stderr).
set -euo pipefail
port="${PGPORT:-55432}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostgreSQL…" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL is not installed" >&2
    exit 1
  fi
fi
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
data=$(mktemp -d /tmp/klaviyo-pg.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres "$data"
"${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=off -c max_connections=300" start >/dev/null
echo "PostgreSQL on 127.0.0.1:$port, data in $data" >&2
echo "Host=127.0.0.1;Port=$port;Username=postgres"
