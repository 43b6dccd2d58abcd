package core

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// greyImages returns n rows of d grey values in [0, 1].
func greyImages(n, d int, rng *rand.Rand) *mat.Dense {
	x := mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			x.Set(i, j, rng.Float64())
		}
	}
	return x
}

func smallBernoulliModel(t testing.TB, d int) *Model {
	cfg := DefaultConfigImage()
	cfg.DataDim, cfg.EncoderHidden, cfg.DecoderHidden = d, []int{8}, []int{8}
	m, err := NewModel(cfg, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBinarizedBatchesAreBinaryAndFreshEachDraw(t *testing.T) {
	const n, d = 6, 50
	x := mat.NewDense(n, d, nil)
	for i := range n * d {
		x.RawMatrix().Data[i] = 0.5
	}
	h := DefaultHyper()
	h.Binarize = true
	tr, err := NewTrainer(smallBernoulliModel(t, d), x, n, h, 1)
	if err != nil {
		t.Fatal(err)
	}
	first := slices.Clone(data(tr.nextBatch()))
	second := slices.Clone(data(tr.nextBatch()))
	ones := 0.0
	for _, v := range append(slices.Clone(first), second...) {
		if v != 0 && v != 1 {
			t.Fatalf("binarised batch holds %g", v)
		}
		ones += v
	}
	if slices.Equal(first, second) {
		t.Fatal("the same binary sample was drawn twice")
	}
	if frac := ones / float64(2*n*d); frac < 0.4 || frac > 0.6 {
		t.Fatalf("fraction of ones %.3f for grey 0.5", frac)
	}
	if x.At(0, 0) != 0.5 {
		t.Fatal("binarisation changed the training data")
	}
}

func TestBinarizedTrainingIsSeededAndRefusesDataOutsideTheUnitInterval(t *testing.T) {
	x := greyImages(40, 20, rand.New(rand.NewPCG(3, 3)))
	h := DefaultHyper()
	h.Binarize = true
	run := func() []float64 {
		tr, _ := NewTrainer(smallBernoulliModel(t, 20), x, 16, h, 7)
		for range 10 {
			if r := tr.Step(); r.Skipped {
				t.Fatalf("step skipped: %s", r.Reason)
			}
		}
		return slices.Clone(tr.Model.Params.Values())
	}
	if !slices.Equal(run(), run()) {
		t.Fatal("same seed, different parameters")
	}
	x.Set(3, 4, 1.5)
	tr, _ := NewTrainer(smallBernoulliModel(t, 20), x, 16, h, 7)
	before := slices.Clone(tr.Model.Params.Values())
	if r := tr.Step(); !r.Skipped || !strings.Contains(r.Reason, "[0, 1]") {
		t.Fatalf("trained on binarised data outside [0, 1]: %+v", r)
	}
	if !slices.Equal(before, tr.Model.Params.Values()) {
		t.Fatal("a refused step changed the parameters")
	}
}

// TestBinarizedStepAllocatesNothing runs whole epochs whose last batch is
// partial (70 rows, batch 16): neither binarisation nor the smaller batch
// allocates.
func TestBinarizedStepAllocatesNothing(t *testing.T) {
	x := greyImages(70, 30, rand.New(rand.NewPCG(4, 4)))
	h := DefaultHyper()
	h.Binarize = true
	tr, err := NewTrainer(smallBernoulliModel(t, 30), x, 16, h, 1)
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		tr.Step()
	}
	if a := testing.AllocsPerRun(50, func() { tr.Step() }); a != 0 {
		t.Fatalf("a binarised training step allocates %.1f times", a)
	}
}

// TestEveryRowIsSeenOncePerEpoch: the last partial batch is kept.
func TestEveryRowIsSeenOncePerEpoch(t *testing.T) {
	const n, batch = 10, 4
	x := mat.NewDense(n, 2, nil)
	for i := range n {
		x.Set(i, 0, float64(i))
	}
	m, _ := NewModel(DefaultConfig2D(), rand.New(rand.NewPCG(1, 2)))
	tr, err := NewTrainer(m, x, batch, DefaultHyper(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for epoch := range 3 {
		var seen []float64
		var sizes []int
		for range 3 {
			if res := tr.Step(); res.Epoch != epoch {
				t.Fatalf("step %d in epoch %d, want %d", res.Step, res.Epoch, epoch)
			}
			b := &tr.batch
			r, _ := b.Dims()
			sizes = append(sizes, r)
			seen = append(seen, mat.Col(nil, 0, b)...)
		}
		slices.Sort(seen)
		for i, v := range seen {
			if v != float64(i) {
				t.Fatalf("epoch %d saw rows %v", epoch, seen)
			}
		}
		if !slices.Equal(sizes, []int{4, 4, 2}) {
			t.Fatalf("epoch %d batch sizes %v", epoch, sizes)
		}
	}
	tr.Step()
	if tr.Epoch() != 3 {
		t.Fatalf("epoch %d after three full passes", tr.Epoch())
	}
}

func TestBinarizeTestSplitIsFixedAndChecked(t *testing.T) {
	x := greyImages(30, 10, rand.New(rand.NewPCG(5, 5)))
	a, err := BinarizeTestSplit(x)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := BinarizeTestSplit(x)
	if !mat.Equal(a, b) {
		t.Fatal("the fixed-seed test binarisation differs between calls")
	}
	for _, v := range a.RawMatrix().Data {
		if v != 0 && v != 1 {
			t.Fatalf("binarised test split holds %g", v)
		}
	}
	x.Set(0, 0, -0.1)
	if _, err := BinarizeTestSplit(x); err == nil {
		t.Fatal("binarised data outside [0, 1]")
	}
	if err := Binarize(x, x, nil); err == nil {
		t.Fatal("binarised without a random source")
	}
}

func TestCheckpointsKeepBinarizeAndTheDataSource(t *testing.T) {
	x := greyImages(20, 12, rand.New(rand.NewPCG(6, 6)))
	h := DefaultHyper()
	h.Binarize = true
	m := smallBernoulliModel(t, 12)
	m.TrainedOn = DataSource{Name: "mnist", Params: "n=20", Seed: 9, Binarized: true}
	tr, _ := NewTrainer(m, x, 8, h, 3)
	for range 4 {
		tr.Step()
	}
	var tb, mb bytes.Buffer
	if err := tr.Save(&tb); err != nil {
		t.Fatal(err)
	}
	if err := SaveModel(&mb, m); err != nil {
		t.Fatal(err)
	}
	tr2, err := LoadTrainer(bytes.NewReader(tb.Bytes()), x)
	if err != nil {
		t.Fatal(err)
	}
	if !tr2.Hyper.Binarize || tr2.Model.TrainedOn != m.TrainedOn {
		t.Fatalf("resumed trainer lost the option or the data source: %+v %+v", tr2.Hyper, tr2.Model.TrainedOn)
	}
	for range 5 {
		tr.Step()
		tr2.Step()
	}
	if !slices.Equal(tr.Model.Params.Values(), tr2.Model.Params.Values()) {
		t.Fatal("a resumed binarised run differs")
	}
	m2, err := LoadModel(bytes.NewReader(mb.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if m2.TrainedOn != m.TrainedOn {
		t.Fatalf("model file lost its data source: %+v", m2.TrainedOn)
	}
	m.TrainedOn.Name = "bad\nname"
	mb.Reset()
	SaveModel(&mb, m)
	if _, err := LoadModel(bytes.NewReader(mb.Bytes())); !errors.Is(err, ErrCheckpoint) {
		t.Fatalf("a data source with a control character loaded: %v", err)
	}
}

// TestVersion1CheckpointsStillLoad reads files written by the version 1
// format (before the data source and Binarize): testdata/v1-*.vae, a 2-D
// model with hidden width 4 trained 3 steps on twoBlobs(20) with batch 8.
func TestVersion1CheckpointsStillLoad(t *testing.T) {
	mb, err := os.ReadFile("testdata/v1-model.vae")
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(bytes.NewReader(mb))
	if err != nil {
		t.Fatalf("version 1 model: %v", err)
	}
	if m.TrainedOn != (DataSource{}) {
		t.Fatalf("version 1 model has a data source %+v", m.TrainedOn)
	}
	tb, err := os.ReadFile("testdata/v1-trainer.vae")
	if err != nil {
		t.Fatal(err)
	}
	x := twoBlobs(20, rand.New(rand.NewPCG(1, 1)))
	tr, err := LoadTrainer(bytes.NewReader(tb), x)
	if err != nil {
		t.Fatalf("version 1 trainer: %v", err)
	}
	if tr.Steps() != 3 || tr.Hyper.Binarize {
		t.Fatalf("version 1 trainer: %d steps, binarize %v", tr.Steps(), tr.Hyper.Binarize)
	}
	if r := tr.Step(); r.Skipped {
		t.Fatalf("version 1 trainer does not continue: %s", r.Reason)
	}
}

// TestMessagesSayTheirFaultOnce: the error texts users tripped on.
func TestMessagesSayTheirFaultOnce(t *testing.T) {
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{0}, []int{0}
	err := cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), "encoder hidden width 0") || !strings.Contains(err.Error(), "decoder hidden width 0") {
		t.Errorf("hidden widths: %v", err)
	}
	cfg = DefaultConfig2D()
	cfg.Bayes = BayesConfig{Decoder: true, PriorScale: 1000}
	if err := cfg.Validate(); err == nil || strings.Contains(err.Error(), "%!") || !strings.Contains(err.Error(), "100]") {
		t.Errorf("weight prior scale: %v", err)
	}
	var mb, tb bytes.Buffer
	tr, x := trainedTrainer(t, 1)
	SaveModel(&mb, tr.Model)
	tr.Save(&tb)
	if _, err := LoadTrainer(bytes.NewReader(mb.Bytes()), x); err == nil || !strings.Contains(err.Error(), "model checkpoint") {
		t.Errorf("model file resumed: %v", err)
	}
	if _, err := LoadModel(bytes.NewReader(tb.Bytes())); err == nil || !strings.Contains(err.Error(), "trainer checkpoint") || strings.Contains(err.Error(), "cannot resume") {
		t.Errorf("trainer file as a model: %v", err)
	}
	cfg = DefaultConfig2D()
	cfg.Activation = "nope"
	if err := cfg.Validate(); err == nil || strings.Count(err.Error(), "core:") != 1 {
		t.Errorf("unknown activation: %v", err)
	}
	if _, err := NewTwoStagePrior(2, []int{MaxHidden + 1}, 0, 1); err == nil || strings.Count(err.Error(), "core:") != 1 {
		t.Errorf("bad second stage: %v", err)
	}
	// A config that fails validation inside a checkpoint: one "core:" prefix.
	m := tr.Model
	m.Config.LatentDim = 0
	mb.Reset()
	SaveModel(&mb, m)
	m.Config.LatentDim = 2
	if _, err := LoadModel(bytes.NewReader(mb.Bytes())); err == nil || strings.Count(err.Error(), "core:") != 1 {
		t.Errorf("doubled prefix: %v", err)
	}
}

func TestPeekDataSourceReadsBothKinds(t *testing.T) {
	tr, _ := trainedTrainer(t, 2)
	tr.Model.TrainedOn = DataSource{Name: "moons", Params: "n=100", Seed: 4}
	var mb, tb bytes.Buffer
	SaveModel(&mb, tr.Model)
	tr.Save(&tb)
	for _, b := range [][]byte{mb.Bytes(), tb.Bytes()} {
		s, err := PeekDataSource(bytes.NewReader(b))
		if err != nil || s != tr.Model.TrainedOn {
			t.Fatalf("peeked %+v, %v", s, err)
		}
	}
	v1, _ := os.ReadFile("testdata/v1-trainer.vae")
	if s, err := PeekDataSource(bytes.NewReader(v1)); err != nil || s != (DataSource{}) {
		t.Fatalf("version 1: %+v, %v", s, err)
	}
	b := tb.Bytes()
	b[len(b)/2] ^= 1
	if _, err := PeekDataSource(bytes.NewReader(b)); !errors.Is(err, ErrCheckpoint) {
		t.Fatalf("corrupt file peeked: %v", err)
	}
}

// TestBinarizeProbabilities: 0 stays 0, 1 stays 1, and v turns to 1 in a
// fraction v of draws (within 5 standard errors), odd lengths included.
func TestBinarizeProbabilities(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, v := range []float64{0, 1, 0.1, 0.5, 0.9375, 1.0 / 15} {
		const n = 200_001
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = v
		}
		binarizeInPlace(xs, rng)
		ones := 0.0
		for _, x := range xs {
			if x != 0 && x != 1 {
				t.Fatalf("v=%g: value %g", v, x)
			}
			ones += x
		}
		frac := ones / n
		se := math.Sqrt(v*(1-v)/n) + 1e-12
		if math.Abs(frac-v) > 5*se {
			t.Errorf("v=%g: fraction of ones %.5f (se %.5f)", v, frac, se)
		}
	}
}
