package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// shutdownGrace is how long a shutdown waits for open requests.
const shutdownGrace = 5 * time.Second

// serveUntilSignal serves h on ln until SIGINT or SIGTERM, then shuts down
// gracefully (see serveUntil).
func serveUntilSignal(ln net.Listener, h http.Handler, log *slog.Logger, onShutdown ...func()) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveUntil(ctx, ln, h, log, onShutdown...)
}

// serveUntil serves h on ln until ctx is done, then shuts down: it stops
// listening, runs each of onShutdown (which should end requests that
// would otherwise stay open, such as event streams), and gives the open
// requests shutdownGrace to finish. It logs when shutdown begins and, with
// how long it took, when it is over.
func serveUntil(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, onShutdown ...func()) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// No WriteTimeout: event streams and long-polls stay open.
	}
	for _, f := range onShutdown {
		hs.RegisterOnShutdown(f)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	start := time.Now()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := hs.Shutdown(sctx)
	took := time.Since(start).Round(time.Microsecond)
	if errors.Is(err, context.DeadlineExceeded) {
		log.Warn("stopped waiting; requests still open end with the process", "after", took)
		return nil
	}
	if err != nil {
		return err
	}
	log.Info("stopped", "after", took)
	return nil
}

// newLogger returns a text logger to w at the named level.
func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
