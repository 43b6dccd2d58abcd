package core

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// twoBlobs makes n 2-D points around (±2, 0) with small noise.
func twoBlobs(n int, rng *rand.Rand) *mat.Dense {
	x := mat.NewDense(n, 2, nil)
	for i := 0; i < n; i++ {
		c := 2.0
		if i%2 == 0 {
			c = -2
		}
		x.Set(i, 0, c+0.3*rng.NormFloat64())
		x.Set(i, 1, 0.3*rng.NormFloat64())
	}
	return x
}

// barImages makes n binary 6×6 images, each one full horizontal or vertical bar.
func barImages(n int, rng *rand.Rand) *mat.Dense {
	x := mat.NewDense(n, 36, nil)
	for i := 0; i < n; i++ {
		k := rng.IntN(12)
		for j := 0; j < 6; j++ {
			if k < 6 {
				x.Set(i, k*6+j, 1)
			} else {
				x.Set(i, j*6+(k-6), 1)
			}
		}
	}
	return x
}

func meanLoss(rs []StepResult) float64 {
	s := 0.0
	for _, r := range rs {
		s += r.Loss
	}
	return s / float64(len(rs))
}

func train(t *testing.T, cfg Config, x *mat.Dense, batch, steps int, h Hyper, seed uint64) (*Trainer, []StepResult) {
	t.Helper()
	m, err := NewModel(cfg, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(m, x, batch, h, seed)
	if err != nil {
		t.Fatal(err)
	}
	rs := make([]StepResult, steps)
	for i := range rs {
		rs[i] = tr.Step()
		if rs[i].Skipped {
			t.Fatalf("step %d skipped: %s", i, rs[i].Reason)
		}
	}
	return tr, rs
}

func TestTraining2DLowersLossAndReconstructs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := twoBlobs(512, rng)
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{32}, []int{32}
	h := DefaultHyper()
	h.LearningRate = 5e-3
	tr, rs := train(t, cfg, x, 64, 1500, h, 7)
	first, last := meanLoss(rs[:50]), meanLoss(rs[len(rs)-50:])
	if !(last < first-1) {
		t.Fatalf("loss went from %.3f to %.3f; want a clear drop", first, last)
	}
	// Reconstructions land on the right blob.
	var rec mat.Dense
	tr.Model.Reconstruct(&rec, x)
	wrong := 0
	for i := 0; i < 512; i++ {
		if math.Signbit(rec.At(i, 0)) != math.Signbit(x.At(i, 0)) {
			wrong++
		}
	}
	if wrong > 5 {
		t.Fatalf("%d of 512 reconstructions on the wrong blob", wrong)
	}
}

func TestTrainingBernoulliImages(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	x := barImages(600, rng)
	cfg := Config{DataDim: 36, LatentDim: 2, EncoderHidden: []int{64}, DecoderHidden: []int{64},
		Activation: "relu", Likelihood: "bernoulli"}
	h := DefaultHyper()
	h.LearningRate = 3e-3
	tr, rs := train(t, cfg, x, 50, 2000, h, 3)
	first, last := meanLoss(rs[:50]), meanLoss(rs[len(rs)-50:])
	// A uniform guess costs 36·log 2 ≈ 25 nats; the 12 bars carry log 12 ≈ 2.5.
	if !(first > 15 && last < 8) {
		t.Fatalf("loss went from %.2f to %.2f; want from >15 to <8 nats", first, last)
	}
	var rec mat.Dense
	tr.Model.Reconstruct(&rec, x)
	bad := 0
	for i := 0; i < 600; i++ {
		for j := 0; j < 36; j++ {
			if (rec.At(i, j) > 0.5) != (x.At(i, j) > 0.5) {
				bad++
			}
		}
	}
	if frac := float64(bad) / (600 * 36); frac > 0.05 {
		t.Fatalf("%.1f%% of reconstructed pixels wrong", 100*frac)
	}
}

func TestSeededTrainingIsBitIdentical(t *testing.T) {
	x := twoBlobs(200, rand.New(rand.NewPCG(3, 3)))
	run := func() []float64 {
		tr, _ := train(t, DefaultConfig2D(), x, 32, 40, DefaultHyper(), 11)
		return tr.Model.Params.Export(nil)
	}
	a, b := run(), run()
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("parameter %d differs: %v vs %v", i, a[i], b[i])
		}
	}
	tr, _ := train(t, DefaultConfig2D(), x, 32, 40, DefaultHyper(), 12)
	if slices.Equal(tr.Model.Params.Export(nil), a) {
		t.Fatal("a different seed gave the same parameters")
	}
}

func TestDivergenceGuardKeepsParameters(t *testing.T) {
	x := twoBlobs(64, rand.New(rand.NewPCG(4, 4)))
	for i := 0; i < 64; i++ {
		x.Set(i, 0, math.Inf(1))
	}
	m, _ := NewModel(DefaultConfig2D(), rand.New(rand.NewPCG(1, 2)))
	tr, err := NewTrainer(m, x, 16, DefaultHyper(), 1)
	if err != nil {
		t.Fatal(err)
	}
	before := m.Params.Export(nil)
	r := tr.Step()
	if !r.Skipped || r.Reason == "" {
		t.Fatalf("step with infinite data not skipped: %+v", r)
	}
	if !slices.Equal(before, m.Params.Values()) {
		t.Fatal("parameters changed by a non-finite step")
	}
	if r.LearningRate != DefaultHyper().LearningRate/2 || tr.Opt.T != 0 {
		t.Fatalf("learning rate %g, Adam steps %d after divergence", r.LearningRate, tr.Opt.T)
	}
}

func TestWarmupAndLiveHyper(t *testing.T) {
	x := twoBlobs(64, rand.New(rand.NewPCG(5, 5)))
	m, _ := NewModel(DefaultConfig2D(), rand.New(rand.NewPCG(1, 2)))
	h := DefaultHyper()
	h.WarmupSteps, h.Beta = 4, 2
	tr, _ := NewTrainer(m, x, 16, h, 1)
	var betas []float64
	for range 6 {
		betas = append(betas, tr.Step().Beta)
	}
	if want := []float64{0.5, 1, 1.5, 2, 2, 2}; !slices.Equal(betas, want) {
		t.Fatalf("warm-up β = %v, want %v", betas, want)
	}
	tr.Hyper.LearningRate = 0.123
	if r := tr.Step(); r.LearningRate != 0.123 || tr.Opt.LR != 0.123 {
		t.Fatalf("learning rate change not applied: %v", r.LearningRate)
	}
}

func TestAnalyticKLMatchesMonteCarlo(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	p := &StandardNormal{D: 3}
	mu := mat.NewDense(1, 3, []float64{0.5, -1.2, 0.1})
	lv := mat.NewDense(1, 3, []float64{-0.7, 0.4, 0.0})
	kl := mat.NewDense(1, 3, nil)
	p.KL(kl, mu, lv)
	analytic := mat.Sum(kl)
	const n = 200000
	z := mat.NewDense(1, 3, nil)
	eps := mat.NewDense(1, 3, nil)
	lp := make([]float64, 1)
	sum, sq := 0.0, 0.0
	for range n {
		for j := range 3 {
			eps.Set(0, j, rng.NormFloat64())
		}
		reparameterise(z, mu, lv, eps)
		p.LogProb(lp, z)
		logq := gaussianLogDensity(data(z), data(mu), data(lv))
		v := logq - lp[0]
		sum += v
		sq += v * v
	}
	mean := sum / n
	se := math.Sqrt((sq/n - mean*mean) / n)
	if math.Abs(mean-analytic) > 4*se {
		t.Fatalf("Monte Carlo KL %.5f ± %.5f, analytic %.5f", mean, se, analytic)
	}
}

func TestIWAEBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	x := twoBlobs(400, rng)
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{32}, []int{32}
	h := DefaultHyper()
	h.LearningRate = 5e-3
	tr, _ := train(t, cfg, x, 64, 300, h, 5)
	m := tr.Model

	one := m.Evaluate(x, 1, rand.New(rand.NewPCG(1, 1)))
	for i := range one.RowELBO {
		if one.RowELBO[i] != one.RowIWAE[i] {
			t.Fatalf("k=1: row %d ELBO %v ≠ IWAE %v", i, one.RowELBO[i], one.RowIWAE[i])
		}
	}
	prev := one
	for _, k := range []int{10, 100} {
		ev := m.Evaluate(x, k, rand.New(rand.NewPCG(uint64(k), 2)))
		if ev.IWAE < ev.ELBO {
			t.Fatalf("k=%d: IWAE %v < ELBO %v", k, ev.IWAE, ev.ELBO)
		}
		// The bound is non-decreasing in k in expectation; test the paired
		// per-row differences against 3 standard errors of their mean.
		n := float64(len(ev.RowIWAE))
		mean, sq := 0.0, 0.0
		for i := range ev.RowIWAE {
			d := ev.RowIWAE[i] - prev.RowIWAE[i]
			mean += d
			sq += d * d
		}
		mean /= n
		se := math.Sqrt((sq/n - mean*mean) / n)
		if mean < -3*se {
			t.Fatalf("IWAE fell from k=%d to k=%d by %.4f (se %.4f)", prev.K, k, -mean, se)
		}
		t.Logf("k=%d: ELBO %.4f IWAE %.4f (gain over previous %.4f ± %.4f)", k, ev.ELBO, ev.IWAE, mean, se)
		prev = ev
	}
	if prev.IWAE <= one.IWAE {
		t.Fatalf("IWAE k=100 %.4f not above k=1 %.4f", prev.IWAE, one.IWAE)
	}
	vars, active := m.ActiveUnits(x)
	if active < 1 {
		t.Fatalf("no active units after training (variances %v)", vars)
	}
}

func BenchmarkTrainStepImage(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := mat.NewDense(1024, 784, nil)
	for i := range data(x) {
		if rng.Float64() < 0.13 {
			data(x)[i] = 1
		}
	}
	benchmarkSteps(b, DefaultConfigImage(), x, 128)
}

func BenchmarkTrainStep2D(b *testing.B) {
	benchmarkSteps(b, DefaultConfig2D(), twoBlobs(4096, rand.New(rand.NewPCG(1, 1))), 256)
}

func benchmarkSteps(b *testing.B, cfg Config, x *mat.Dense, batch int) {
	m, err := NewModel(cfg, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	tr, err := NewTrainer(m, x, batch, DefaultHyper(), 1)
	if err != nil {
		b.Fatal(err)
	}
	for range 3 {
		tr.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr.Step()
	}
}

// TestSteadyStateStepAllocatesNothing runs a model small enough that gonum's
// matrix product stays serial (its parallel path allocates worker state),
// so any allocation seen here is the engine's own.
func TestSteadyStateStepAllocatesNothing(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{16}, []int{16}
	m, _ := NewModel(cfg, rand.New(rand.NewPCG(1, 2)))
	tr, _ := NewTrainer(m, twoBlobs(64, rand.New(rand.NewPCG(1, 1))), 16, DefaultHyper(), 1)
	for range 5 {
		tr.Step()
	}
	if a := testing.AllocsPerRun(50, func() { tr.Step() }); a != 0 {
		t.Fatalf("a training step allocates %.1f times", a)
	}
}

func TestInvalidLiveHyperIsRefused(t *testing.T) {
	x := twoBlobs(64, rand.New(rand.NewPCG(5, 5)))
	m, _ := NewModel(DefaultConfig2D(), rand.New(rand.NewPCG(1, 2)))
	tr, _ := NewTrainer(m, x, 16, DefaultHyper(), 1)
	before := m.Params.Export(nil)
	tr.Hyper.LearningRate = math.NaN()
	if r := tr.Step(); !r.Skipped || r.Step != 0 || !slices.Equal(before, m.Params.Values()) {
		t.Fatalf("a NaN learning rate was trained on: %+v", r)
	}
	tr.Hyper.LearningRate = 1e-3
	tr.Hyper.MMDKernel = "nope"
	if r := tr.Step(); !r.Skipped {
		t.Fatal("an unknown MMD kernel was trained on")
	}
	tr.Hyper.MMDKernel = ""
	if r := tr.Step(); r.Skipped || r.Step != 1 {
		t.Fatalf("a valid step after fixing the hyperparameters: %+v", r)
	}
}

// TestViewCallsBetweenStepsAllocateNothing: a frame's batch calls (codes,
// posterior cloud, decodes, samples, prior density) reuse buffers, and
// calling them between steps leaves training as it would have been.
func TestViewCallsBetweenStepsAllocateNothing(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{16}, []int{16}
	x := twoBlobs(64, rand.New(rand.NewPCG(1, 1)))
	run := func(views bool) []float64 {
		m, _ := NewModel(cfg, rand.New(rand.NewPCG(1, 2)))
		tr, _ := NewTrainer(m, x, 16, DefaultHyper(), 1)
		viewRNG := rand.New(rand.NewPCG(9, 9))
		var mu, zs, dec, gen mat.Dense
		lp := make([]float64, 16)
		grid := x.Slice(0, 16, 0, 2).(*mat.Dense)
		frame := func() {
			m.Encode(&mu, nil, x)
			m.SamplePosterior(&zs, x, viewRNG)
			m.Decode(&dec, &mu)
			m.Generate(&gen, 16, viewRNG)
			m.PriorLogProb(lp, grid)
		}
		for range 5 {
			tr.Step()
			if views {
				frame()
			}
		}
		if views {
			if a := testing.AllocsPerRun(20, frame); a != 0 {
				t.Errorf("a frame of view calls allocates %.1f times", a)
			}
		}
		for range 5 {
			tr.Step()
		}
		return m.Params.Export(nil)
	}
	if !slices.Equal(run(false), run(true)) {
		t.Fatal("view calls between steps changed training")
	}
}
