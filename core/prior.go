package core

import (
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// Prior is the latent distribution p(z). The model needs its log-density with
// gradients (for the Monte Carlo KL, log q − log p) and samples; priors with a
// closed-form KL against a diagonal Gaussian also implement AnalyticKL.
//
// Calls alternate: LogProb caches what the next LogProbBackward needs.
type Prior interface {
	// Dim is the latent dimension.
	Dim() int
	// LogProb writes log p(zᵢ) for every row zᵢ of z into dst (len n).
	LogProb(dst []float64, z *mat.Dense)
	// LogProbBackward adds gᵢ·∂log p(zᵢ)/∂zᵢ to row i of dz (skipped when dz
	// is nil) and Σᵢ gᵢ·∂log p(zᵢ)/∂θ to the prior's parameter gradients, at
	// the z of the last LogProb.
	LogProbBackward(dz *mat.Dense, g []float64)
	// Sample writes len(rows of dst) draws from p into dst.
	Sample(dst *mat.Dense, rng *rand.Rand)
}

// AnalyticKL is implemented by priors whose KL divergence from a diagonal
// Gaussian q = N(μ, diag exp(logvar)) has a closed form, factorised over
// latent dimensions.
type AnalyticKL interface {
	// KL writes KL(q‖p) per dimension into dst (n×d).
	KL(dst, mu, logvar *mat.Dense)
	// KLBackward adds ∂(Σᵢⱼ gᵢⱼ·KLᵢⱼ)/∂μ to dmu, the same for logvar to
	// dlogvar, and the parameter gradients, at the inputs of the last KL.
	KLBackward(dmu, dlogvar, g *mat.Dense)
}

// StandardNormal is p(z) = N(0, I): no parameters, analytic KL.
type StandardNormal struct {
	D int

	z, mu, logvar *mat.Dense // inputs of the last call, not owned
}

func (p *StandardNormal) Dim() int { return p.D }

func (p *StandardNormal) LogProb(dst []float64, z *mat.Dense) {
	p.z = z
	raw := z.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		s := 0.0
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			s += float64(v * v)
		}
		dst[i] = float64(-0.5 * (s + float64(float64(raw.Cols)*log2Pi)))
	}
}

func (p *StandardNormal) LogProbBackward(dz *mat.Dense, g []float64) {
	if dz == nil {
		return
	}
	z, d := p.z.RawMatrix(), dz.RawMatrix()
	for i := 0; i < z.Rows; i++ {
		zr := z.Data[i*z.Stride : i*z.Stride+z.Cols]
		dr := d.Data[i*d.Stride : i*d.Stride+d.Cols]
		for j, v := range zr {
			dr[j] -= float64(g[i] * v)
		}
	}
}

func (p *StandardNormal) Sample(dst *mat.Dense, rng *rand.Rand) {
	raw := dst.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		for j := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			raw.Data[i*raw.Stride+j] = pmath.NormFloat64(rng)
		}
	}
}

// KL per dimension: ½(μ² + σ² − 1 − log σ²).
func (p *StandardNormal) KL(dst, mu, logvar *mat.Dense) {
	p.mu, p.logvar = mu, logvar
	m, lv, o := data(mu), data(logvar), data(dst)
	for i := range o {
		o[i] = float64(0.5 * (float64(m[i]*m[i]) + pmath.Exp(lv[i]) - 1 - lv[i]))
	}
}

func (p *StandardNormal) KLBackward(dmu, dlogvar, g *mat.Dense) {
	m, lv, gg := data(p.mu), data(p.logvar), data(g)
	dm, dl := data(dmu), data(dlogvar)
	for i, w := range gg {
		dm[i] += float64(w * m[i])
		dl[i] += float64(w * 0.5 * (pmath.Exp(lv[i]) - 1))
	}
}

// gaussianLogDensity is log N(x; μ, diag exp(logvar)) summed over a row.
func gaussianLogDensity(x, mu, logvar []float64) float64 {
	s := 0.0
	for j := range x {
		d := x[j] - mu[j]
		s += logvar[j] + float64(d*d*pmath.Exp(-logvar[j]))
	}
	return float64(-0.5 * (s + float64(float64(len(x))*log2Pi)))
}
