package lotse

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lotse-chat/lotse/internal/features"
	"github.com/lotse-chat/lotse/internal/modelfile"
)

// randomRows returns a model with random sparse weights over dim buckets:
// each row holds a random share of the classes, so that both row layouts
// of weights occur.
func randomRows(rng *rand.Rand, classes, dim int) *modelfile.Model {
	f := &modelfile.Model{Intents: make([]modelfile.Intent, classes), RowStart: make([]uint32, dim+1)}
	for b := range dim {
		share := rng.Float64()
		for c := range classes {
			if rng.Float64() < share {
				f.Class = append(f.Class, uint16(c))
				f.Weight = append(f.Weight, int8(rng.IntN(255)-127))
			}
		}
		f.RowStart[b+1] = uint32(len(f.Class))
	}
	return f
}

// TestWeightsAccumulate compares accumulate with the plain sum over the
// model file's rows, for odd and even class counts and for messages with
// more dense rows than one integer flush holds.
func TestWeightsAccumulate(t *testing.T) {
	tests := []struct {
		name            string
		classes, dim, n int
	}{
		{"one class", 1, 16, 10},
		{"odd classes", 151, 64, 40},
		{"even classes", 40, 64, 40},
		{"long message", 77, 1024, 3 * flushEvery},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := randomRows(rng, tt.classes, tt.dim)
			w := newWeights(f)
			var fs []features.Feature
			for range tt.n {
				fs = append(fs, features.Feature{Index: uint32(rng.IntN(tt.dim)), Value: rng.Float32()})
			}
			got := make([]float64, tt.classes)
			w.accumulate(got, make([]uint64, w.lanesPerRow()), fs)
			want := make([]float64, tt.classes)
			for _, ft := range fs {
				for k := f.RowStart[ft.Index]; k < f.RowStart[ft.Index+1]; k++ {
					want[f.Class[k]] += float64(ft.Value) * float64(f.Weight[k])
				}
			}
			for c := range want {
				// Dense rows round each value to a multiple of 1/valueOne.
				tol := float64(tt.n)*127*0.5/valueOne + 1e-9
				if math.Abs(got[c]-want[c]) > tol {
					t.Fatalf("class %d: got %v, want %v (tolerance %v)", c, got[c], want[c], tol)
				}
			}
		})
	}
}
