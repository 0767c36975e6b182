#!/bin/sh
# bench.sh measures the backend on loopback: acknowledged handoffs per
# second and latency, with SQLite and (when LOTSE_TEST_POSTGRES_DSN is set,
# e.g. by eval "$(scripts/backend/postgres.sh)") with PostgreSQL.
#
#	scripts/backend/bench.sh [N [CONCURRENCY]]
set -eu
cd "$(dirname "$0")/../.."
n=${1:-20000}
c=${2:-32}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
go build -o "$tmp/lotse" ./cmd/lotse
go build -o "$tmp/loadbench" ./backend/internal/loadbench

# run LABEL DB-FLAGS...: start the backend, wait for its address, measure.
run() {
	label=$1
	shift
	"$tmp/lotse" backend --addr 127.0.0.1:0 --secret "$secret" --agent-token bench-token-123 --log-level error "$@" >"$tmp/out" &
	pid=$!
	addr=
	for _ in $(seq 100); do
		addr=$(sed -n 's|^lotse backend on http://\([^ ]*\).*|\1|p' "$tmp/out")
		[ -n "$addr" ] && break
		sleep 0.1
	done
	[ -n "$addr" ] || { echo "bench.sh: backend did not start" >&2; exit 1; }
	"$tmp/loadbench" --url "http://$addr" --secret "$secret" -n "$n" -c "$c" --label "$label"
	kill "$pid"
	wait "$pid" || true
	pid=
}

run sqlite --db "$tmp/bench.db"
if [ -n "${LOTSE_TEST_POSTGRES_DSN:-}" ]; then
	run postgres --postgres "$LOTSE_TEST_POSTGRES_DSN"
else
	echo "postgres   skipped: LOTSE_TEST_POSTGRES_DSN is unset" >&2
fi
