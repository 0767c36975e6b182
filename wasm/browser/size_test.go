//go:build !js

package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/train"
)

// The download budget of issue 4: engine.wasm and the demo model,
// brotli-compressed.
const budget = 1200 << 10

// BenchmarkSize builds engine.wasm as make wasm does and reports the
// download a visitor's browser makes: engine.wasm and the demo bot's model,
// raw, gzip -9 and brotli -q 11 (when the brotli command is installed),
// then logs the largest packages of engine.wasm by code size.
// It measures once, whatever b.N is.
func BenchmarkSize(b *testing.B) {
	dir := b.TempDir()
	wasm := filepath.Join(dir, "engine.wasm")
	// Built twice: stripped as shipped, and with symbols for the breakdown.
	build(b, wasm, "-s -w")
	syms := filepath.Join(dir, "engine.syms.wasm")
	build(b, syms, "")

	engine, err := os.ReadFile(wasm)
	if err != nil {
		b.Fatal(err)
	}
	bt, err := bot.Load("../../testdata/bots/demo/bot.yaml")
	if err != nil {
		b.Fatal(err)
	}
	model, _, err := train.Train(bt, train.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for range b.N { // the sizes are the result; the loop only satisfies testing.B
	}
	total := 0
	for _, f := range []struct {
		name string
		data []byte
	}{{"engine", engine}, {"model", model}} {
		b.ReportMetric(float64(len(f.data))/1024, f.name+"-KiB")
		b.ReportMetric(float64(gzipSize(b, f.data))/1024, f.name+"-gzip-KiB")
		if n, ok := brotliSize(b, f.data); ok {
			b.ReportMetric(float64(n)/1024, f.name+"-br-KiB")
			total += n
		}
	}
	if total > 0 {
		b.ReportMetric(float64(total)/1024, "total-br-KiB")
		if total > budget {
			b.Logf("engine.wasm + demo model brotli = %d KiB: over the %d KiB budget", total>>10, budget>>10)
		}
	} else {
		b.Log("brotli is not installed (apt-get install brotli): no brotli sizes")
	}
	// Printed, not logged: go test -bench cuts benchmark logs at 10 lines.
	fmt.Printf("largest packages of engine.wasm (function bodies by package, from the name section):\n%s\n", packageSizes(b, syms, 20))
}

// build builds this package for GOOS=js into out.
func build(b *testing.B, out, ldflags string) {
	b.Helper()
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags="+ldflags, "-o", out, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if o, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building engine.wasm: %v\n%s", err, o)
	}
}

func gzipSize(b *testing.B, data []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(data)
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Len()
}

// brotliSize compresses data with the brotli command at its best quality,
// as a CDN would serve it; ok is false when brotli is not installed.
func brotliSize(b *testing.B, data []byte) (n int, ok bool) {
	if _, err := exec.LookPath("brotli"); err != nil {
		return 0, false
	}
	cmd := exec.Command("brotli", "-c", "-q", "11")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("brotli: %v", err)
	}
	return len(out), true
}

// packageSizes sums the code size of the functions in wasm (built with
// symbols) by package and returns the top n as a table. go tool nm cannot
// read WebAssembly, so the function names come from the module's "name"
// section and the sizes from its code section; data segments are listed
// as one line.
func packageSizes(b *testing.B, wasm string, n int) string {
	data, err := os.ReadFile(wasm)
	if err != nil {
		b.Fatal(err)
	}
	funcs, dataSize, err := functionSizes(data)
	if err != nil {
		b.Fatalf("reading %s: %v", wasm, err)
	}
	sizes := map[string]int{"(data segments)": dataSize}
	all := dataSize
	for name, size := range funcs {
		sizes[symbolPackage(name)] += size
		all += size
	}
	type pkg struct {
		name string
		size int
	}
	var pkgs []pkg
	for name, size := range sizes {
		pkgs = append(pkgs, pkg{name, size})
	}
	slices.SortFunc(pkgs, func(a, b pkg) int { return cmp.Or(b.size-a.size, strings.Compare(a.name, b.name)) })
	var sb strings.Builder
	for _, p := range pkgs[:min(n, len(pkgs))] {
		fmt.Fprintf(&sb, "%9d  %5.1f%%  %s\n", p.size, 100*float64(p.size)/float64(all), p.name)
	}
	fmt.Fprintf(&sb, "%9d  100.0%%  all %d packages", all, len(pkgs))
	return sb.String()
}

// functionSizes returns the body size of every defined function of a
// WebAssembly module by name, and the total size of its data segments.
func functionSizes(m []byte) (map[string]int, int, error) {
	if len(m) < 8 || string(m[:4]) != "\x00asm" {
		return nil, 0, errors.New("not a WebAssembly module")
	}
	r := &wasmReader{b: m[8:]}
	imported := 0
	var bodies []int
	names := map[int]string{}
	dataSize := 0
	for len(r.b) > 0 && r.err == nil {
		id := r.byte()
		sec := &wasmReader{b: r.bytes(int(r.u32()))}
		switch id {
		case 2: // imports: count the imported functions, which come first in the index space
			for range sec.u32() {
				sec.bytes(int(sec.u32())) // module
				sec.bytes(int(sec.u32())) // name
				switch kind := sec.byte(); kind {
				case 0:
					sec.u32()
					imported++
				case 1: // table: reftype, limits
					sec.byte()
					sec.limits()
				case 2:
					sec.limits()
				case 3:
					sec.byte()
					sec.byte()
				}
			}
		case 10: // code
			for range sec.u32() {
				size := int(sec.u32())
				sec.bytes(size)
				bodies = append(bodies, size)
			}
		case 11: // data
			dataSize = len(sec.b)
		case 0: // custom
			if string(sec.bytes(int(sec.u32()))) != "name" {
				continue
			}
			for len(sec.b) > 0 && sec.err == nil {
				sub := sec.byte()
				body := &wasmReader{b: sec.bytes(int(sec.u32()))}
				if sub != 1 { // function names
					continue
				}
				for range body.u32() {
					idx := int(body.u32())
					names[idx] = string(body.bytes(int(body.u32())))
				}
			}
			r.err = cmp.Or(r.err, sec.err)
		}
		r.err = cmp.Or(r.err, sec.err)
	}
	if r.err != nil {
		return nil, 0, r.err
	}
	if len(names) == 0 {
		return nil, 0, errors.New("no name section: build without -ldflags=-s")
	}
	sizes := map[string]int{}
	for i, size := range bodies {
		sizes[cmp.Or(names[imported+i], "(unnamed)")] += size
	}
	return sizes, dataSize, nil
}

// wasmReader reads the WebAssembly binary format; the first error sticks.
type wasmReader struct {
	b   []byte
	err error
}

func (r *wasmReader) byte() byte {
	if len(r.b) == 0 {
		r.err = cmp.Or(r.err, errors.New("unexpected end of module"))
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *wasmReader) bytes(n int) []byte {
	if n > len(r.b) {
		r.err = cmp.Or(r.err, errors.New("unexpected end of module"))
		n = len(r.b)
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

// u32 reads an unsigned LEB128 number.
func (r *wasmReader) u32() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint32(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	return v
}

func (r *wasmReader) limits() {
	if r.byte()&1 != 0 {
		r.u32()
	}
	r.u32()
}

// symbolPackage is the package of a function name in the name section,
// where the linker has replaced "/", "-", "(" and "*" by "_", as in
// "github.com_lotse_chat_lotse_pii.ibanValid" or "internal_strconv.fmtE":
// everything before the first dot that follows the host name, if any.
func symbolPackage(name string) string {
	skip := 0
	for _, host := range []string{"github.com_", "golang.org_", "gopkg.in_", "google.golang.org_"} {
		if strings.HasPrefix(name, host) {
			skip = len(host)
			break
		}
	}
	if i := strings.IndexByte(name[skip:], '.'); i >= 0 {
		return name[:skip+i]
	}
	return name
}

func TestSymbolPackage(t *testing.T) {
	tests := map[string]string{
		"runtime.mallocgc":                           "runtime",
		"github.com_lotse_chat_lotse.__Model_.Reply": "github.com_lotse_chat_lotse",
		"github.com_lotse_chat_lotse_pii.ibanValid":  "github.com_lotse_chat_lotse_pii",
		"golang.org_x_text_unicode_norm.init":        "golang.org_x_text_unicode_norm",
		"internal_strconv.__decimal_.Assign":         "internal_strconv",
		"type_.eq.sync_atomic.Bool":                  "type_",
		"wasm_export_run":                            "wasm_export_run",
	}
	for sym, want := range tests {
		if got := symbolPackage(sym); got != want {
			t.Errorf("symbolPackage(%q) = %q, want %q", sym, got, want)
		}
	}
}
