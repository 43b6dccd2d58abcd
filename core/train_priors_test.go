package core_test

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"gonum.org/v1/gonum/mat"
)

func eightGaussians(t *testing.T, n int, seed uint64) *mat.Dense {
	t.Helper()
	e, _ := datasets.Lookup("8gaussians")
	p := e.Defaults()
	p["n"] = float64(n)
	d, err := datasets.Generate("8gaussians", p, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return mat.NewDense(d.N, d.D, d.X)
}

// TestPriorComparison8Gaussians trains the default 2-D VAE on 8 Gaussians
// with the standard, mixture and flow priors (same seed, same 6000 steps of
// batch 100) and compares the test ELBO and the 100-sample IWAE bound. It
// takes about 25 s, so it runs only when asked; the README table comes from
//
//	VAE_EXPERIMENTS=1 go test ./core/ -run TestPriorComparison8Gaussians -v
func TestPriorComparison8Gaussians(t *testing.T) {
	if os.Getenv("VAE_EXPERIMENTS") == "" {
		t.Skip("set VAE_EXPERIMENTS=1 to train the three VAEs")
	}
	train, test := eightGaussians(t, 2000, 1), eightGaussians(t, 1000, 2)
	priors := []struct {
		name string
		cfg  core.PriorConfig
	}{
		{"standard N(0, I)", core.PriorConfig{Kind: "standard"}},
		{"mixture, 8 components", core.PriorConfig{Kind: "mixture", Components: 8}},
		{"flow, 16 planar layers", core.PriorConfig{Kind: "flow", FlowKind: "planar", FlowLayers: 16}},
	}
	results := make([]core.Evaluation, len(priors))
	for i, pr := range priors {
		cfg := core.DefaultConfig2D()
		cfg.Prior = pr.cfg
		m, err := core.NewModel(cfg, rand.New(rand.NewPCG(7, 7)))
		if err != nil {
			t.Fatal(err)
		}
		tr, err := core.NewTrainer(m, train, 100, core.DefaultHyper(), 7)
		if err != nil {
			t.Fatal(err)
		}
		for range 6000 {
			tr.Step()
		}
		results[i] = m.Evaluate(test, 100, rand.New(rand.NewPCG(8, 8)))
		t.Logf("| %s | %.3f | %.3f |", pr.name, results[i].ELBO, results[i].IWAE)
	}
	for i := 1; i < len(priors); i++ {
		if !(results[i].ELBO > results[0].ELBO && results[i].IWAE > results[0].IWAE) {
			t.Errorf("%s: test ELBO %.3f / IWAE %.3f, not above the standard prior's %.3f / %.3f",
				priors[i].name, results[i].ELBO, results[i].IWAE, results[0].ELBO, results[0].IWAE)
		}
	}
}
