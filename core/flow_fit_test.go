package core

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func newTestEnergyFitter(t *testing.T, energy, kind, init string, layers int) *EnergyFitter {
	t.Helper()
	return newTestEnergyFitterFlow(t, energy, FlowConfig{Kind: kind, Layers: layers, Init: init})
}

func newTestEnergyFitterFlow(t *testing.T, energy string, flow FlowConfig) *EnergyFitter {
	t.Helper()
	e, err := EnergyByName(energy)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultEnergyFitConfig(flow.Kind, flow.Layers)
	cfg.Flow = flow
	cfg.Batch = 16
	cfg.Steps = 100
	f, err := NewEnergyFitter(e, cfg, 7)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestEnergyFitterGradient compares the reverse-KL loss's parameter
// gradient (annealed energy, envelope and log-det) with central finite
// differences, for fixed base draws, with some samples pushed outside the
// box so that the envelope contributes.
func TestEnergyFitterGradient(t *testing.T) {
	for _, flow := range []FlowConfig{
		{Kind: "planar", Layers: 3, Init: FlowInitRandom},
		{Kind: "radial", Layers: 3, Init: FlowInitRandom},
		{Kind: "radial", Layers: 3, Init: FlowInitRandom, RadialAlpha: RadialAlphaAbs},
	} {
		kind := flow.Kind + " " + flow.RadialAlpha
		for _, energy := range EnergyNames() {
			f := newTestEnergyFitterFlow(t, energy, flow)
			f.steps = 30 // mid-annealing: β_t < 1
			rng := rand.New(rand.NewPCG(5, 6))
			for i := range data(f.z0) {
				data(f.z0)[i] = 2.5 * rng.NormFloat64()
			}
			f.Params.ZeroGrads()
			f.lossAndGrad()
			grad := append([]float64(nil), f.Params.Grads()...)
			checkGradient(t, kind+" "+energy, f.lossAndGrad, f.Params.Values(), grad, 1e-6)
		}
	}
}

// TestDataFlowFitterGradient does the same for the maximum-likelihood loss.
func TestDataFlowFitterGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	train := randDense(rng, 50, 2, 2)
	for _, flow := range []FlowConfig{
		{Kind: "planar", Layers: 3, Init: FlowInitRandom},
		{Kind: "radial", Layers: 3, Init: FlowInitRandom},
		{Kind: "radial", Layers: 3, Init: FlowInitRandom, RadialAlpha: RadialAlphaAbs},
	} {
		kind := flow.Kind + " " + flow.RadialAlpha
		f, err := NewDataFlowFitter(train, nil, DataFitConfig{Flow: flow, Batch: 12}, 3)
		if err != nil {
			t.Fatal(err)
		}
		f.Step() // fills the batch
		f.Params.ZeroGrads()
		f.lossAndGrad()
		grad := append([]float64(nil), f.Params.Grads()...)
		checkGradient(t, kind, f.lossAndGrad, f.Params.Values(), grad, 1e-6)
	}
}

// TestEnergyFitterAnnealing checks β_t: 0.01 at the start, linear, 1 from
// half the planned steps on; 1 throughout without annealing.
func TestEnergyFitterAnnealing(t *testing.T) {
	f := newTestEnergyFitter(t, "u1", "planar", "", 2)
	for _, c := range []struct {
		step int
		want float64
	}{{0, 0.01}, {25, 0.01 + 0.99*0.5}, {50, 1}, {90, 1}} {
		f.steps = c.step
		if got := f.InverseTemperature(); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("step %d: β %v, want %v", c.step, got, c.want)
		}
	}
	f.Config.Anneal = false
	f.steps = 0
	if got := f.InverseTemperature(); got != 1 {
		t.Errorf("without annealing β = %v", got)
	}
}

// TestEnergyFitterStepDeterministicAndAllocationFree: the same seed gives the
// same losses and parameters, and a step allocates nothing.
func TestEnergyFitterStepDeterministicAndAllocationFree(t *testing.T) {
	for _, kind := range flowKindsUnderTest {
		a := newTestEnergyFitter(t, "u3", kind, "", 4)
		b := newTestEnergyFitter(t, "u3", kind, "", 4)
		for range 20 {
			if la, lb := a.Step(), b.Step(); la != lb {
				t.Fatalf("%s: losses %v and %v from the same seed", kind, la, lb)
			}
		}
		for i, v := range a.Params.Values() {
			if b.Params.Values()[i] != v {
				t.Fatalf("%s: parameters differ", kind)
			}
		}
		if n := testing.AllocsPerRun(10, func() { a.Step() }); n != 0 {
			t.Errorf("%s: energy step allocates %v times", kind, n)
		}
		d := newTestDataFitter(t, kind, 4)
		if n := testing.AllocsPerRun(10, func() { d.Step() }); n != 0 {
			t.Errorf("%s: data step allocates %v times", kind, n)
		}
	}
}

// newTestDataFitter fits two blobs with the lab's layers (radial: α = |α′|).
func newTestDataFitter(t *testing.T, kind string, layers int) *DataFlowFitter {
	t.Helper()
	rng := rand.New(rand.NewPCG(9, 10))
	train, held := twoBlobs(400, rng), twoBlobs(200, rng)
	f, err := NewDataFlowFitter(train, held, DataFitConfig{Flow: LabFlowConfig(kind, layers), Batch: 64, LearningRate: 1e-2}, 11)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// gridPoints returns the cell centres of an n×n grid over [−r, r]² and the
// cell area.
func gridPoints(n int, r float64) (*mat.Dense, float64) {
	h := 2 * r / float64(n)
	z := mat.NewDense(n*n, 2, nil)
	for i := range n {
		for j := range n {
			z.Set(i*n+j, 0, -r+(float64(i)+0.5)*h)
			z.Set(i*n+j, 1, -r+(float64(j)+0.5)*h)
		}
	}
	return z, h * h
}

// TestFlowFitterStages checks both fitters' per-layer views: every stage's
// density integrates to 1 over a wide grid, stage 0 is N(0, I), and the
// density a view computes at a stage's samples matches the change of
// variables along the samples' own path.
func TestFlowFitterStages(t *testing.T) {
	const K = 4
	grid, area := gridPoints(240, 10)
	n, _ := grid.Dims()
	logq := make([]float64, n)
	for _, kind := range flowKindsUnderTest {
		ef := newTestEnergyFitter(t, "u1", kind, FlowInitRandom, K)
		for range 50 {
			ef.Step()
		}
		df := newTestDataFitter(t, kind, K)
		for range 50 {
			df.Step()
		}
		for _, c := range []struct {
			name string
			f    FlowFitter
		}{{"energy", ef}, {"data", df}} {
			if c.f.NumLayers() != K || len(c.f.LayerTheta(0)) != FlowByName(kind).ParamCount(2) {
				t.Fatalf("%s %s: %d layers, θ row %d", kind, c.name, c.f.NumLayers(), len(c.f.LayerTheta(0)))
			}
			for k := 0; k <= K; k++ {
				c.f.StageLogDensity(logq, grid, k)
				mass := 0.0
				for _, v := range logq {
					mass += math.Exp(v) * area
				}
				if math.Abs(mass-1) > 5e-3 {
					t.Errorf("%s %s stage %d: mass %v", kind, c.name, k, mass)
				}
			}
			c.f.StageLogDensity(logq[:1], mat.NewDense(1, 2, []float64{0.3, -0.2}), 0)
			if want := standardNormalLogPDF([]float64{0.3, -0.2}); math.Abs(logq[0]-want) > 1e-12 {
				t.Errorf("%s %s stage 0: %v, want %v", kind, c.name, logq[0], want)
			}
		}
		// Energy fitter: the view's density at pushed samples equals
		// log N(ε) − Σ log|det| along the push.
		stages := ef.SampleStages(200, rand.New(rand.NewPCG(1, 1)))
		logdet := make([]float64, 200)
		for k := range K {
			ef.views[k].Forward(mat.NewDense(200, 2, nil), logdet, stages[k], ef.theta(k))
		}
		got := make([]float64, 200)
		ef.StageLogDensity(got, stages[K], K)
		for i := range got {
			want := standardNormalLogPDF(stages[0].RawRowView(i)) - logdet[i]
			if math.Abs(got[i]-want) > 1e-7 {
				t.Fatalf("%s: view log q %v, push gives %v", kind, got[i], want)
			}
		}
		// Data fitter: the samples' last stage inverts back to ε.
		ds := df.SampleStages(100, rand.New(rand.NewPCG(2, 2)))
		back := mat.DenseCopyOf(ds[K])
		logdet = make([]float64, 100)
		for j := range K {
			df.views[j].Forward(back, logdet, mat.DenseCopyOf(back), df.theta(j))
		}
		if !mat.EqualApprox(back, ds[0], 1e-8) {
			t.Errorf("%s: data-fit samples do not map back to their base draws", kind)
		}
	}
}

// TestDataFlowFitterLearns fits the two blobs and requires the held-out NLL
// to fall well below that of N(0, I).
func TestDataFlowFitterLearns(t *testing.T) {
	f := newTestDataFitter(t, "planar", 8)
	before := f.HeldOutNLL()
	for range 1500 {
		f.Step()
	}
	after := f.HeldOutNLL()
	if !(after < before-0.5) {
		t.Errorf("held-out NLL %.3f → %.3f", before, after)
	}
	if _, err := NewDataFlowFitter(mat.NewDense(3, 2, []float64{0, 0, math.NaN(), 1, 2, 3}), nil, DataFitConfig{Flow: FlowConfig{Kind: "planar", Layers: 1}}, 1); err == nil {
		t.Error("non-finite points were accepted")
	}
	if _, err := NewDataFlowFitter(mat.NewDense(2, 2, nil), mat.NewDense(2, 3, nil), DataFitConfig{Flow: FlowConfig{Kind: "planar", Layers: 1}}, 1); err == nil {
		t.Error("held-out points of another width were accepted")
	}
}

// TestEnergyFitConfigValidation refuses bad settings with an error.
func TestEnergyFitConfigValidation(t *testing.T) {
	u1, _ := EnergyByName("u1")
	good := DefaultEnergyFitConfig("radial", 2)
	bad := []func(*EnergyFitConfig){
		func(c *EnergyFitConfig) { c.Flow.Kind = "spline" },
		func(c *EnergyFitConfig) { c.Flow.Layers = 0 },
		func(c *EnergyFitConfig) { c.Flow.Layers = MaxFlowLayers + 1 },
		func(c *EnergyFitConfig) { c.Flow.Init = "zeros" },
		func(c *EnergyFitConfig) { c.Flow.Amortized = true },
		func(c *EnergyFitConfig) { c.Batch = -1 },
		func(c *EnergyFitConfig) { c.LearningRate = math.NaN() },
		func(c *EnergyFitConfig) { c.Steps = 0 }, // annealing without a horizon
		func(c *EnergyFitConfig) { c.Envelope = -1 },
		func(c *EnergyFitConfig) { c.ClipNorm = math.Inf(1) },
	}
	for i, b := range bad {
		c := good
		b(&c)
		if _, err := NewEnergyFitter(u1, c, 1); err == nil {
			t.Errorf("bad config %d accepted", i)
		}
	}
	if _, err := NewEnergyFitter(u1, good, 1); err != nil {
		t.Error(err)
	}
	if _, err := NewEnergyFitter(nil, good, 1); err == nil {
		t.Error("no target accepted")
	}
}

// TestEnergyKLEstimate: a flow at the identity has q = N(0, I), whose KL to
// a wide Gaussian energy on the box is known in closed form up to the box's
// truncation, and the outside fraction is that of N(0, I) beyond [−4, 4]².
func TestEnergyKLEstimate(t *testing.T) {
	// U = ‖z‖²/8: p* = N(0, 4I) truncated to the box.
	wide := energyFunc{"wide", func(z, g []float64) float64 {
		if g != nil {
			g[0], g[1] = z[0]/4, z[1]/4
		}
		return (z[0]*z[0] + z[1]*z[1]) / 8
	}}
	cfg := DefaultEnergyFitConfig("planar", 1)
	f, err := NewEnergyFitter(wide, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	clear(f.Params.Values()) // w = 0, u = 0: the identity
	est := f.EstimateKL(200000, 3)
	// KL(N(0,I)‖N(0,4I)) = log 4 − 1 + 1/4 = 0.636; the box changes it by
	// less than 0.01 (both have ≤ 0.01% or ~5% of their mass outside).
	pOut := 1 - math.Pow(math.Erf(4/math.Sqrt2), 2)
	if math.Abs(est.Outside-pOut) > 2e-4 {
		t.Errorf("outside fraction %v, want %v", est.Outside, pOut)
	}
	logZ := LogNormalizer(wide, 800)
	// Exact truncated KL: E_{q_in}[log q + U] − log Q_in + log Z.
	want := -math.Log(2*math.Pi) - 1 + 2.0/8 + logZ // E_q[log q] = −log 2π − 1, E_q[U] = 2/8
	if math.Abs(est.KL-want) > 0.02 {
		t.Errorf("KL %v, want about %v", est.KL, want)
	}
}

// BenchmarkEnergyFitterDensityGrid is a flow-lab density view: a 128² grid
// through 32 layers, each inverted per point.
func BenchmarkEnergyFitterDensityGrid(b *testing.B) {
	for _, kind := range flowKindsUnderTest {
		b.Run(kind, func(b *testing.B) {
			e, _ := EnergyByName("u1")
			cfg := DefaultEnergyFitConfig(kind, 32)
			cfg.Flow.Init = FlowInitRandom
			f, err := NewEnergyFitter(e, cfg, 1)
			if err != nil {
				b.Fatal(err)
			}
			grid, _ := gridPoints(128, 4)
			dst := make([]float64, 128*128)
			for b.Loop() {
				f.StageLogDensity(dst, grid, 32)
			}
		})
	}
}

// BenchmarkEnergyFitterStep is one step at K = 32, batch 256.
func BenchmarkEnergyFitterStep(b *testing.B) {
	for _, kind := range flowKindsUnderTest {
		b.Run(kind, func(b *testing.B) {
			e, _ := EnergyByName("u1")
			f, err := NewEnergyFitter(e, DefaultEnergyFitConfig(kind, 32), 1)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				f.Step()
			}
		})
	}
}
