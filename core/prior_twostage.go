package core

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Two-stage defaults (Dai & Wipf 2019 use a second VAE of the same latent
// size as the first; small hidden layers suffice for low-dimensional codes).
var DefaultStageHidden = []int{64, 64}

const (
	// DefaultStageBatch is the stage-two mini-batch size.
	DefaultStageBatch = 100
	// DefaultStageScoreSamples is k in the k-sample IWAE score of a code.
	DefaultStageScoreSamples = 64
	// stageSeed seeds the stage-two weights when the prior is built from a
	// config (Build has no random source); Reset reseeds them.
	stageSeed = 0x5eed2
)

// TwoStagePrior is the two-stage VAE of Dai & Wipf (2019). Stage one is an
// ordinary VAE with the standard normal prior: during stage-one training
// this prior *is* N(0, I) (Dim, LogProb, LogProbBackward, Sample, and the
// analytic KL come from the embedded StandardNormal), because the stage-two
// density below has no usable gradient in z while it is itself being fitted.
// Stage two is a second, small VAE (Stage) trained on stage-one codes
// z = μ(x) + σ(x)·ε, which learns the aggregate posterior that N(0, I) only
// approximates. It is used after (or alongside) stage one to generate codes
// (its prior → its decoder, with the decoder's noise) and to score them.
//
// The score of a code is the k-sample importance-weighted bound of the
// second VAE, log (1/k) Σ p(z|uᵢ)p(uᵢ)/q(uᵢ|z): the only tractable density
// of a VAE. exp of it is an unbiased estimate of p₂(z) (its log is biased low
// by O(1/k)), which is what makes density views and grid integrals of it
// meaningful.
type TwoStagePrior struct {
	StandardNormal

	Stage   *Model   // the second VAE: data = stage-one codes, Gaussian likelihood
	Trainer *Trainer // stage two's training loop; nil until SetCodes
	Hyper   Hyper    // stage two's hyperparameters (used from the next SetCodes)

	hidden []int
	latent int
}

// NewTwoStagePrior builds the prior for stage-one latent dimension d with a
// second VAE d → hidden → latent, its weights drawn from a PCG seeded with
// seed. Zero latent means d; nil hidden means DefaultStageHidden.
func NewTwoStagePrior(d int, hidden []int, latent int, seed uint64) (*TwoStagePrior, error) {
	if latent == 0 {
		latent = d
	}
	if hidden == nil {
		hidden = DefaultStageHidden
	}
	p := &TwoStagePrior{StandardNormal: StandardNormal{D: d}, Hyper: DefaultHyper(), hidden: slices.Clone(hidden), latent: latent}
	return p, p.Reset(seed)
}

// Reset redraws the second VAE's weights from seed and drops its trainer.
func (p *TwoStagePrior) Reset(seed uint64) error {
	cfg := Config{
		DataDim: p.D, LatentDim: p.latent,
		EncoderHidden: p.hidden, DecoderHidden: p.hidden,
		Activation: "tanh", Likelihood: "gaussian", Variance: VariancePerDim,
		Prior: PriorConfig{Kind: "standard"},
	}
	m, err := NewModel(cfg, rand.New(rand.NewPCG(seed, seed^0x2545f4914f6cdd1d)))
	if err != nil {
		return fmt.Errorf("core: second-stage VAE: %s", strings.TrimPrefix(err.Error(), "core: "))
	}
	p.Stage, p.Trainer = m, nil
	return nil
}

// EncodeCodes writes one code per row of x drawn from stage one's posterior
// (μ + σ·ε, through the posterior flow when there is one): stage two's data.
func EncodeCodes(dst *mat.Dense, stageOne *Model, x *mat.Dense, rng *rand.Rand) {
	stageOne.SamplePosterior(dst, x, rng)
}

// SetCodes gives stage two its training set (rows of stage-one codes) and
// starts a trainer over it with the given batch size and seed; the weights
// carry on from where they are.
func (p *TwoStagePrior) SetCodes(codes *mat.Dense, batch int, seed uint64) error {
	if codes == nil {
		return errors.New("core: no codes")
	}
	raw := codes.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		if !finite(raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]) {
			return fmt.Errorf("core: code %d is not finite", i)
		}
	}
	t, err := NewTrainer(p.Stage, codes, batch, p.Hyper, seed)
	if err != nil {
		return err
	}
	p.Trainer = t
	return nil
}

// FitStep takes one stage-two training step.
func (p *TwoStagePrior) FitStep() (StepResult, error) {
	if p.Trainer == nil {
		return StepResult{}, errors.New("core: two-stage prior has no codes (call SetCodes)")
	}
	return p.Trainer.Step(), nil
}

// SampleCodes writes draws from the stage-two model into dst: u ~ N(0, I),
// z ~ N(dec(u), diag σ²) with stage two's learnt decoder variance, so that
// the samples follow the density that ScoreCodes estimates.
func (p *TwoStagePrior) SampleCodes(dst *mat.Dense, rng *rand.Rand) {
	n, _ := dst.Dims()
	u := mat.NewDense(n, p.latent, nil)
	p.Stage.Prior.Sample(u, rng)
	out := p.Stage.Dec.Forward(u)
	p.Stage.Lik.Sample(dst, out, rng)
}

// Generate writes n stage-one decoded samples E[x|z], z from SampleCodes:
// the two-stage model's generations.
func (p *TwoStagePrior) Generate(dst *mat.Dense, stageOne *Model, n int, rng *rand.Rand) {
	z := mat.NewDense(n, p.D, nil)
	p.SampleCodes(z, rng)
	stageOne.Decode(dst, z)
}

// ScoreCodes writes the k-sample IWAE estimate of log p₂(zᵢ) for the rows of
// z into dst (k ≤ 0 means DefaultStageScoreSamples).
func (p *TwoStagePrior) ScoreCodes(dst []float64, z *mat.Dense, k int, rng *rand.Rand) {
	if k <= 0 {
		k = DefaultStageScoreSamples
	}
	ev := p.Stage.Evaluate(z, k, rng)
	copy(dst, ev.RowIWAE)
}

func init() {
	RegisterPrior(PriorKind{
		Name:        "two-stage",
		Description: "two-stage VAE: stage one trains with N(0, I); a second VAE fitted to its codes generates and scores them",
		Options:     []string{"StageHidden", "StageLatent"},
		Build: func(ps *Params, cfg PriorConfig, env PriorEnv) (Prior, error) {
			return NewTwoStagePrior(env.Config.LatentDim, cfg.StageHidden, cfg.StageLatent, stageSeed)
		},
	})
}

// exportState returns the second VAE's parameters, which live outside the
// stage-one model's slab, so checkpoints keep a fitted two-stage prior. Its
// trainer (optimiser moments, codes) is not kept: SetCodes starts a new one.
func (p *TwoStagePrior) exportState() []float64 { return p.Stage.Params.Export(nil) }

func (p *TwoStagePrior) importState(src []float64) error { return p.Stage.Params.Import(src) }
