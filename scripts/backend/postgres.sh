#!/bin/sh
# postgres.sh starts a throwaway PostgreSQL server on loopback for the
# backend's tests and benchmarks, and prints the DSN to use:
#
#	eval "$(scripts/backend/postgres.sh)"   # sets LOTSE_TEST_POSTGRES_DSN
#	go test ./backend/...
#	scripts/backend/postgres.sh stop
#
# It installs Debian's postgresql when no server binaries are found, keeps
# the cluster in $LOTSE_PG_DIR (default /tmp/lotse-pg), listens only on
# 127.0.0.1:$LOTSE_PG_PORT (default 55432) and a socket in that directory,
# and creates the database "lotse". Running it again reuses a running server.
# It also prints LOTSE_PG_STARTED=1 when it started the server and
# LOTSE_PG_STARTED=0 when one was running already, so that a caller stops
# only a server of its own (make test-go does):
#
#	[ "$LOTSE_PG_STARTED" = 1 ] && scripts/backend/postgres.sh stop
#
# Authentication is "trust" because the server is reachable only from this
# machine and holds test data; never point it at real conversations.
# Run as root (CI) or as an ordinary user; as root the server runs as the
# "postgres" user, because PostgreSQL refuses to run as root.
set -eu

dir=${LOTSE_PG_DIR:-/tmp/lotse-pg}
port=${LOTSE_PG_PORT:-55432}
db=lotse

log() { echo "postgres.sh: $*" >&2; }

bindir() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin=$(bindir)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
	if [ "$(id -u)" != 0 ]; then
		log "PostgreSQL is not installed; run as root or: apt-get install -y postgresql"
		exit 1
	fi
	log "installing Debian postgresql"
	apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
	bin=$(bindir)
fi

# as runs a command as the server's owner.
if [ "$(id -u)" = 0 ]; then
	owner=postgres
	as() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as() { "$@"; }
fi

stop() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		log "stopping server on 127.0.0.1:$port"
		as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
	fi
}

if [ "${1:-}" = stop ]; then
	stop
	exit 0
fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
	log "creating cluster in $dir/data"
	mkdir -p "$dir"
	chown "$owner" "$dir"
	as "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >&2
fi

started=0
if ! as "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
	log "starting server on 127.0.0.1:$port"
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >&2
	started=1
	# Should a step below fail, the caller gets no LOTSE_PG_STARTED and
	# could not tell that this server is its to stop.
	trap 'rc=$?; [ "$rc" = 0 ] || stop; exit "$rc"' EXIT
fi

if ! as "$bin/psql" -h "$dir" -p "$port" -U postgres -Atqc "select 1 from pg_database where datname='$db'" postgres | grep -q 1; then
	as "$bin/createdb" -h "$dir" -p "$port" -U postgres "$db"
fi

echo "export LOTSE_TEST_POSTGRES_DSN='postgres://postgres@127.0.0.1:$port/$db?sslmode=disable'"
echo "LOTSE_PG_STARTED=$started"
