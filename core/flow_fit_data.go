package core

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// DataFitConfig is how a DataFlowFitter fits a flow to points.
type DataFitConfig struct {
	// Flow is the layer kind, the depth K and the initialisation.
	Flow FlowConfig
	// Batch is the number of points per step, drawn uniformly with
	// replacement (0 = 256).
	Batch int
	// LearningRate is Adam's step size (0 = 10⁻³).
	LearningRate float64
	// ClipNorm bounds the gradient's norm (0 = 100).
	ClipNorm float64
}

// DataFlowFitter fits a flow density p(x) = N(g(x); 0, I)·|det ∂g/∂x| to
// data points by maximum likelihood: log p is evaluated in the normalising
// direction g = g_K∘…∘g₁, exactly as the flow prior does (it is a
// FlowPrior), and samples come through the inverse. It is driven one Step
// at a time.
//
// In the sampling direction the layers run g_K⁻¹ first and g₁⁻¹ last, so
// stage k (FlowFitter) is the distribution of g_{K−k+1}⁻¹∘…∘g_K⁻¹(ε).
type DataFlowFitter struct {
	Config DataFitConfig
	Flow   *FlowPrior
	Params Params
	Opt    *Adam

	train, heldOut *mat.Dense
	rng            *rand.Rand
	steps          int
	batch          *mat.Dense
	logp, g        []float64
	views          []Flow
}

// NewDataFlowFitter builds a fit of the configured flow to the rows of
// train; heldOut (may be nil) scores it. Both must have the same number of
// columns (at most MaxLatentDim) and finite values; neither is copied, so
// keep them unchanged while fitting.
func NewDataFlowFitter(train, heldOut *mat.Dense, cfg DataFitConfig, seed uint64) (*DataFlowFitter, error) {
	if err := fitDefaults(&cfg.Flow, &cfg.Batch, &cfg.LearningRate, &cfg.ClipNorm); err != nil {
		return nil, err
	}
	if train == nil || train.IsEmpty() {
		return nil, errors.New("core: no training points")
	}
	_, d := train.Dims()
	if d > MaxLatentDim {
		return nil, fmt.Errorf("core: %d-dimensional points, at most %d", d, MaxLatentDim)
	}
	if !finite(mat.DenseCopyOf(train).RawMatrix().Data) {
		return nil, errors.New("core: training points are not all finite")
	}
	if heldOut != nil && !heldOut.IsEmpty() {
		if _, hd := heldOut.Dims(); hd != d {
			return nil, fmt.Errorf("core: held-out points have %d columns, training points %d", hd, d)
		}
		if !finite(mat.DenseCopyOf(heldOut).RawMatrix().Data) {
			return nil, errors.New("core: held-out points are not all finite")
		}
	} else {
		heldOut = nil
	}
	f := &DataFlowFitter{Config: cfg, train: train, heldOut: heldOut, rng: rand.New(rand.NewPCG(seed, seed^0xda7a))}
	fp, err := NewFlowPriorFromConfig(&f.Params, cfg.Flow, d)
	if err != nil {
		return nil, err
	}
	f.Flow = fp
	f.Params.Allocate(f.rng)
	f.Opt = NewAdam(f.Params.Len(), cfg.LearningRate)
	for _, l := range fp.Layers {
		f.views = append(f.views, cloneLayer(l))
	}
	f.batch = mat.NewDense(cfg.Batch, d, nil)
	f.logp, f.g = make([]float64, cfg.Batch), make([]float64, cfg.Batch)
	for i := range f.g {
		f.g[i] = -1 / float64(cfg.Batch) // the loss is −mean log p
	}
	return f, nil
}

// Step draws a batch of training points and takes one Adam step on their
// mean negative log-likelihood, which it returns (nats per point). A step
// whose gradient is not finite changes no parameter. It allocates nothing.
func (f *DataFlowFitter) Step() float64 {
	rows, _ := f.train.Dims()
	for i := range f.Config.Batch {
		copy(f.batch.RawRowView(i), f.train.RawRowView(f.rng.IntN(rows)))
	}
	nll := f.lossAndGrad()
	adamStep(f.Opt, &f.Params, f.Config.ClipNorm)
	f.steps++
	return nll
}

// lossAndGrad returns the mean −log p of the points in batch and writes its
// gradient into the parameters' gradient slab.
func (f *DataFlowFitter) lossAndGrad() float64 {
	f.Flow.LogProb(f.logp, f.batch)
	nll := 0.0
	for _, v := range f.logp {
		nll -= v
	}
	f.Params.ZeroGrads()
	f.Flow.LogProbBackward(nil, f.g)
	return nll / float64(f.Config.Batch)
}

// HeldOutNLL is the mean −log p over the held-out points in nats per point
// (NaN without held-out points).
func (f *DataFlowFitter) HeldOutNLL() float64 {
	if f.heldOut == nil {
		return math.NaN()
	}
	n, _ := f.heldOut.Dims()
	logp := make([]float64, n)
	f.Flow.LogDensity(logp, f.heldOut)
	s := 0.0
	for _, v := range logp {
		s -= v
	}
	return s / float64(n)
}

// StepCount is how many steps were taken.
func (f *DataFlowFitter) StepCount() int { return f.steps }

// NumLayers is K.
func (f *DataFlowFitter) NumLayers() int { return len(f.Flow.Layers) }

// LayerTheta is the θ row of the k-th layer in the sampling direction, that
// is of g_{K−k} (a view into the parameters; the layer runs inverted).
func (f *DataFlowFitter) LayerTheta(k int) []float64 {
	return f.Flow.LayerTheta(len(f.Flow.Layers) - 1 - k)
}

// LogDensity writes the model's log p(x) for the rows of x into dst (the
// flow prior's fast grid path).
func (f *DataFlowFitter) LogDensity(dst []float64, x *mat.Dense) { f.Flow.LogDensity(dst, x) }

// StageLogDensity writes log q_k(z) of stage k: the last k normalising
// layers g_{K−k+1} … g_K applied to z, then N(0, I) and their log-dets.
func (f *DataFlowFitter) StageLogDensity(dst []float64, z *mat.Dense, k int) {
	f.stageView().LogDensity(dst, z, k)
}

func (f *DataFlowFitter) theta(k int) *mat.Dense {
	return sharedLayerTheta(data(f.Flow.Theta.Value), k, f.Flow.p)
}

// SampleStages draws n points ε ~ N(0, I) and returns them after each
// inverted layer: stage 0 is ε, stage K samples of the model. A point whose
// inverse fails (only with non-finite parameters) is NaN.
func (f *DataFlowFitter) SampleStages(n int, rng *rand.Rand) []*mat.Dense {
	return f.stageView().Sample(n, rng)
}
