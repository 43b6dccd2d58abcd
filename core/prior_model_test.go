package core

import (
	"math/rand/v2"
	"testing"
)

// TestModelGradientEachPrior checks ∂Loss/∂θ of the full objective with
// every registered prior, alone and under an amortised and a shared planar
// posterior flow, so that every prior's gradient meets the Monte Carlo KL.
func TestModelGradientEachPrior(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for _, kind := range PriorNames() {
		for _, flow := range []FlowConfig{{}, {Kind: "planar", Layers: 2, Amortized: true}, {Kind: "radial", Layers: 2}} {
			cfg := smallConfig("gaussian")
			cfg.Prior = PriorConfig{Kind: kind, Components: 3, FlowKind: "radial", FlowLayers: 2, StageHidden: []int{3}}
			cfg.PosteriorFlow = flow
			m, err := NewModel(cfg, rng)
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			// Start every prior away from its initial (often symmetric) values.
			for _, p := range m.Params.List() {
				if len(p.Name) > 6 && p.Name[:6] == "prior." {
					for i := range data(p.Value) {
						data(p.Value)[i] += 0.3 * rng.NormFloat64()
					}
				}
			}
			x := randDense(rng, 5, 3, 1)
			name := kind + " prior"
			if flow.Kind != "" {
				name += ", " + flow.Kind + " posterior flow"
			}
			modelLossGradient(t, name, m, x, Objective{Beta: 1})
		}
	}
}
