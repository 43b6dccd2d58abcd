package core

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestFlowDensityPathsAgree: the product-of-determinants path (ForwardDet),
// the cache-friendly parallel grid path (LogDensity) and the per-layer
// log-determinant sum all give the same log-density, for deep flows with
// parameters far from the identity.
func TestFlowDensityPathsAgree(t *testing.T) {
	for _, tc := range []struct {
		kind   string
		layers int
		d      int
	}{
		{"planar", 1, 3}, {"planar", 7, 3}, {"planar", 32, 3}, {"planar", 1, 2}, {"planar", 32, 2},
		{"radial", 1, 3}, {"radial", 7, 3}, {"radial", 32, 3}, {"radial", 1, 2}, {"radial", 32, 2},
	} {
		kind, layers, d := tc.kind, tc.layers, tc.d
		{
			rng := rand.New(rand.NewPCG(uint64(layers), 9))
			fp := perturbedFlowPrior(t, kind, layers, d, rng, 0.8)
			n := 1000 // several chunks, the last one partial
			z := randDense(rng, n, d, 2)
			viaDet := make([]float64, n)
			fp.LogProb(viaDet, z)
			viaGrid := make([]float64, n)
			fp.LogDensity(viaGrid, z)
			// Reference: each layer's own log-determinant, summed.
			cur := mat.DenseCopyOf(z)
			logdet := make([]float64, n)
			for k, l := range fp.Layers {
				next := mat.NewDense(n, d, nil)
				l.Forward(next, logdet, cur, &fp.thetas[k])
				cur = next
			}
			for i := 0; i < n; i++ {
				ref := logdet[i]
				for j := 0; j < d; j++ {
					ref -= 0.5 * cur.At(i, j) * cur.At(i, j)
				}
				ref -= 0.5 * float64(d) * log2Pi
				for name, got := range map[string]float64{"ForwardDet": viaDet[i], "LogDensity": viaGrid[i]} {
					if math.Abs(got-ref) > 1e-9*math.Max(1, math.Abs(ref)) {
						t.Fatalf("%s K=%d d=%d %s row %d: %v, reference %v", kind, layers, d, name, i, got, ref)
					}
				}
			}
		}
	}
}

func TestRenormalisedProductKeepsTinyDeterminants(t *testing.T) {
	// 64 factors of 1e-9: the plain product underflows, the kept exponents do not.
	det, exps, logdet := []float64{1}, []int{0}, []float64{0}
	for k := range 64 {
		det[0] *= 1e-9
		if k%4 == 3 {
			renormaliseDet(det, exps)
		}
	}
	accumulateLogDet(logdet, det, exps)
	if want := 64 * math.Log(1e-9); math.Abs(logdet[0]-want) > 1e-9 {
		t.Fatalf("log of the product = %v, want %v", logdet[0], want)
	}
}

// perturbedFlowPrior is a K-layer flow prior whose parameters are drawn
// from rng and then moved by scale·N(0, 1) each, far from the identity.
func perturbedFlowPrior(t testing.TB, kind string, layers, d int, rng *rand.Rand, scale float64) *FlowPrior {
	t.Helper()
	var ps Params
	fp, err := NewFlowPrior(&ps, kind, layers, d)
	if err != nil {
		t.Fatal(err)
	}
	ps.Allocate(rng)
	for i := range ps.Values() {
		ps.Values()[i] += scale * rng.NormFloat64()
	}
	return fp
}
