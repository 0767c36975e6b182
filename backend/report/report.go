// Package report groups the questions a bot could not answer, so that bot
// authors see which FAQs to add next.
package report

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/lotse-chat/lotse/internal/wording"
	"github.com/lotse-chat/lotse/pii"
)

// Group is a set of similar questions.
type Group struct {
	// Count is how many questions the group holds.
	Count int `json:"count"`
	// Example is the group's most frequent question, redacted.
	Example string `json:"example"`
	// Others are up to three further distinct questions of the group,
	// redacted, most frequent first.
	Others []string `json:"others,omitempty"`
}

// Threshold is the character-trigram cosine similarity from which two
// questions count as the same. 0.5 joins rephrasings that share most words
// ("how do I reset my password" / "reset password how") and keeps apart
// questions that share only filler words.
const Threshold = 0.5

// Unanswered redacts personal data from questions with the pii package and
// groups them by similarity: the normalized questions (lower case, letters
// and digits only) are compared by the cosine of their character-trigram
// counts, and each joins the most similar group whose first question is at
// least Threshold similar, or starts a new group. Questions are taken most
// frequent first, ties in byte order, so the result does not depend on the
// input order. Groups come largest first.
func Unanswered(questions []string) []Group {
	type distinct struct {
		text  string // redacted
		n     int
		grams map[string]float64
		norm  float64
	}
	byText := map[string]*distinct{}
	for _, q := range questions {
		r := strings.TrimSpace(pii.Redact(q, pii.Detect(q)))
		if r == "" {
			continue
		}
		if d := byText[r]; d != nil {
			d.n++
			continue
		}
		g := trigrams(normalize(r))
		byText[r] = &distinct{text: r, n: 1, grams: g, norm: norm(g)}
	}
	ds := make([]*distinct, 0, len(byText))
	for _, d := range byText {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(a, b *distinct) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.text, b.text))
	})
	type cluster struct {
		seed    *distinct
		members []*distinct
		count   int
	}
	var cs []*cluster
	for _, d := range ds {
		var best *cluster
		bestSim := Threshold
		for _, c := range cs {
			if s := cosine(d.grams, d.norm, c.seed.grams, c.seed.norm); s >= bestSim {
				best, bestSim = c, s
				if s == 1 {
					break
				}
			}
		}
		if best == nil {
			best = &cluster{seed: d}
			cs = append(cs, best)
		}
		best.members = append(best.members, d)
		best.count += d.n
	}
	groups := make([]Group, 0, len(cs))
	for _, c := range cs {
		g := Group{Count: c.count, Example: c.members[0].text}
		for _, m := range c.members[1:min(len(c.members), 4)] {
			g.Others = append(g.Others, m.text)
		}
		groups = append(groups, g)
	}
	slices.SortStableFunc(groups, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Example, b.Example))
	})
	return groups
}

// normalize lowercases s and keeps runs of letters and digits separated by
// single spaces.
func normalize(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// trigrams counts the character trigrams of s padded with spaces, so that
// word starts and ends count too.
func trigrams(s string) map[string]float64 {
	rs := []rune(" " + s + " ")
	g := map[string]float64{}
	for i := 0; i+3 <= len(rs); i++ {
		g[string(rs[i:i+3])]++
	}
	return g
}

func norm(g map[string]float64) float64 {
	var s float64
	for _, v := range g {
		s += v * v
	}
	return math.Sqrt(s)
}

func cosine(a map[string]float64, na float64, b map[string]float64, nb float64) float64 {
	if na == 0 || nb == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	var dot float64
	for k, v := range a {
		dot += v * b[k]
	}
	return dot / (na * nb)
}

// Summary is the headline of an unanswered-questions report: how many
// questions in how many groups, in correct English ("1 unanswered question
// in 1 group", "no unanswered questions").
func Summary(questions, groups int) string {
	if questions == 0 {
		return "no unanswered questions"
	}
	return wording.Plural(questions, "unanswered question") + " in " + wording.Plural(groups, "group")
}
