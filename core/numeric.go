package core

import (
	"math"

	"github.com/vaeplayground/vae/internal/pmath"
)

const (
	log2Pi = 1.8378770664093453 // log(2π)

	// Log-variances are clamped into this range: outside it exp(logvar)
	// underflows or overflows gradients long before the model is useful.
	minLogVar = -12.0
	maxLogVar = 8.0
)

// Softplus is log(1+eˣ), computed without overflow.
func Softplus(x float64) float64 {
	if x > 0 {
		return x + pmath.Log1p(pmath.Exp(-x))
	}
	return pmath.Log1p(pmath.Exp(x))
}

// Sigmoid is 1/(1+e⁻ˣ), computed without overflow.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + pmath.Exp(-x))
	}
	e := pmath.Exp(x)
	return e / (1 + e)
}

// LogSumExp is log Σ exp(xᵢ), shifted by the maximum; −Inf for an empty or
// all −Inf input.
func LogSumExp(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		if x > m {
			m = x
		}
	}
	if math.IsInf(m, -1) {
		return m
	}
	if math.IsInf(m, 1) {
		return m
	}
	s := 0.0
	for _, x := range xs {
		s += pmath.Exp(x - m)
	}
	return m + pmath.Log(s)
}

// LogMeanExp is log (1/n) Σ exp(xᵢ).
func LogMeanExp(xs []float64) float64 {
	return LogSumExp(xs) - pmath.Log(float64(len(xs)))
}

func clampLogVar(v float64) (float64, bool) {
	if v < minLogVar {
		return minLogVar, true
	}
	if v > maxLogVar {
		return maxLogVar, true
	}
	return v, false
}

func finite(xs []float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
