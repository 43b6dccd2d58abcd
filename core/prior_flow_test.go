package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// newTestFlowPrior builds a K-layer flow prior in 2-D from its own
// initialiser, then moves every parameter by N(0, jitter²) so the density is
// clearly not Gaussian.
func newTestFlowPrior(t *testing.T, rng *rand.Rand, kind string, k int, jitter float64) (*FlowPrior, *Params) {
	t.Helper()
	var ps Params
	p, err := NewFlowPrior(&ps, kind, k, 2)
	if err != nil {
		t.Fatal(err)
	}
	ps.Allocate(rng)
	for i := range ps.Values() {
		ps.Values()[i] += jitter * rng.NormFloat64()
	}
	return p, &ps
}

func TestFlowPriorGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	for _, kind := range flowKindsUnderTest {
		for _, k := range []int{1, 4} {
			p, ps := newTestFlowPrior(t, rng, kind, k, 0.5)
			checkPriorGradients(t, fmt.Sprintf("flow prior %s K=%d", kind, k), p, ps, rng, 1.5)
		}
	}
}

// TestFlowPriorIntegratesToOne: the midpoint rule on [−10, 10]² with a
// 400×400 grid (h = 0.05). For smooth, fast-decaying densities the rule is
// spectrally accurate (planar integrals come out within 1e-13 of 1); radial
// densities have a kink at each centre, which costs O(h²) locally (≈1e-6 at
// K = 32). The 1e-4 tolerance leaves room for both, and would catch a wrong
// log-det term (a missing (d−1) factor, say, moves the integral by percent).
func TestFlowPriorIntegratesToOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(63, 64))
	for _, kind := range flowKindsUnderTest {
		for _, k := range []int{1, 8, 32} {
			p, _ := newTestFlowPrior(t, rng, kind, k, 0.3)
			if got := integrate2D(priorDensity(p), 10, 400); math.Abs(got-1) > 1e-4 {
				t.Errorf("flow prior %s K=%d integrates to %v", kind, k, got)
			}
		}
	}
}

// TestFlowPriorSamplesMatchDensity: samples come through the inverse, the
// density through the normalising direction, so agreement tests both.
func TestFlowPriorSamplesMatchDensity(t *testing.T) {
	rng := rand.New(rand.NewPCG(65, 66))
	for _, kind := range flowKindsUnderTest {
		for _, k := range []int{1, 8, 32} {
			p, _ := newTestFlowPrior(t, rng, kind, k, 0.3)
			name := fmt.Sprintf("flow prior %s K=%d", kind, k)
			checkSamplesMatchDensity(t, name, priorDensity(p), func(dst *mat.Dense) { p.Sample(dst, rng) }, 5)

			// Pushing a sample back through the normalising direction gives
			// the ε it was drawn from.
			seed := rng.Uint64()
			z := mat.NewDense(20, 2, nil)
			p.Sample(z, rand.New(rand.NewPCG(seed, 1)))
			p.LogProb(make([]float64, 20), z)
			eps := rand.New(rand.NewPCG(seed, 1))
			for i, v := range data(&p.zs[k]) {
				if want := eps.NormFloat64(); math.Abs(v-want) > 1e-7*(1+math.Abs(want)) {
					t.Fatalf("%s: g(g⁻¹(ε))[%d] = %v, ε = %v", name, i, v, want)
				}
			}
		}
	}
}

func TestFlowPriorStartsNearStandardNormal(t *testing.T) {
	rng := rand.New(rand.NewPCG(67, 68))
	for _, kind := range flowKindsUnderTest {
		p, _ := newTestFlowPrior(t, rng, kind, 8, 0)
		z := randDense(rng, 10, 2, 1.5)
		got, want := make([]float64, 10), make([]float64, 10)
		p.LogProb(got, z)
		(&StandardNormal{D: 2}).LogProb(want, z)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 0.1 {
				t.Errorf("%s: initial log p %v, standard normal %v", kind, got[i], want[i])
			}
		}
	}
}

// TestRadialFlowPriorInHighDimensions: one radial layer's determinant has a
// (d−1)-th power; in d = 64 it leaves float64's range, and the prior must
// still give the finite log-density the per-layer logarithms give.
func TestRadialFlowPriorInHighDimensions(t *testing.T) {
	const d, layers = 64, 4
	var ps Params
	fp, err := NewFlowPrior(&ps, "radial", layers, d)
	if err != nil {
		t.Fatal(err)
	}
	ps.Allocate(rand.New(rand.NewPCG(1, 1)))
	th := ps.Values()
	for k := range layers {
		row := th[k*(d+2) : (k+1)*(d+2)]
		clear(row[:d])
		row[d], row[d+1] = 3, -3 // contracting: α = softplus(3), β ≈ −α
	}
	z := mat.NewDense(1, d, nil)
	for j := range d {
		z.Set(0, j, 0.02)
	}
	got := make([]float64, 1)
	fp.LogProb(got, z)
	grid := make([]float64, 1)
	fp.LogDensity(grid, z)
	cur := mat.DenseCopyOf(z)
	logdet := make([]float64, 1)
	for k, l := range fp.Layers {
		next := mat.NewDense(1, d, nil)
		l.Forward(next, logdet, cur, &fp.thetas[k])
		cur = next
	}
	want := logdet[0] - 0.5*mat.Dot(cur.RowView(0), cur.RowView(0)) - 0.5*d*log2Pi
	for name, v := range map[string]float64{"LogProb": got[0], "LogDensity": grid[0]} {
		if math.IsInf(v, 0) || math.Abs(v-want) > 1e-9*math.Abs(want) {
			t.Errorf("%s = %v, want %v", name, v, want)
		}
	}
}
