package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEnergyGradients compares ∂U/∂z of U1–U4 with central finite
// differences over the box and a little beyond it.
func TestEnergyGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(101, 102))
	for _, k := range Energies() {
		for range 20 {
			z := []float64{5 * (2*rng.Float64() - 1), 5 * (2*rng.Float64() - 1)}
			g := make([]float64, 2)
			k.Energy.Energy(z, g)
			checkGradient(t, k.Name, func() float64 { return k.Energy.Energy(z, nil) }, z, g, 1e-6)
		}
	}
}

// TestEnvelopePenaltyGradient checks the wall's gradient outside the box
// (away from its kink at the edge) and that it vanishes inside.
func TestEnvelopePenaltyGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(103, 104))
	for range 20 {
		z := []float64{6 * (2*rng.Float64() - 1), 6 * (2*rng.Float64() - 1)}
		for j := range z {
			if math.Abs(math.Abs(z[j])-EnergyBox) < 0.01 {
				z[j] += 0.05
			}
		}
		g := make([]float64, 2)
		EnvelopePenalty(z, g, 100)
		checkGradient(t, "envelope", func() float64 { return EnvelopePenalty(z, nil, 100) }, z, g, 1e-6)
	}
	g := []float64{0.5, -0.5}
	if p := EnvelopePenalty([]float64{3.9, -4}, g, 100); p != 0 || g[0] != 0.5 || g[1] != -0.5 {
		t.Errorf("inside the box: penalty %v, gradient changed to %v", p, g)
	}
	if p := EnvelopePenalty([]float64{4.5, -5}, nil, 2); math.Abs(p-(0.25+1)) > 1e-12 {
		t.Errorf("penalty %v, want 1.25", p)
	}
}

// TestLogNormalizers checks that the quadrature converges: 200² and 400²
// cells agree to 2e-5 nats, and the midpoint rule's error falls as h², so
// the 800² grid the fitters use is within about 1e-6.
func TestLogNormalizers(t *testing.T) {
	for _, k := range Energies() {
		a, b := LogNormalizer(k.Energy, 200), LogNormalizer(k.Energy, 400)
		if math.Abs(a-b) > 2e-5 || math.IsNaN(a) {
			t.Errorf("%s: log Z %v (200²) vs %v (400²)", k.Name, a, b)
		}
	}
	u1, _ := EnergyByName("u1")
	if a, b := LogNormalizerU1(200), LogNormalizer(u1, 200); a != b {
		t.Errorf("LogNormalizerU1 %v, LogNormalizer %v", a, b)
	}
}

func TestEnergyRegistry(t *testing.T) {
	names := EnergyNames()
	if len(names) != 4 || names[0] != "u1" || names[3] != "u4" {
		t.Fatalf("energies %v", names)
	}
	for _, n := range names {
		e, err := EnergyByName(n)
		if err != nil || e.Name() != n {
			t.Errorf("%s: %v, %v", n, e, err)
		}
	}
	if _, err := EnergyByName("u5"); err == nil {
		t.Error("an unknown energy was accepted")
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
