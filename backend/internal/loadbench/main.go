// Command loadbench sends signed handoffs to a running lotse backend and
// reports acknowledged handoffs per second and latency percentiles.
//
//	go run ./backend/internal/loadbench --url http://127.0.0.1:8081 --secret whsec_... -n 20000 -c 32
//
// scripts/backend/bench.sh starts the backend on SQLite and on PostgreSQL
// and runs it against both.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/lotse-chat/lotse/backend/internal/loadgen"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8081", "backend base URL")
	secret := flag.String("secret", os.Getenv("LOTSE_WEBHOOK_SECRET"), "webhook secret (env LOTSE_WEBHOOK_SECRET)")
	n := flag.Int("n", 20000, "handoffs to send")
	c := flag.Int("c", 32, "concurrent requests")
	convs := flag.Int("conversations", 1000, "conversations to spread the handoffs over")
	label := flag.String("label", "", "name of the run in the output")
	asJSON := flag.Bool("json", false, "print JSON")
	flag.Parse()
	if *secret == "" {
		fmt.Fprintln(os.Stderr, "loadbench: --secret is required")
		os.Exit(2)
	}
	cfg := loadgen.Config{URL: *url, Secret: *secret, Messages: *n, Conversations: *convs, Workers: *c,
		Prefix: fmt.Sprintf("bench%d", time.Now().UnixNano())}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := loadgen.Run(ctx, cfg, nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadbench: %v (%d acknowledged)\n", err, len(res.Acked))
		os.Exit(1)
	}
	out := map[string]any{
		"label": *label, "handoffs": len(res.Acked), "concurrency": *c, "failed_requests": res.Failed,
		"seconds": res.Elapsed.Seconds(), "handoffs_per_s": res.Rate(),
		"p50_ms": ms(res.Percentile(50)), "p99_ms": ms(res.Percentile(99)), "max_ms": ms(res.Percentile(100)),
	}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(out)
		return
	}
	fmt.Printf("%-10s %6d handoffs  c=%-3d  %7.0f acknowledged/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  failed %d\n",
		*label, len(res.Acked), *c, res.Rate(), ms(res.Percentile(50)), ms(res.Percentile(99)), ms(res.Percentile(100)), res.Failed)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
