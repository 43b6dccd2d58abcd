package core

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// ringCodes draws n codes from four Gaussian blobs (σ = 0.35) at radius 1.5:
// a stage-one aggregate posterior that N(0, I) fits badly.
func ringCodes(n int, rng *rand.Rand) *mat.Dense {
	z := mat.NewDense(n, 2, nil)
	for i := range n {
		a := float64(rng.IntN(4)) * math.Pi / 2
		z.Set(i, 0, 1.5*math.Cos(a)+0.35*rng.NormFloat64())
		z.Set(i, 1, 1.5*math.Sin(a)+0.35*rng.NormFloat64())
	}
	return z
}

func fitTwoStage(t *testing.T, steps int) (*TwoStagePrior, *mat.Dense) {
	t.Helper()
	rng := rand.New(rand.NewPCG(91, 92))
	p, err := NewTwoStagePrior(2, []int{32, 32}, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	p.Hyper.LearningRate = 3e-3
	codes := ringCodes(2000, rng)
	if err := p.SetCodes(codes, 100, 8); err != nil {
		t.Fatal(err)
	}
	for range steps {
		if _, err := p.FitStep(); err != nil {
			t.Fatal(err)
		}
	}
	return p, codes
}

// TestTwoStageFitImprovesScore: after fitting, held-out codes score higher
// under stage two than under the standard normal that stage one assumed.
func TestTwoStageFitImprovesScore(t *testing.T) {
	if testing.Short() {
		t.Skip("fits a second VAE")
	}
	p, _ := fitTwoStage(t, 1500)
	rng := rand.New(rand.NewPCG(93, 94))
	test := ringCodes(500, rng)
	score, base := make([]float64, 500), make([]float64, 500)
	p.ScoreCodes(score, test, 64, rng)
	p.LogProb(base, test) // stage-one prior: N(0, I)
	var s, b float64
	for i := range score {
		s += score[i]
		b += base[i]
	}
	s /= 500
	b /= 500
	t.Logf("mean log density of held-out codes: stage two %.3f, N(0, I) %.3f", s, b)
	if !(s > b+0.1) {
		t.Errorf("stage two scores codes at %.3f nats, no better than N(0, I) at %.3f", s, b)
	}
}

// TestTwoStageDensityIntegratesAndSamples: exp(IWAE score) is an unbiased
// estimate of p₂(z) (its mean over the importance samples is exactly the
// likelihood), so its grid integral is an unbiased estimate of ∫p₂ = 1 up
// to the mass outside the box. With k = 16 samples per point on a 120×120
// grid over [−6, 6]², the Monte Carlo error of the sum is well under 1% (the
// per-point relative error is ≲ 50% and averages over thousands of points),
// the grid error is negligible at h = 0.1 for a decoder variance ≥ 0.1², so
// the tolerance is 3% (observed: 0.99–1.00 for k = 1…128). The χ² test
// compares SampleCodes with the density estimated with k = 32; the cell
// probabilities then carry about 1% of Monte Carlo error, so 4000 samples
// (count errors ≥ 5% per cell) keep that noise out of the statistic while a
// wrong sampler (one that skips the decoder noise, say) still fails.
func TestTwoStageDensityIntegratesAndSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("fits a second VAE")
	}
	p, _ := fitTwoStage(t, 800)
	for _, lv := range data(p.Stage.Lik.(*Gaussian).LogVar.Value) {
		if lv < math.Log(0.01) {
			t.Fatalf("stage-two decoder variance %v is below the grid's resolution", math.Exp(lv))
		}
	}
	rng := rand.New(rand.NewPCG(95, 96))
	score := func(dst []float64, z *mat.Dense) { p.ScoreCodes(dst, z, 16, rng) }
	if got := integrate2D(score, 6, 120); math.Abs(got-1) > 0.03 {
		t.Errorf("two-stage density integrates to %v", got)
	}
	score32 := func(dst []float64, z *mat.Dense) { p.ScoreCodes(dst, z, 32, rng) }
	checkSamplesMatchDensityN(t, "two-stage", score32, func(dst *mat.Dense) { p.SampleCodes(dst, rng) }, 4, 4000)
}

func TestTwoStageIsStandardNormalForStageOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(97, 98))
	cfg := smallConfig("gaussian")
	cfg.Prior = PriorConfig{Kind: "two-stage", StageHidden: []int{8}}
	m, err := NewModel(cfg, rng)
	if err != nil {
		t.Fatal(err)
	}
	if m.KLMode() != KLAnalytic {
		t.Errorf("stage one KL mode %q, want analytic (N(0, I))", m.KLMode())
	}
	p := m.Prior.(*TwoStagePrior)
	if p.Stage.Config.DataDim != 2 || p.Stage.Config.LatentDim != 2 {
		t.Errorf("second stage config %+v", p.Stage.Config)
	}
	if _, err := p.FitStep(); err == nil {
		t.Error("FitStep without codes did not fail")
	}
	x := randDense(rng, 40, 3, 1)
	codes := mat.NewDense(40, 2, nil)
	EncodeCodes(codes, m, x, rng)
	if err := p.SetCodes(codes, 10, 1); err != nil {
		t.Fatal(err)
	}
	if r, err := p.FitStep(); err != nil || r.Skipped {
		t.Fatalf("stage-two step: %v %+v", err, r)
	}
	gen := mat.NewDense(5, 3, nil)
	p.Generate(gen, m, 5, rng)
	if !finite(data(gen)) {
		t.Error("generated samples are not finite")
	}
	bad := mat.NewDense(3, 2, []float64{0, 0, math.NaN(), 0, 0, 0})
	if err := p.SetCodes(bad, 2, 1); err == nil {
		t.Error("non-finite codes accepted")
	}
}

// TestTwoStageSurvivesCheckpoint: the fitted second VAE lives outside the
// model's slab; a checkpoint must keep it, and a damaged state is refused.
func TestTwoStageSurvivesCheckpoint(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{8}, []int{8}
	cfg.Prior = PriorConfig{Kind: "two-stage", StageHidden: []int{8}}
	m, err := NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	p := m.Prior.(*TwoStagePrior)
	if err := p.SetCodes(ringCodes(200, rand.New(rand.NewPCG(2, 2))), 50, 3); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		p.FitStep()
	}
	var buf bytes.Buffer
	if err := SaveModel(&buf, m); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	p2 := m2.Prior.(*TwoStagePrior)
	if !slices.Equal(p.Stage.Params.Values(), p2.Stage.Params.Values()) {
		t.Fatal("the second VAE's weights were not restored")
	}
	z := ringCodes(5, rand.New(rand.NewPCG(4, 4)))
	a, b := make([]float64, 5), make([]float64, 5)
	p.ScoreCodes(a, z, 8, rand.New(rand.NewPCG(5, 5)))
	p2.ScoreCodes(b, z, 8, rand.New(rand.NewPCG(5, 5)))
	if !slices.Equal(a, b) {
		t.Fatalf("scores differ after reload: %v vs %v", a, b)
	}
	// A state of the wrong length, checksum intact, is refused.
	cr, err := readCheckpoint(bytes.NewReader(buf.Bytes()), kindModel)
	if err != nil {
		t.Fatal(err)
	}
	var cfg2 Config
	cr.json(&cfg2, "config")
	n := cr.u64("count")
	cr.take(8*int(n), "params")
	off := cr.off
	bad := slices.Clone(buf.Bytes())
	binary.LittleEndian.PutUint64(bad[off:], binary.LittleEndian.Uint64(bad[off:])-1)
	bad = append(bad[:len(bad)-4-8], bad[len(bad)-4:]...) // drop one value
	if _, err := LoadModel(bytes.NewReader(reseal(bad))); err == nil {
		t.Fatal("loaded a truncated second-stage state")
	}
}
