package core

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestMonteCarloKLIsNotClampedWithoutFreeBits: a one-sample KL estimate can
// be negative; with free bits off it must enter the loss (and its gradient)
// as it is.
func TestMonteCarloKLIsNotClampedWithoutFreeBits(t *testing.T) {
	cfg := smallConfig("gaussian")
	cfg.Prior = PriorConfig{Kind: "mixture", Components: 3}
	m, err := NewModel(cfg, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	seen := false
	for s := uint64(0); s < 200 && !seen; s++ {
		x := randDense(rng, 2, 3, 0.3)
		st := m.Gradient(x, Objective{Beta: 2}, rand.New(rand.NewPCG(s, 1)))
		if st.KL >= 0 {
			continue
		}
		seen = true
		if want := -st.Recon + 2*st.KL; math.Abs(st.Loss-want) > 1e-12 {
			t.Fatalf("KL %v: loss %v, want −recon + β·KL = %v", st.KL, st.Loss, want)
		}
		var norm float64
		for _, g := range m.Prior.(*Mixture).LogVars.Grad.RawMatrix().Data {
			norm += g * g
		}
		if norm == 0 {
			t.Fatal("a negative KL estimate passed no gradient to the prior")
		}
	}
	if !seen {
		t.Fatal("no batch with a negative KL estimate found; the test needs another seed")
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

// TestPlanarWithZeroWIsAShift: w = 0 makes the layer z + u·tanh(b), a pure
// shift with log|det J| = 0.
func TestPlanarWithZeroWIsAShift(t *testing.T) {
	p := &Planar{D: 2}
	theta := mat.NewDense(1, 5, []float64{0.7, -0.4, 0, 0, 0.5})
	z := mat.NewDense(1, 2, []float64{0.3, -1.2})
	out := mat.NewDense(1, 2, nil)
	logdet := []float64{0}
	p.Forward(out, logdet, z, theta)
	if math.Abs(logdet[0]) > 1e-12 {
		t.Fatalf("log|det J| = %v for a pure shift", logdet[0])
	}
	tb := math.Tanh(0.5)
	if math.Abs(out.At(0, 0)-(0.3+0.7*tb)) > 1e-12 || math.Abs(out.At(0, 1)-(-1.2-0.4*tb)) > 1e-12 {
		t.Fatalf("shift gave %v", out.RawRowView(0))
	}
}

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

// TestSnapshotCarriesTheSecondStage: the drawing thread's copy, fed by
// snapshots, scores and samples codes like the training copy.
func TestSnapshotCarriesTheSecondStage(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{8}, []int{8}
	cfg.Prior = PriorConfig{Kind: "two-stage", StageHidden: []int{8}}
	trainer, _ := NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
	drawer, _ := NewModel(cfg, rand.New(rand.NewPCG(2, 2)))
	ts := trainer.Prior.(*TwoStagePrior)
	if err := ts.SetCodes(ringCodes(100, rand.New(rand.NewPCG(3, 3))), 20, 4); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		ts.FitStep()
	}
	snap := trainer.Snapshot(nil)
	if err := drawer.Restore(snap); err != nil {
		t.Fatal(err)
	}
	z := ringCodes(4, rand.New(rand.NewPCG(5, 5)))
	a, b := make([]float64, 4), make([]float64, 4)
	ts.ScoreCodes(a, z, 4, rand.New(rand.NewPCG(6, 6)))
	drawer.Prior.(*TwoStagePrior).ScoreCodes(b, z, 4, rand.New(rand.NewPCG(6, 6)))
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("scores differ after Restore: %v vs %v", a, b)
		}
	}
	if err := drawer.Restore(snap[:len(snap)-1]); err == nil {
		t.Fatal("a short snapshot was restored")
	}
	snap[0] = math.NaN()
	if err := drawer.Restore(snap); err == nil {
		t.Fatal("a NaN snapshot was restored")
	}
}

// TestEvaluateChunksLargeK: with k large enough that the rows are split into
// several chunks of log-weights, every row still gets its own bounds.
func TestEvaluateChunksLargeK(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{4}, []int{4}
	m, _ := NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
	const n, k = 600, 2000 // evalWeights/k = 524 rows a chunk: two chunks
	x := twoBlobs(n, rand.New(rand.NewPCG(2, 2)))
	ev := m.Evaluate(x, k, rand.New(rand.NewPCG(3, 3)))
	var elbo float64
	for i := range n {
		if ev.RowIWAE[i] < ev.RowELBO[i] || ev.RowELBO[i] == 0 || math.IsNaN(ev.RowIWAE[i]) {
			t.Fatalf("row %d: ELBO %v IWAE %v", i, ev.RowELBO[i], ev.RowIWAE[i])
		}
		elbo += ev.RowELBO[i]
	}
	if math.Abs(elbo/n-ev.ELBO) > 1e-9 {
		t.Fatalf("mean of rows %v, ELBO %v", elbo/n, ev.ELBO)
	}
}
