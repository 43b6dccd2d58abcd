package core

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestPlanarWithZeroWIsAShift: w = 0 makes the layer z + u·tanh(b), a pure
// shift with log|det J| = 0.
func TestPlanarWithZeroWIsAShift(t *testing.T) {
	p := &Planar{D: 2}
	theta := mat.NewDense(1, 5, []float64{0.7, -0.4, 0, 0, 0.5})
	z := mat.NewDense(1, 2, []float64{0.3, -1.2})
	out := mat.NewDense(1, 2, nil)
	logdet := []float64{0}
	p.Forward(out, logdet, z, theta)
	if math.Abs(logdet[0]) > 1e-12 {
		t.Fatalf("log|det J| = %v for a pure shift", logdet[0])
	}
	tb := math.Tanh(0.5)
	if math.Abs(out.At(0, 0)-(0.3+0.7*tb)) > 1e-12 || math.Abs(out.At(0, 1)-(-1.2-0.4*tb)) > 1e-12 {
		t.Fatalf("shift gave %v", out.RawRowView(0))
	}
}
