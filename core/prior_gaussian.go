package core

import (
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// LearnableGaussian is p(z) = N(m, diag exp(s)) with a learnable mean m and
// log-variance s (clamped like the encoder's, with no gradient while
// clamped). Its KL against the encoder's Gaussian is analytic.
type LearnableGaussian struct {
	Mean, LogVar *Param // 1×d each

	z, mu, logvar *mat.Dense // inputs of the last call, not owned
}

// NewLearnableGaussian declares the prior's mean (at 0) and log-variance (at
// 0) in ps, so that it starts as the standard normal.
func NewLearnableGaussian(ps *Params, d int) *LearnableGaussian {
	return &LearnableGaussian{
		Mean:   ps.Add("prior.mean", 1, d, Zeros),
		LogVar: ps.Add("prior.logvar", 1, d, Zeros),
	}
}

func (p *LearnableGaussian) Dim() int { return p.Mean.Cols }

// params returns the mean, the clamped log-variance of dimension j and
// whether it was clamped.
func (p *LearnableGaussian) params(j int) (m, s float64, clamped bool) {
	s, clamped = clampLogVar(p.LogVar.Value.RawMatrix().Data[j])
	return p.Mean.Value.RawMatrix().Data[j], s, clamped
}

func (p *LearnableGaussian) LogProb(dst []float64, z *mat.Dense) {
	p.z = z
	raw := z.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		acc := 0.0
		for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			m, s, _ := p.params(j)
			d := v - m
			acc += log2Pi + s + float64(d*d*pmath.Exp(-s))
		}
		dst[i] = float64(-0.5 * acc)
	}
}

func (p *LearnableGaussian) LogProbBackward(dz *mat.Dense, g []float64) {
	raw := p.z.RawMatrix()
	gm, gs := p.Mean.Grad.RawMatrix().Data, p.LogVar.Grad.RawMatrix().Data
	for i := 0; i < raw.Rows; i++ {
		dzi := denseRow(dz, i)
		for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			m, s, clamped := p.params(j)
			inv := pmath.Exp(-s)
			d := v - m
			if dzi != nil {
				dzi[j] -= float64(g[i] * d * inv)
			}
			gm[j] += float64(g[i] * d * inv)
			if !clamped {
				gs[j] += float64(g[i] * 0.5 * (float64(d*d*inv) - 1))
			}
		}
	}
}

func (p *LearnableGaussian) Sample(dst *mat.Dense, rng *rand.Rand) {
	raw := dst.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		for j := 0; j < raw.Cols; j++ {
			m, s, _ := p.params(j)
			raw.Data[i*raw.Stride+j] = m + float64(pmath.Exp(0.5*s)*pmath.NormFloat64(rng))
		}
	}
}

// KL per dimension: ½(s − logvar + (exp(logvar) + (μ − m)²)·e⁻ˢ − 1).
func (p *LearnableGaussian) KL(dst, mu, logvar *mat.Dense) {
	p.mu, p.logvar = mu, logvar
	mm, lv, o := data(mu), data(logvar), data(dst)
	d := p.Dim()
	for i := range o {
		m, s, _ := p.params(i % d)
		diff := mm[i] - m
		o[i] = float64(0.5 * (s - lv[i] + float64((pmath.Exp(lv[i])+float64(diff*diff))*pmath.Exp(-s)) - 1))
	}
}

func (p *LearnableGaussian) KLBackward(dmu, dlogvar, g *mat.Dense) {
	mm, lv, gg := data(p.mu), data(p.logvar), data(g)
	dm, dl := data(dmu), data(dlogvar)
	gmean, gs := p.Mean.Grad.RawMatrix().Data, p.LogVar.Grad.RawMatrix().Data
	d := p.Dim()
	for i, w := range gg {
		j := i % d
		m, s, clamped := p.params(j)
		inv := pmath.Exp(-s)
		diff := mm[i] - m
		dm[i] += float64(w * diff * inv)
		dl[i] += float64(w * 0.5 * (float64(pmath.Exp(lv[i])*inv) - 1))
		gmean[j] -= float64(w * diff * inv)
		if !clamped {
			gs[j] += float64(w * 0.5 * (1 - float64((pmath.Exp(lv[i])+float64(diff*diff))*inv)))
		}
	}
}

func init() {
	RegisterPrior(PriorKind{
		Name:        "gaussian",
		Description: "learnable diagonal Gaussian N(m, diag σ²), analytic KL",
		Build: func(ps *Params, cfg PriorConfig, env PriorEnv) (Prior, error) {
			return NewLearnableGaussian(ps, env.Config.LatentDim), nil
		},
	})
}
