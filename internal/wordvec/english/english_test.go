package english

import (
	"testing"

	"github.com/lotse-chat/lotse/internal/wordvec"
)

func TestTable(t *testing.T) {
	tab, err := Table()
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Words) != 50000 {
		t.Errorf("table has %d words, want 50000", len(tab.Words))
	}
	// Related words lie closer than unrelated ones: the table is real
	// word vectors, not noise from a broken build.
	v := func(w string) []float32 {
		dst := make([]float32, wordvec.Dims)
		if !tab.Mean(dst, []string{w}, 1) {
			t.Fatalf("table lacks %q", w)
		}
		return dst
	}
	cos := func(a, b []float32) (s float32) {
		for k := range a {
			s += a[k] * b[k]
		}
		return s
	}
	money, cash, weather := v("money"), v("cash"), v("weather")
	if cos(money, cash) <= cos(money, weather) {
		t.Errorf("cos(money, cash) = %.2f is not above cos(money, weather) = %.2f", cos(money, cash), cos(money, weather))
	}
}
