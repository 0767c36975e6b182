#!/bin/sh
# wasi-test.sh runs the engine packages' tests compiled to WebAssembly
# (GOOS=wasip1 GOARCH=wasm) in wazero, the runtime the lotse CLI uses, via
# "go test -exec" and internal/wasirun.
#
#	scripts/wasi-test.sh              # the engine packages (below)
#	scripts/wasi-test.sh ./pii/ -v    # other packages and go test flags
#
# The engine packages are those the WebAssembly builds link: the root
# package, pii, the wasm glue and internal/ (except internal/wasirun, the
# host itself, and internal/convert, which converts the data sets with
# files outside the module).
set -eu
cd "$(dirname "$0")/.."

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT INT TERM
go build -o "$bin/wasirun" ./internal/wasirun

if [ $# -eq 0 ]; then
	set -- . ./pii/... ./wasm/internal/... $(go list ./internal/... | grep -v -e /internal/wasirun -e /internal/convert)
fi
GOOS=wasip1 GOARCH=wasm go test -exec "$bin/wasirun" "$@"
