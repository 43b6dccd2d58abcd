package core

import (
	"math/rand/v2"
	"testing"
)

// TestModelGradientPosteriorFlows checks ∂Loss/∂θ of the whole objective
// (Monte Carlo KL through log q₀ − Σ log|det| − log p(z_K)) for each flow
// kind, amortised by the encoder and shared, with β and a free-bits floor.
func TestModelGradientPosteriorFlows(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, kind := range flowKindsUnderTest {
		for _, amortized := range []bool{true, false} {
			cfg := smallConfig("gaussian")
			cfg.PosteriorFlow = FlowConfig{Kind: kind, Layers: 3, Amortized: amortized}
			m, err := NewModel(cfg, rng)
			if err != nil {
				t.Fatal(err)
			}
			// Move the shared flow away from its near-zero start so every
			// term of the layer is exercised.
			if p := m.Params.Find("posterior_flow.theta"); p != nil {
				for i := range data(p.Value) {
					data(p.Value)[i] = rng.NormFloat64()
				}
			}
			if m.KLMode() != KLMonteCarlo {
				t.Fatalf("%s: KL mode %q with a posterior flow", kind, m.KLMode())
			}
			x := randDense(rng, 5, 3, 1)
			name := kind
			if amortized {
				name += " amortised"
			} else {
				name += " shared"
			}
			modelLossGradient(t, name, m, x, Objective{Beta: 1})
			modelLossGradient(t, name+" β=0.5", m, x, Objective{Beta: 0.5})
		}
	}
}
