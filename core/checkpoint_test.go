package core

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func trainedTrainer(t testing.TB, steps int) (*Trainer, *mat.Dense) {
	x := twoBlobs(100, rand.New(rand.NewPCG(1, 1)))
	m, err := NewModel(DefaultConfig2D(), rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(m, x, 32, DefaultHyper(), 3)
	if err != nil {
		t.Fatal(err)
	}
	for range steps {
		tr.Step()
	}
	return tr, x
}

func TestModelCheckpointRoundTrip(t *testing.T) {
	tr, x := trainedTrainer(t, 20)
	var buf bytes.Buffer
	if err := SaveModel(&buf, tr.Model); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var a, b mat.Dense
	tr.Model.Reconstruct(&a, x)
	m2.Reconstruct(&b, x)
	if !mat.Equal(&a, &b) {
		t.Fatal("loaded model reconstructs differently")
	}
	if _, err := LoadTrainer(bytes.NewReader(buf.Bytes()), x); !errors.Is(err, ErrCheckpoint) {
		t.Fatalf("a model checkpoint resumed training: %v", err)
	}
}

func TestTrainerCheckpointContinuesIdentically(t *testing.T) {
	tr, x := trainedTrainer(t, 7) // mid-epoch: 100 rows, batch 32
	var buf bytes.Buffer
	if err := tr.Save(&buf); err != nil {
		t.Fatal(err)
	}
	tr2, err := LoadTrainer(bytes.NewReader(buf.Bytes()), x)
	if err != nil {
		t.Fatal(err)
	}
	for range 15 {
		r1, r2 := tr.Step(), tr2.Step()
		if r1.Loss != r2.Loss {
			t.Fatalf("step %d: loss %v after reload, %v without", r1.Step, r2.Loss, r1.Loss)
		}
	}
	a, b := tr.Model.Params.Values(), tr2.Model.Params.Values()
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("parameter %d differs after continued training", i)
		}
	}
	if _, err := LoadTrainer(bytes.NewReader(buf.Bytes()), twoBlobs(99, rand.New(rand.NewPCG(1, 1)))); err == nil {
		t.Fatal("resumed on data of a different size")
	}
}

func TestCheckpointRejectsDamage(t *testing.T) {
	tr, x := trainedTrainer(t, 3)
	var buf bytes.Buffer
	if err := tr.Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	cases := map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)/2],
		"one byte":  good[:1],
		"flipped":   func() []byte { b := slices.Clone(good); b[len(b)/3] ^= 0x10; return b }(),
		"magic":     func() []byte { b := slices.Clone(good); b[0] = 'X'; return b }(),
		"version":   func() []byte { b := slices.Clone(good); b[8] = 9; return b }(),
		"trailing":  append(slices.Clone(good), 0),
	}
	for name, b := range cases {
		if _, err := LoadTrainer(bytes.NewReader(b), x); err == nil {
			t.Errorf("%s: loaded", name)
		} else if !errors.Is(err, ErrCheckpoint) {
			t.Errorf("%s: error %v does not wrap ErrCheckpoint", name, err)
		}
	}
}

// reseal recomputes the checksum so a test can reach the checks behind it.
func reseal(b []byte) []byte {
	body := b[:len(b)-4]
	return appendCRC(slices.Clone(body))
}

func TestCheckpointRejectsHostileContents(t *testing.T) {
	m, _ := NewModel(DefaultConfig2D(), rand.New(rand.NewPCG(1, 1)))
	var buf bytes.Buffer
	SaveModel(&buf, m)
	good := buf.Bytes()
	// A NaN parameter with a valid checksum.
	b := slices.Clone(good)
	off := len(b) - 4 - 8
	copy(b[off:], []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f})
	if _, err := LoadModel(bytes.NewReader(reseal(b))); err == nil {
		t.Error("loaded a NaN parameter")
	}
	// A config asking for a huge network, with a valid checksum.
	huge := []byte(`{"data_dim":4096,"latent_dim":64,"encoder_hidden":[4096,4096,4096],"decoder_hidden":[4096],"activation":"relu","likelihood":"bernoulli","prior":{"kind":"standard"},"posterior_flow":{}}`)
	var hb bytes.Buffer
	cw := &checkpointWriter{w: &hb}
	cw.bytes([]byte(checkpointMagic))
	cw.u32(checkpointVersion)
	cw.bytes([]byte{kindModel})
	cw.u32(uint32(len(huge)))
	cw.bytes(huge)
	cw.u64(3)
	cw.floats([]float64{1, 2, 3})
	cw.finish()
	if _, err := LoadModel(&hb); err == nil {
		t.Error("loaded a parameter count that does not match the config")
	}
}

func appendCRC(b []byte) []byte {
	var out bytes.Buffer
	cw := &checkpointWriter{w: &out}
	cw.bytes(b)
	cw.finish()
	return out.Bytes()
}

func FuzzLoadModel(f *testing.F) {
	// Small models keep the inputs short enough for the mutator to explore.
	cfg := DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{2}, nil
	m, _ := NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
	var buf bytes.Buffer
	SaveModel(&buf, m)
	f.Add(buf.Bytes())
	x := twoBlobs(8, rand.New(rand.NewPCG(1, 1)))
	tr, _ := NewTrainer(m, x, 4, DefaultHyper(), 1)
	tr.Step()
	var tb bytes.Buffer
	tr.Save(&tb)
	f.Add(tb.Bytes())
	f.Add([]byte(checkpointMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, seal := range []bool{false, true} {
			in := b
			if seal && len(b) >= 4 {
				in = reseal(b) // reach the parsing behind the checksum
			}
			if m, err := LoadModel(bytes.NewReader(in)); err == nil {
				var out mat.Dense
				m.Decode(&out, mat.NewDense(1, m.Config.LatentDim, nil))
			}
			if tr, err := LoadTrainer(bytes.NewReader(in), x); err == nil {
				tr.Step()
			}
		}
	})
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
