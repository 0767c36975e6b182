package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/backend"
	"github.com/lotse-chat/lotse/handoff"
)

const (
	testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	testToken  = "agent-token-for-tests"
)

// TestBackendConfig checks lotse backend's flags and environment: without
// --demo it refuses to start unless both secrets are given, saying which
// to set and how to make them; with --demo it generates and prints the
// missing ones; --max-readers and LOTSE_MAX_READERS set the readers.
func TestBackendConfig(t *testing.T) {
	tests := []struct {
		name          string
		env           map[string]string
		args          []string
		errs          []string // in the error; none means it succeeds
		printed       []string // in stdout
		maxReaders    int
		secretFromEnv bool
	}{
		{name: "nothing set", errs: []string{"LOTSE_WEBHOOK_SECRET", "LOTSE_AGENT_TOKEN", "head -c 32 /dev/urandom", "--demo"}},
		{name: "no agent token", env: map[string]string{"LOTSE_WEBHOOK_SECRET": testSecret},
			errs: []string{"set LOTSE_AGENT_TOKEN", "--demo"}},
		{name: "no secret", env: map[string]string{"LOTSE_AGENT_TOKEN": testToken},
			errs: []string{"set LOTSE_WEBHOOK_SECRET", "whsec_$(head -c 32 /dev/urandom | base64)"}},
		{name: "both set", env: map[string]string{"LOTSE_WEBHOOK_SECRET": testSecret, "LOTSE_AGENT_TOKEN": testToken},
			maxReaders: backend.DefaultMaxReaders, secretFromEnv: true},
		{name: "demo", args: []string{"--demo"}, printed: []string{"webhook secret (give it to the edge): whsec_", "agent token (console password): "},
			maxReaders: backend.DefaultMaxReaders},
		{name: "demo with a secret", env: map[string]string{"LOTSE_WEBHOOK_SECRET": testSecret}, args: []string{"--demo"},
			printed: []string{"agent token (console password): "}, maxReaders: backend.DefaultMaxReaders, secretFromEnv: true},
		{name: "max readers flag", env: map[string]string{"LOTSE_WEBHOOK_SECRET": testSecret, "LOTSE_AGENT_TOKEN": testToken, "LOTSE_MAX_READERS": "70"},
			args: []string{"--max-readers", "50"}, maxReaders: 50, secretFromEnv: true},
		{name: "max readers env", env: map[string]string{"LOTSE_WEBHOOK_SECRET": testSecret, "LOTSE_AGENT_TOKEN": testToken, "LOTSE_MAX_READERS": "70"},
			maxReaders: 70, secretFromEnv: true},
		{name: "max readers env bad", env: map[string]string{"LOTSE_WEBHOOK_SECRET": testSecret, "LOTSE_AGENT_TOKEN": testToken, "LOTSE_MAX_READERS": "many"},
			errs: []string{`LOTSE_MAX_READERS is "many"`, "whole number"}},
		{name: "max readers flag zero", env: map[string]string{"LOTSE_WEBHOOK_SECRET": testSecret, "LOTSE_AGENT_TOKEN": testToken},
			args: []string{"--max-readers", "0"}, errs: []string{"usage"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"LOTSE_WEBHOOK_SECRET", "LOTSE_AGENT_TOKEN", "LOTSE_MAX_READERS", "LOTSE_POSTGRES_DSN", "LOTSE_TRUST_PROXY"} {
				t.Setenv(k, tt.env[k])
			}
			var stdout bytes.Buffer
			cfg, _, err := backendConfig(append([]string{"--db", filepath.Join(t.TempDir(), "x.db")}, tt.args...), &stdout, io.Discard)
			if len(tt.errs) > 0 {
				if err == nil {
					t.Fatalf("backendConfig succeeded; want an error with %q", tt.errs)
				}
				for _, w := range tt.errs {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				if stdout.Len() > 0 {
					t.Errorf("printed %q though it refused to start", stdout.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.printed {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout %q lacks %q", stdout.String(), w)
				}
			}
			if len(tt.printed) == 0 && stdout.Len() > 0 {
				t.Errorf("printed %q; a given secret or token stays out of the output", stdout.String())
			}
			if err := handoff.CheckSecrets(cfg.Secret); err != nil || len(cfg.AgentToken) < 8 {
				t.Errorf("secret %v, agent token of %d characters: want both usable", err, len(cfg.AgentToken))
			}
			if (cfg.Secret == testSecret) != tt.secretFromEnv {
				t.Errorf("secret from the environment: %v, want %v", cfg.Secret == testSecret, tt.secretFromEnv)
			}
			if cfg.MaxReaders != tt.maxReaders || cfg.Version == "" {
				t.Errorf("MaxReaders %d, Version %q; want %d and a version", cfg.MaxReaders, cfg.Version, tt.maxReaders)
			}
		})
	}
}

// TestBackendRefusesWithoutSecrets runs the command as an operator would,
// with nothing set: exit 1 and the error on stderr, nothing started.
func TestBackendRefusesWithoutSecrets(t *testing.T) {
	t.Setenv("LOTSE_WEBHOOK_SECRET", "")
	t.Setenv("LOTSE_AGENT_TOKEN", "")
	var stdout, stderr bytes.Buffer
	db := filepath.Join(t.TempDir(), "x.db")
	if code := run([]string{"backend", "--db", db, "--addr", "127.0.0.1:0"}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, stderr.String())
	}
	if !strings.HasPrefix(stderr.String(), "lotse backend: set LOTSE_WEBHOOK_SECRET") || stdout.Len() > 0 {
		t.Errorf("stdout %q, stderr %q; want the error on stderr only", stdout.String(), stderr.String())
	}
}

func TestVersionWith(t *testing.T) {
	const rev = "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"
	tests := []struct {
		name     string
		settings []debug.BuildSetting
		want     string
	}{
		{"no VCS", nil, "0.1.0"},
		{"clean", []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}}, "0.1.0+1a2b3c4d5e6f"},
		{"modified", []debug.BuildSetting{{Key: "vcs.modified", Value: "true"}, {Key: "vcs.revision", Value: rev}}, "0.1.0+1a2b3c4d5e6f.modified"},
		{"short revision", []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}, "0.1.0+abc"},
		{"modified without revision", []debug.BuildSetting{{Key: "vcs.modified", Value: "true"}}, "0.1.0"},
	}
	for _, tt := range tests {
		if got := versionWith("0.1.0", tt.settings); got != tt.want {
			t.Errorf("%s: versionWith = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestShutdownEndsStreams shuts a backend down with an SSE stream open:
// the stream ends at once, shutdown does not wait out its grace, and the
// log says it stopped.
func TestShutdownEndsStreams(t *testing.T) {
	srv, err := backend.New(backend.Config{SQLitePath: filepath.Join(t.TempDir(), "x.db"), Secret: testSecret,
		AgentToken: testToken, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := srv.Accept(context.Background(), handoff.Handoff{ConversationID: "c1", Bot: "demo", Reason: handoff.ReasonOutOfScope,
		Messages: []handoff.Message{{ID: "m1", Role: handoff.RoleVisitor, Text: "help", TS: 1}}}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- serveUntil(ctx, ln, srv.Handler(), slog.New(slog.NewTextHandler(&logs, nil)), srv.EndStreams)
	}()

	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/v1/conversations/c1/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	if err := handoff.SignRequest(handoff.SecretKey(testSecret), req, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	for line := ""; !strings.HasPrefix(line, "event: state"); { // the stream is open and caught up
		if line, err = r.ReadString('\n'); err != nil {
			t.Fatalf("stream: %v", err)
		}
	}
	stop() // as SIGTERM does
	if err := <-served; err != nil {
		t.Fatalf("serveUntil: %v", err)
	}
	if l := logs.String(); !strings.Contains(l, "msg=\"shutting down\"") || !strings.Contains(l, "msg=stopped") || strings.Contains(l, "stopped waiting") {
		t.Fatalf("log %q; want shutting down, then stopped, and no request cut off", l)
	}
	timer := time.AfterFunc(10*time.Second, func() { res.Body.Close() })
	if _, err := io.ReadAll(r); !timer.Stop() || err != nil {
		t.Errorf("stream after shutdown: %v, want its clean end", err)
	}
}
