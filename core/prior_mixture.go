package core

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// DefaultMixtureComponents is the mixture size when the config gives none.
const DefaultMixtureComponents = 10

// Mixture is a learnable mixture of K diagonal Gaussians,
//
//	p(z) = Σₖ πₖ·N(z; mₖ, diag exp(sₖ)),  π = softmax(logits),
//
// evaluated by log-sum-exp. There is no closed-form KL against a Gaussian,
// so the model uses the Monte Carlo estimate.
type Mixture struct {
	Logits  *Param // 1×K
	Means   *Param // K×d
	LogVars *Param // K×d (clamped like the encoder's)

	z    *mat.Dense // input of the last LogProb, not owned
	resp mat.Dense  // n×K responsibilities of the last LogProb
	logw []float64  // K log-weights, scratch
}

// NewMixture declares a K-component mixture in ps: equal weights, unit
// variances and means drawn from N(0, 1) so the components start apart.
func NewMixture(ps *Params, k, d int) *Mixture {
	return &Mixture{
		Logits:  ps.Add("prior.mixture.logits", 1, k, Zeros),
		Means:   ps.Add("prior.mixture.means", k, d, Normal(1)),
		LogVars: ps.Add("prior.mixture.logvars", k, d, Zeros),
	}
}

func (p *Mixture) Dim() int { return p.Means.Cols }

// K is the number of components.
func (p *Mixture) K() int { return p.Means.Rows }

// logWeights writes log πₖ into p.logw.
func (p *Mixture) logWeights() []float64 {
	l := p.Logits.Value.RawMatrix().Data
	p.logw = grow(p.logw, len(l))
	lse := LogSumExp(l)
	for k, v := range l {
		p.logw[k] = v - lse
	}
	return p.logw
}

func (p *Mixture) LogProb(dst []float64, z *mat.Dense) {
	p.z = z
	raw := z.RawMatrix()
	K, d := p.K(), p.Dim()
	logw := p.logWeights()
	reshape(&p.resp, raw.Rows, K)
	resp := data(&p.resp)
	means, lvs := data(p.Means.Value), data(p.LogVars.Value)
	for i := 0; i < raw.Rows; i++ {
		zi := raw.Data[i*raw.Stride : i*raw.Stride+d]
		ri := resp[i*K : (i+1)*K]
		for k := range K {
			acc := 0.0
			for j, v := range zi {
				s, _ := clampLogVar(lvs[k*d+j])
				diff := v - means[k*d+j]
				acc += log2Pi + s + float64(diff*diff*pmath.Exp(-s))
			}
			ri[k] = logw[k] - float64(0.5*acc)
		}
		lse := LogSumExp(ri)
		dst[i] = lse
		for k := range ri {
			ri[k] = pmath.Exp(ri[k] - lse)
		}
	}
}

func (p *Mixture) LogProbBackward(dz *mat.Dense, g []float64) {
	raw := p.z.RawMatrix()
	K, d := p.K(), p.Dim()
	resp := data(&p.resp)
	means, lvs := data(p.Means.Value), data(p.LogVars.Value)
	gm, gs, gl := data(p.Means.Grad), data(p.LogVars.Grad), data(p.Logits.Grad)
	logw := p.logWeights()
	for i := 0; i < raw.Rows; i++ {
		zi := raw.Data[i*raw.Stride : i*raw.Stride+d]
		ri := resp[i*K : (i+1)*K]
		dzi := denseRow(dz, i)
		for k, r := range ri {
			w := float64(g[i] * r)
			// ∂ log p/∂logitₖ = rₖ − πₖ.
			gl[k] += w - float64(g[i]*pmath.Exp(logw[k]))
			for j, v := range zi {
				s, clamped := clampLogVar(lvs[k*d+j])
				inv := pmath.Exp(-s)
				diff := v - means[k*d+j]
				if dzi != nil {
					dzi[j] -= float64(w * diff * inv)
				}
				gm[k*d+j] += float64(w * diff * inv)
				if !clamped {
					gs[k*d+j] += float64(w * 0.5 * (float64(diff*diff*inv) - 1))
				}
			}
		}
	}
}

func (p *Mixture) Sample(dst *mat.Dense, rng *rand.Rand) {
	raw := dst.RawMatrix()
	d := p.Dim()
	logw := p.logWeights()
	means, lvs := data(p.Means.Value), data(p.LogVars.Value)
	for i := 0; i < raw.Rows; i++ {
		k := sampleCategorical(logw, rng)
		for j := range d {
			s, _ := clampLogVar(lvs[k*d+j])
			raw.Data[i*raw.Stride+j] = means[k*d+j] + float64(pmath.Exp(0.5*s)*pmath.NormFloat64(rng))
		}
	}
}

// sampleCategorical draws an index with probabilities exp(logp) (which sum
// to one).
func sampleCategorical(logp []float64, rng *rand.Rand) int {
	u := rng.Float64()
	for k, l := range logp {
		u -= pmath.Exp(l)
		if u < 0 {
			return k
		}
	}
	return len(logp) - 1
}

// MixtureComponent is one component as the playground draws it.
type MixtureComponent struct {
	Weight float64   // πₖ
	Mean   []float64 // mₖ
	Var    []float64 // exp(sₖ), per dimension (after clamping)
}

// Components returns a copy of every component's weight, mean and variance.
func (p *Mixture) Components() []MixtureComponent {
	K, d := p.K(), p.Dim()
	logw := p.logWeights()
	means, lvs := data(p.Means.Value), data(p.LogVars.Value)
	out := make([]MixtureComponent, K)
	for k := range out {
		c := MixtureComponent{Weight: pmath.Exp(logw[k]), Mean: make([]float64, d), Var: make([]float64, d)}
		copy(c.Mean, means[k*d:(k+1)*d])
		for j := range d {
			s, _ := clampLogVar(lvs[k*d+j])
			c.Var[j] = pmath.Exp(s)
		}
		out[k] = c
	}
	return out
}

// SetMean moves component k to mean (the playground drags components). The
// optimiser's moments are left as they are; training carries on from there.
func (p *Mixture) SetMean(k int, mean []float64) error {
	d := p.Dim()
	if k < 0 || k >= p.K() {
		return fmt.Errorf("core: mixture component %d outside [0, %d)", k, p.K())
	}
	if len(mean) != d {
		return fmt.Errorf("core: mean has %d values, latent dimension is %d", len(mean), d)
	}
	if !finite(mean) {
		return fmt.Errorf("core: mean %v is not finite", mean)
	}
	copy(data(p.Means.Value)[k*d:(k+1)*d], mean)
	return nil
}

// SetVariance sets component k's per-dimension variances (the playground
// reshapes a component by dragging its covariance handles). Variances are
// stored as log-variances and clamped like the encoder's when used.
func (p *Mixture) SetVariance(k int, variance []float64) error {
	d := p.Dim()
	if k < 0 || k >= p.K() {
		return fmt.Errorf("core: mixture component %d outside [0, %d)", k, p.K())
	}
	if len(variance) != d {
		return fmt.Errorf("core: variance has %d values, latent dimension is %d", len(variance), d)
	}
	for _, v := range variance {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("core: variance %v is not positive and finite", variance)
		}
	}
	lv := data(p.LogVars.Value)[k*d : (k+1)*d]
	for j, v := range variance {
		lv[j] = pmath.Log(v)
	}
	return nil
}

func init() {
	RegisterPrior(PriorKind{
		Name:        "mixture",
		Description: "learnable mixture of Gaussians (weights, means, variances), Monte Carlo KL",
		Options:     []string{"Components"},
		Build: func(ps *Params, cfg PriorConfig, env PriorEnv) (Prior, error) {
			k := cfg.Components
			if k == 0 {
				k = DefaultMixtureComponents
			}
			return NewMixture(ps, k, env.Config.LatentDim), nil
		},
	})
}

// denseRow returns row i of m, or nil when m is nil.
func denseRow(m *mat.Dense, i int) []float64 {
	if m == nil {
		return nil
	}
	raw := m.RawMatrix()
	return raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
}
