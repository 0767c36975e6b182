//go:build !js

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/train"
)

// nodeScript drives engine.wasm through the JavaScript API of doc.go, with
// Go's wasm_exec.js, as the widget does. It prints one JSON line per
// result: {"ok": string} for a string, {"error": message} for an Error.
const nodeScript = `
const fs = require("fs");
require(process.argv[2]); // wasm_exec.js: defines globalThis.Go
const [wasm, model, texts] = process.argv.slice(3);
function out(r) {
  console.log(JSON.stringify(r instanceof Error ? {error: r.message} : {ok: r}));
}
(async () => {
  const go = new Go();
  const {instance} = await WebAssembly.instantiate(fs.readFileSync(wasm), go.importObject);
  go.run(instance); // not awaited: it settles only when the program exits
  out(lotse.version());
  out(lotse.reply("hallo"));             // before load: an Error
  out(lotse.load("not bytes"));          // wrong type: an Error
  out(lotse.load(new Uint8Array([1, 2])));  // not a model: an Error
  out(lotse.load(new Uint8Array(fs.readFileSync(model))));
  out(lotse.info());
  out(lotse.version());
  for (const t of JSON.parse(fs.readFileSync(texts, "utf8"))) out(lotse.reply(t));
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
`

// TestNode runs engine.wasm in Node.js and requires the replies to be the
// native engine's Reply JSON, byte for byte.
func TestNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the browser build is not exercised (apt-get install nodejs)")
	}
	dir := t.TempDir()
	wasm := filepath.Join(dir, "engine.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building engine.wasm: %v\n%s", err, o)
	}
	b, err := bot.Load("../../testdata/bots/demo/bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	model, _, err := train.Train(b, train.Options{})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"wann muss ich zahlen", "when is my payment due", "", "\xff bad utf-8", "<b>&</b> \"x\"\n",
		"meine IBAN ist DE89 3704 0044 0532 0130 00"}
	textsJSON, _ := json.Marshal(texts)
	files := map[string][]byte{"model.lotse": model, "texts.json": textsJSON, "run.js": []byte(nodeScript)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(node, filepath.Join(dir, "run.js"), filepath.Join(goroot(t), "lib", "wasm", "wasm_exec.js"),
		wasm, filepath.Join(dir, "model.lotse"), filepath.Join(dir, "texts.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var results []struct{ OK, Error *string }
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct{ OK, Error *string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("node printed %q: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) != 7+len(texts) {
		t.Fatalf("node printed %d results, want %d:\n%s", len(results), 7+len(texts), out)
	}
	m, err := lotse.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	wantOK := func(i int, what, want string) {
		t.Helper()
		if r := results[i]; r.OK == nil || *r.OK != want {
			t.Errorf("%s = %+v\nwant %s", what, deref(r.OK, r.Error), want)
		}
	}
	wantErr := func(i int, what, want string) {
		t.Helper()
		if r := results[i]; r.Error == nil || !strings.Contains(*r.Error, want) {
			t.Errorf("%s = %s, want an Error containing %q", what, deref(r.OK, r.Error), want)
		}
	}
	wantOK(0, "lotse.version() before load", `{"engine":"`+lotse.Version+`","model":null}`)
	wantErr(1, "lotse.reply before load", "no model loaded")
	wantErr(2, `lotse.load("not bytes")`, "Uint8Array")
	wantErr(3, "lotse.load of two bytes", "lotse.load: ")
	info, _ := json.Marshal(m.Info()) // encoding/json as the reference
	wantOK(4, "lotse.load(model)", string(info))
	wantOK(5, "lotse.info()", string(info))
	if r := results[6]; r.OK == nil || !strings.Contains(*r.OK, `"name":"`+m.Info().Name+`"`) {
		t.Errorf("lotse.version() after load = %s, want the model's name", deref(r.OK, r.Error))
	}
	for i, text := range texts {
		wantOK(7+i, "lotse.reply("+strings.ToValidUTF8(text, "?")+")", string(m.Reply(text).AppendJSON(nil)))
	}
}

func deref(ok, err *string) string {
	switch {
	case ok != nil:
		return *ok
	case err != nil:
		return "Error: " + *err
	}
	return "undefined"
}

// goroot asks the go command (first on PATH under go test) for its GOROOT,
// whose wasm_exec.js must match the compiler that built engine.wasm.
func goroot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}
