//go:build !js

// Command e2e tests the edge Worker end to end in workerd, as Cloudflare
// would run it, and benchmarks it.
//
// Run it from the repository root:
//
//	go run ./edge/e2e            # npm ci, wrangler dev, checks, deploy --dry-run
//	go run ./edge/e2e -bench 1000 # plus 1,000 sequential /v1/chat beside a JS baseline
//
// It installs wrangler with npm ci (unless -npm=false), starts the real
// backend package on loopback with a signature-checking wrapper, starts
// `npx wrangler dev` (local, offline, 127.0.0.1, a free port) with the
// backend's URL and a webhook secret, and checks: a FAQ answer, an
// out-of-scope handoff that arrives signed, a personal-data handoff whose
// text appears in no Worker log line, agent replies through the edge, CORS
// refusal, 413 and 429. Then it runs `npx wrangler deploy --dry-run` and
// prints the bundle size. It stops everything it started, also on failure
// or Ctrl-C. Exit status 0 means every check passed.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lotse-chat/lotse/backend"
	"github.com/lotse-chat/lotse/handoff"
)

const (
	secret  = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	origin  = "https://shop.example"
	iban    = "DE89370400440532013000"
	limit   = 20 // requests per minute per client in the e2e run
	maxBody = 8 << 10
)

func main() {
	npm := flag.Bool("npm", true, "run npm ci first")
	bench := flag.Int("bench", 0, "also send N sequential /v1/chat requests to the Worker and to a JS baseline")
	keep := flag.Bool("keep", false, "keep the temporary directory (logs, bundle)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r := &run{ctx: ctx}
	err := r.main(*npm, *bench)
	r.cleanup()
	if *keep || err != nil {
		fmt.Printf("e2e: files kept in %s\n", r.tmp)
	} else if r.tmp != "" {
		os.RemoveAll(r.tmp)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("e2e: PASS")
}

type run struct {
	ctx      context.Context
	tmp      string
	procs    []*exec.Cmd
	stops    []func()
	worker   string        // base URL of the Go Worker
	first    http.Header   // headers of the Go Worker's first response (a health check)
	workerLg *bytes.Buffer // wrangler dev's output for the Go Worker
	logMu    sync.Mutex
	backend  *backend.Server
	stopBack func()       // closes the backend's listener
	verified atomic.Int32 // inbox posts whose signature handoff.Verify accepted
	refused  atomic.Int32
	client   *http.Client
}

func (r *run) main(npm bool, bench int) error {
	var err error
	if r.tmp, err = os.MkdirTemp("", "lotse-e2e-"); err != nil {
		return err
	}
	if _, err := os.Stat("wrangler.toml"); err != nil {
		return errors.New("run from the repository root (wrangler.toml not found)")
	}
	r.client = &http.Client{Timeout: 30 * time.Second}
	if npm {
		if err := r.cmd("npm", "ci", "--no-audit", "--no-fund"); err != nil {
			return fmt.Errorf("npm ci: %w", err)
		}
	}
	backendURL, err := r.startBackend()
	if err != nil {
		return err
	}
	rate := fmt.Sprintf("%d/1m", limit)
	if bench > 0 {
		rate = "1000000/1m" // the benchmark must not be rate limited
	}
	r.workerLg = &bytes.Buffer{}
	r.worker, r.first, err = r.wranglerDev("wrangler.toml", r.workerLg,
		"--var", "BACKEND_URL:"+backendURL, "--var", "ALLOWED_ORIGINS:"+origin, "--var", "RATE_LIMIT:"+rate)
	if err != nil {
		return err
	}
	if bench > 0 {
		return r.bench(bench)
	}
	checks := []struct {
		name string
		fn   func() error
	}{
		{"Go started at module evaluation, not in the first request", r.checkStartup},
		{"FAQ answer", r.checkFAQ},
		{"out-of-scope handoff arrives signed", r.checkOutOfScope},
		{"personal-data handoff, text in no Worker log line", r.checkPersonalData},
		{"agent replies through the edge", r.checkEvents},
		{"CORS refusal", r.checkCORS},
		{"413 for a large body", r.check413},
		{"backend down: 503 for handoff and events, no uncaught exception", r.checkBackendDown},
		{"429 over the rate limit", r.check429},
	}
	failed := 0
	for _, c := range checks {
		if err := c.fn(); err != nil {
			failed++
			fmt.Printf("FAIL  %s: %v\n", c.name, err)
		} else {
			fmt.Printf("ok    %s\n", c.name)
		}
	}
	if err := r.dryRun(); err != nil {
		failed++
		fmt.Printf("FAIL  wrangler deploy --dry-run: %v\n", err)
	}
	if failed > 0 {
		r.logMu.Lock()
		fmt.Printf("--- wrangler dev output ---\n%s\n---\n", r.workerLg)
		r.logMu.Unlock()
		return fmt.Errorf("%d checks failed", failed)
	}
	return nil
}

// cmd runs a command to completion, its output going to ours.
func (r *run) cmd(name string, args ...string) error {
	c := exec.CommandContext(r.ctx, name, args...)
	c.Stdout, c.Stderr = os.Stdout, os.Stderr
	c.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false")
	return c.Run()
}

// startBackend serves the real backend package on a loopback port, behind
// a wrapper that checks every inbox post's signature on its own.
func (r *run) startBackend() (string, error) {
	srv, err := backend.New(backend.Config{SQLitePath: filepath.Join(r.tmp, "backend.db"), Secret: secret,
		AgentToken: "e2e-agent-token", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return "", err
	}
	r.backend = srv
	key := handoff.SecretKey(secret)
	h := srv.Handler()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/v1/inbox" {
			body, _ := io.ReadAll(req.Body)
			if handoff.Verify(key, req.Header.Get(handoff.HeaderID), req.Header.Get(handoff.HeaderTimestamp),
				req.Header.Get(handoff.HeaderSignature), body, time.Now()) == nil {
				r.verified.Add(1)
			} else {
				r.refused.Add(1)
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.ServeHTTP(w, req)
	})}
	go hs.Serve(ln)
	r.stopBack = func() { hs.Close() }
	r.stops = append(r.stops, func() { hs.Close(); srv.Close() })
	return "http://" + ln.Addr().String(), nil
}

// wranglerDev starts `npx wrangler dev` for config in its own process group
// and waits until it answers; it returns the base URL and the headers of
// the Worker's first response.
func (r *run) wranglerDev(config string, out *bytes.Buffer, extra ...string) (string, http.Header, error) {
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	envFile := filepath.Join(r.tmp, "dev.vars")
	if err := os.WriteFile(envFile, []byte("WEBHOOK_SECRET="+secret+"\n"), 0o600); err != nil {
		return "", nil, err
	}
	args := append([]string{"wrangler", "dev", "-c", config, "--ip", "127.0.0.1", "--port", strconv.Itoa(port),
		"--inspector-port", "0", "--local", "--env-file", envFile,
		"--persist-to", filepath.Join(r.tmp, "state-"+strconv.Itoa(port)),
		"--show-interactive-dev-session=false", "--log-level", "log"}, extra...)
	c := exec.Command("npx", args...)
	c.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CI=1", "NO_COLOR=1")
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	w := &lockedWriter{mu: &r.logMu, w: out}
	c.Stdout, c.Stderr = w, w
	if err := c.Start(); err != nil {
		return "", nil, fmt.Errorf("starting wrangler dev: %w", err)
	}
	r.procs = append(r.procs, c)
	exited := make(chan error, 1)
	go func() { exited <- c.Wait() }()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(3 * time.Minute) // the first start builds the Worker
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			r.logMu.Lock()
			defer r.logMu.Unlock()
			return "", nil, fmt.Errorf("wrangler dev -c %s exited (%v):\n%s", config, err, out)
		case <-r.ctx.Done():
			return "", nil, r.ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
		resp, err := r.client.Get(base + "/v1/health")
		if err == nil {
			resp.Body.Close()
			fmt.Printf("e2e: wrangler dev -c %s on %s\n", config, base)
			return base, resp.Header, nil
		}
	}
	return "", nil, fmt.Errorf("wrangler dev -c %s did not answer within 3 minutes", config)
}

// cleanup stops every process group and server it started.
func (r *run) cleanup() {
	for _, c := range r.procs {
		pgid := c.Process.Pid
		syscall.Kill(-pgid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() {
			for syscall.Kill(-pgid, 0) == nil {
				time.Sleep(100 * time.Millisecond)
			}
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
		}
	}
	for _, stop := range slices.Backward(r.stops) {
		stop()
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// post sends a JSON body to the Worker and decodes the answer into out.
func (r *run) post(path, body string, out any, header ...string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(r.ctx, "POST", r.worker+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return resp, fmt.Errorf("%s answered %d with non-JSON %q", path, resp.StatusCode, data)
		}
	}
	return resp, nil
}

type reply struct {
	Action string `json:"action"`
	Intent string `json:"intent"`
	Reason string `json:"reason"`
	Answer string `json:"answer"`
}

type apiError struct {
	Error struct{ Code, Message string } `json:"error"`
}

func chat(conv, msg, text string) string {
	b, _ := json.Marshal(map[string]string{"conversation_id": conv, "message_id": msg, "text": text})
	return string(b)
}

// startRE matches the glue's log line (edge/worker/worker.mjs) for a Go
// instance started at module evaluation and ready before any request.
var startRE = regexp.MustCompile(`"msg":"edge worker: Go started","scope":"module","ready":true,"seed":"([^"]+)"`)

// checkStartup checks that the Go program started in the Worker's global
// scope, where Cloudflare counts it against the start-up limit, and not
// in the first request, whose CPU time it would exceed on the free plan.
// The glue reports where the serving instance started in Server-Timing
// (start;desc=module or start;desc=request) and logs each start.
func (r *run) checkStartup() error {
	if st := r.first.Get("Server-Timing"); !strings.Contains(st, "start;desc=module") {
		return fmt.Errorf("first response's Server-Timing is %q, want start;desc=module: Go did not start at module evaluation (see the glue's log)", st)
	}
	logs := r.logsWhen(startRE.MatchString)
	m := startRE.FindStringSubmatch(logs)
	if m == nil {
		return fmt.Errorf("no log line of a Go instance started and ready at module evaluation")
	}
	if strings.Contains(logs, `"scope":"request"`) {
		return fmt.Errorf("a Go instance was started in a request")
	}
	fmt.Printf("e2e: Go started at module evaluation, runtime seed from %s\n", m[1])
	return nil
}

func (r *run) checkFAQ() error {
	var rep reply
	resp, err := r.post("/v1/chat", chat("e2e-faq", "m1", "wann muss ich zahlen"), &rep)
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 || rep.Action != "answer" || rep.Intent != "payment_due_date" || rep.Answer == "" {
		return fmt.Errorf("got %d %+v, want an answer of payment_due_date", resp.StatusCode, rep)
	}
	// The glue's buffered path (edge/worker/bridge.go): syumai's streamed
	// one leaks Go memory on every request.
	if st := resp.Header.Get("Server-Timing"); !strings.Contains(st, "bridge;desc=buffered") {
		return fmt.Errorf("Server-Timing %q, want bridge;desc=buffered: the chat went through syumai's streams", st)
	}
	return nil
}

// handOff asks the Worker about text and, as the widget does on a handoff
// reply, posts the conversation to /v1/handoff; it checks that the backend
// stored it with the wanted reason from a correctly signed post.
func (r *run) handOff(conv, text, reason string) error {
	var rep reply
	if _, err := r.post("/v1/chat", chat(conv, "m1", text), &rep); err != nil {
		return err
	}
	if rep.Action != "handoff" || rep.Reason != reason {
		return fmt.Errorf("chat answered %+v, want a handoff for %s", rep, reason)
	}
	before := r.verified.Load()
	body, _ := json.Marshal(map[string]any{"conversation_id": conv, "message_id": "m1", "reason": rep.Reason,
		"intent": rep.Intent, "messages": []handoff.Message{{ID: "m1", Role: "visitor", Text: text}}})
	var ack struct {
		Status string `json:"status"`
		Stored int    `json:"stored"`
	}
	resp, err := r.post("/v1/handoff", string(body), &ack)
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 || ack.Status != "delivered" || ack.Stored != 1 {
		return fmt.Errorf("handoff answered %d %+v, want 200 delivered, stored 1", resp.StatusCode, ack)
	}
	if r.verified.Load() != before+1 || r.refused.Load() != 0 {
		return fmt.Errorf("backend saw %d correctly signed posts (want 1) and %d refused", r.verified.Load()-before, r.refused.Load())
	}
	c, err := r.backend.Store().Conversation(r.ctx, conv)
	if err != nil {
		return fmt.Errorf("backend did not store %s: %w", conv, err)
	}
	if c.Reason != reason || c.State != "pending" {
		return fmt.Errorf("backend stored %+v, want reason %s, state pending", c, reason)
	}
	return nil
}

func (r *run) checkOutOfScope() error {
	return r.handOff("e2e-oos", "what is the weather in Berlin tomorrow", "out_of_scope")
}

var ibanRE = regexp.MustCompile(iban[:4] + `\s?` + iban[4:8])

func (r *run) checkPersonalData() error {
	text := "Meine IBAN ist " + iban + ", bitte buchen Sie ab"
	if err := r.handOff("e2e-pii", text, "personal_data"); err != nil {
		return err
	}
	// The handoff's request line, with what was found and no text.
	requestLine := func(line string) bool {
		return strings.Contains(line, `"path":"/v1/handoff"`) &&
			strings.Contains(line, `"reason":"personal_data"`) && strings.Contains(line, `"pii":["iban"]`)
	}
	logs := r.logsWhen(func(logs string) bool { return slices.ContainsFunc(strings.Split(logs, "\n"), requestLine) })
	logged := false
	for i, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, iban) || ibanRE.MatchString(line) || strings.Contains(line, "Meine IBAN") {
			return fmt.Errorf("Worker log line %d holds the message text: %q", i+1, line)
		}
		logged = logged || requestLine(line)
	}
	if !logged {
		return fmt.Errorf("the Worker's request log of the personal-data handoff is missing; are logs captured?\n%s", logs)
	}
	return nil
}

func (r *run) checkEvents() error {
	resp, err := r.client.Get(r.worker + "/v1/conversations/e2e-oos/events?after=0&wait=0")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var ev backend.Events
	if err := json.NewDecoder(resp.Body).Decode(&ev); err != nil || resp.StatusCode != 200 {
		return fmt.Errorf("events answered %d (%v)", resp.StatusCode, err)
	}
	if len(ev.Events) != 1 || ev.Events[0].ID != "m1" || ev.State != "pending" {
		return fmt.Errorf("events %+v, want the visitor's message m1, state pending", ev)
	}
	return nil
}

func (r *run) checkCORS() error {
	for _, tt := range []struct {
		origin string
		status int
		acao   string
	}{{"https://evil.example", 403, ""}, {origin, 204, origin}} {
		req, _ := http.NewRequestWithContext(r.ctx, "OPTIONS", r.worker+"/v1/chat", nil)
		req.Header.Set("Origin", tt.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := r.client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status || resp.Header.Get("Access-Control-Allow-Origin") != tt.acao {
			return fmt.Errorf("preflight from %s: %d, Access-Control-Allow-Origin %q; want %d, %q", tt.origin,
				resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), tt.status, tt.acao)
		}
	}
	var e apiError
	resp, err := r.post("/v1/chat", chat("e2e-cors", "m1", "hallo"), &e, "Origin", "https://evil.example")
	if err != nil && resp == nil {
		return err
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		return errors.New("a request from a foreign origin got Access-Control-Allow-Origin")
	}
	// Without a preflight (text/plain) the browser would send it anyway:
	// the edge must refuse the write itself.
	if resp.StatusCode != http.StatusForbidden || e.Error.Code != "origin_not_allowed" {
		return fmt.Errorf("a POST from a foreign origin got %d %+v, want 403 origin_not_allowed", resp.StatusCode, e)
	}
	return nil
}

func (r *run) check413() error {
	var e apiError
	resp, err := r.post("/v1/chat", chat("e2e-big", "m1", strings.Repeat("x", maxBody)), &e)
	if err != nil {
		return err
	}
	if resp.StatusCode != 413 || e.Error.Code != "body_too_large" {
		return fmt.Errorf("got %d %+v, want 413 body_too_large", resp.StatusCode, e)
	}
	return nil
}

func (r *run) check429() error {
	for i := range limit + 5 {
		var e apiError
		resp, err := r.post("/v1/chat", chat("e2e-rate", fmt.Sprint("m", i), "hallo"), &e)
		if err != nil && resp == nil {
			return err
		}
		if resp.StatusCode == 429 {
			if e.Error.Code != "rate_limited" || resp.Header.Get("Retry-After") == "" {
				return fmt.Errorf("429 without Retry-After or code: %+v", e)
			}
			return nil
		}
	}
	return fmt.Errorf("no 429 after %d requests at a limit of %d per minute", limit+5, limit)
}

// checkBackendDown stops the backend and checks that the Worker answers
// handoffs and events alike, 503 backend_unavailable with Retry-After and
// no internal detail, logs why, and throws no uncaught exception (the
// fetch bridge once left a rejected promise unhandled on every attempt).
func (r *run) checkBackendDown() error {
	r.stopBack()
	body, _ := json.Marshal(map[string]any{"conversation_id": "e2e-down", "message_id": "m1", "reason": "out_of_scope",
		"messages": []handoff.Message{{ID: "m1", Role: "visitor", Text: "what is the weather in Berlin tomorrow"}}})
	var e apiError
	resp, err := r.post("/v1/handoff", string(body), &e)
	if err != nil {
		return err
	}
	if resp.StatusCode != 503 || e.Error.Code != "backend_unavailable" || resp.Header.Get("Retry-After") == "" ||
		strings.Contains(e.Error.Message, "Network") || strings.Contains(e.Error.Message, "promise") {
		return fmt.Errorf("handoff answered %d %+v Retry-After %q; want 503 backend_unavailable, Retry-After, no internal detail",
			resp.StatusCode, e, resp.Header.Get("Retry-After"))
	}
	resp, err = r.client.Get(r.worker + "/v1/conversations/e2e-down/events?after=0&wait=0")
	if err != nil {
		return err
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	e = apiError{}
	if json.Unmarshal(data, &e) != nil || resp.StatusCode != 503 || e.Error.Code != "backend_unavailable" || resp.Header.Get("Retry-After") == "" {
		return fmt.Errorf("events answered %d %q Retry-After %q; want 503 backend_unavailable with Retry-After",
			resp.StatusCode, data, resp.Header.Get("Retry-After"))
	}
	logs := r.logsWhen(func(logs string) bool {
		return strings.Contains(logs, `"msg":"handoff attempt failed"`) && strings.Contains(logs, `"msg":"events relay: backend unreachable"`)
	})
	if i := strings.Index(logs, "Uncaught"); i >= 0 {
		return fmt.Errorf("the Worker threw an uncaught exception: %q", logs[i:min(len(logs), i+200)])
	}
	if !strings.Contains(logs, `"msg":"handoff attempt failed"`) || !strings.Contains(logs, `"msg":"events relay: backend unreachable"`) {
		return fmt.Errorf("the Worker's log does not say why the backend was unavailable:\n%s", logs)
	}
	return nil
}

// logsWhen returns wrangler dev's output once ok holds for it, or after
// 10 s: wrangler prints a request's log lines some time after the
// response, later on a loaded machine than a fixed wait allowed for.
func (r *run) logsWhen(ok func(logs string) bool) string {
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		r.logMu.Lock()
		logs := r.workerLg.String()
		r.logMu.Unlock()
		if ok(logs) || time.Now().After(deadline) {
			return logs
		}
	}
}

// dryRun bundles the Worker as `wrangler deploy` would and prints its size.
func (r *run) dryRun() error {
	out := filepath.Join(r.tmp, "dist")
	c := exec.CommandContext(r.ctx, "npx", "wrangler", "deploy", "--dry-run", "--outdir", out)
	c.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CI=1", "NO_COLOR=1")
	var buf bytes.Buffer
	c.Stdout, c.Stderr = &buf, &buf
	if err := c.Run(); err != nil {
		return fmt.Errorf("%v:\n%s", err, buf.String())
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "Total Upload") {
			fmt.Printf("e2e: wrangler: %s\n", strings.TrimSpace(line))
		}
	}
	var raw, gz int64
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".map") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		raw += int64(len(data))
		gz += gzipLen(data)
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("e2e: bundle %s: %d bytes raw, %d bytes gzip (Cloudflare free plan limit: 3 MiB compressed)\n", out, raw, gz)
	if gz > 3<<20 {
		return fmt.Errorf("bundle is %d bytes gzip, over the free plan's 3 MiB", gz)
	}
	return nil
}

func gzipLen(data []byte) int64 {
	var n countWriter
	zw, _ := gzip.NewWriterLevel(&n, gzip.BestCompression)
	zw.Write(data)
	zw.Close()
	return int64(n)
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
