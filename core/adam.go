package core

import (
	"math"

	"github.com/vaeplayground/vae/internal/pmath"
)

// Adam is the Adam optimiser with bias correction (Kingma & Ba 2015) over a
// flat parameter slab. LR may change between steps.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	T                     int // steps taken
	M, V                  []float64
}

// NewAdam returns Adam with the usual defaults for n parameters.
func NewAdam(n int, lr float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, M: make([]float64, n), V: make([]float64, n)}
}

// Update applies one step to values using grads.
func (a *Adam) Update(values, grads []float64) { a.UpdateScaled(values, grads, 1) }

// UpdateScaled applies one step using s·grads, without writing the scaled
// gradient anywhere: gradient-norm clipping costs no extra pass.
func (a *Adam) UpdateScaled(values, grads []float64, s float64) {
	a.T++
	b1, b2 := a.Beta1, a.Beta2
	c1 := 1 - pmath.Pow(b1, float64(a.T))
	c2 := 1 - pmath.Pow(b2, float64(a.T))
	// step·m̂/(√v̂ + ε) with m̂ = m/c1, √v̂ = √v·k: one square root and one
	// division per parameter.
	step, k := a.LR/c1, 1/math.Sqrt(c2)
	ga, gb := float64((1-b1)*s), float64((1-b2)*s*s)
	n := len(values)
	m, v, gs := a.M[:n], a.V[:n], grads[:n]
	for i, g := range gs {
		mi := float64(b1*m[i]) + float64(ga*g)
		vi := float64(b2*v[i]) + float64(gb*(g*g))
		m[i], v[i] = mi, vi
		values[i] -= step * mi / (float64(math.Sqrt(vi)*k) + a.Eps)
	}
}

// globalNorm is the Euclidean norm of xs. Four partial sums let the
// additions overlap (one running sum waits on each add's latency).
func globalNorm(xs []float64) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(xs); i += 4 {
		x := xs[i : i+4 : i+4]
		s0 += float64(x[0] * x[0])
		s1 += float64(x[1] * x[1])
		s2 += float64(x[2] * x[2])
		s3 += float64(x[3] * x[3])
	}
	for ; i < len(xs); i++ {
		s0 += float64(xs[i] * xs[i])
	}
	return math.Sqrt((s0 + s1) + (s2 + s3))
}

// scale multiplies xs by c.
func scale(xs []float64, c float64) {
	for i := range xs {
		xs[i] = float64(xs[i] * c)
	}
}
