package core

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// newTestBayesLinear builds a BayesLinear with random means and spreads σ in
// roughly [0.1, 0.6], so the noise path carries real weight in the checks.
func newTestBayesLinear(rng *rand.Rand, in, out int) (*BayesLinear, *Params, *WeightNoise) {
	var ps Params
	noise := &WeightNoise{}
	l := NewBayesLinear(&ps, "l", in, out, GlorotUniform, 0.1, 0.7, noise)
	ps.Allocate(rng)
	for _, p := range []*Param{l.WRho, l.BRho} {
		for i := range data(p.Value) {
			data(p.Value)[i] = -2 + 1.5*rng.Float64()
		}
	}
	for i := range data(l.B.Value) {
		data(l.B.Value)[i] = rng.NormFloat64() * 0.3
	}
	return l, &ps, noise
}

func TestBayesLinearGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	l, ps, noise := newTestBayesLinear(rng, 4, 3)
	n := 6
	x := randDense(rng, n, 4, 1)
	w := randDense(rng, n, 3, 1)
	y := mat.NewDense(n, 3, nil)
	for _, sampled := range []bool{true, false} {
		name := "sampled"
		if !sampled {
			name = "mean weights"
		}
		// The noise is fixed by reseeding before every pass.
		loss := func() float64 {
			noise.Rng = nil
			if sampled {
				noise.Rng = rand.New(rand.NewPCG(7, 7))
			}
			l.Forward(y, x)
			return dotDense(y, w)
		}
		loss()
		if l.sampled != sampled {
			t.Fatalf("%s: layer sampled = %v", name, l.sampled)
		}
		ps.ZeroGrads()
		dx := mat.NewDense(n, 4, nil)
		l.Backward(dx, w, x)
		grads := append([]float64(nil), ps.Grads()...)
		checkGradient(t, name+" params", loss, ps.Values(), grads, 1e-6)
		checkGradient(t, name+" input", loss, data(x), data(dx), 1e-6)
		if !sampled {
			for i, g := range data(l.WRho.Grad) {
				if g != 0 {
					t.Fatalf("mean weights: ρ_W gradient %d is %g, want 0", i, g)
				}
			}
		}
	}
}

func TestBayesLinearSampleMoments(t *testing.T) {
	// Local reparameterisation must give each output the moments of x·W + b
	// under independent weight draws: mean x·M + μ_b, variance x²·σ² + σ_b².
	rng := rand.New(rand.NewPCG(23, 24))
	l, _, noise := newTestBayesLinear(rng, 3, 2)
	const draws = 20000
	x := mat.NewDense(draws, 3, nil)
	for i := 0; i < draws; i++ {
		x.SetRow(i, []float64{0.5, -1.2, 2})
	}
	y := mat.NewDense(draws, 2, nil)
	noise.Rng = rand.New(rand.NewPCG(1, 2))
	l.Forward(y, x)
	for j := 0; j < 2; j++ {
		wantMean, wantVar := l.B.Value.At(0, j), math.Pow(Softplus(l.BRho.Value.At(0, j)), 2)
		for k, xv := range []float64{0.5, -1.2, 2} {
			wantMean += xv * l.W.Value.At(k, j)
			wantVar += xv * xv * math.Pow(Softplus(l.WRho.Value.At(k, j)), 2)
		}
		mean, sq := 0.0, 0.0
		for i := 0; i < draws; i++ {
			mean += y.At(i, j)
			sq += y.At(i, j) * y.At(i, j)
		}
		mean /= draws
		variance := sq/draws - mean*mean
		if se := math.Sqrt(wantVar / draws); math.Abs(mean-wantMean) > 5*se {
			t.Errorf("output %d: mean %.4f, want %.4f (±%.4f)", j, mean, wantMean, se)
		}
		if math.Abs(variance/wantVar-1) > 0.05 {
			t.Errorf("output %d: variance %.4f, want %.4f", j, variance, wantVar)
		}
	}
}

func TestWeightKL(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	l, ps, _ := newTestBayesLinear(rng, 3, 4)
	loss := func() float64 { return l.KL() }
	ps.ZeroGrads()
	if kl, back := l.KL(), l.KLBackward(1); kl != back {
		t.Fatalf("KLBackward returned %g, KL is %g", back, kl)
	}
	grads := append([]float64(nil), ps.Grads()...)
	checkGradient(t, "weight KL", loss, ps.Values(), grads, 1e-6)

	// The scale multiplies the gradient.
	ps.ZeroGrads()
	l.KLBackward(0.25)
	for i, g := range ps.Grads() {
		if math.Abs(g-0.25*grads[i]) > 1e-12*math.Abs(grads[i])+1e-15 {
			t.Fatalf("scaled KL gradient %d: %g, want %g", i, g, 0.25*grads[i])
		}
	}

	// The value against the textbook formula, and zero when q equals the prior.
	want := 0.0
	for _, pair := range [][2]*Param{{l.W, l.WRho}, {l.B, l.BRho}} {
		for i, mu := range data(pair[0].Value) {
			sig := math.Log(1 + math.Exp(data(pair[1].Value)[i]))
			s := l.PriorScale
			want += math.Log(s/sig) + (sig*sig+mu*mu)/(2*s*s) - 0.5
		}
	}
	if got := l.KL(); math.Abs(got-want) > 1e-10*math.Abs(want) {
		t.Fatalf("KL = %.12g, want %.12g", got, want)
	}
	for _, p := range []*Param{l.W, l.B} {
		clear(data(p.Value))
	}
	for _, p := range []*Param{l.WRho, l.BRho} {
		for i := range data(p.Value) {
			data(p.Value)[i] = softplusInverse(l.PriorScale)
		}
	}
	if got := l.KL(); math.Abs(got) > 1e-12 {
		t.Fatalf("KL(prior‖prior) = %g, want 0", got)
	}

	// Very negative ρ (σ underflowing) keeps the KL and its gradient finite.
	for _, p := range []*Param{l.WRho, l.BRho} {
		for i := range data(p.Value) {
			data(p.Value)[i] = -800
		}
	}
	ps.ZeroGrads()
	l.KLBackward(1)
	if kl := l.KL(); math.IsInf(kl, 0) || math.IsNaN(kl) || !finite(ps.Grads()) {
		t.Fatalf("KL %g or its gradient not finite at ρ = −800", kl)
	}
}

func TestBayesLinearZeroSpreadMatchesLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	l, ps, noise := newTestBayesLinear(rng, 5, 3)
	var lps Params
	point := NewLinear(&lps, "p", 5, 3, Zeros)
	lps.Allocate(rng)
	point.W.Value.Copy(l.W.Value)
	point.B.Value.Copy(l.B.Value)
	for _, p := range []*Param{l.WRho, l.BRho} {
		for i := range data(p.Value) {
			data(p.Value)[i] = -60 // σ ≈ 1e-26
		}
	}
	x := randDense(rng, 8, 5, 2)
	dy := randDense(rng, 8, 3, 1)
	want, got := mat.NewDense(8, 3, nil), mat.NewDense(8, 3, nil)
	point.Forward(want, x)
	noise.Rng = rand.New(rand.NewPCG(1, 1))
	l.Forward(got, x)
	if !l.sampled {
		t.Fatal("layer did not sample")
	}
	if !mat.EqualApprox(got, want, 1e-12) {
		t.Fatalf("zero-spread output\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(want))
	}
	ps.ZeroGrads()
	lps.ZeroGrads()
	dxWant, dxGot := mat.NewDense(8, 5, nil), mat.NewDense(8, 5, nil)
	point.Backward(dxWant, dy, x)
	l.Backward(dxGot, dy, x)
	if !mat.EqualApprox(dxGot, dxWant, 1e-12) || !mat.EqualApprox(l.W.Grad, point.W.Grad, 1e-12) ||
		!mat.EqualApprox(l.B.Grad, point.B.Grad, 1e-12) {
		t.Fatal("zero-spread gradients differ from the point layer's")
	}
}

func bayesConfig(lik string, enc, dec bool) Config {
	cfg := smallConfig(lik)
	cfg.Bayes = BayesConfig{Encoder: enc, Decoder: dec, PriorScale: 0.8, InitSpread: 0.2}
	return cfg
}

func TestModelGradientBayesian(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	for _, tc := range []struct {
		name     string
		lik      string
		enc, dec bool
	}{
		{"gaussian both", "gaussian", true, true},
		{"bernoulli both", "bernoulli", true, true},
		{"gaussian decoder", "gaussian", false, true},
		{"gaussian encoder", "gaussian", true, false},
		{"vamp prior, Bayesian encoder", "gaussian", true, true},
		{"planar posterior flow", "bernoulli", true, true},
	} {
		cfg := bayesConfig(tc.lik, tc.enc, tc.dec)
		switch {
		case strings.HasPrefix(tc.name, "vamp"):
			cfg.Prior = PriorConfig{Kind: "vamp", Components: 3}
		case strings.HasPrefix(tc.name, "planar"):
			cfg.PosteriorFlow = FlowConfig{Kind: "planar", Layers: 2, Amortized: true}
		}
		m, err := NewModel(cfg, rng)
		if err != nil {
			t.Fatal(err)
		}
		x := randDense(rng, 7, 3, 1)
		if tc.lik == "bernoulli" {
			for i := range data(x) {
				data(x)[i] = Sigmoid(data(x)[i])
			}
		}
		modelLossGradient(t, tc.name, m, x, Objective{Beta: 1, WeightKLScale: 0.1})
		st := m.Gradient(x, Objective{Beta: 1, WeightKLScale: 0.1}, rand.New(rand.NewPCG(99, 100)))
		if !(st.WeightKL > 0) {
			t.Fatalf("%s: weight KL %g, want > 0", tc.name, st.WeightKL)
		}
		if d := st.Loss - (-st.Recon + st.KL + 0.1*st.WeightKL); math.Abs(d) > 1e-9 {
			t.Fatalf("%s: loss %g does not include 0.1·WeightKL (off by %g)", tc.name, st.Loss, d)
		}
		if m.Noise.Rng != nil {
			t.Fatalf("%s: Gradient left the weight noise source set", tc.name)
		}
	}
}

func TestPointModelHasNoWeightKL(t *testing.T) {
	m, _ := NewModel(smallConfig("gaussian"), rand.New(rand.NewPCG(1, 1)))
	x := randDense(rand.New(rand.NewPCG(2, 2)), 5, 3, 1)
	st := m.Gradient(x, Objective{Beta: 1, WeightKLScale: 0.5}, rand.New(rand.NewPCG(3, 3)))
	if st.WeightKL != 0 || m.IsBayesian() {
		t.Fatalf("point model: weight KL %g, IsBayesian %v", st.WeightKL, m.IsBayesian())
	}
}

func TestSharedBayesNetworkKeepsItsOwnNoise(t *testing.T) {
	// A VampPrior runs the encoder a second time through MLP.Share; that pass
	// must not overwrite the noise cached for the first one's Backward.
	rng := rand.New(rand.NewPCG(31, 32))
	var ps Params
	noise := &WeightNoise{}
	net := NewBayesMLP(&ps, "net", []int{3, 5, 2}, Tanh, BayesConfig{InitSpread: 0.3}, noise)
	ps.Allocate(rng)
	x, u := randDense(rng, 4, 3, 1), randDense(rng, 6, 3, 1)
	dy := randDense(rng, 4, 2, 1)
	run := func(interleave bool) []float64 {
		noise.Rng = rand.New(rand.NewPCG(5, 5))
		net.Forward(x)
		if interleave {
			net.Share().Forward(u)
		}
		ps.ZeroGrads()
		net.Backward(nil, dy)
		return append([]float64(nil), ps.Grads()...)
	}
	alone, shared := run(false), run(true)
	for i := range alone {
		if alone[i] != shared[i] {
			t.Fatalf("gradient %d changed by a shared pass: %g vs %g", i, alone[i], shared[i])
		}
	}
}

// blob2D makes n points in a small disc of radius 0.3 around (1, 0.5).
func blob2D(n int, rng *rand.Rand) *mat.Dense {
	x := mat.NewDense(n, 2, nil)
	for i := 0; i < n; i++ {
		x.Set(i, 0, 1+0.15*rng.NormFloat64())
		x.Set(i, 1, 0.5+0.15*rng.NormFloat64())
	}
	return x
}

// meanSpread is the mean over rows of the summed per-output variance.
func meanSpread(v *mat.Dense) float64 {
	n, _ := v.Dims()
	s := 0.0
	for _, x := range data(v) {
		s += x
	}
	return s / float64(n)
}

func TestPredictiveSpreadLargerAwayFromData(t *testing.T) {
	x := blob2D(512, rand.New(rand.NewPCG(41, 42)))
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{32}, []int{32}
	h := DefaultHyper()
	h.LearningRate = 5e-3
	bayesCfg := cfg
	bayesCfg.Bayes = BayesConfig{Decoder: true}

	// On the data: the codes of the training points. Away: a ring of codes
	// far outside them.
	spreads := func(m *Model) (on, away float64) {
		var codes mat.Dense
		m.Encode(&codes, nil, x)
		far := mat.NewDense(64, 2, nil)
		for i := 0; i < 64; i++ {
			a := 2 * math.Pi * float64(i) / 64
			far.Set(i, 0, 6*math.Cos(a))
			far.Set(i, 1, 6*math.Sin(a))
		}
		var mean, variance mat.Dense
		rng := rand.New(rand.NewPCG(5, 6))
		m.PredictiveDecode(&mean, &variance, &codes, 64, rng)
		on = meanSpread(&variance)
		m.PredictiveDecode(&mean, &variance, far, 64, rng)
		return on, meanSpread(&variance)
	}

	tr, _ := train(t, bayesCfg, x, 64, 1500, h, 3)
	on, away := spreads(tr.Model)
	t.Logf("Bayesian decoder: predictive variance on the data %.3g, away %.3g", on, away)
	if !(away > 3*on) {
		t.Errorf("Bayesian decoder: spread away %.3g not above 3× on the data %.3g", away, on)
	}
	// The mean of the predictive stays on the data.
	var codes, mean mat.Dense
	tr.Model.Encode(&codes, nil, x)
	tr.Model.PredictiveDecode(&mean, nil, &codes, 16, rand.New(rand.NewPCG(8, 8)))
	if c := mat.Col(nil, 0, &mean); math.Abs(meanOf(c)-1) > 0.2 {
		t.Errorf("predictive mean x̄ %.3f, want ≈ 1", meanOf(c))
	}

	// Point weights: no spread anywhere, so the comparison above cannot pass.
	pt, _ := train(t, cfg, x, 64, 200, h, 3)
	on, away = spreads(pt.Model)
	if on != 0 || away != 0 {
		t.Errorf("point decoder: spread on %g, away %g, want exactly 0", on, away)
	}
}

func meanOf(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func TestPredictiveCloudAndMeanWeights(t *testing.T) {
	cfg := bayesConfig("gaussian", true, true)
	m, err := NewModel(cfg, rand.New(rand.NewPCG(51, 52)))
	if err != nil {
		t.Fatal(err)
	}
	z := randDense(rand.New(rand.NewPCG(53, 54)), 5, 2, 1)
	// Without a noise source decoding is deterministic (mean weights).
	var a, b mat.Dense
	m.Decode(&a, z)
	m.Decode(&b, z)
	if !mat.Equal(&a, &b) {
		t.Fatal("decoding with mean weights is not deterministic")
	}
	var cloud, mean, variance mat.Dense
	m.PredictiveCloud(&cloud, z, 40, rand.New(rand.NewPCG(1, 1)))
	if r, c := cloud.Dims(); r != 200 || c != 3 {
		t.Fatalf("cloud is %d×%d, want 200×3", r, c)
	}
	// The same seed gives the same draws to PredictiveDecode, whose mean and
	// variance must then be the cloud's.
	m.PredictiveDecode(&mean, &variance, z, 40, rand.New(rand.NewPCG(1, 1)))
	for i := 0; i < 5; i++ {
		for j := 0; j < 3; j++ {
			mu, sq := 0.0, 0.0
			for s := 0; s < 40; s++ {
				v := cloud.At(s*5+i, j)
				mu += v
				sq += v * v
			}
			mu /= 40
			if v := sq/40 - mu*mu; math.Abs(mean.At(i, j)-mu) > 1e-12 || math.Abs(variance.At(i, j)-v) > 1e-9 {
				t.Fatalf("(%d,%d): predictive %g±%g, cloud %g±%g", i, j, mean.At(i, j), variance.At(i, j), mu, v)
			}
			if variance.At(i, j) <= 0 {
				t.Fatalf("(%d,%d): no spread under weight sampling", i, j)
			}
		}
	}
	if m.Noise.Rng != nil {
		t.Fatal("predictive calls left the weight noise source set")
	}
}

func TestZeroSpreadModelMatchesPointModel(t *testing.T) {
	// The same seed gives the same means (the spreads draw nothing), so with
	// σ forced to ~0 the Bayesian decoder's predictive is the point decoder.
	cfg := smallConfig("gaussian")
	pm, _ := NewModel(cfg, rand.New(rand.NewPCG(61, 62)))
	cfg.Bayes = BayesConfig{Encoder: true, Decoder: true}
	bm, _ := NewModel(cfg, rand.New(rand.NewPCG(61, 62)))
	for _, p := range bm.Params.List() {
		if strings.HasSuffix(p.Name, ".rho") {
			for i := range data(p.Value) {
				data(p.Value)[i] = -60
			}
		} else if q := pm.Params.Find(p.Name); q == nil || !mat.Equal(p.Value, q.Value) {
			t.Fatalf("parameter %s differs from the point model's", p.Name)
		}
	}
	z := randDense(rand.New(rand.NewPCG(63, 64)), 6, 2, 1)
	var want, mean, variance mat.Dense
	pm.Decode(&want, z)
	bm.PredictiveDecode(&mean, &variance, z, 8, rand.New(rand.NewPCG(1, 1)))
	if !mat.EqualApprox(&mean, &want, 1e-12) {
		t.Fatal("zero-spread predictive mean differs from the point decoder")
	}
	if mat.Max(&variance) > 1e-24 {
		t.Fatalf("zero-spread predictive variance %g", mat.Max(&variance))
	}
}

func TestBayesConfigValidateAndJSON(t *testing.T) {
	for _, tc := range []struct {
		bayes BayesConfig
		ok    bool
	}{
		{BayesConfig{}, true},
		{BayesConfig{Decoder: true, PriorScale: 0.1, InitSpread: 1e-3}, true},
		{BayesConfig{Encoder: true, PriorScale: -1}, false},
		{BayesConfig{Encoder: true, PriorScale: math.NaN()}, false},
		{BayesConfig{Encoder: true, InitSpread: 1e-9}, false},
		{BayesConfig{Encoder: true, InitSpread: math.Inf(1)}, false},
		{BayesConfig{Encoder: true, PriorScale: 1e5}, false},
	} {
		cfg := DefaultConfig2D()
		cfg.Bayes = tc.bayes
		if err := cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: Validate error %v, want ok=%v", tc.bayes, err, tc.ok)
		}
	}
	// Point-weight configs serialise as before; Bayesian ones round-trip.
	raw, _ := json.Marshal(DefaultConfig2D())
	if strings.Contains(string(raw), "bayes") {
		t.Fatalf("point config mentions bayes: %s", raw)
	}
	cfg := DefaultConfig2D()
	cfg.Bayes = BayesConfig{Decoder: true, PriorScale: 0.5, InitSpread: 0.02}
	raw, _ = json.Marshal(cfg)
	var back Config
	if err := json.Unmarshal(raw, &back); err != nil || back.Bayes != cfg.Bayes {
		t.Fatalf("round trip %s gave %+v (%v)", raw, back.Bayes, err)
	}
}

func TestSeededBayesianTrainingIsBitIdentical(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{16}, []int{16}
	cfg.Bayes = BayesConfig{Encoder: true, Decoder: true}
	x := twoBlobs(128, rand.New(rand.NewPCG(1, 1)))
	a, _ := train(t, cfg, x, 32, 30, DefaultHyper(), 9)
	b, _ := train(t, cfg, x, 32, 30, DefaultHyper(), 9)
	for i, v := range a.Model.Params.Values() {
		if v != b.Model.Params.Values()[i] {
			t.Fatalf("parameter %d differs between identical runs", i)
		}
	}
}

func TestBayesianStepAllocatesNothing(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{16}, []int{16}
	cfg.Bayes = BayesConfig{Encoder: true, Decoder: true}
	m, _ := NewModel(cfg, rand.New(rand.NewPCG(1, 2)))
	tr, _ := NewTrainer(m, twoBlobs(64, rand.New(rand.NewPCG(1, 1))), 16, DefaultHyper(), 1)
	for range 5 {
		tr.Step()
	}
	if a := testing.AllocsPerRun(50, func() { tr.Step() }); a != 0 {
		t.Fatalf("a Bayesian training step allocates %.1f times", a)
	}
	z := randDense(rand.New(rand.NewPCG(3, 3)), 32, 2, 1)
	var mean, variance mat.Dense
	rng := rand.New(rand.NewPCG(4, 4))
	m.PredictiveDecode(&mean, &variance, z, 4, rng)
	if a := testing.AllocsPerRun(20, func() { m.PredictiveDecode(&mean, &variance, z, 4, rng) }); a != 0 {
		t.Fatalf("PredictiveDecode allocates %.1f times", a)
	}
}

func bayesBench(cfg Config, enc, dec bool) Config {
	cfg.Bayes = BayesConfig{Encoder: enc, Decoder: dec}
	return cfg
}

func BenchmarkTrainStep2DBayes(b *testing.B) {
	benchmarkSteps(b, bayesBench(DefaultConfig2D(), true, true), twoBlobs(4096, rand.New(rand.NewPCG(1, 1))), 256)
}

func BenchmarkTrainStep2DBayesDecoder(b *testing.B) {
	benchmarkSteps(b, bayesBench(DefaultConfig2D(), false, true), twoBlobs(4096, rand.New(rand.NewPCG(1, 1))), 256)
}

func benchImages() *mat.Dense {
	rng := rand.New(rand.NewPCG(1, 1))
	x := mat.NewDense(1024, 784, nil)
	for i := range data(x) {
		if rng.Float64() < 0.13 {
			data(x)[i] = 1
		}
	}
	return x
}

func BenchmarkTrainStepImageBayes(b *testing.B) {
	benchmarkSteps(b, bayesBench(DefaultConfigImage(), true, true), benchImages(), 128)
}

func BenchmarkTrainStepImageBayesDecoder(b *testing.B) {
	benchmarkSteps(b, bayesBench(DefaultConfigImage(), false, true), benchImages(), 128)
}

func TestEvaluateWeights(t *testing.T) {
	x := twoBlobs(1000, rand.New(rand.NewPCG(71, 72)))
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{16}, []int{16}
	cfg.Bayes = BayesConfig{Encoder: true, Decoder: true, InitSpread: 0.5}
	m, err := NewModel(cfg, rand.New(rand.NewPCG(73, 74)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(75, 76))
	ev, err := m.EvaluateWeights(x, 4, 3, 1000, rng)
	if err != nil {
		t.Fatal(err)
	}
	if want := ev.ELBO - m.WeightKL()/1000; ev.Bound != want || !(ev.WeightKL > 0) {
		t.Fatalf("bound %g, want ELBO − KL/N = %g (weight KL %g)", ev.Bound, want, ev.WeightKL)
	}
	if !(ev.IWAE >= ev.ELBO) {
		t.Fatalf("IWAE %g below ELBO %g", ev.IWAE, ev.ELBO)
	}
	// Spread 0.5 on every weight: sampling must show in the bound.
	if !(ev.ELBO < ev.MeanWeightsELBO-0.1) {
		t.Fatalf("sampled-weights ELBO %g not below the mean-weights ELBO %g", ev.ELBO, ev.MeanWeightsELBO)
	}
	// With the spread forced to ~0 the two agree up to the latent noise.
	for _, p := range m.Params.List() {
		if strings.HasSuffix(p.Name, ".rho") {
			for i := range data(p.Value) {
				data(p.Value)[i] = -60
			}
		}
	}
	ev, _ = m.EvaluateWeights(x, 4, 3, 1000, rng)
	if d := math.Abs(ev.ELBO - ev.MeanWeightsELBO); d > 0.05 {
		t.Fatalf("zero spread: sampled ELBO %g vs mean weights %g", ev.ELBO, ev.MeanWeightsELBO)
	}
	if m.Noise.Rng != nil {
		t.Fatal("EvaluateWeights left the weight noise source set")
	}
	if _, err := m.EvaluateWeights(x, 1, 0, 10, rng); err == nil {
		t.Fatal("0 weight samples accepted")
	}
}

func TestBayesianCheckpointKeepsWeightDistributions(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{16}, []int{16}
	cfg.Bayes = BayesConfig{Encoder: true, Decoder: true, PriorScale: 0.5, InitSpread: 0.05}
	x := twoBlobs(100, rand.New(rand.NewPCG(1, 1)))
	tr, _ := train(t, cfg, x, 32, 20, DefaultHyper(), 5)
	var buf bytes.Buffer
	if err := SaveModel(&buf, tr.Model); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if m2.Config.Bayes != cfg.Bayes || !slices.Equal(m2.Params.Values(), tr.Model.Params.Values()) {
		t.Fatal("checkpoint lost the Bayesian config or the weight distributions")
	}
	if m2.WeightKL() != tr.Model.WeightKL() {
		t.Fatal("loaded model has a different weight KL")
	}
	z := randDense(rand.New(rand.NewPCG(2, 2)), 10, 2, 1)
	var a, va, b, vb mat.Dense
	tr.Model.PredictiveDecode(&a, &va, z, 8, rand.New(rand.NewPCG(3, 3)))
	m2.PredictiveDecode(&b, &vb, z, 8, rand.New(rand.NewPCG(3, 3)))
	if !mat.Equal(&a, &b) || !mat.Equal(&va, &vb) || mat.Max(&va) == 0 {
		t.Fatal("loaded model's predictive differs (or has no spread)")
	}
	// Training resumes bit for bit: the weight noise comes from the trainer's
	// saved random state.
	buf.Reset()
	if err := tr.Save(&buf); err != nil {
		t.Fatal(err)
	}
	tr2, err := LoadTrainer(bytes.NewReader(buf.Bytes()), x)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		r1, r2 := tr.Step(), tr2.Step()
		if r1.Loss != r2.Loss || r1.WeightKL != r2.WeightKL {
			t.Fatalf("resumed step differs: %+v vs %+v", r1.Stats, r2.Stats)
		}
	}
}
