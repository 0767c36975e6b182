package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lotse-chat/lotse/internal/eval"
)

// ParityEnv names the environment variable that makes TestParity train the
// benchmark bots in full ("full") instead of cut down to benchSubset.
// Full training of CLINC150 alone takes over a minute.
const ParityEnv = "LOTSE_PARITY"

// benchSubset cuts the public benchmark bots (CLINC150 and the like) for
// the default test run, so that training takes seconds. All test messages
// still run: parity is about the engines agreeing, not about accuracy.
var benchSubset = subset{Intents: 20, Examples: 25}

// paritySet is a test file and the bot whose model replies to it.
type paritySet struct {
	test, bot string
	cut       subset
}

// paritySets finds every test file under testdata: the benchmarks'
// test.jsonl beside their bot.yaml, the bots' test files (test.X.jsonl
// belongs to bot.X.yaml), and test files without a bot (personal data),
// which the demo bot answers.
func paritySets(t *testing.T) []paritySet {
	cut := benchSubset
	if os.Getenv(ParityEnv) == "full" {
		cut = subset{}
	}
	const demo = "../testdata/bots/demo/bot.yaml"
	var sets []paritySet
	for _, pattern := range []string{"../testdata/*/test*.jsonl", "../testdata/bots/*/test*.jsonl", "../testdata/bots/*/*/test*.jsonl"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			dir, name := filepath.Split(f)
			botFile := dir + "bot" + strings.TrimPrefix(strings.TrimSuffix(name, ".jsonl"), "test") + ".yaml"
			s := paritySet{test: f, bot: botFile}
			switch {
			case !fileExists(botFile):
				s.bot = demo
			case !strings.Contains(f, "/bots/"):
				s.cut = cut // a public benchmark
			}
			sets = append(sets, s)
		}
	}
	if len(sets) == 0 {
		t.Fatal("no test files under ../testdata")
	}
	return sets
}

// TestParity runs every test set through the native engine and the WASI
// module in wazero: actions, intents, languages, answers, reasons,
// personal data and alternatives must be identical and confidences equal
// within 1e-6.
func TestParity(t *testing.T) {
	for _, s := range paritySets(t) {
		name := strings.TrimPrefix(s.test, "../testdata/")
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			model := trainedModel(t, s.bot, s.cut)
			trained := time.Since(start)
			cases, err := eval.ReadCases(s.test)
			if err != nil {
				t.Fatal(err)
			}
			r := newRunner(t, model, Options{Instances: 1})
			m := native(t, model)
			start = time.Now()
			failed := 0
			for _, c := range cases {
				got, err := r.Reply(c.Text)
				if err != nil {
					t.Fatalf("%s:%d: wasm Reply: %v", s.test, c.Line, err)
				}
				if d := diffReply(got, m.Reply(c.Text), 1e-6); d != "" {
					// The message may hold personal data: show it redacted.
					t.Errorf("%s:%d %q: wasm and native differ: %s", s.test, c.Line, eval.Redacted(c), d)
					if failed++; failed == 10 {
						t.Fatal("stopping after 10 differences")
					}
				}
			}
			t.Logf("%d messages, bot %s cut to %+v: trained in %v, compared in %v",
				len(cases), s.bot, s.cut, trained.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		})
	}
}
