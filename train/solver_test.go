package train

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/linear"
	"github.com/lotse-chat/lotse/internal/tokenize"
)

func TestSum(t *testing.T) {
	tests := []struct {
		name            string
		svms, soft, sum linear.Weights
	}{
		// norms 5 and 10: the softmax counts half.
		{"scaled to the SVMs' norm", linear.Weights{{3, 0}, {0, 4}}, linear.Weights{{0, 6}, {8, 0}}, linear.Weights{{3, 3}, {4, 4}}},
		{"equal norms", linear.Weights{{1, 0}}, linear.Weights{{0, -1}}, linear.Weights{{1, -1}}},
		{"softmax all zero", linear.Weights{{1, 2}}, linear.Weights{{0, 0}}, linear.Weights{{1, 2}}},
	}
	for _, tt := range tests {
		got := sum(tt.svms, tt.soft)
		for c := range tt.sum {
			for j := range tt.sum[c] {
				if math.Abs(float64(got[c][j]-tt.sum[c][j])) > 1e-6 {
					t.Errorf("%s: got %v, want %v", tt.name, got, tt.sum)
				}
			}
		}
	}
}

// TestCrossValidateSum checks that the out-of-fold scores of the sum are
// those of the fold's SVMs plus its softmax times one positive factor a
// fold.
func TestCrossValidateSum(t *testing.T) {
	b := &bot.Bot{
		Name: "sum", Languages: []string{"en"},
		Intents: []bot.Intent{
			{Name: "card_lost", Examples: []string{"i cannot find my card", "where is my card", "my card is gone", "card missing since monday"}},
			{Name: "opening_hours", Examples: []string{"when are you open", "opening hours please", "are you open on sunday", "until when can i call"}},
			{Name: "refund", Examples: []string{"i want my money back", "refund my order", "how long does a refund take", "money back please"}},
		},
		OutOfScope: []string{"tell me a joke", "what is the weather"},
	}
	ds := newDataset(samples(b), len(b.Intents), true, tokenize.Record(), features.Default, nil)
	o := Options{}.withDefaults()
	fold := foldsOf(ds, o)
	scores := crossValidate(ds, o, true)
	if len(scores) != 3 {
		t.Fatalf("%d score sets, want 3 (SVMs, softmax, sum)", len(scores))
	}
	factor := map[int]float64{} // fold -> softmax factor
	for i := range ds.y {
		for c := range scores[0][i] {
			svm, soft, both := scores[0][i][c], scores[1][i][c], scores[2][i][c]
			if math.Abs(soft) < 1e-3 {
				continue
			}
			k := (both - svm) / soft
			if k <= 0 {
				t.Fatalf("example %d class %d: sum %v = SVMs %v + %v x softmax %v", i, c, both, svm, k, soft)
			}
			if want, ok := factor[fold[i]]; !ok {
				factor[fold[i]] = k
			} else if math.Abs(k-want) > 1e-3*want {
				t.Errorf("fold %d: softmax factor %v, elsewhere %v", fold[i], k, want)
			}
		}
	}
	if len(factor) != o.Folds {
		t.Errorf("factors of %d folds, want %d", len(factor), o.Folds)
	}
}

// TestProgress checks that training reports each cross-validation fold
// with the models it trains, then the final model.
func TestProgress(t *testing.T) {
	b := &bot.Bot{
		Name: "progress", Languages: []string{"en"},
		Intents: []bot.Intent{
			{Name: "card_lost", Examples: []string{"i cannot find my card", "where is my card", "my card is gone"}},
			{Name: "refund", Examples: []string{"i want my money back", "refund my order", "money back please"}},
		},
	}
	var steps []string
	_, rep, err := Train(b, Options{Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"cross-validation fold 1 of 3: svm, softmax",
		"cross-validation fold 2 of 3: svm, softmax",
		"cross-validation fold 3 of 3: svm, softmax",
		"final model: " + rep.Solver,
	}
	if !slices.Equal(steps, want) {
		t.Errorf("steps %q, want %q", steps, want)
	}
}

// TestProgressRerun checks that, when cross-validation runs twice (the
// out-of-scope class with background examples took the whole budget, as
// in the demo bot), the progress report names each run and why the second.
func TestProgressRerun(t *testing.T) {
	b, err := bot.Load("../testdata/bots/demo/bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	_, rep, err := Train(b, Options{Progress: func(s string) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Background != 0 {
		t.Fatalf("the demo bot kept %d background examples; this test needs a bot that drops them", rep.Background)
	}
	var cv []string
	for _, s := range steps {
		if strings.HasPrefix(s, "cross-validation") || strings.HasPrefix(s, "the out-of-scope class") {
			cv = append(cv, s)
		}
	}
	want := []string{
		"cross-validation with background out-of-scope examples, fold 1 of 3: svm, softmax",
		"cross-validation with background out-of-scope examples, fold 2 of 3: svm, softmax",
		"cross-validation with background out-of-scope examples, fold 3 of 3: svm, softmax",
		"the out-of-scope class took the whole rejection budget: cross-validating again without the background examples",
		"cross-validation without background out-of-scope examples, fold 1 of 3: svm, softmax",
		"cross-validation without background out-of-scope examples, fold 2 of 3: svm, softmax",
		"cross-validation without background out-of-scope examples, fold 3 of 3: svm, softmax",
	}
	if !slices.Equal(cv, want) {
		t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(cv, "\n"), strings.Join(want, "\n"))
	}
}
