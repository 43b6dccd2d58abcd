package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestEnergyU1Gradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(101, 102))
	for range 10 {
		z := []float64{3 * rng.NormFloat64(), 3 * rng.NormFloat64()}
		g := make([]float64, 2)
		EnergyU1(z, g)
		checkGradient(t, "U1", func() float64 { return EnergyU1(z, nil) }, z, g, 1e-6)
	}
	// The normaliser converges with the grid: 400 and 800 cells agree.
	if a, b := LogNormalizerU1(400), LogNormalizerU1(800); math.Abs(a-b) > 1e-6 {
		t.Errorf("log Z %v (400²) vs %v (800²)", a, b)
	}
}

// TestFlowFitU1 fits planar and radial flows of 2, 8 and 32 layers to the U1
// energy by reverse KL with the same budget and seed, and requires the KL to
// fall as the flow deepens. It prints the table the README quotes:
//
//	go test ./core/ -run TestFlowFitU1 -v
func TestFlowFitU1(t *testing.T) {
	if testing.Short() {
		t.Skip("fits six flows")
	}
	for _, kind := range flowKindsUnderTest {
		prev := math.Inf(1)
		for _, k := range []int{2, 8, 32} {
			fit, err := FitFlowToEnergyU1(kind, k, 3000, 256, 5e-3, 1)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("| %s | %d | %.3f |", kind, k, fit.KL)
			if !(fit.KL < prev) || fit.KL < -0.01 {
				t.Errorf("%s K=%d: KL %.4f after %.4f with fewer layers", kind, k, fit.KL, prev)
			}
			prev = fit.KL
		}
	}
}
