package datasets

import (
	"math"
	"strings"
	"testing"
)

func TestRegistryEntriesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range List() {
		if e.Name == "" || e.Title == "" || e.Description == "" {
			t.Errorf("entry %+v lacks a name, title or description", e.Name)
		}
		if seen[e.Name] {
			t.Errorf("duplicate entry %q", e.Name)
		}
		seen[e.Name] = true
		if (e.Source == Generated) != (e.Generate != nil) || (e.Source == Asset) != (e.Load != nil && e.Asset != "") {
			t.Errorf("%s: source %v does not match its Generate/Load/Asset fields", e.Name, e.Source)
		}
		for _, q := range e.Params {
			if err := q.Check(q.Default); err != nil {
				t.Errorf("%s: default invalid: %v", e.Name, err)
			}
			if q.Choices == nil && !(q.Min <= q.Max) {
				t.Errorf("%s: parameter %s has range [%v, %v]", e.Name, q.Name, q.Min, q.Max)
			}
		}
		if got, ok := Lookup(e.Name); !ok || got.Name != e.Name {
			t.Errorf("Lookup(%q) failed", e.Name)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup found an unknown name")
	}
}

func TestParamValidation(t *testing.T) {
	e, _ := Lookup("pinwheel")
	for _, tc := range []struct {
		kv      map[string]string
		wantErr string
	}{
		{map[string]string{}, ""},
		{map[string]string{"n": "300", "arms": "7", "noise": "0.2"}, ""},
		{map[string]string{"n": "0"}, "outside [1, 100000]"},
		{map[string]string{"n": "100001"}, "outside"},
		{map[string]string{"n": "2.5"}, "not a whole number"},
		{map[string]string{"n": "abc"}, `"abc" is not a number`},
		{map[string]string{"noise": "NaN"}, "not a finite number"},
		{map[string]string{"noise": "+Inf"}, "not a finite number"},
		{map[string]string{"noise": "-0.1"}, "outside"},
		{map[string]string{"arms": "13"}, "outside"},
		{map[string]string{"colour": "red"}, `unknown parameter "colour"`},
	} {
		p, err := e.ParseParams(tc.kv)
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("ParseParams(%v): %v", tc.kv, err)
				continue
			}
			for _, q := range e.Params {
				if _, ok := p[q.Name]; !ok {
					t.Errorf("ParseParams(%v) lacks %s", tc.kv, q.Name)
				}
			}
			if s, ok := tc.kv["arms"]; ok && q(e, p, "arms") != s {
				t.Errorf("arms round trip: %q → %v", s, p["arms"])
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "pinwheel") {
			t.Errorf("ParseParams(%v) error %v, want one containing %q and the dataset name", tc.kv, err, tc.wantErr)
		}
	}
	if _, err := Generate("pinwheel", Params{"n": 1e9}, newRand(1)); err == nil {
		t.Error("Generate accepted n = 1e9")
	}
	if _, err := Generate("nosuch", nil, newRand(1)); err == nil || !strings.Contains(err.Error(), "moons") {
		t.Errorf("unknown dataset error %v should list the known names", err)
	}
	if _, err := Generate("drawn", nil, newRand(1)); err == nil {
		t.Error("Generate made a user dataset")
	}
	if _, err := Generate("moons", nil, nil); err == nil {
		t.Error("Generate accepted a nil rng")
	}
}

func q(e Entry, p Params, name string) string {
	par, _ := e.Param(name)
	return par.Format(p[name])
}

func TestChoiceParam(t *testing.T) {
	q := Param{Name: "split", Choices: []string{"train", "test"}}
	if v, err := q.Parse("Test"); err != nil || v != 1 {
		t.Errorf("Parse(Test) = %v, %v", v, err)
	}
	if _, err := q.Parse("valid"); err == nil {
		t.Error("Parse accepted an unknown choice")
	}
	if err := q.Check(2); err == nil {
		t.Error("Check accepted index 2 of 2 choices")
	}
	if q.Format(1) != "test" {
		t.Errorf("Format(1) = %q", q.Format(1))
	}
}

func TestFormatParamsRoundTrip(t *testing.T) {
	e, _ := Lookup("circles")
	p := Params{"n": 1234, "noise": 0.05, "factor": 0.5}
	kv := e.FormatParams(p)
	if _, ok := kv["factor"]; ok {
		t.Errorf("FormatParams wrote a default: %v", kv)
	}
	back, err := e.ParseParams(kv)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range p {
		if back[k] != v {
			t.Errorf("%s: %v → %v", k, v, back[k])
		}
	}
}

func TestNormalize(t *testing.T) {
	d := gen(t, "moons", Params{"n": 500}, 20)
	orig := d.Clone()
	s, err := Normalize(d, NormStandardize, 0)
	if err != nil {
		t.Fatal(err)
	}
	for j := 0; j < 2; j++ {
		var m, ss float64
		for i := 0; i < s.N; i++ {
			m += s.X[2*i+j]
		}
		m /= float64(s.N)
		for i := 0; i < s.N; i++ {
			ss += (s.X[2*i+j] - m) * (s.X[2*i+j] - m)
		}
		if math.Abs(m) > 1e-12 || math.Abs(ss/float64(s.N)-1) > 1e-12 {
			t.Errorf("standardised column %d: mean %v var %v", j, m, ss/float64(s.N))
		}
	}
	b, err := Normalize(s, NormBox, 1)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := b.Bounds()
	if math.Abs(math.Max(hi[0]-lo[0], hi[1]-lo[1])-2) > 1e-12 {
		t.Errorf("box: bounds %v %v, want the widest column to span 2", lo, hi)
	}
	for j := range lo {
		if math.Abs(lo[j]+hi[j]) > 1e-12 {
			t.Errorf("box: column %d not centred: [%v, %v]", j, lo[j], hi[j])
		}
	}
	// Aspect ratio kept: the ratio of column spans is unchanged.
	olo, ohi := s.Bounds()
	if r0, r1 := (ohi[0]-olo[0])/(ohi[1]-olo[1]), (hi[0]-lo[0])/(hi[1]-lo[1]); math.Abs(r0-r1) > 1e-12 {
		t.Errorf("box changed the aspect ratio %v → %v", r0, r1)
	}
	// The composed record maps back to the original raw points.
	raw := make([]float64, 2)
	for i := 0; i < b.N; i++ {
		b.Norm.Invert(raw, b.X[2*i:2*i+2])
		if math.Abs(raw[0]-orig.X[2*i]) > 1e-12 || math.Abs(raw[1]-orig.X[2*i+1]) > 1e-12 {
			t.Fatalf("row %d: Invert gave %v, want %v", i, raw, orig.X[2*i:2*i+2])
		}
		y := b.Norm.Apply(nil, orig.X[2*i:2*i+2])
		if math.Abs(y[0]-b.X[2*i]) > 1e-12 || math.Abs(y[1]-b.X[2*i+1]) > 1e-12 {
			t.Fatalf("row %d: Apply gave %v, want %v", i, y, b.X[2*i:2*i+2])
		}
	}
	n, err := Normalize(b, NormNone, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n.X {
		if math.Abs(n.X[i]-orig.X[i]) > 1e-12 || !n.Norm.IsIdentity() {
			t.Fatalf("NormNone did not restore the raw data")
		}
	}
	// The input is never modified.
	for i := range d.X {
		if d.X[i] != orig.X[i] || !d.Norm.IsIdentity() {
			t.Fatal("Normalize modified its input")
		}
	}
	if _, err := Normalize(d, NormBox, 0); err == nil {
		t.Error("box half-width 0 accepted")
	}
	// A constant column does not divide by zero.
	c := &Dataset{Kind: Points2D, N: 3, D: 2, X: []float64{1, 5, 1, 6, 1, 7}}
	if s, err := Normalize(c, NormStandardize, 0); err != nil || s.X[0] != 0 {
		t.Errorf("constant column: %v, %v", s, err)
	}
}
