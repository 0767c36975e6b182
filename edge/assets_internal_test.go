package edge

import (
	"strings"
	"testing"
)

// TestAssetMissing checks the advice of an asset 404.
func TestAssetMissing(t *testing.T) {
	for _, tc := range []struct {
		path, name string
		exists     bool
		want       string
	}{
		{"/engine.wasm", "engine.wasm", false, "set the widget's data-wasm"},
		{"/v/0123abcd/model.lotse", "model.lotse", true, "not the current version"},
		{"/nope.js", "nope.js", false, "no asset /nope.js"},
	} {
		if got := assetMissing(tc.path, tc.name, tc.exists); !strings.Contains(got, tc.want) {
			t.Errorf("assetMissing(%q) = %q, want it to contain %q", tc.path, got, tc.want)
		}
	}
}
