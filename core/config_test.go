package core

import (
	"math/rand/v2"
	"testing"
)

// TestHugeConfigsAreRefusedBeforeAllocating: a config from a URL or a file
// that would declare gigabytes of parameters (directly, or through a second
// stage VAE) is refused by Validate, and a checkpoint naming one costs no
// allocation of its size.
func TestHugeConfigsAreRefusedBeforeAllocating(t *testing.T) {
	big := func(mod func(*Config)) Config {
		c := DefaultConfig2D()
		mod(&c)
		return c
	}
	for name, c := range map[string]Config{
		"wide": big(func(c *Config) { c.DataDim, c.EncoderHidden = 4096, []int{4096, 4096, 4096, 4096} }),
		"two-stage": big(func(c *Config) {
			c.Prior = PriorConfig{Kind: "two-stage", StageHidden: []int{4096, 4096, 4096}, StageLatent: 64}
		}),
		"vamp": big(func(c *Config) {
			c.DataDim, c.EncoderHidden, c.Prior = 4096, []int{512}, PriorConfig{Kind: "vamp", Components: 512}
		}),
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%s: a huge config validated", name)
		}
	}
	// The reference models stay well inside the bound.
	for _, c := range []Config{DefaultConfigImage(), DefaultConfig2D()} {
		if err := c.Validate(); err != nil {
			t.Errorf("reference config refused: %v", err)
		}
		m, _ := NewModel(c, rand.New(rand.NewPCG(1, 1)))
		if b := c.paramBound(); b < m.Params.Len() {
			t.Errorf("bound %d below the real count %d", b, m.Params.Len())
		}
	}
	// The bound is an upper bound for every prior and flow kind.
	for _, kind := range PriorNames() {
		c := DefaultConfig2D()
		c.Prior = PriorConfig{Kind: kind, FlowKind: "radial", FlowLayers: 8}
		c.PosteriorFlow = FlowConfig{Kind: "planar", Layers: 5, Amortized: true}
		c.Bayes = BayesConfig{Encoder: true, Decoder: true}
		m, err := NewModel(c, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		n := m.Params.Len()
		if ts, ok := m.Prior.(*TwoStagePrior); ok {
			n += ts.Stage.Params.Len()
		}
		if b := c.paramBound(); b < n {
			t.Errorf("%s: bound %d below the real count %d", kind, b, n)
		}
	}
}
