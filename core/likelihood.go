package core

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// Likelihood is the decoder's distribution p(x|z), parameterised by the
// decoder network's output (logits for Bernoulli, means for Gaussian).
// Calls alternate: LogProb caches what Backward needs.
type Likelihood interface {
	// LogProb writes log p(xᵢ|outᵢ) for every row into dst.
	LogProb(dst []float64, x, out *mat.Dense)
	// Backward overwrites dout with gᵢ·∂log p(xᵢ|outᵢ)/∂outᵢ and adds the
	// likelihood's own parameter gradients, at the inputs of the last LogProb.
	Backward(dout *mat.Dense, g []float64)
	// Mean writes E[x|z] for the network output (probabilities, or means).
	Mean(dst, out *mat.Dense)
	// Sample writes a draw of x for the network output.
	Sample(dst, out *mat.Dense, rng *rand.Rand)
	// Name is the registry name ("bernoulli", "gaussian").
	Name() string
}

// Bernoulli is p(x|z) = Πⱼ Bernoulli(xⱼ; σ(lⱼ)) with logits l; x may be any
// value in [0, 1] (the usual relaxation for grey images). log p = x·l − softplus(l).
type Bernoulli struct {
	x, out *mat.Dense
	// e caches exp(−|l|) per logit from LogProb: softplus(l) = max(l, 0) +
	// log1p(e) there and σ(l) in Backward both come from it, one exp each.
	e []float64
}

func (*Bernoulli) Name() string { return "bernoulli" }

func (b *Bernoulli) LogProb(dst []float64, x, out *mat.Dense) {
	b.x, b.out = x, out
	xr, lr := x.RawMatrix(), out.RawMatrix()
	w := lr.Cols
	b.e = grow(b.e, lr.Rows*w)
	for i := 0; i < xr.Rows; i++ {
		xs := xr.Data[i*xr.Stride : i*xr.Stride+xr.Cols]
		ls := lr.Data[i*lr.Stride : i*lr.Stride+w]
		es := b.e[i*w : (i+1)*w]
		xs, es = xs[:len(ls)], es[:len(ls)] // one length: no bounds checks in the loops
		// Two passes over the row: exp then log1p depend on each other, and
		// in one loop that chain limits how many elements overlap.
		for j, l := range ls {
			es[j] = expFast(-math.Abs(l))
		}
		s := 0.0
		for j, l := range ls {
			s += float64(xs[j]*l) - (posPart(l) + log1pUnit(es[j]))
		}
		dst[i] = s
	}
}

func (b *Bernoulli) Backward(dout *mat.Dense, g []float64) {
	xr, lr, dr := b.x.RawMatrix(), b.out.RawMatrix(), dout.RawMatrix()
	w := lr.Cols
	for i := 0; i < xr.Rows; i++ {
		xs := xr.Data[i*xr.Stride : i*xr.Stride+xr.Cols]
		ls := lr.Data[i*lr.Stride : i*lr.Stride+w]
		ds := dr.Data[i*dr.Stride : i*dr.Stride+dr.Cols]
		es := b.e[i*w : (i+1)*w]
		xs, ds, es = xs[:len(ls)], ds[:len(ls)], es[:len(ls)]
		gi := g[i]
		for j, l := range ls {
			ds[j] = float64(gi * (xs[j] - sigmoidFromExp(l, es[j])))
		}
	}
}

// sigmoidFromExp is σ(l) given e = exp(−|l|).
func sigmoidFromExp(l, e float64) float64 {
	s := 1 / (1 + e)
	if l < 0 {
		s = float64(s * e)
	}
	return s
}

func (*Bernoulli) Mean(dst, out *mat.Dense) {
	d, o := data(dst), data(out)
	for i, l := range o {
		d[i] = Sigmoid(l)
	}
}

func (*Bernoulli) Sample(dst, out *mat.Dense, rng *rand.Rand) {
	d, o := data(dst), data(out)
	for i, l := range o {
		d[i] = 0
		if rng.Float64() < Sigmoid(l) {
			d[i] = 1
		}
	}
}

// Gaussian is p(x|z) = N(x; m, diag σ²) with the decoder output as mean m and
// a learnable log-variance: one scalar, or one per data dimension.
type Gaussian struct {
	LogVar *Param // 1×1 or 1×D

	x, out *mat.Dense
}

// Gaussian log-variance choices.
const (
	VarianceScalar = "scalar"
	VariancePerDim = "per-dim"
)

// NewGaussian declares the likelihood's log-variance in ps (initialised at 0).
func NewGaussian(ps *Params, dataDim int, variance string) (*Gaussian, error) {
	cols := 1
	switch variance {
	case VarianceScalar, "":
	case VariancePerDim:
		cols = dataDim
	default:
		return nil, fmt.Errorf("core: unknown Gaussian variance %q (want %q or %q)", variance, VarianceScalar, VariancePerDim)
	}
	return &Gaussian{LogVar: ps.Add("likelihood.logvar", 1, cols, Zeros)}, nil
}

func (*Gaussian) Name() string { return "gaussian" }

// logVar returns the clamped log-variance for column j and whether it was
// clamped (then it takes no gradient).
func (g *Gaussian) logVar(j int) (float64, bool) {
	lv := g.LogVar.Value.RawMatrix().Data
	if len(lv) == 1 {
		j = 0
	}
	return clampLogVar(lv[j])
}

func (g *Gaussian) LogProb(dst []float64, x, out *mat.Dense) {
	g.x, g.out = x, out
	xr, mr := x.RawMatrix(), out.RawMatrix()
	scalar := len(g.LogVar.Value.RawMatrix().Data) == 1
	lv0, _ := g.logVar(0)
	inv0 := pmath.Exp(-lv0) // the scalar variance's 1/σ², taken once
	for i := 0; i < xr.Rows; i++ {
		xs := xr.Data[i*xr.Stride : i*xr.Stride+xr.Cols]
		ms := mr.Data[i*mr.Stride : i*mr.Stride+mr.Cols]
		s := 0.0
		for j, m := range ms {
			lv, inv := lv0, inv0
			if !scalar {
				lv, _ = g.logVar(j)
				inv = pmath.Exp(-lv)
			}
			d := xs[j] - m
			s += log2Pi + lv + float64(d*d*inv)
		}
		dst[i] = float64(-0.5 * s)
	}
}

func (g *Gaussian) Backward(dout *mat.Dense, w []float64) {
	xr, mr, dr := g.x.RawMatrix(), g.out.RawMatrix(), dout.RawMatrix()
	glv := g.LogVar.Grad.RawMatrix().Data
	scalar := len(glv) == 1
	lv0, clamped0 := g.logVar(0)
	inv0 := pmath.Exp(-lv0)
	for i := 0; i < xr.Rows; i++ {
		xs := xr.Data[i*xr.Stride : i*xr.Stride+xr.Cols]
		ms := mr.Data[i*mr.Stride : i*mr.Stride+mr.Cols]
		ds := dr.Data[i*dr.Stride : i*dr.Stride+dr.Cols]
		for j, m := range ms {
			inv, clamped := inv0, clamped0
			if !scalar {
				var lv float64
				lv, clamped = g.logVar(j)
				inv = pmath.Exp(-lv)
			}
			d := xs[j] - m
			ds[j] = float64(w[i] * d * inv)
			if !clamped {
				k := j
				if len(glv) == 1 {
					k = 0
				}
				glv[k] += float64(w[i] * 0.5 * (float64(d*d*inv) - 1))
			}
		}
	}
}

func (*Gaussian) Mean(dst, out *mat.Dense) { dst.Copy(out) }

func (g *Gaussian) Sample(dst, out *mat.Dense, rng *rand.Rand) {
	d, o := data(dst), data(out)
	_, c := out.Dims()
	for i, m := range o {
		lv, _ := g.logVar(i % c)
		d[i] = m + float64(pmath.Exp(0.5*lv)*pmath.NormFloat64(rng))
	}
}
