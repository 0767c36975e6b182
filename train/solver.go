package train

import (
	"math"

	"github.com/lotse-chat/lotse/internal/linear"
)

// solver trains the linear model of a problem.
type solver struct {
	name  string
	train func(*linear.Problem, Options) linear.Weights
}

var (
	// svm is one-vs-rest L2-loss SVMs: fast, and the best of the solvers
	// tried on bots with many examples an intent.
	svm = solver{"svm", trainSVM}
	// softmax is multinomial logistic regression. With ten examples an
	// intent it beat the SVMs by 1.6 points on Banking77 samples (mean of
	// 5, tested on the rest of the training set; PEERS.md found 2.2 points
	// with scikit-learn), but it lost on the demo bot, whose out-of-scope
	// class then takes more in-scope messages: chooseSolver decides per bot.
	softmax = solver{"softmax", trainSoftmax}
	// both is the sum of the two models, one linear model as small and
	// fast as either. The SVMs are trained one class against the rest, the
	// softmax all classes at once, and where they disagree the sum is right
	// more often than either: HWU64 0.887 to 0.889 cross-validated
	// (RATIONALE.md, "The SVMs and the softmax, summed").
	both = solver{"svm+softmax", func(p *linear.Problem, o Options) linear.Weights {
		return sum(trainSVM(p, o), trainSoftmax(p, o))
	}}
)

func trainSVM(p *linear.Problem, o Options) linear.Weights {
	return linear.Train(p, solverParams(o))
}

func trainSoftmax(p *linear.Problem, _ Options) linear.Weights {
	return linear.TrainSoftmax(p, linear.Params{C: softmaxC, MaxIter: softmaxIter})
}

// sum adds the softmax's weights to the SVMs' in place, scaled to the same
// Euclidean norm, and returns them: unscaled, the softmax's weights are
// several times as large (3.7 times on HWU64) and would drown the SVMs'.
func sum(svms, soft linear.Weights) linear.Weights {
	var a, b float64
	for c := range svms {
		for j := range svms[c] {
			a += float64(svms[c][j]) * float64(svms[c][j])
			b += float64(soft[c][j]) * float64(soft[c][j])
		}
	}
	if b == 0 {
		return svms
	}
	k := float32(math.Sqrt(a / b))
	for c := range svms {
		for j := range svms[c] {
			svms[c][j] += k * soft[c][j]
		}
	}
	return svms
}

const (
	// softmaxC is the softmax's inverse regularization strength (tried on
	// the Banking77 10-shot samples: 10, 100 and 1000 within 0.4 points).
	softmaxC = 100
	// softmaxIter bounds the L-BFGS iterations; 50 and 200 gave the same
	// accuracy on the Banking77 10-shot samples.
	softmaxIter = 100
	// softmaxWork bounds examples times classes of the bots for which the
	// softmax is tried. It costs ten to twenty times the SVMs (Banking77,
	// 9,999 examples x 77 classes: 33 s to train instead of 3 s on two
	// cores), so the biggest bots (CLINC150, 15,100 x 151: 116 s instead
	// of 12 s), whose SVMs gain least from it, skip it.
	softmaxWork = 1_000_000
)

// chooseSolver cross-validates the SVMs and, for bots within softmaxWork,
// the softmax and the sum of both, and returns the solver with the best
// cross-validated in-scope accuracy at its operating point (the earlier
// in that order on a tie), with its calibration.
func chooseSolver(ds *dataset, o Options) (solver, calibration) {
	svs := []solver{svm}
	if len(ds.y)*ds.classes <= softmaxWork {
		svs = append(svs, softmax, both)
	}
	scores := crossValidate(ds, o, len(svs) > 1)
	best, cal := svs[0], calibrate(scores[0], ds, o.RejectBudget)
	for i, sv := range svs[1:] {
		if c := calibrate(scores[i+1], ds, o.RejectBudget); c.accuracy > cal.accuracy {
			best, cal = sv, c
		}
	}
	return best, cal
}
