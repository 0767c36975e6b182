package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/lotse-chat/lotse/backend"
)

func runBackend(args []string, stdout, stderr io.Writer) error {
	cfg, addr, err := backendConfig(args, stdout, stderr)
	if err != nil {
		return err
	}
	srv, err := backend.New(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	where := "SQLite " + cfg.SQLitePath
	if cfg.PostgresDSN != "" {
		where = "PostgreSQL"
	}
	fmt.Fprintf(stdout, "lotse backend on http://%s (%s)\n  inbox    POST http://%[1]s/v1/inbox\n  console  http://%[1]s/console/\n", ln.Addr(), where)
	// Ending the event streams when shutdown begins lets it finish in
	// milliseconds: the clients resume by Last-Event-ID elsewhere or after
	// the restart, instead of holding the shutdown to its deadline.
	return serveUntilSignal(ln, srv.Handler(), cfg.Logger, srv.EndStreams)
}

// backendConfig parses lotse backend's arguments and environment into the
// backend's Config and the listen address. Without --demo, both secrets
// must be given: generated ones change at every start, which signs agents
// out and breaks the edge, whose secret no longer matches.
func backendConfig(args []string, stdout, stderr io.Writer) (backend.Config, string, error) {
	fs := newFlags("backend", "[--addr HOST:PORT] [--db FILE | --postgres DSN] [--secret WHSEC] [--agent-token T] [--trust-proxy] [--max-readers N] [--demo]\n\n"+
		"The secret and the agent token are best given in the environment (LOTSE_WEBHOOK_SECRET,\n"+
		"LOTSE_AGENT_TOKEN): flags show in ps. Both are required, except with --demo.", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	db := fs.String("db", "lotse.db", "SQLite database file (created if missing)")
	pg := fs.String("postgres", os.Getenv("LOTSE_POSTGRES_DSN"), "PostgreSQL DSN; used instead of --db when set (env LOTSE_POSTGRES_DSN)")
	secret := fs.String("secret", os.Getenv("LOTSE_WEBHOOK_SECRET"), "webhook secret the edge signs handoffs with, whsec_<base64> (env LOTSE_WEBHOOK_SECRET); several separated by spaces while rotating it")
	token := fs.String("agent-token", os.Getenv("LOTSE_AGENT_TOKEN"), "agents' console password and API bearer token, at least 8 characters (env LOTSE_AGENT_TOKEN)")
	trustProxy := fs.Bool("trust-proxy", os.Getenv("LOTSE_TRUST_PROXY") == "1", "behind a reverse proxy that appends the client's address to X-Forwarded-For: throttle sign-ins by that address, not the proxy's; the backend must then be reachable only through the proxy (env LOTSE_TRUST_PROXY=1)")
	maxReaders := fs.Int("max-readers", backend.DefaultMaxReaders, "visitors' event streams and long-polls served at once, each an open connection; more get 429 (env LOTSE_MAX_READERS)")
	demo := fs.Bool("demo", false, "generate and print a webhook secret and an agent token that are not given (they change at every start: for a demo only)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if v := os.Getenv("LOTSE_MAX_READERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return backend.Config{}, "", fmt.Errorf("LOTSE_MAX_READERS is %q; set it to a whole number of 1 or more, or unset it for %d", v, backend.DefaultMaxReaders)
		}
		*maxReaders = n
	}
	if err := parse(fs, args); err != nil {
		return backend.Config{}, "", err
	}
	if fs.NArg() > 0 {
		return backend.Config{}, "", usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if *maxReaders < 1 {
		return backend.Config{}, "", usageError(fs, "--max-readers %d: give a whole number of 1 or more", *maxReaders)
	}
	log, err := newLogger(*logLevel, stderr)
	if err != nil {
		return backend.Config{}, "", err
	}
	if err := needSecrets(*secret, *token, *demo); err != nil {
		return backend.Config{}, "", err
	}
	if *secret == "" {
		*secret = "whsec_" + base64.StdEncoding.EncodeToString(randomBytes(24))
		fmt.Fprintf(stdout, "webhook secret (give it to the edge): %s\n", *secret)
	}
	if *token == "" {
		*token = hex.EncodeToString(randomBytes(16))
		fmt.Fprintf(stdout, "agent token (console password): %s\n", *token)
	}
	cfg := backend.Config{Secret: *secret, AgentToken: *token, Logger: log, PostgresDSN: *pg, TrustProxy: *trustProxy,
		MaxReaders: *maxReaders, Version: buildVersion()}
	if *pg == "" {
		cfg.SQLitePath = *db
	}
	return cfg, *addr, nil
}

// needSecrets refuses to run without the webhook secret or the agent
// token, unless demo: a backend that made up its own would run, and the
// edge's handoffs would fail on a secret that no longer matches.
func needSecrets(secret, token string, demo bool) error {
	if demo {
		return nil
	}
	var missing []string
	if secret == "" {
		missing = append(missing, "LOTSE_WEBHOOK_SECRET (the edge's WEBHOOK_SECRET; make one with: echo whsec_$(head -c 32 /dev/urandom | base64))")
	}
	if token == "" {
		missing = append(missing, "LOTSE_AGENT_TOKEN (the agents' password, 8 characters or more; e.g. $(head -c 16 /dev/urandom | base64))")
	}
	if len(missing) == 0 {
		return nil
	}
	return errors.New("set " + strings.Join(missing, " and ") + " in the environment; " +
		"or, for a demo, start lotse backend --demo, which generates and prints them (they change at every start)")
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
