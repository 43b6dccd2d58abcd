package core

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// Bayesian weights ("Bayes by backprop", Blundell et al. 2015): a layer's
// weights are a mean-field Gaussian q(w) = Πᵢ N(μᵢ, σᵢ²) with σᵢ =
// softplus(ρᵢ), learnt by adding KL(q(w)‖p(w))/N to the per-example loss,
// where p(w) = N(0, s²) and N is the training-set size. Sampling uses the
// local reparameterisation trick (Kingma, Salimans & Welling 2015): for
// y = x·W + b the pre-activation of each row is Gaussian with mean x·M + μ_b
// and variance x²·σ_W² + σ_b², so one draw per output unit replaces a draw
// per weight, and each row gets its own (implicit) weight sample, which
// lowers the gradient variance.

// Defaults of BayesConfig's zero values.
const (
	DefaultWeightPriorScale = 1.0
	DefaultWeightInitSpread = 0.01
)

// BayesConfig turns on weight uncertainty for the encoder, the decoder or
// both. A zero BayesConfig means point weights everywhere.
type BayesConfig struct {
	Encoder bool `json:"encoder,omitempty"`
	Decoder bool `json:"decoder,omitempty"`
	// PriorScale is s in the weight prior N(0, s²); 0 means
	// DefaultWeightPriorScale.
	PriorScale float64 `json:"prior_scale,omitempty"`
	// InitSpread is every weight's initial standard deviation σ; 0 means
	// DefaultWeightInitSpread.
	InitSpread float64 `json:"init_spread,omitempty"`
}

// Ranges of BayesConfig's scales: a value read from a URL cannot make σ
// underflow or the KL overflow.
const (
	minWeightScale = 1e-6
	maxWeightScale = 100.0 // a float constant: printed with %g it must not read %!g(int=100)
)

func (c BayesConfig) priorScale() float64 {
	if c.PriorScale == 0 {
		return DefaultWeightPriorScale
	}
	return c.PriorScale
}

func (c BayesConfig) initSpread() float64 {
	if c.InitSpread == 0 {
		return DefaultWeightInitSpread
	}
	return c.InitSpread
}

// validate reports out-of-range fields through bad (Config.Validate's
// collector).
func (c BayesConfig) validate(bad func(format string, args ...any)) {
	for _, f := range []struct {
		name string
		v    float64
	}{{"weight prior scale", c.PriorScale}, {"weight init spread", c.InitSpread}} {
		if f.v != 0 && !(f.v >= minWeightScale && f.v <= maxWeightScale) {
			bad("%s %g outside [%g, %g] (0 = default)", f.name, f.v, minWeightScale, maxWeightScale)
		}
	}
}

// WeightNoise is the random source shared by a model's Bayesian layers. With
// a nil Rng the layers use their mean weights, so encode, decode and the views
// are deterministic by default; Model.Gradient points Rng at the training
// source for the length of a step, and the predictive and evaluation calls
// do the same with the source they are given.
type WeightNoise struct {
	Rng *rand.Rand
}

// BayesLinear is y = x·W + b with W ~ q(W) = N(M, softplus(ρ_W)²) and
// b ~ N(μ_b, softplus(ρ_b)²) elementwise, sampled with the local
// reparameterisation trick. It implements Layer; calls alternate (Forward
// caches the noise Backward needs), and MLP.Share gives a sharing network its
// own caches.
type BayesLinear struct {
	W, B       *Param // means, named like Linear's so the means read the same
	WRho, BRho *Param // σ = softplus(ρ)
	PriorScale float64
	Noise      *WeightNoise

	sampled bool      // whether the last Forward drew noise
	x2      mat.Dense // n×in: x∘x
	wVar    mat.Dense // in×out: σ_W²
	wDer    mat.Dense // in×out: ∂σ_W²/∂ρ_W ÷ 2 = σ_W·sigmoid(ρ_W)
	bVar    []float64 // σ_b²
	bDer    []float64 // σ_b·sigmoid(ρ_b)
	eps     mat.Dense // n×out: the standard normal draws
	std     mat.Dense // n×out: √(x²·σ_W² + σ_b²)
	g       mat.Dense // n×out: dy∘ε/std = 2·∂L/∂variance
	gw      mat.Dense // in×out scratch
	gx      mat.Dense // n×in scratch
}

// NewBayesLinear declares the means (W by init, b at zero) and the spreads
// (every σ at initSpread) in ps. Declaring the spreads right after the means
// with a constant initialiser keeps the draws of the means identical to a
// point-weight network's from the same seed.
func NewBayesLinear(ps *Params, name string, in, out int, init Init, initSpread, priorScale float64, noise *WeightNoise) *BayesLinear {
	rho := Constant(softplusInverse(initSpread))
	return &BayesLinear{
		W:          ps.Add(name+".W", in, out, init),
		B:          ps.Add(name+".b", 1, out, Zeros),
		WRho:       ps.Add(name+".W.rho", in, out, rho),
		BRho:       ps.Add(name+".b.rho", 1, out, rho),
		PriorScale: priorScale,
		Noise:      noise,
	}
}

func (l *BayesLinear) In() int  { return l.W.Rows }
func (l *BayesLinear) Out() int { return l.W.Cols }

// Share returns a layer on the same parameters and noise source with its own
// caches.
func (l *BayesLinear) Share() Layer {
	return &BayesLinear{W: l.W, B: l.B, WRho: l.WRho, BRho: l.BRho, PriorScale: l.PriorScale, Noise: l.Noise}
}

// Sampling reports whether Forward draws weights (a noise source is set) or
// uses the means.
func (l *BayesLinear) Sampling() bool { return l.Noise != nil && l.Noise.Rng != nil }

func (l *BayesLinear) Forward(y, x *mat.Dense) {
	gemm(false, false, 1, x, l.W.Value, 0, y)
	addRowVector(y, l.B.Value.RawMatrix().Data)
	l.sampled = l.Sampling()
	if !l.sampled {
		return
	}
	in, out := l.In(), l.Out()
	l.refreshSpread()

	xr := x.RawMatrix()
	n := xr.Rows
	reshape(&l.x2, n, in)
	x2 := data(&l.x2)
	for i := 0; i < n; i++ {
		for k, v := range xr.Data[i*xr.Stride : i*xr.Stride+in] {
			x2[i*in+k] = float64(v * v)
		}
	}
	reshape(&l.std, n, out)
	gemm(false, false, 1, &l.x2, &l.wVar, 0, &l.std)
	addRowVector(&l.std, l.bVar)
	reshape(&l.eps, n, out)
	std, eps, yy := data(&l.std), data(&l.eps), data(y)
	rng := l.Noise.Rng
	for i, v := range std {
		s := math.Sqrt(v)
		e := pmath.NormFloat64(rng)
		std[i], eps[i] = s, e
		yy[i] += float64(s * e)
	}
}

func (l *BayesLinear) Backward(dx, dy, x *mat.Dense) {
	gemm(true, false, 1, x, dy, 1, l.W.Grad)
	addColumnSums(l.B.Grad.RawMatrix().Data, dy)
	if dx != nil {
		gemm(false, true, 1, dy, l.W.Value, 0, dx)
	}
	if !l.sampled {
		return
	}
	// y = m + √v·ε, so ∂L/∂v = dy·ε/(2√v); keep g = 2·∂L/∂v.
	n, out := dy.Dims()
	reshape(&l.g, n, out)
	g, eps, std, dyy := data(&l.g), data(&l.eps), data(&l.std), data(dy)
	for i, s := range std {
		if s > 0 {
			g[i] = dyy[i] * eps[i] / s
		} else {
			g[i] = 0 // σ underflowed: no spread left to move
		}
	}
	// v = x²·σ_W² + σ_b², ∂σ²/∂ρ = 2σ·sigmoid(ρ): the 2 cancels g's ½.
	in := l.In()
	reshape(&l.gw, in, out)
	gemm(true, false, 1, &l.x2, &l.g, 0, &l.gw)
	gw, der, grad := data(&l.gw), data(&l.wDer), data(l.WRho.Grad)
	for i, v := range gw {
		grad[i] += float64(v * der[i])
	}
	bg := data(l.BRho.Grad)
	for i := 0; i < n; i++ {
		for j, v := range g[i*out : (i+1)*out] {
			bg[j] += float64(v * l.bDer[j])
		}
	}
	if dx != nil {
		// ∂v_ij/∂x_ik = 2·x_ik·σ²_kj, times ½g_ij.
		reshape(&l.gx, n, in)
		gemm(false, true, 1, &l.g, &l.wVar, 0, &l.gx)
		xr, dr, gx := x.RawMatrix(), dx.RawMatrix(), data(&l.gx)
		for i := 0; i < n; i++ {
			xs := xr.Data[i*xr.Stride : i*xr.Stride+in]
			ds := dr.Data[i*dr.Stride : i*dr.Stride+in]
			for k, v := range xs {
				ds[k] += float64(gx[i*in+k] * v)
			}
		}
	}
}

// refreshSpread recomputes the cached σ² and σ·sigmoid(ρ) of the weights
// and biases from the current ρ.
func (l *BayesLinear) refreshSpread() {
	in, out := l.In(), l.Out()
	reshape(&l.wVar, in, out)
	reshape(&l.wDer, in, out)
	spreadTerms(data(&l.wVar), data(&l.wDer), data(l.WRho.Value))
	l.bVar = grow(l.bVar, out)
	l.bDer = grow(l.bDer, out)
	spreadTerms(l.bVar, l.bDer, data(l.BRho.Value))
}

// KL is KL(q(W,b)‖N(0, s²I)) in nats:
// Σ log(s/σ) + (σ² + μ²)/(2s²) − ½ over every weight and bias.
func (l *BayesLinear) KL() float64 {
	l.refreshSpread()
	return l.klGradient(0)
}

// KLBackward adds scale·∂KL/∂θ to the means' and spreads' gradients and
// returns the KL.
func (l *BayesLinear) KLBackward(scale float64) float64 {
	l.refreshSpread()
	return l.klGradient(scale)
}

// klGradient returns the KL and, unless scale is 0, adds scale·∂KL/∂θ to the
// gradients, from the σ terms cached by the last refreshSpread: a sampled
// Forward leaves them current for as long as the parameters do not change,
// which saves two of the three transcendental functions per weight in a
// training step (the KL sweep costs as much as a matrix product otherwise).
func (l *BayesLinear) klGradient(scale float64) float64 {
	return weightKLGradient(data(l.W.Grad), data(l.WRho.Grad), data(l.W.Value), data(l.WRho.Value), data(&l.wVar), data(&l.wDer), l.PriorScale, scale) +
		weightKLGradient(data(l.B.Grad), data(l.BRho.Grad), data(l.B.Value), data(l.BRho.Value), l.bVar, l.bDer, l.PriorScale, scale)
}

// weightKLGradient sums KL(N(μ, σ²)‖N(0, s²)) = log s − ½ log σ² + (σ² +
// μ²)/(2s²) − ½ over the entries, given σ² and σ·sigmoid(ρ), and adds
// scale·∂/∂μ = scale·μ/s² and scale·∂/∂ρ = scale·σ·sigmoid(ρ)·(1/s² − 1/σ²).
func weightKLGradient(dmu, drho, mu, rho, variance, der []float64, s, scale float64) float64 {
	invS2 := 1 / (s * s)
	logS := pmath.Log(s)
	total := 0.0
	for i, v := range variance {
		m := mu[i]
		var logVar, rhoGrad float64
		if v > 1e-200 {
			logVar = pmath.Log(v)
			rhoGrad = float64(der[i] * (invS2 - 1/v))
		} else { // σ underflows: use the limits of log σ and sigmoid(ρ)/σ
			logVar = float64(2 * logSoftplus(rho[i]))
			rhoGrad = float64(der[i]*invS2) - sigmoidOverSoftplus(rho[i])
		}
		total += logS - float64(0.5*logVar) + float64(0.5*(v+float64(m*m))*invS2) - 0.5
		if scale != 0 {
			dmu[i] += float64(scale * m * invS2)
			drho[i] += float64(scale * rhoGrad)
		}
	}
	return total
}

// spreadTerms writes σ² and σ·sigmoid(ρ) for σ = softplus(ρ), with one
// exponential per weight: this runs over every weight in every sampled pass.
func spreadTerms(variance, der, rho []float64) {
	for i, r := range rho {
		var sig, sgm float64
		if r > 0 {
			e := pmath.Exp(-r)
			sig, sgm = r+pmath.Log1p(e), 1/(1+e)
		} else {
			e := pmath.Exp(r)
			sig, sgm = pmath.Log1p(e), e/(1+e)
		}
		variance[i] = float64(sig * sig)
		der[i] = float64(sig * sgm)
	}
}

// logSoftplus is log(softplus(ρ)), finite for very negative ρ where
// softplus(ρ) = log1p(eᵖ) ≈ eᵖ underflows.
func logSoftplus(r float64) float64 {
	if r < -30 {
		return r // log(eʳ − e²ʳ/2 + …) = r − eʳ/2 + …, and eʳ/2 < 1e-13
	}
	return pmath.Log(Softplus(r))
}

// sigmoidOverSoftplus is sigmoid(ρ)/softplus(ρ) = ∂log σ/∂ρ, which tends to 1
// as ρ → −∞ where both factors underflow.
func sigmoidOverSoftplus(r float64) float64 {
	if r < -30 {
		return 1
	}
	return Sigmoid(r) / Softplus(r)
}

// softplusInverse is log(eˢ − 1), the ρ with softplus(ρ) = s > 0.
func softplusInverse(s float64) float64 {
	if s > 30 {
		return s + pmath.Log(-pmath.Expm1(-s))
	}
	return pmath.Log(pmath.Expm1(s))
}

// NewBayesMLP declares an MLP like NewMLP whose layers all have Bayesian
// weights drawing noise from noise.
func NewBayesMLP(ps *Params, name string, sizes []int, act Activation, cfg BayesConfig, noise *WeightNoise) *MLP {
	spread, prior := cfg.initSpread(), cfg.priorScale()
	return newMLP(name, sizes, act, func(name string, in, out int, init Init) Layer {
		return NewBayesLinear(ps, name, in, out, init, spread, prior, noise)
	})
}

// NewBayesEncoder is NewEncoder with Bayesian weights.
func NewBayesEncoder(ps *Params, name string, dataDim int, hidden []int, latent, extra int, act Activation, cfg BayesConfig, noise *WeightNoise) *Encoder {
	sizes := append(append([]int{dataDim}, hidden...), 2*latent+extra)
	return &Encoder{Net: NewBayesMLP(ps, name, sizes, act, cfg, noise), D: latent, Extra: extra}
}

// layerSharer is a layer with per-pass caches, which MLP.Share must not let
// two networks overwrite.
type layerSharer interface {
	Share() Layer
}

// shareLayers returns layers on the same parameters, cloning those that keep
// per-pass state.
func shareLayers(layers []Layer) []Layer {
	out := make([]Layer, len(layers))
	for i, l := range layers {
		if s, ok := l.(layerSharer); ok {
			out[i] = s.Share()
		} else {
			out[i] = l
		}
	}
	return out
}

// bayesNets are the networks whose layers may be Bayesian. The shared
// encoder of a VampPrior reuses the encoder's parameters, so it is not
// counted again.
func (m *Model) bayesNets() [2]*MLP { return [2]*MLP{m.Enc.Net, m.Dec} }

// WeightKL is KL(q(w)‖p(w)) summed over the model's Bayesian layers (0
// without any), in nats.
func (m *Model) WeightKL() float64 {
	total := 0.0
	for _, net := range m.bayesNets() {
		for _, l := range net.Layers {
			if b, ok := l.(*BayesLinear); ok {
				total += b.KL()
			}
		}
	}
	return total
}

// weightKLGradient returns WeightKL and adds scale·∂WeightKL/∂θ to the
// gradients, reusing the σ terms of the pass just run when it sampled.
func (m *Model) weightKLGradient(scale float64) float64 {
	total := 0.0
	for _, net := range m.bayesNets() {
		for _, l := range net.Layers {
			if b, ok := l.(*BayesLinear); ok {
				if !b.sampled {
					b.refreshSpread()
				}
				total += b.klGradient(scale)
			}
		}
	}
	return total
}

// IsBayesian reports whether any network has weight distributions.
func (m *Model) IsBayesian() bool {
	return m.Config.Bayes.Encoder || m.Config.Bayes.Decoder
}

// bayesBuffers are the predictive calls' scratch.
type bayesBuffers struct {
	mean, delta mat.Dense
}

// PredictiveDecode decodes every row of z under `samples` independent weight
// draws from q(w) and writes the mean of E[x|z,w] over the draws into mean
// and its variance into variance (either may be nil; both are resized to
// n×DataDim): where variance is large the decoder is unsure (the epistemic
// part, on top of the likelihood's own noise). With point weights the
// variance is exactly zero. Randomness comes from rng only.
func (m *Model) PredictiveDecode(mean, variance, z *mat.Dense, samples int, rng *rand.Rand) {
	if samples < 1 {
		panic(fmt.Sprintf("core: PredictiveDecode with %d samples", samples))
	}
	n, _ := z.Dims()
	dim := m.Config.DataDim
	b := &m.bayes
	acc, sq := mean, variance
	if acc == nil {
		acc = &b.mean
	}
	zeroed(acc, n, dim)
	if sq != nil {
		zeroed(sq, n, dim)
	}
	prev := m.Noise.Rng
	m.Noise.Rng = rng
	reshape(&b.delta, n, dim)
	a, x := data(acc), data(&b.delta)
	// Welford's running mean and sum of squared deviations, per entry.
	for s := 1; s <= samples; s++ {
		m.Lik.Mean(&b.delta, m.Dec.Forward(z))
		for i, v := range x {
			d := v - a[i]
			a[i] += d / float64(s)
			if sq != nil {
				data(sq)[i] += float64(d * (v - a[i]))
			}
		}
	}
	m.Noise.Rng = prev
	if sq != nil {
		scale(data(sq), 1/float64(samples))
	}
}

// PredictiveCloud writes E[x|z,w] for `samples` weight draws of every row of z
// into dst, resized to (samples·n)×DataDim: row s·n+i is draw s for zᵢ. For
// 2-D data this is the cloud a view scatters around each decoded point.
func (m *Model) PredictiveCloud(dst, z *mat.Dense, samples int, rng *rand.Rand) {
	if samples < 1 {
		panic(fmt.Sprintf("core: PredictiveCloud with %d samples", samples))
	}
	n, _ := z.Dims()
	dim := m.Config.DataDim
	reshape(dst, samples*n, dim)
	prev := m.Noise.Rng
	m.Noise.Rng = rng
	for s := 0; s < samples; s++ {
		rows := dst.Slice(s*n, (s+1)*n, 0, dim).(*mat.Dense)
		m.Lik.Mean(rows, m.Dec.Forward(z))
	}
	m.Noise.Rng = prev
}
