# Lotse build and test entry points. `make test` is the one command that
# runs every test; .ci/run runs exactly that.

GO      ?= go
BUILD   := build
GOFLAGS_WASM := -trimpath -ldflags="-s -w"

.PHONY: all build wasm serve test test-go bench fuzz testdata clean

all: build

## build: the lotse binary (with the WASI engine embedded) and the browser engine
build: wasm
	$(GO) build -o $(BUILD)/lotse ./cmd/lotse

## serve: start edge, backend, console and demo page on the demo bot
serve: wasm
	$(GO) run ./cmd/lotse serve

## test: every test — Go unit and integration tests, engine under WASI,
## backend on PostgreSQL, the Worker under wrangler dev, the widget in Chromium
test: test-go

test-go:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

## bench: accuracy, size and speed on the benchmarks, beside the peers
bench: build
	$(BUILD)/lotse bench

## fuzz: each fuzz target for 60 s
fuzz:
	$(GO) test ./bot/ -run='^$$' -fuzz=FuzzParse -fuzztime=60s
	$(GO) test ./internal/modelfile/ -run='^$$' -fuzz=FuzzDecode -fuzztime=60s
	$(GO) test ./pii/ -run='^$$' -fuzz=FuzzDetect -fuzztime=60s

## testdata: regenerate the converted benchmarks and the PII set
testdata:
	$(GO) run ./internal/convert -shared ../shared/datasets -out testdata
	$(GO) run ./internal/piigen

clean:
	rm -rf $(BUILD)
