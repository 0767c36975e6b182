package jsonw

import (
	"encoding/json"
	"math"
	"testing"
)

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", `"quoted" \ back`, "new\nline\ttab\rcr", "\x00\x01\x1f", "<a href='x'>&</a>",
		"Fälligkeit €", "\xff\xfe bad \xc3", "line\u2028sep\u2029", "emoji 🙂",
		"ä\"x", "x\u2028", "\xc3(", "a&b<c>d", "\x7f del", "end\\",
	} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, want %s (encoding/json)", s, got, want)
		}
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	floats := []float64{0, 1, -2.5, 0.123456, 1e-6, 1e-7, 3.5e-9, 1e20, 1e21, 1.5e300, 0.1234567, 1 + 1e-6, 0.5e-6}
	// Every six-decimal probability, as replies round them, and its
	// neighbours that are not one.
	for n := 0; n <= 1e6; n++ {
		f := math.Round(float64(n)) / 1e6
		floats = append(floats, f, math.Nextafter(f, 2))
	}
	for _, f := range floats {
		want, _ := json.Marshal(f)
		if got := AppendFloat(nil, f); string(got) != string(want) {
			t.Fatalf("AppendFloat(%v) = %s, want %s (encoding/json)", f, got, want)
		}
	}
}
