package core

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Hyper are the hyperparameters a user may change between any two steps.
type Hyper struct {
	LearningRate float64 // Adam step size
	Beta         float64 // KL weight after warm-up
	WarmupSteps  int     // KL weight rises linearly from 0 to Beta over these steps (0 = off)
	FreeBits     float64 // nats per latent dimension (0 = off)
	ClipNorm     float64 // global gradient-norm clip (0 = off)
	// LowerLROnDivergence halves the learning rate after a step is skipped
	// for a non-finite loss or gradient.
	LowerLROnDivergence bool
	// MMDWeight λ ≥ 0 adds λ·MMD²(codes, prior samples) to the loss
	// (InfoVAE/WAE); MMDKernel is "imq" (default) or "rbf". See MMD2.
	MMDWeight float64
	MMDKernel string
	// Binarize draws every mini-batch afresh as binary data: each value v,
	// which must lie in [0, 1], becomes 1 with probability v, from the
	// trainer's seeded source ("dynamic binarisation"). It is how a Bernoulli
	// likelihood is meant to meet grey images: the model sees a new binary
	// sample of each image every epoch, which regularises it and makes its
	// bound comparable with the literature's. Score such a model on a test
	// split binarised once (BinarizeTestSplit). Steps on data outside [0, 1]
	// are refused with a reason.
	Binarize bool
}

// DefaultHyper are sensible starting values.
func DefaultHyper() Hyper {
	return Hyper{LearningRate: 1e-3, Beta: 1, ClipNorm: 100, LowerLROnDivergence: true}
}

// Validate checks the ranges (values may come from a URL).
func (h Hyper) Validate() error {
	switch {
	case !(h.LearningRate > 0 && h.LearningRate <= 1):
		return fmt.Errorf("core: learning rate %g outside (0, 1]", h.LearningRate)
	case !(h.Beta >= 0 && h.Beta <= 1000):
		return fmt.Errorf("core: β %g outside [0, 1000]", h.Beta)
	case h.WarmupSteps < 0 || h.WarmupSteps > 1e8:
		return fmt.Errorf("core: warm-up %d steps outside [0, 1e8]", h.WarmupSteps)
	case !(h.FreeBits >= 0 && h.FreeBits <= 100):
		return fmt.Errorf("core: free bits %g outside [0, 100]", h.FreeBits)
	case !(h.ClipNorm >= 0 && h.ClipNorm <= 1e12):
		return fmt.Errorf("core: clip norm %g outside [0, 1e12]", h.ClipNorm)
	case !(h.MMDWeight >= 0 && h.MMDWeight <= 1e4):
		return fmt.Errorf("core: MMD weight %g outside [0, 1e4]", h.MMDWeight)
	}
	if err := checkMMDKernel(h.MMDKernel); err != nil {
		return err
	}
	return nil
}

// StepResult reports one training step.
type StepResult struct {
	Stats
	Step     int     // steps taken so far (including this one, skipped or not)
	Epoch    int     // completed passes over the data
	Beta     float64 // effective KL weight used (after warm-up)
	GradNorm float64 // before clipping
	// Skipped is set when the loss or a gradient was not finite: the
	// parameters were left untouched. Reason says which, and LearningRate is
	// the (possibly lowered) rate for the next step.
	Skipped      bool
	Reason       string
	LearningRate float64
}

// Trainer runs one optimisation step per call on shuffled mini-batches.
type Trainer struct {
	Model *Model
	Opt   *Adam
	Hyper Hyper
	Batch int

	data   *mat.Dense
	inUnit bool      // every value of data lies in [0, 1] (Binarize needs it)
	src    *rand.PCG // kept to checkpoint the random state
	rng    *rand.Rand
	perm   []int
	cursor int
	epoch  int
	steps  int
	batch  mat.Dense
}

// NewTrainer prepares training of m on the rows of x, with mini-batches of
// the given size and randomness from a PCG seeded with seed.
func NewTrainer(m *Model, x *mat.Dense, batch int, h Hyper, seed uint64) (*Trainer, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	t := &Trainer{Model: m, Opt: NewAdam(m.Params.Len(), h.LearningRate), Hyper: h, src: src, rng: rand.New(src)}
	if err := t.SetData(x, batch); err != nil {
		return nil, err
	}
	return t, nil
}

// SetData replaces the training set (drawn points change it) and the batch
// size; the next step starts a new epoch.
func (t *Trainer) SetData(x *mat.Dense, batch int) error {
	if x == nil {
		return errors.New("core: no training data")
	}
	n, c := x.Dims()
	if c != t.Model.Config.DataDim {
		return fmt.Errorf("core: data has %d columns, model expects %d", c, t.Model.Config.DataDim)
	}
	if n < 1 {
		return errors.New("core: empty training data")
	}
	if batch < 1 || batch > 1<<16 {
		return fmt.Errorf("core: batch size %d outside [1, 65536]", batch)
	}
	t.data, t.Batch = x, min(batch, n)
	t.inUnit = inUnitInterval(x)
	t.perm = make([]int, n)
	for i := range t.perm {
		t.perm[i] = i
	}
	t.cursor = n // shuffle on the next step
	return nil
}

// RNG is the trainer's random source (views that sample share it only when
// they want to perturb training's sequence; they usually bring their own).
func (t *Trainer) RNG() *rand.Rand { return t.rng }

// Steps is the number of steps taken.
func (t *Trainer) Steps() int { return t.steps }

// Epoch is the number of completed passes.
func (t *Trainer) Epoch() int { return t.epoch }

// nextBatch copies the next mini-batch rows into t.batch, reshuffling at the
// end of each epoch. The last batch of an epoch holds the rows left over
// (n mod Batch of them), so every row is seen once per epoch: dropping them
// would never train on some rows when n is small against the batch. The
// loss is a mean over rows, so a smaller batch keeps its scale; the buffers
// only shrink, so it allocates nothing.
func (t *Trainer) nextBatch() *mat.Dense {
	n, c := t.data.Dims()
	if t.cursor >= n {
		if t.steps > 0 {
			t.epoch++
		}
		t.rng.Shuffle(n, func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
		t.cursor = 0
	}
	rows := min(t.Batch, n-t.cursor)
	reshape(&t.batch, rows, c)
	b := data(&t.batch)
	raw := t.data.RawMatrix()
	for r := range rows {
		i := t.perm[t.cursor+r]
		copy(b[r*c:(r+1)*c], raw.Data[i*raw.Stride:i*raw.Stride+c])
	}
	t.cursor += rows
	if t.Hyper.Binarize {
		binarizeInPlace(b, t.rng)
	}
	return &t.batch
}

// EffectiveBeta is the KL weight at the current step under warm-up.
func (t *Trainer) EffectiveBeta() float64 {
	if t.Hyper.WarmupSteps <= 0 {
		return t.Hyper.Beta
	}
	return float64(t.Hyper.Beta * min(1, float64(t.steps+1)/float64(t.Hyper.WarmupSteps)))
}

// Step takes one optimisation step on the next mini-batch. A step whose loss
// or gradient is not finite leaves the parameters and optimiser moments
// untouched and says so.
func (t *Trainer) Step() StepResult {
	// Hyper is a plain struct a UI writes into; an out-of-range value is
	// refused here rather than trained on.
	if err := t.Hyper.Validate(); err != nil {
		return StepResult{Step: t.steps, Epoch: t.epoch, Skipped: true, Reason: err.Error(), LearningRate: t.Hyper.LearningRate}
	}
	if t.Hyper.Binarize && !t.inUnit {
		return StepResult{Step: t.steps, Epoch: t.epoch, Skipped: true, LearningRate: t.Hyper.LearningRate,
			Reason: "binarisation needs data in [0, 1]; these data leave it"}
	}
	x := t.nextBatch()
	rows, _ := t.data.Dims()
	obj := Objective{Beta: t.EffectiveBeta(), FreeBits: t.Hyper.FreeBits, WeightKLScale: 1 / float64(rows),
		MMDWeight: t.Hyper.MMDWeight, MMDKernel: t.Hyper.MMDKernel}
	st := t.Model.Gradient(x, obj, t.rng)
	t.steps++
	res := StepResult{Stats: st, Step: t.steps, Epoch: t.epoch, Beta: obj.Beta}
	grads := t.Model.Params.Grads()
	res.GradNorm = globalNorm(grads)
	switch {
	case math.IsNaN(st.Loss) || math.IsInf(st.Loss, 0):
		res.Skipped, res.Reason = true, "loss is not finite"
	case math.IsNaN(res.GradNorm) || math.IsInf(res.GradNorm, 0):
		res.Skipped, res.Reason = true, "gradient is not finite"
	}
	if res.Skipped {
		if t.Hyper.LowerLROnDivergence {
			t.Hyper.LearningRate = max(t.Hyper.LearningRate/2, 1e-7)
			res.Reason += ": lowered the learning rate"
		}
		res.LearningRate = t.Hyper.LearningRate
		return res
	}
	// Clipping scales the gradient inside Adam's pass (the slab keeps the
	// unclipped gradient).
	gs := 1.0
	if c := t.Hyper.ClipNorm; c > 0 && res.GradNorm > c {
		gs = c / res.GradNorm
	}
	t.Opt.LR = t.Hyper.LearningRate
	t.Opt.UpdateScaled(t.Model.Params.Values(), grads, gs)
	res.LearningRate = t.Hyper.LearningRate
	return res
}
