#!/bin/sh
# Builds the edge Worker into build/worker/ (the directory wrangler.toml's
# main points into). Run from anywhere; wrangler runs it as [build] command.
#
#   build/worker/worker.mjs   the glue: one Go instance per isolate
#   build/worker/gostart.mjs  starts Go in the global scope (used by worker.mjs
#                             and edge/e2e/cpu.mjs)
#   build/worker/serve.mjs    hands a request to Go (worker.mjs, cpu.mjs)
#   build/worker/wasm_exec.js Go's own JS support file, matching the compiler
#   build/worker/app.wasm     edge/worker compiled with GOOS=js GOARCH=wasm
#
# BOT (default testdata/bots/demo) is the bot trained into the Worker.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bot=${BOT:-testdata/bots/demo}
out=build/worker
assets=edge/worker/assets

# put SRC DEST: copy only when the content differs, so that file watchers
# (wrangler dev) are not woken by a rebuild that changed nothing.
put() { cmp -s "$1" "$2" || cp "$1" "$2"; }

mkdir -p "$assets" "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/lotse train "$bot" -o "$tmp/model.lotse" >/dev/null
put "$tmp/model.lotse" "$assets/model.lotse"
# Small browser assets, served by the Worker when present (the Worker
# bundle counts against Cloudflare's 3 MB limit, so engine.wasm is not
# embedded).
put "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$assets/wasm_exec.js"
if [ -f widget/widget.js ]; then put widget/widget.js "$assets/widget.js"; fi

GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/app.wasm" ./edge/worker
put "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
put edge/worker/worker.mjs "$out/worker.mjs"
put edge/worker/gostart.mjs "$out/gostart.mjs"
put edge/worker/serve.mjs "$out/serve.mjs"
raw=$(wc -c <"$out/app.wasm")
gz=$(gzip -9 -c "$out/app.wasm" | wc -c)
echo "edge worker: $out/app.wasm $raw bytes ($gz gzip)"
