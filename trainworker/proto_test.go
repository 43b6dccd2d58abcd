package trainworker

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/vaeplayground/vae/core"
)

// sample is one well-formed message of every kind.
func sample() []Message {
	h := core.DefaultHyper()
	h.Beta, h.MMDKernel = 0.5, "rbf"
	return []Message{
		{Kind: KindBuild, Gen: 3, Seq: 9, Trainer: []byte("VAEPLAY\x00..."), Rows: 2, Cols: 3, Data: []float64{1, 2, 3, 4, 5, -6}},
		{Kind: KindRun, Gen: 3, Seq: 10, Playing: true, Rate: 30},
		{Kind: KindRun, Gen: 3, Seq: 11},
		{Kind: KindSteps, Gen: 3, Seq: 12, N: 7},
		{Kind: KindSetHyper, Gen: 3, Seq: 13, Hyper: h},
		{Kind: KindSetData, Gen: 3, Seq: 14, Rows: 1, Cols: 2, Data: []float64{0.5, 1e-300}, Batch: 64},
		{Kind: KindSetMixture, Gen: 3, Seq: 15, Component: 2, Mean: []float64{1, -1}},
		{Kind: KindSetMixture, Gen: 3, Seq: 16, Component: 0, Mean: []float64{1, -1}, Variance: []float64{0.25, 4}},
		{Kind: KindStop, Gen: 3, Seq: 17},
		{Kind: KindSave, Gen: 3, Seq: 18},
		{Kind: KindTrainer, Gen: 3, Seq: 18, Trainer: []byte("VAEPLAY\x00 trainer")},
		{Kind: KindReady, Text: "wasm-simd"},
		{Kind: KindResults, Gen: 3, Seq: 12, Results: []core.StepResult{
			{Stats: core.Stats{Loss: 3.5, ELBO: -3.4, Recon: -1, KL: 2.4, KLPerDim: []float64{1.2, 1.2}, KLMode: "analytic"}, Step: 41, Epoch: 2, Beta: 1, GradNorm: 5, LearningRate: 1e-3},
			{Stats: core.Stats{Loss: math.NaN(), ELBO: math.Inf(-1)}, Step: 42, Epoch: 2, Skipped: true, Reason: "loss is not finite: lowered the learning rate", LearningRate: 5e-4},
		}},
		{Kind: KindResults, Gen: 3, Seq: 12},
		{Kind: KindSnapshot, Gen: 3, Seq: 12, Params: []float64{0.1, -0.2, 3}},
		{Kind: KindError, Gen: 3, Seq: 14, Text: "core: batch size 0 outside [1, 65536]"},
		{Kind: KindError, Gen: 3, Seq: 14, Text: "build: bad checkpoint", Fatal: true},
	}
}

// same compares messages, NaN equal to NaN (a skipped step's loss).
func same(a, b Message) bool {
	return reflect.DeepEqual(canon(a), canon(b))
}

func canon(m Message) Message {
	m.Results = append([]core.StepResult(nil), m.Results...)
	for i := range m.Results {
		r := &m.Results[i]
		for _, p := range []*float64{&r.Loss, &r.ELBO, &r.Recon, &r.KL, &r.WeightKL, &r.MMD, &r.Beta, &r.GradNorm, &r.LearningRate} {
			if math.IsNaN(*p) {
				*p = 12345.678 // a stand-in DeepEqual can compare
			}
		}
	}
	return m
}

func TestEveryKindRoundTrips(t *testing.T) {
	for _, m := range sample() {
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("%v: %v", m.Kind, err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("%v: %v", m.Kind, err)
		}
		if !same(got, m) {
			t.Errorf("%v: got %+v, want %+v", m.Kind, got, m)
		}
	}
}

// Every prefix of a good message and every message with a byte more is
// refused, with ErrMessage.
func TestTruncatedAndTrailingRefused(t *testing.T) {
	for _, m := range sample() {
		b, _ := Encode(m)
		for n := range len(b) {
			if _, err := Decode(b[:n]); !errors.Is(err, ErrMessage) {
				t.Fatalf("%v cut to %d of %d bytes: err %v", m.Kind, n, len(b), err)
			}
		}
		if _, err := Decode(append(b, 0)); err == nil || !strings.Contains(err.Error(), "trailing") {
			t.Errorf("%v with a trailing byte: err %v", m.Kind, err)
		}
	}
}

func TestVersionAndMagicChecked(t *testing.T) {
	b, _ := Encode(Message{Kind: KindStop, Gen: 1, Seq: 1})
	other := append([]byte(nil), b...)
	binary.LittleEndian.PutUint16(other[4:], Version+1)
	if _, err := Decode(other); err == nil || !strings.Contains(err.Error(), "protocol version 2, this build speaks 1") {
		t.Errorf("newer version: err %v", err)
	}
	other = append([]byte(nil), b...)
	other[0] = 'X'
	if _, err := Decode(other); err == nil || !strings.Contains(err.Error(), "not a training-worker message") {
		t.Errorf("bad magic: err %v", err)
	}
	other = append([]byte(nil), b...)
	other[6] = 200
	if _, err := Decode(other); err == nil || !strings.Contains(err.Error(), "unknown kind 200") {
		t.Errorf("unknown kind: err %v", err)
	}
}

// header is a message header for hand-made bodies.
func header(k Kind) []byte {
	b := []byte(magic)
	b = binary.LittleEndian.AppendUint16(b, Version)
	b = append(b, byte(k))
	return binary.LittleEndian.AppendUint64(b, 0) // gen, seq
}

func u32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func f64(b []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

// Hostile bodies: lengths past their bounds (refused before allocating),
// values out of range, non-finite data and parameters.
func TestHostileBodiesRefused(t *testing.T) {
	cases := map[string][]byte{
		"huge checkpoint length":             u32(header(KindBuild), MaxTrainerBytes+1),
		"checkpoint longer than the message": u32(header(KindBuild), 1000),
		"too many rows":                      u32(u32(u32(header(KindBuild), 0), MaxRows+1), 2),
		"rows × cols too large":              u32(u32(u32(header(KindBuild), 0), MaxRows), MaxCols),
		"no rows":                            u32(u32(u32(header(KindBuild), 0), 0), 2),
		"NaN in the data":                    f64(u32(u32(u32(header(KindBuild), 0), 1), 1), math.NaN()),
		"infinite data":                      append(f64(u32(u32(header(KindSetData), 1), 1), math.Inf(1)), 1, 0, 0, 0),
		"batch 0":                            u32(f64(u32(u32(header(KindSetData), 1), 1), 0), 0),
		"batch too large":                    u32(f64(u32(u32(header(KindSetData), 1), 1), 0), MaxBatch+1),
		"negative rate":                      f64(append(header(KindRun), 1), -1),
		"NaN rate":                           f64(append(header(KindRun), 1), math.NaN()),
		"playing is 2":                       f64(append(header(KindRun), 2), 0),
		"0 steps":                            u32(header(KindSteps), 0),
		"too many steps":                     u32(header(KindSteps), MaxSteps+1),
		"hyper not JSON":                     append(u32(header(KindSetHyper), 3), "{x:"...),
		"hyper unknown field":                append(u32(header(KindSetHyper), 8), `{"X": 1}`...),
		"hyper out of range":                 append(u32(header(KindSetHyper), 22), `{"LearningRate": 1e9}`...),
		"hyper trailing JSON":                append(u32(header(KindSetHyper), 53), `{"LearningRate": 0.001, "Beta": 1, "ClipNorm": 1} {}`...),
		"component too large":                u32(header(KindSetMixture), MaxComponent),
		"mean too long":                      u32(u32(header(KindSetMixture), 0), MaxLatent+1),
		"NaN mean":                           f64(u32(u32(header(KindSetMixture), 0), 1), math.NaN()),
		"too many results":                   u32(header(KindResults), MaxResults+1),
		"results past the end":               u32(header(KindResults), 1000),
		"snapshot too long":                  u32(header(KindSnapshot), MaxParams+1),
		"NaN parameter":                      f64(u32(header(KindSnapshot), 1), math.NaN()),
		"text not UTF-8":                     append(u32(append(header(KindError), 0), 2), 0xff, 0xfe),
		"text too long":                      u32(append(header(KindError), 0), maxText+1),
	}
	for name, b := range cases {
		if m, err := Decode(b); !errors.Is(err, ErrMessage) {
			t.Errorf("%s: decoded %+v, err %v", name, m, err)
		}
	}
}

// The encoder refuses what the decoder would, and cuts long text so that
// an error message still travels.
func TestEncoderKeepsTheBounds(t *testing.T) {
	bad := []Message{
		{Kind: KindRun, Rate: math.Inf(1)},
		{Kind: KindSteps, N: 0},
		{Kind: KindSetData, Rows: 2, Cols: 2, Data: []float64{1, 2, 3}, Batch: 1},
		{Kind: KindSetData, Rows: 1, Cols: 1, Data: []float64{1}, Batch: 0},
		{Kind: KindSetMixture, Component: -1},
		{Kind: KindResults, Results: []core.StepResult{{Step: -1}}},
		{Kind: Kind(99)},
	}
	for _, m := range bad {
		if _, err := Encode(m); err == nil {
			t.Errorf("encoded %+v", m)
		}
	}
	b, err := Encode(Message{Kind: KindError, Text: strings.Repeat("é", maxText)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(b)
	if err != nil || len(m.Text) > maxText || len(m.Text) < maxText-1 {
		t.Errorf("long error text: %d bytes, err %v", len(m.Text), err)
	}
}

// FuzzDecode: no input panics or allocates past its bounds, and whatever
// decodes encodes back to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, m := range sample() {
		b, _ := Encode(m)
		f.Add(b)
	}
	f.Add([]byte("VAEw"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrMessage) {
				t.Fatalf("error without ErrMessage: %v", err)
			}
			return
		}
		again, err := Encode(m)
		if err != nil {
			t.Fatalf("decoded %+v does not encode: %v", m, err)
		}
		if m.Kind == KindSetHyper {
			return // JSON has many spellings of one value
		}
		if string(again) != string(b) {
			t.Fatalf("re-encoding differs:\n got %x\nwant %x", again, b)
		}
	})
}
