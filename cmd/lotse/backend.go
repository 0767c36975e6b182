package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/lotse-chat/lotse/backend"
)

func runBackend(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backend", "[--addr HOST:PORT] [--db FILE | --postgres DSN] [--secret WHSEC] [--agent-token T] [--trust-proxy]\n\n"+
		"The secret and the agent token are best given in the environment (LOTSE_WEBHOOK_SECRET,\n"+
		"LOTSE_AGENT_TOKEN): flags show in ps.", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	db := fs.String("db", "lotse.db", "SQLite database file (created if missing)")
	pg := fs.String("postgres", os.Getenv("LOTSE_POSTGRES_DSN"), "PostgreSQL DSN; used instead of --db when set (env LOTSE_POSTGRES_DSN)")
	secret := fs.String("secret", os.Getenv("LOTSE_WEBHOOK_SECRET"), "webhook secret the edge signs handoffs with, whsec_<base64> (env LOTSE_WEBHOOK_SECRET); generated and printed when unset")
	token := fs.String("agent-token", os.Getenv("LOTSE_AGENT_TOKEN"), "agents' console password and API bearer token, at least 8 characters (env LOTSE_AGENT_TOKEN); generated and printed when unset")
	trustProxy := fs.Bool("trust-proxy", os.Getenv("LOTSE_TRUST_PROXY") == "1", "behind a reverse proxy that appends the client's address to X-Forwarded-For: throttle sign-ins by that address, not the proxy's; the backend must then be reachable only through the proxy (env LOTSE_TRUST_PROXY=1)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	log, err := newLogger(*logLevel, stderr)
	if err != nil {
		return err
	}
	if *secret == "" {
		*secret = "whsec_" + base64.StdEncoding.EncodeToString(randomBytes(24))
		fmt.Fprintf(stdout, "webhook secret (give it to the edge): %s\n", *secret)
	}
	if *token == "" {
		*token = hex.EncodeToString(randomBytes(16))
		fmt.Fprintf(stdout, "agent token (console password): %s\n", *token)
	}
	cfg := backend.Config{Secret: *secret, AgentToken: *token, Logger: log, PostgresDSN: *pg, TrustProxy: *trustProxy}
	if *pg == "" {
		cfg.SQLitePath = *db
	}
	srv, err := backend.New(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	where := "SQLite " + *db
	if *pg != "" {
		where = "PostgreSQL"
	}
	fmt.Fprintf(stdout, "lotse backend on http://%s (%s)\n  inbox    POST http://%[1]s/v1/inbox\n  console  http://%[1]s/console\n", ln.Addr(), where)
	return serveUntilSignal(ln, srv.Handler(), log)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
