package train

import "github.com/lotse-chat/lotse/internal/linear"

// solver trains the linear model of a problem.
type solver struct {
	name  string
	train func(*linear.Problem, Options) linear.Weights
}

var (
	// svm is one-vs-rest L2-loss SVMs: fast, and the best of the solvers
	// tried on bots with many examples an intent.
	svm = solver{"svm", func(p *linear.Problem, o Options) linear.Weights {
		return linear.Train(p, solverParams(o))
	}}
	// softmax is multinomial logistic regression. With ten examples an
	// intent it beat the SVMs by 1.6 points on Banking77 samples (mean of
	// 5, tested on the rest of the training set; PEERS.md found 2.2 points
	// with scikit-learn), but it lost on the demo bot, whose out-of-scope
	// class then takes more in-scope messages: chooseSolver decides per bot.
	softmax = solver{"softmax", func(p *linear.Problem, o Options) linear.Weights {
		return linear.TrainSoftmax(p, linear.Params{C: softmaxC, MaxIter: softmaxIter})
	}}
)

const (
	// softmaxC is the softmax's inverse regularization strength (tried on
	// the Banking77 10-shot samples: 10, 100 and 1000 within 0.4 points).
	softmaxC = 100
	// softmaxIter bounds the L-BFGS iterations; 50 and 200 gave the same
	// accuracy on the Banking77 10-shot samples.
	softmaxIter = 100
	// softmaxWork bounds examples times classes of the bots for which the
	// softmax is tried. It costs about 20 times the SVMs (Banking77 10-shot,
	// 770 examples x 77 classes: training took 0.3 s, now 5-7 s on two
	// cores, 200 MB), so big bots, whose SVMs are fine, skip it.
	softmaxWork = 120_000
)

// chooseSolver cross-validates the SVMs and, for small bots, the softmax,
// and returns the solver with the better cross-validated in-scope accuracy
// at its operating point (the SVMs on a tie), with its calibration.
func chooseSolver(ds *dataset, o Options) (solver, calibration) {
	cal := calibrate(crossValidate(ds, o, svm), ds)
	if len(ds.y)*ds.classes > softmaxWork {
		return svm, cal
	}
	if sc := calibrate(crossValidate(ds, o, softmax), ds); sc.accuracy > cal.accuracy {
		return softmax, sc
	}
	return svm, cal
}
