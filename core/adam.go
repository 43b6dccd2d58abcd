package core

import "math"

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
func (a *Adam) Update(values, grads []float64) {
	a.T++
	b1, b2 := a.Beta1, a.Beta2
	c1 := 1 - math.Pow(b1, float64(a.T))
	c2 := 1 - math.Pow(b2, float64(a.T))
	step := a.LR / c1
	m, v := a.M[:len(values)], a.V[:len(values)]
	for i, g := range grads[:len(values)] {
		mi := b1*m[i] + (1-b1)*g
		vi := b2*v[i] + (1-b2)*g*g
		m[i], v[i] = mi, vi
		values[i] -= step * mi / (math.Sqrt(vi/c2) + a.Eps)
	}
}

// globalNorm is the Euclidean norm of xs.
func globalNorm(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x * x
	}
	return math.Sqrt(s)
}

// scale multiplies xs by c.
func scale(xs []float64, c float64) {
	for i := range xs {
		xs[i] *= c
	}
}
