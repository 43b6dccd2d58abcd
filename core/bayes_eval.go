package core

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// WeightEvaluation holds bounds of a model with Bayesian weights, in nats per
// example, averaged over weight draws.
type WeightEvaluation struct {
	Samples int // weight draws (passes of Evaluate with sampled weights)
	K       int // importance samples per row in each pass

	// ELBO is E_q(w) E_q(z|x,w)[log p(x,z|w) − log q(z|x,w)] over rows.
	ELBO float64
	// IWAE is the mean over draws of Evaluate's importance-weighted bound.
	// Every importance sample decodes under its own weight draw, so as K
	// grows it tends to log E_q(w) p(x|w), the predictive log-likelihood.
	IWAE float64
	// WeightKL is KL(q(w)‖p(w)) for the whole network.
	WeightKL float64
	// Bound is ELBO − WeightKL/N, N the training-set size: the per-example
	// share of the Bayes-by-backprop bound on log p(data) with the weights
	// integrated out, the quantity training maximises.
	Bound float64
	// MeanWeightsELBO is the ELBO under the mean weights, for comparison
	// with point-weight models and with the sampled ELBO.
	MeanWeightsELBO float64
}

// EvaluateWeights evaluates m on the rows of x with `samples` passes of
// Evaluate (k importance samples each) under weights drawn from q(w), and
// once under the mean weights. trainSize is the N of the training set that
// scales the weight KL. With point weights every pass is the same model, so
// ELBO is an ordinary multi-sample ELBO and WeightKL is 0.
func (m *Model) EvaluateWeights(x *mat.Dense, k, samples, trainSize int, rng *rand.Rand) (WeightEvaluation, error) {
	if samples < 1 || k < 1 {
		return WeightEvaluation{}, fmt.Errorf("core: %d weight samples and %d importance samples, want ≥ 1", samples, k)
	}
	if trainSize < 1 {
		return WeightEvaluation{}, fmt.Errorf("core: training-set size %d, want ≥ 1", trainSize)
	}
	ev := WeightEvaluation{Samples: samples, K: k, WeightKL: m.WeightKL()}
	prev := m.Noise.Rng
	m.Noise.Rng = nil
	ev.MeanWeightsELBO = m.Evaluate(x, k, rng).ELBO
	m.Noise.Rng = rng
	for range samples {
		e := m.Evaluate(x, k, rng)
		ev.ELBO += e.ELBO
		ev.IWAE += e.IWAE
	}
	m.Noise.Rng = prev
	ev.ELBO /= float64(samples)
	ev.IWAE /= float64(samples)
	ev.Bound = ev.ELBO - ev.WeightKL/float64(trainSize)
	return ev, nil
}
