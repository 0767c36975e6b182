// Package crashtest kills a running backend again and again under load and
// checks that every acknowledged handoff survived exactly once.
//
// It builds the real lotse binary, so it is slow for a unit test and runs
// only when LOTSE_CRASHTEST=1 (CI sets it):
//
//	LOTSE_CRASHTEST=1 go test -v ./backend/internal/crashtest/
//
// With LOTSE_TEST_POSTGRES_DSN set it runs against PostgreSQL too.
package crashtest

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/lotse-chat/lotse/backend/internal/loadgen"
	_ "modernc.org/sqlite"
)

const (
	secret   = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	messages = 20000
	kills    = 3
)

func TestCrash(t *testing.T) {
	if os.Getenv("LOTSE_CRASHTEST") != "1" {
		t.Skip("LOTSE_CRASHTEST is not 1: the crash test builds lotse and runs for a minute; set it to run")
	}
	bin := filepath.Join(t.TempDir(), "lotse")
	build := exec.Command("go", "build", "-o", bin, "github.com/lotse-chat/lotse/cmd/lotse")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "crash.db")
		crash(t, bin, []string{"--db", db}, "sqlite", "file:"+db, "")
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("LOTSE_TEST_POSTGRES_DSN")
		if dsn == "" {
			t.Skip("LOTSE_TEST_POSTGRES_DSN is unset; run eval \"$(scripts/backend/postgres.sh)\" to test PostgreSQL")
		}
		prefix := fmt.Sprintf("crash%d", time.Now().UnixNano())
		dsn = ownDatabase(t, dsn, prefix)
		crash(t, bin, []string{"--postgres", dsn}, "pgx", dsn, prefix)
	})
}

// ownDatabase creates the database name next to the one dsn names, drops
// it when the test ends, and returns its DSN: the crash test's 20,000
// pending conversations would otherwise crowd the tests of package store,
// which share the database and may run at the same time.
func ownDatabase(t *testing.T, dsn, name string) string {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating the crash test's database (the DSN's user needs CREATEDB): %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("dropping the crash test's database: %v", err)
		}
		db.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// backend is one run of the lotse backend process.
type backend struct {
	cmd  *exec.Cmd
	addr string
}

// start runs lotse backend on addr ("127.0.0.1:0" the first time) and
// waits until it listens.
func start(t *testing.T, bin string, dbArgs []string, addr string) *backend {
	t.Helper()
	args := append([]string{"backend", "--addr", addr, "--secret", secret, "--agent-token", "crash-test-token", "--log-level", "error"}, dbArgs...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "lotse backend on http://"); ok {
			addr, _, _ = strings.Cut(rest, " ")
			go func() {
				for sc.Scan() {
				}
			}()
			return &backend{cmd: cmd, addr: addr}
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatalf("lotse backend %v exited before listening", args)
	return nil
}

func crash(t *testing.T, bin string, dbArgs []string, driver, dsn, prefix string) {
	b := start(t, bin, dbArgs, "127.0.0.1:0")
	addr := b.addr
	var (
		mu       sync.Mutex
		cur      = b
		killed   = 0
		marks    = []int{messages / 4, messages / 2, 3 * messages / 4}
		killNow  = make(chan struct{}, kills)
		finished = make(chan struct{})
	)
	// The killer waits for progress marks, not for time: SIGKILL, wait,
	// restart on the same address.
	killerDone := make(chan struct{})
	go func() {
		defer close(killerDone)
		for range kills {
			select {
			case <-killNow:
			case <-finished:
				return
			}
			mu.Lock()
			cur.cmd.Process.Signal(syscall.SIGKILL)
			cur.cmd.Wait()
			killed++
			mu.Unlock()
			nb := start(t, bin, dbArgs, addr)
			mu.Lock()
			cur = nb
			mu.Unlock()
		}
	}()
	cfg := loadgen.Config{URL: "http://" + addr, Secret: secret, Messages: messages, Conversations: 1000,
		Workers: 16, Prefix: prefix + "crash", Timeout: 5 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Second)
	defer cancel()
	var markMu sync.Mutex
	res, err := loadgen.Run(ctx, cfg, func(acked int) {
		markMu.Lock()
		defer markMu.Unlock()
		if len(marks) > 0 && acked >= marks[0] {
			marks = marks[1:]
			killNow <- struct{}{}
		}
	})
	close(finished)
	<-killerDone
	mu.Lock()
	cur.cmd.Process.Signal(syscall.SIGTERM)
	cur.cmd.Wait()
	mu.Unlock()
	if err != nil {
		t.Fatalf("load generator: %v after %d acknowledged", err, len(res.Acked))
	}
	t.Logf("%d acknowledged in %v, %d requests, %d failed and retried, %d kills",
		len(res.Acked), res.Elapsed.Round(time.Millisecond), res.Requests, res.Failed, killed)
	if killed != kills {
		t.Errorf("killed the backend %d times, want %d", killed, kills)
	}
	if res.Failed == 0 {
		t.Errorf("no request failed, so the kills hit nothing in flight and the test proves little")
	}
	verify(t, driver, dsn, cfg.Prefix, res.Acked)
}

// verify reads the database directly, not through the store, and checks
// that every acknowledged message is stored exactly once and nothing else
// is.
func verify(t *testing.T, driver, dsn, prefix string, acked []string) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT conversation_id, id, seq FROM messages WHERE conversation_id LIKE $1 ORDER BY conversation_id, seq", prefix+"-%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	stored := map[string]int{}
	lastSeq := map[string]int64{}
	n := 0
	for rows.Next() {
		var conv, id string
		var seq int64
		if err := rows.Scan(&conv, &id, &seq); err != nil {
			t.Fatal(err)
		}
		if seq != lastSeq[conv]+1 {
			t.Errorf("%s: seq %d follows %d", conv, seq, lastSeq[conv])
		}
		lastSeq[conv] = seq
		stored[conv+"/"+id]++
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	missing, dup := 0, 0
	for _, k := range acked {
		switch stored[k] {
		case 0:
			missing++
		case 1:
		default:
			dup++
		}
	}
	t.Logf("stored %d rows, %d distinct; acknowledged %d; missing %d, duplicated %d", n, len(stored), len(acked), missing, dup)
	if missing != 0 || dup != 0 || n != len(acked) || len(acked) != messages {
		t.Errorf("want all %d messages acknowledged and stored exactly once", messages)
	}
}
