package core

import (
	"math"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// detFlow is implemented by flow layers that can multiply |det ∂f/∂z| into a
// running product instead of adding its log. A deep flow prior evaluated on
// a density grid then takes one logarithm per point instead of one per layer
// and point: the log was over half of a 32-layer density view's time.
type detFlow interface {
	// ForwardDet is Forward with det[i] *= |det J(zᵢ)| in place of
	// logdet[i] += log|det J(zᵢ)|; it caches the same things for Backward.
	ForwardDet(out *mat.Dense, det []float64, z, theta *mat.Dense)
}

// accumulateLogDet moves the running products into logdet, keeping exact
// exponents with Frexp so that no product over- or underflows between calls.
func accumulateLogDet(logdet, det []float64, exps []int) {
	for i, v := range det {
		logdet[i] += pmath.Log(v) + float64(float64(exps[i])*math.Ln2)
		det[i], exps[i] = 1, 0
	}
}

// detProductMaxDim is the largest dimension in which the flow prior
// multiplies determinants: one radial layer's factor has a (d−1)-th power,
// which in higher dimensions can leave float64's range within a single
// layer; there the per-layer logarithms are summed instead.
const detProductMaxDim = 8

// renormaliseDet rescales each running product that has drifted outside
// [1e-100, 1e100] into [0.5, 1) and keeps the power of two apart. Below
// detProductMaxDim a single layer moves a product by less than 1e±200 for
// any parameters training can reach, so checking after every layer keeps
// it finite; the check is a predictable compare, the Frexp rare.
func renormaliseDet(det []float64, exps []int) {
	for i, v := range det {
		if v >= 1e-100 && v <= 1e100 || v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		m, e := math.Frexp(v)
		det[i] = m
		exps[i] += e
	}
}
