# Lotse build and test entry points. `make test` is the one command that
# runs every test; .ci/run runs exactly that.

GO    ?= go
BUILD := build
WASMFLAGS := -trimpath -ldflags="-s -w"

.PHONY: all help build wasm worker serve test deps test-go test-wasi test-runner \
	test-edge test-widget bench fuzz testdata clean

all: build

## help: this list
help:
	@sed -n 's/^## //p' Makefile

## build: the lotse binary, with the WASI engine embedded
build: wasm
	$(GO) build -buildvcs=auto -o $(BUILD)/lotse ./cmd/lotse

## wasm: the browser engine (build/engine.wasm + wasm_exec.js) and the
## WASI engine that lotse embeds (runner/embedded/module)
wasm:
	mkdir -p $(BUILD)
	GOOS=js GOARCH=wasm $(GO) build $(WASMFLAGS) -o $(BUILD)/engine.wasm ./wasm/browser
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(BUILD)/wasm_exec.js
	$(GO) generate ./runner/embedded
	cp runner/embedded/module/lotse.wasi.wasm $(BUILD)/lotse.wasi.wasm

## worker: the Cloudflare Worker (build/worker), as wrangler.toml builds it
worker:
	sh edge/worker/build.sh

## serve: edge, backend, console and demo page on the demo bot
serve: wasm
	$(GO) run ./cmd/lotse serve

## test: every test: Go unit and integration tests (backend on SQLite and
## a real PostgreSQL, the crash test, wasm parity), the engine under WASI,
## the 1,000,000-reply soak, the Worker under wrangler dev, the widget in
## Chromium.
test: deps build worker test-go test-wasi test-runner test-edge test-widget

## deps: the npm packages, Debian's chromium, postgresql and trans-de-en
deps:
	sh scripts/deps.sh

## test-go: vet and every Go test (PostgreSQL started when missing, and
## stopped again afterwards if this target started it)
#
# pg= first, because eval "$(a failing command)" succeeds. The EXIT trap
# stops the server if postgres.sh started it here, never one that was
# running already, whether the tests pass, fail or are interrupted; the
# recipe still exits with the tests' status. Every run holds a shared
# lock on $LOTSE_PG_DIR.lock while it uses the server, and the stop needs
# the lock alone: another run (CI and a clone on the same machine) may be
# using the server this one started. postgres.sh runs with the lock's fd
# closed, or the server it starts would hold the lock for ever.
test-go: worker
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./edge/worker ./wasm/browser
	GOOS=wasip1 GOARCH=wasm $(GO) vet ./wasm/wasi
	lock="$${LOTSE_PG_DIR:-/tmp/lotse-pg}.lock" && { [ -e "$$lock" ] || : >"$$lock"; } && exec 9<"$$lock" && flock -s 9 && \
	pg=$$(sh scripts/backend/postgres.sh 9>&-) && eval "$$pg" && \
	if [ "$${LOTSE_PG_STARTED:-}" = 1 ]; then \
		trap 'exec 9>&-; flock -n "$$lock" sh scripts/backend/postgres.sh stop || echo "PostgreSQL left running: another test run still uses it" >&2' EXIT; \
		trap 'exit 130' INT; trap 'exit 143' TERM; \
	fi && \
	LOTSE_CRASHTEST=1 $(GO) test -count=1 ./...

## test-wasi: the engine's tests compiled to wasip1, run by wazero
test-wasi:
	sh scripts/wasi-test.sh

## test-runner: wasm parity on every benchmark text, and the soak
test-runner:
	LOTSE_PARITY=full $(GO) test -count=1 ./runner -run TestParity
	LOTSE_SOAK=1 $(GO) test -count=1 -timeout 30m ./runner -run TestSoak

## test-edge: the Worker under wrangler dev
test-edge: deps worker
	node --test edge/worker/gostart_test.mjs
	$(GO) run ./edge/e2e -npm=false

## test-widget: the console's script in node, the widget in Chromium
test-widget: deps build
	node --test backend/console_test.mjs
	LOTSE_BIN=$(BUILD)/lotse LOTSE_ASSETS=$(BUILD) node --test widget/test/

## bench: accuracy, size and speed on the benchmarks, beside the peers;
## the Worker under wrangler dev; the widget in Chromium
bench: build worker
	$(BUILD)/lotse bench --engine native,wasm
	$(GO) test ./runner -run '^$$' -bench 'BenchmarkReply$$' -benchtime 20000x
	$(GO) test ./runner -run '^$$' -bench 'ColdStart' -benchtime 20x
	$(GO) test ./wasm/browser -run '^$$' -bench Size -benchtime 1x
	$(GO) test ./pii -run '^$$' -bench . -benchmem
	$(GO) run ./edge/e2e -npm=false -bench 1000
	node edge/e2e/cpu.mjs 6000
	LOTSE_BIN=$(BUILD)/lotse LOTSE_ASSETS=$(BUILD) node widget/test/bench.mjs

## fuzz: each fuzz target for 60 s
fuzz:
	$(GO) test ./bot/ -run='^$$' -fuzz=FuzzParse -fuzztime=60s
	$(GO) test ./internal/modelfile/ -run='^$$' -fuzz=FuzzDecode -fuzztime=60s
	$(GO) test ./pii/ -run='^$$' -fuzz=FuzzDetect -fuzztime=60s
	$(GO) test ./internal/tokenize/ -run='^$$' -fuzz=FuzzTokens -fuzztime=60s

## testdata: regenerate the converted benchmarks and the PII set
testdata:
	$(GO) run ./internal/convert -shared ../shared/datasets -out testdata
	$(GO) run ./internal/piigen

clean:
	rm -rf $(BUILD) runner/embedded/module/*.wasm edge/worker/assets
