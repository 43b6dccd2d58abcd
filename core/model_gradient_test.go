package core

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// modelLossGradient checks ∂Loss/∂θ of a whole model against finite
// differences, with the noise fixed by reseeding for every evaluation.
func modelLossGradient(t *testing.T, name string, m *Model, x *mat.Dense, obj Objective) {
	t.Helper()
	f := func() float64 {
		return m.Gradient(x, obj, rand.New(rand.NewPCG(99, 100))).Loss
	}
	m.Gradient(x, obj, rand.New(rand.NewPCG(99, 100)))
	grads := append([]float64(nil), m.Params.Grads()...)
	checkGradient(t, name, f, m.Params.Values(), grads, 1e-5)
}

func smallConfig(lik string) Config {
	return Config{
		DataDim: 3, LatentDim: 2, EncoderHidden: []int{5}, DecoderHidden: []int{4},
		Activation: "tanh", Likelihood: lik, Variance: VariancePerDim,
	}
}

func TestModelGradientStandardPrior(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, lik := range []string{"gaussian", "bernoulli"} {
		m, err := NewModel(smallConfig(lik), rng)
		if err != nil {
			t.Fatal(err)
		}
		x := randDense(rng, 7, 3, 1)
		if lik == "bernoulli" {
			for i := range data(x) {
				data(x)[i] = Sigmoid(data(x)[i])
			}
		}
		modelLossGradient(t, lik, m, x, Objective{Beta: 1})
		modelLossGradient(t, lik+" β=0.3", m, x, Objective{Beta: 0.3})
		// A free-bits floor that some dimensions sit below and some above.
		st := m.Gradient(x, Objective{Beta: 1}, rand.New(rand.NewPCG(99, 100)))
		floor := (st.KLPerDim[0] + st.KLPerDim[1]) / 2
		modelLossGradient(t, lik+" free bits", m, x, Objective{Beta: 1, FreeBits: floor})
	}
}

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
