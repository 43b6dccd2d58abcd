package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// UpdateScaled(v, g, s) is Update(v, s·g) up to rounding, and the clipping
// folded into it leaves the gradient slab as the model wrote it.
func TestAdamUpdateScaledMatchesScaledGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	const n = 1001
	v1, g := make([]float64, n), make([]float64, n)
	for i := range g {
		v1[i], g[i] = rng.NormFloat64(), rng.NormFloat64()*math.Pow(10, 4*rng.Float64()-2)
	}
	v2 := append([]float64(nil), v1...)
	g0 := append([]float64(nil), g...)
	a1, a2 := NewAdam(n, 1e-2), NewAdam(n, 1e-2)
	const s = 0.37
	gs := make([]float64, n)
	for range 5 {
		for i := range g {
			gs[i] = s * g[i]
		}
		a1.Update(v1, gs)
		a2.UpdateScaled(v2, g, s)
	}
	for i := range v1 {
		if relErr(v2[i], v1[i]) > 1e-13 || relErr(a2.M[i], a1.M[i]) > 1e-13 || relErr(a2.V[i], a1.V[i]) > 1e-13 {
			t.Fatalf("parameter %d: %g vs %g (m %g vs %g, v %g vs %g)", i, v2[i], v1[i], a2.M[i], a1.M[i], a2.V[i], a1.V[i])
		}
		if g[i] != g0[i] {
			t.Fatalf("gradient %d changed", i)
		}
	}
}

func TestClippedStepLeavesGradientAndMovesParameters(t *testing.T) {
	x := twoBlobs(64, rand.New(rand.NewPCG(7, 7)))
	m, _ := NewModel(DefaultConfig2D(), rand.New(rand.NewPCG(1, 2)))
	h := DefaultHyper()
	h.ClipNorm = 1e-3 // every step clips
	tr, _ := NewTrainer(m, x, 16, h, 1)
	before := m.Params.Export(nil)
	r := tr.Step()
	if r.Skipped || !(r.GradNorm > h.ClipNorm) {
		t.Fatalf("step: %+v", r)
	}
	if got := globalNorm(m.Params.Grads()); got != r.GradNorm {
		t.Fatalf("gradient norm after the step %g, reported %g: the slab was rescaled", got, r.GradNorm)
	}
	moved := 0.0
	for i, v := range m.Params.Values() {
		moved = max(moved, math.Abs(v-before[i]))
	}
	// Adam's first step moves each parameter by about LR whatever the scale.
	if moved == 0 || moved > 1.01*h.LearningRate {
		t.Fatalf("largest parameter move %g with learning rate %g", moved, h.LearningRate)
	}
}
