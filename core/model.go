package core

import (
	"fmt"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// Model is a VAE: encoder, decoder, likelihood, prior and an optional
// posterior flow, with all parameters in one Params set. A Model is not safe
// for concurrent use: its passes share buffers. A drawing thread keeps its own
// copy and refreshes it with Params.Import.
type Model struct {
	Config Config
	Params Params
	Enc    *Encoder
	Dec    *MLP
	Lik    Likelihood
	Prior  Prior
	Flow   PosteriorFlow // nil without a posterior flow
	// Noise drives the weight sampling of Bayesian layers (Config.Bayes);
	// nil Rng means mean weights.
	Noise WeightNoise
	// TrainedOn records the data the model was trained on; the engine never
	// reads it, checkpoints keep it.
	TrainedOn DataSource

	buf   modelBuffers
	bayes bayesBuffers
}

type modelBuffers struct {
	eps, z0, zK, klMat mat.Dense
	dzK, dz0           mat.Dense
	dmu, dlv, dextra   mat.Dense
	dout, gKL          mat.Dense
	rec, logp, logq    []float64
	logdet, kl, g      []float64
	klDim              []float64
	priorSample, dmmd  mat.Dense
	mmdActive          bool
}

// NewModel builds and initialises a model from a validated config, drawing
// initial weights from rng.
func NewModel(cfg Config, rng *rand.Rand) (*Model, error) {
	m, err := declareModel(cfg)
	if err != nil {
		return nil, err
	}
	m.Params.Allocate(rng)
	return m, nil
}

// declareModel builds a model's structure and declares its parameters
// without allocating them, so a checkpoint reader can compare sizes first.
func declareModel(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.Clone()
	act, _ := ParseActivation(cfg.Activation)
	m := &Model{Config: cfg}
	ps := &m.Params
	d := cfg.LatentDim

	var flow *FlowStack
	extra := 0
	if k := cfg.PosteriorFlow.Kind; k != "" && k != "none" {
		var err error
		flow, err = NewFlowStack(ps, cfg.PosteriorFlow, d)
		if err != nil {
			return nil, err
		}
		extra = flow.HeadSize()
		m.Flow = flow
	}
	if cfg.Bayes.Encoder {
		m.Enc = NewBayesEncoder(ps, "encoder", cfg.DataDim, cfg.EncoderHidden, d, extra, act, cfg.Bayes, &m.Noise)
	} else {
		m.Enc = NewEncoder(ps, "encoder", cfg.DataDim, cfg.EncoderHidden, d, extra, act)
	}
	decSizes := append(append([]int{d}, cfg.DecoderHidden...), cfg.DataDim)
	if cfg.Bayes.Decoder {
		m.Dec = NewBayesMLP(ps, "decoder", decSizes, act, cfg.Bayes, &m.Noise)
	} else {
		m.Dec = NewMLP(ps, "decoder", decSizes, act)
	}
	switch cfg.Likelihood {
	case "bernoulli":
		m.Lik = &Bernoulli{}
	case "gaussian":
		g, err := NewGaussian(ps, cfg.DataDim, cfg.Variance)
		if err != nil {
			return nil, err
		}
		m.Lik = g
	}
	kind := cfg.Prior.Kind
	if kind == "" {
		kind = "standard"
	}
	prior, err := PriorByName(kind).Build(ps, cfg.Prior, PriorEnv{Config: cfg, Encoder: m.Enc})
	if err != nil {
		return nil, err
	}
	m.Prior = prior
	return m, nil
}

// KL estimators.
const (
	KLAnalytic   = "analytic"
	KLMonteCarlo = "monte-carlo"
)

// KLMode says how the KL term is computed: analytically when the prior has a
// closed form against the encoder's Gaussian and no posterior flow bends it,
// by Monte Carlo (log q − log p at the sample) otherwise.
func (m *Model) KLMode() string {
	if _, ok := m.Prior.(AnalyticKL); ok && m.Flow == nil {
		return KLAnalytic
	}
	return KLMonteCarlo
}

// Objective holds the weights of the loss terms for one evaluation. The
// trainer fills it from its live hyperparameters each step.
type Objective struct {
	Beta     float64 // weight of the KL term (after warm-up)
	FreeBits float64 // nats per latent dimension below which KL is not pushed down
	// WeightKLScale multiplies KL(q(w)‖p(w)) of Bayesian layers in the loss:
	// 1/N for a training set of N rows (Bayes by backprop).
	WeightKLScale float64
	// MMDWeight λ adds λ·MMD²(z_K, prior samples) to the loss (InfoVAE/WAE;
	// 0 = off); MMDKernel is MMDKernelIMQ ("" = IMQ) or MMDKernelRBF.
	MMDWeight float64
	MMDKernel string
}

// Stats are the parts of the objective on one batch, averaged over its rows.
type Stats struct {
	Loss  float64 // what is minimised: −recon + β·KL term (+ extra terms)
	ELBO  float64 // recon − KL (the unweighted bound)
	Recon float64 // E_q log p(x|z)
	KL    float64 // KL(q‖p) estimate
	// KLPerDim is the batch-mean KL of each latent dimension (analytic mode
	// only; nil under Monte Carlo, where KL does not factorise).
	KLPerDim []float64
	KLMode   string
	// WeightKL is KL(q(w)‖p(w)) of the Bayesian layers in nats, for the whole
	// network (not per row); Loss includes WeightKLScale times it. 0 with
	// point weights.
	WeightKL float64
	// MMD is the unbiased MMD² between the batch's codes z_K and as many
	// prior samples (computed only when Objective.MMDWeight > 0); Loss
	// includes MMDWeight times it.
	MMD float64
}

// Gradient evaluates the objective on batch x (rows) with one reparameterised
// sample per row, overwrites the parameter gradients with ∂Loss/∂θ, and
// returns the batch statistics. KLPerDim is a buffer owned by m.
func (m *Model) Gradient(x *mat.Dense, obj Objective, rng *rand.Rand) Stats {
	prev := m.Noise.Rng
	m.Noise.Rng = rng // Bayesian layers sample their weights from rng too
	st := m.forward(x, obj, rng)
	m.backward(x, obj, st)
	m.Noise.Rng = prev
	if m.IsBayesian() {
		// One sweep gives the weight KL and its gradient, after backward
		// has reset the slab.
		st.WeightKL = m.weightKLGradient(obj.WeightKLScale)
		st.Loss += float64(obj.WeightKLScale * st.WeightKL)
	}
	return st
}

func (m *Model) forward(x *mat.Dense, obj Objective, rng *rand.Rand) Stats {
	b := &m.buf
	n, _ := x.Dims()
	d := m.Config.LatentDim
	mu, lv, extra := m.Enc.Forward(x)
	reshape(&b.eps, n, d)
	eps := data(&b.eps)
	for i := range eps {
		eps[i] = pmath.NormFloat64(rng)
	}
	st := m.forwardFrom(x, mu, lv, extra, obj)
	// MMD term: prior samples are constants (a learnable prior gets no
	// gradient from it); its gradient for z_K is kept for backward.
	b.mmdActive = obj.MMDWeight > 0 && n >= 2
	if b.mmdActive {
		zK := &b.z0
		if m.Flow != nil {
			zK = &b.zK
		}
		reshape(&b.priorSample, n, d)
		m.Prior.Sample(&b.priorSample, rng)
		zeroed(&b.dmmd, n, d)
		st.MMD = MMD2(&b.dmmd, obj.MMDWeight, zK, &b.priorSample, obj.MMDKernel, MMDBandwidth(&b.priorSample))
		st.Loss += float64(obj.MMDWeight * st.MMD)
	}
	return st
}

// ELBOWithNoise writes each row's one-sample ELBO estimate
// log p(x|z_K) − KL into elbo, and its two parts into recon and kl (each may
// be nil), for the rows of x with the reparameterisation noise eps (n×d)
// given instead of drawn: z₀ = μ + exp(½ logvar)·ε, z_K = the posterior
// flow of z₀. The KL is analytic or Monte Carlo as KLMode says; Bayesian
// layers use their mean weights. Another implementation of the model (the
// PyTorch module of python/) scores the same noise to the same numbers.
func (m *Model) ELBOWithNoise(elbo, recon, kl []float64, x, eps *mat.Dense) {
	prev := m.Noise.Rng
	m.Noise.Rng = nil
	defer func() { m.Noise.Rng = prev }()
	b := &m.buf
	n, _ := x.Dims()
	d := m.Config.LatentDim
	if r, c := eps.Dims(); r != n || c != d {
		panic(fmt.Sprintf("core: noise is %d×%d, want %d×%d", r, c, n, d))
	}
	mu, lv, extra := m.Enc.Forward(x)
	reshape(&b.eps, n, d)
	b.eps.Copy(eps)
	m.forwardFrom(x, mu, lv, extra, Objective{Beta: 1})
	for i := range n {
		if elbo != nil {
			elbo[i] = b.rec[i] - b.kl[i]
		}
		if recon != nil {
			recon[i] = b.rec[i]
		}
		if kl != nil {
			kl[i] = b.kl[i]
		}
	}
}

// forwardFrom runs the objective from the encoder's outputs and the noise in
// b.eps.
func (m *Model) forwardFrom(x, mu, lv, extra *mat.Dense, obj Objective) Stats {
	b := &m.buf
	n, _ := x.Dims()
	d := m.Config.LatentDim
	reshape(&b.z0, n, d)
	reparameterise(&b.z0, mu, lv, &b.eps)
	b.logdet = grow(b.logdet, n)
	zK := &b.z0
	if m.Flow != nil {
		reshape(&b.zK, n, d)
		m.Flow.Forward(&b.zK, b.logdet, &b.z0, extra)
		zK = &b.zK
	} else {
		clear(b.logdet)
	}
	out := m.Dec.Forward(zK)
	b.rec = grow(b.rec, n)
	m.Lik.LogProb(b.rec, x, out)
	b.kl = grow(b.kl, n)

	st := Stats{KLMode: m.KLMode()}
	for _, r := range b.rec {
		st.Recon += r
	}
	st.Recon /= float64(n)
	if st.KLMode == KLAnalytic {
		reshape(&b.klMat, n, d)
		m.Prior.(AnalyticKL).KL(&b.klMat, mu, lv)
		b.klDim = grow(b.klDim, d)
		clear(b.klDim)
		km := data(&b.klMat)
		for i := 0; i < n; i++ {
			s := 0.0
			for j := 0; j < d; j++ {
				s += km[i*d+j]
				b.klDim[j] += km[i*d+j]
			}
			b.kl[i] = s
		}
		term := 0.0
		for j := range b.klDim {
			b.klDim[j] /= float64(n)
			st.KL += b.klDim[j]
			term += freeBitsFloor(b.klDim[j], obj.FreeBits)
		}
		st.KLPerDim = b.klDim
		st.Loss = -st.Recon + float64(obj.Beta*term)
	} else {
		b.logq = grow(b.logq, n)
		b.logp = grow(b.logp, n)
		e, l := data(&b.eps), data(lv)
		for i := 0; i < n; i++ {
			s := 0.0
			for j := 0; j < d; j++ {
				s += log2Pi + l[i*d+j] + float64(e[i*d+j]*e[i*d+j])
			}
			b.logq[i] = float64(-0.5*s) - b.logdet[i]
		}
		m.Prior.LogProb(b.logp, zK)
		for i := range b.kl {
			b.kl[i] = b.logq[i] - b.logp[i]
			st.KL += b.kl[i]
		}
		st.KL /= float64(n)
		// A Monte Carlo estimate may be negative: with free bits off it
		// enters the loss as it is, never clamped at 0.
		st.Loss = -st.Recon + float64(obj.Beta*freeBitsFloor(st.KL, obj.FreeBits*float64(d)))
	}
	st.ELBO = st.Recon - st.KL
	return st
}

func (m *Model) backward(x *mat.Dense, obj Objective, st Stats) {
	b := &m.buf
	m.Params.ZeroGrads()
	n, _ := x.Dims()
	d := m.Config.LatentDim
	inv := 1 / float64(n)

	// Reconstruction: Loss has −mean(rec).
	b.g = grow(b.g, n)
	for i := range b.g {
		b.g[i] = -inv
	}
	out := m.Dec.Output()
	_, w := out.Dims()
	reshape(&b.dout, n, w)
	m.Lik.Backward(&b.dout, b.g)
	reshape(&b.dzK, n, d)
	m.Dec.Backward(&b.dzK, &b.dout)
	if b.mmdActive {
		b.dzK.Add(&b.dzK, &b.dmmd)
	}

	zeroed(&b.dmu, n, d)
	zeroed(&b.dlv, n, d)
	lv := &m.Enc.logvar
	if st.KLMode == KLAnalytic {
		reshape(&b.gKL, n, d)
		gk := data(&b.gKL)
		for i := 0; i < n; i++ {
			for j := 0; j < d; j++ {
				v := float64(obj.Beta * inv)
				if obj.FreeBits > 0 && b.klDim[j] < obj.FreeBits {
					v = 0
				}
				gk[i*d+j] = v
			}
		}
		m.Prior.(AnalyticKL).KLBackward(&b.dmu, &b.dlv, &b.gKL)
	} else {
		gk := float64(obj.Beta * inv)
		if obj.FreeBits > 0 && st.KL < obj.FreeBits*float64(d) {
			gk = 0
		}
		// KLᵢ = log q₀(z₀) − logdetᵢ − log p(z_K).
		for i := range b.g {
			b.g[i] = -gk
		}
		m.Prior.LogProbBackward(&b.dzK, b.g)
		dl := data(&b.dlv)
		for i := range dl {
			dl[i] -= float64(0.5 * gk)
		}
	}
	var dextra *mat.Dense
	if m.Flow != nil {
		reshape(&b.dz0, n, d)
		if h := m.Flow.HeadSize(); h > 0 {
			reshape(&b.dextra, n, h)
			dextra = &b.dextra
		}
		// b.g holds −gk for every row: ∂Loss/∂logdetᵢ.
		m.Flow.Backward(&b.dz0, dextra, &b.dzK, b.g)
	} else {
		b.dz0.SetRawMatrix(b.dzK.RawMatrix())
	}
	// z₀ = μ + exp(½ logvar)·ε.
	dz, e, l := data(&b.dz0), data(&b.eps), data(lv)
	dm, dl := data(&b.dmu), data(&b.dlv)
	for i, g := range dz {
		dm[i] += g
		dl[i] += float64(g * e[i] * 0.5 * pmath.Exp(0.5*l[i]))
	}
	m.Enc.Backward(nil, &b.dmu, &b.dlv, dextra)
}

// grow returns s resized to n, reusing its array when large enough.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// String describes the architecture in one line.
func (m *Model) String() string {
	c := m.Config
	prior := c.Prior.Kind
	if prior == "" {
		prior = "standard"
	}
	return fmt.Sprintf("VAE %d→%v→%d→%v→%d, %s likelihood, %s prior, %d parameters",
		c.DataDim, c.EncoderHidden, c.LatentDim, c.DecoderHidden, c.DataDim, c.Likelihood, prior, m.Params.Len())
}

// freeBitsFloor is the free-bits term max(kl, floor), or kl itself when free
// bits are off (floor 0): a Monte Carlo KL estimate can be negative, and
// clamping it at 0 would silently drop its gradient.
func freeBitsFloor(kl, floor float64) float64 {
	if floor > 0 {
		return max(kl, floor)
	}
	return kl
}
