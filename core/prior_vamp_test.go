package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// newTestVamp builds a VampPrior over a small 3→[6]→2 encoder whose
// log-variance head is damped (σ within about [0.4, 1.6]) so that the
// mixture stays resolvable by a grid.
func newTestVamp(rng *rand.Rand, k int, squash bool, extra int) (*VampPrior, *Params) {
	var ps Params
	enc := NewEncoder(&ps, "encoder", 3, []int{6}, 2, extra, Tanh)
	p := NewVampPrior(&ps, enc, k, squash)
	ps.Allocate(rng)
	out := enc.Net.Layers[1].(*Linear)
	w, b := out.W.Value, data(out.B.Value)
	for r := range 6 {
		for c := 2; c < 4; c++ {
			w.Set(r, c, 0.15*w.At(r, c))
		}
	}
	b[2], b[3] = -0.2, 0.1
	return p, &ps
}

func TestVampPriorGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	for _, squash := range []bool{false, true} {
		for _, extra := range []int{0, 3} {
			p, ps := newTestVamp(rng, 4, squash, extra)
			checkPriorGradients(t, fmt.Sprintf("vamp squash=%v extra=%d", squash, extra), p, ps, rng, 1.5)
		}
	}
}

func TestVampPriorIntegratesAndSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(73, 74))
	for _, squash := range []bool{false, true} {
		p, _ := newTestVamp(rng, 5, squash, 0)
		name := fmt.Sprintf("vamp squash=%v", squash)
		for _, c := range p.Components() {
			if v := min(c.Var[0], c.Var[1]); v < 0.1 {
				t.Fatalf("%s: component variance %v too small for the grid", name, v)
			}
		}
		if got := integrate2D(priorDensity(p), 10, 300); math.Abs(got-1) > 1e-4 {
			t.Errorf("%s integrates to %v", name, got)
		}
		checkSamplesMatchDensity(t, name, priorDensity(p), func(dst *mat.Dense) { p.Sample(dst, rng) }, 4)
	}
}

func TestVampPriorInitFromData(t *testing.T) {
	rng := rand.New(rand.NewPCG(75, 76))
	x := mat.NewDense(4, 3, []float64{0, 1, 0.5, 1, 1, 1, 0, 0, 0, 0.2, 0.3, 0.4})
	for _, squash := range []bool{false, true} {
		p, _ := newTestVamp(rng, 3, squash, 0)
		if err := p.InitFromData(x, rng); err != nil {
			t.Fatal(err)
		}
		u := mat.NewDense(3, 3, nil)
		p.PseudoInputs(u)
		used := map[int]bool{}
		for k := range 3 {
			found := -1
			for r := range 4 {
				same := true
				for j := range 3 {
					want := x.At(r, j)
					if squash {
						want = min(max(want, pseudoInputClip), 1-pseudoInputClip)
					}
					if math.Abs(u.At(k, j)-want) > 1e-12 {
						same = false
					}
				}
				if same {
					found = r
				}
			}
			if found < 0 || used[found] {
				t.Fatalf("squash=%v: pseudo-input %v is not a distinct data row", squash, u.RawRowView(k))
			}
			used[found] = true
		}
	}
	p, _ := newTestVamp(rng, 3, false, 0)
	if err := p.InitFromData(mat.NewDense(2, 2, nil), rng); err == nil {
		t.Error("rows of the wrong width accepted")
	}
	if err := p.InitFromData(mat.NewDense(1, 3, []float64{0, math.Inf(1), 0}), rng); err == nil {
		t.Error("non-finite row accepted")
	}
}
