//go:build !js

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// bench sends n sequential POST /v1/chat requests to the Go Worker and n to
// a minimal JS Worker, interleaved, both under wrangler dev in this run, and
// prints latency percentiles and the Go handler's time inside the Worker
// (the glue's Server-Timing header).
func (r *run) bench(n int) error {
	base, _, err := r.wranglerDev("edge/e2e/baseline/wrangler.toml", &bytes.Buffer{})
	if err != nil {
		return err
	}
	texts, err := demoTexts("testdata/bots/demo/test.jsonl")
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	send := func(url string, i int) (time.Duration, float64, error) {
		body := chat("bench", "m"+strconv.Itoa(i), texts[i%len(texts)])
		start := time.Now()
		resp, err := client.Post(url+"/v1/chat", "application/json", strings.NewReader(body))
		if err != nil {
			return 0, 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if resp.StatusCode != 200 {
			return 0, 0, fmt.Errorf("%s answered %d", url, resp.StatusCode)
		}
		return d, serverTiming(resp.Header.Get("Server-Timing")), nil
	}
	for i := range 50 { // warm up both isolates and the connections
		if _, _, err := send(r.worker, -1-i+1000000); err != nil {
			return err
		}
		if _, _, err := send(base, i); err != nil {
			return err
		}
	}
	var goLat, jsLat []time.Duration
	var goIn []float64
	for i := range n {
		d, in, err := send(r.worker, i)
		if err != nil {
			return err
		}
		goLat, goIn = append(goLat, d), append(goIn, in)
		if d, _, err = send(base, i); err != nil {
			return err
		}
		jsLat = append(jsLat, d)
	}
	p := func(ds []time.Duration, q float64) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[min(len(s)-1, int(q*float64(len(s))))]
	}
	pf := func(fs []float64, q float64) float64 {
		s := slices.Clone(fs)
		slices.Sort(s)
		return s[min(len(s)-1, int(q*float64(len(s))))]
	}
	fmt.Printf("bench: %d sequential POST /v1/chat each, demo bot, wrangler dev (workerd) on loopback, interleaved\n", n)
	fmt.Printf("  %-26s p50 %8.3f ms   p99 %8.3f ms\n", "Go Worker (Lotse edge)", ms(p(goLat, .5)), ms(p(goLat, .99)))
	fmt.Printf("  %-26s p50 %8.3f ms   p99 %8.3f ms\n", "JS baseline Worker", ms(p(jsLat, .5)), ms(p(jsLat, .99)))
	fmt.Printf("  %-26s p50 %8.2fx      p99 %8.2fx\n", "ratio Go/JS", ms(p(goLat, .5))/ms(p(jsLat, .5)), ms(p(goLat, .99))/ms(p(jsLat, .99)))
	fmt.Printf("  %-26s p50 %8.3f ms   p99 %8.3f ms   (Server-Timing go;dur, workerd's coarse clock)\n",
		"Go handler inside Worker", pf(goIn, .5), pf(goIn, .99))
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// serverTiming reads dur from "go;dur=1.234".
func serverTiming(h string) float64 {
	_, v, ok := strings.Cut(h, "dur=")
	if !ok {
		return -1
	}
	f, _ := strconv.ParseFloat(v, 64)
	return f
}

func demoTexts(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m struct{ Text string }
		if json.Unmarshal(sc.Bytes(), &m) == nil && m.Text != "" {
			texts = append(texts, m.Text)
		}
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("no messages in %s", path)
	}
	return texts, sc.Err()
}
