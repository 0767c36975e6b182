package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	lotse "github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/backend"
	"github.com/lotse-chat/lotse/edge"
	"github.com/lotse-chat/lotse/internal/wording"
	"github.com/lotse-chat/lotse/train"
	"github.com/lotse-chat/lotse/widget"
)

// modelAsset is the name the widget fetches the model by.
const modelAsset = "model.lotse"

func runServe(args []string, stdout, stderr io.Writer) error {
	flags := newFlags("serve", "[--addr HOST:PORT] [--bot BOT] [--db FILE | --postgres DSN] [--agent-token T] [--allowed-origins LIST] [--allowed-hosts LIST] [--assets DIR] [--widget DIR] [--log-level LEVEL]\n\n"+
		"lotse serve answers only requests for localhost, an IP address, the host of --addr and the names\n"+
		"in --allowed-hosts, and refuses others with 403: a page elsewhere must not reach it by pointing\n"+
		"a name of its own at this machine (DNS rebinding). Bound to 0.0.0.0 or another interface, it is\n"+
		"reached by IP address as it is; to reach it by a name, list the name in --allowed-hosts.", stdout, stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "listen address; 0.0.0.0:8080 for every interface (reached by name: add --allowed-hosts)")
	botPath := flags.String("bot", "testdata/bots/demo", "bot file or directory, trained at start-up")
	db := flags.String("db", "lotse.db", "SQLite database file (created if missing)")
	pg := flags.String("postgres", os.Getenv("LOTSE_POSTGRES_DSN"), "PostgreSQL DSN; used instead of --db when set (env LOTSE_POSTGRES_DSN)")
	token := flags.String("agent-token", os.Getenv("LOTSE_AGENT_TOKEN"), "agents' console password and API bearer token, at least 8 characters (env LOTSE_AGENT_TOKEN); generated and printed when unset")
	origins := flags.String("allowed-origins", os.Getenv("LOTSE_ALLOWED_ORIGINS"), "comma-separated web origins besides this server's own whose pages may embed the widget, e.g. http://localhost:3000 (env LOTSE_ALLOWED_ORIGINS)")
	hosts := flags.String("allowed-hosts", os.Getenv("LOTSE_ALLOWED_HOSTS"), "comma-separated host names besides localhost and IP addresses that browsers reach this server by, e.g. chat.example.lan; requests for other names get 403 (env LOTSE_ALLOWED_HOSTS)")
	assets := flags.String("assets", "build", "directory with the browser engine (engine.wasm, wasm_exec.js from make wasm)")
	widgetDir := flags.String("widget", "widget", "directory with widget.js and the demo page")
	logLevel := flags.String("log-level", "info", "log level: debug, info, warn or error")
	if err := parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "lotse serve: unexpected argument %q\n", flags.Arg(0))
		flags.Usage()
		return errUsage
	}
	log, err := newLogger(*logLevel, stderr)
	if err != nil {
		return err
	}
	names, err := parseAllowedHosts(*hosts, *addr)
	if err != nil {
		return usageError(flags, "%v", err)
	}
	shown := "from --agent-token or LOTSE_AGENT_TOKEN" // a token the operator chose stays out of the output
	if *token == "" {
		*token = hex.EncodeToString(randomBytes(16))
		shown = *token
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	origin := "http://" + ln.Addr().String()
	h, back, err := newServeHandler(serveConfig{
		origin: origin, origins: edge.ParseOrigins(*origins), hosts: names, bot: *botPath, db: *db, postgres: *pg, token: *token,
		assets: *assets, widget: *widgetDir, log: log,
	}, stdout)
	if err != nil {
		ln.Close()
		return err
	}
	defer back.Close()
	printServeURLs(stdout, origin, shown, *db, *pg != "")
	return serveUntilSignal(ln, h, log, back.EndStreams)
}

// serveConfig is what lotse serve composes.
type serveConfig struct {
	origin                string   // where the server is reached, http://host:port
	origins               []string // other origins whose pages may embed the widget
	hosts                 []string // names besides localhost that requests may be for
	bot, db, postgres     string
	token, assets, widget string
	log                   *slog.Logger
}

// newServeHandler trains the bot and builds the one-origin handler of lotse
// serve: edge, backend, console, assets and demo page, behind the Host
// guard (servehost.go). back is the backend inside: its Close releases the
// database, and its EndStreams ends the event streams at shutdown.
func newServeHandler(c serveConfig, stdout io.Writer) (h http.Handler, back *backend.Server, err error) {
	model, data, err := trainBot(c.bot, stdout)
	if err != nil {
		return nil, nil, err
	}
	// The edge signs handoffs for the backend as it would across the
	// internet; in one process a fresh secret per run is enough.
	secret := "whsec_" + base64.StdEncoding.EncodeToString(randomBytes(24))
	bcfg := backend.Config{Secret: secret, AgentToken: c.token, Logger: c.log, PostgresDSN: c.postgres}
	if c.postgres == "" {
		bcfg.SQLitePath = c.db
	}
	back, err = backend.New(bcfg)
	if err != nil {
		return nil, nil, err
	}
	// The directories given (relative to the working directory), then the
	// widget built into the binary and the engine next to it: build/lotse
	// serve run from a bot's own folder still serves the whole thing.
	dirs := []fs.FS{os.DirFS(c.widget), os.DirFS(c.assets), widget.Files}
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, os.DirFS(filepath.Dir(exe)))
	}
	files := layers{extra: map[string][]byte{modelAsset: data}, dirs: dirs}
	edgeH, err := edge.New(edge.Config{
		Model: model, BackendURL: c.origin + backendPrefix, Secret: secret,
		AllowedOrigins: append([]string{c.origin}, c.origins...), Assets: files, Logger: c.log,
		// One visitor on localhost plus the browser tests: the edge's
		// per-client limit is for the internet, not for the demo.
		RateLimit: edge.Rate{Burst: 600, Per: time.Minute},
	})
	if err != nil {
		back.Close()
		return nil, nil, err
	}
	if _, err := fs.Stat(files, "engine.wasm"); err != nil {
		fmt.Fprintf(stdout, "note: no engine.wasm in %s or beside the lotse binary (run make wasm): the widget answers through the edge only\n", c.assets)
	}
	return guardHosts(serveMux(edgeH, back, files), c.hosts, c.log), back, nil
}

// backendPrefix is where lotse serve mounts the backend's own API, so that
// its /v1/... routes do not collide with the edge's.
const backendPrefix = "/backend"

// serveMux routes one origin the way a deployment splits hosts: the edge
// answers the widget (/v1/..., assets), the backend takes handoffs under
// /backend and serves the console.
func serveMux(edgeH http.Handler, back *backend.Server, files fs.FS) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(backendPrefix+"/", http.StripPrefix(backendPrefix, back.Handler()))
	mux.Handle("/console", back.Handler())
	mux.Handle("/console/", back.Handler())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page, err := fs.ReadFile(files, "demo.html")
		if err != nil {
			http.Error(w, "demo page missing: widget/demo.html", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.Handle("/", edgeH)
	return mux
}

// trainBot loads and trains the bot at path, and tells the author what
// lotse train would: the summary and the warnings (a bot without a
// threshold or out-of-scope class answers every message, gibberish
// included; one tried out in serve must not seem fine).
func trainBot(path string, stdout io.Writer) (*lotse.Model, []byte, error) {
	b, err := loadBot(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%w\n(lotse serve trains the demo bot from testdata/bots/demo: run it from the repository root, or pass --bot)", err)
	}
	if err != nil {
		return nil, nil, err
	}
	data, rep, err := train.Train(b, train.Options{})
	if err != nil {
		return nil, nil, err
	}
	model, err := lotse.Load(data)
	if err != nil {
		return nil, nil, err
	}
	if b.LanguageDetected {
		fmt.Fprintf(stdout, "note: %s\n", detectedLanguageNote(b))
	}
	fmt.Fprintf(stdout, "trained %s (%s): %s, %s in %s\n", b.Name, filepath.Clean(path), wording.Plural(rep.Intents, "intent"), examplesText(rep), rep.Duration.Round(time.Millisecond))
	printSummary(stdout, b, rep, train.DefaultRejectBudget, false)
	for _, w := range warnings(b, rep) {
		fmt.Fprintf(stdout, "warning: %s\n", w)
	}
	return model, data, nil
}

func printServeURLs(w io.Writer, origin, token, db string, postgres bool) {
	store := "SQLite " + db
	if postgres {
		store = "PostgreSQL"
	}
	fmt.Fprintf(w, `lotse serve on %[1]s (%[3]s)
  demo page   %[1]s/
  console     %[1]s/console/  (agent token: %[2]s)
  health      %[1]s/v1/health
Press Ctrl-C to stop.
`, origin, token, store)
}

// layers is a read-only file system: in-memory files first, then each
// directory in order, of the names in served only: the directories hold
// more (the widget's tests and README, the lotse binary in build/), which
// the public must not get. Missing directories are skipped, so lotse serve
// runs before make wasm, answering through the edge only.
type layers struct {
	extra map[string][]byte
	dirs  []fs.FS
}

// served are the files of the directories that lotse serve publishes: the
// widget, its demo page and the browser engine.
var served = map[string]bool{"widget.js": true, "demo.html": true, "engine.wasm": true, "wasm_exec.js": true}

// ReadFile implements fs.ReadFileFS.
func (l layers) ReadFile(name string) ([]byte, error) {
	if b, ok := l.extra[name]; ok {
		return b, nil
	}
	if !served[name] {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	for _, d := range l.dirs {
		if b, err := fs.ReadFile(d, name); err == nil {
			return b, nil
		}
	}
	return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

// Open implements fs.FS.
func (l layers) Open(name string) (fs.File, error) {
	if b, ok := l.extra[name]; ok {
		return &memFile{Reader: bytes.NewReader(b), name: name, size: int64(len(b))}, nil
	}
	if !served[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	for _, d := range l.dirs {
		if f, err := d.Open(name); err == nil {
			return f, nil
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// memFile is an in-memory file of layers.
type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Name() string               { return f.name }
func (f *memFile) Size() int64                { return f.size }
func (f *memFile) Mode() fs.FileMode          { return 0o444 }
func (f *memFile) ModTime() time.Time         { return time.Time{} }
func (f *memFile) IsDir() bool                { return false }
func (f *memFile) Sys() any                   { return nil }
