package session

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

func newCompare(t *testing.T, hash string, mode Mode) *Compare {
	t.Helper()
	a := newSession(t, hash, mode)
	spec, ok := a.CompareLink()
	if !ok {
		t.Fatalf("%q: no compare= read", hash)
	}
	c, err := NewCompare(a, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

const compareLink = "data=8gaussians&seed=5&batch=64&compare=prior:mixture,comps:4"

// The table's ELBO and IWAE are Model.Evaluate's for each model at that
// moment (the seed's evaluation stream, k as the command line), and B is
// the run a session of B's settings alone gives.
func TestCompareTableIsEvaluate(t *testing.T) {
	c := newCompare(t, compareLink, Inline)
	if got := c.B.Values.Choice("prior"); got != "mixture" || c.A.Values.Choice("prior") != "standard" {
		t.Fatalf("A prior %s, B prior %s", c.A.Values.Choice("prior"), got)
	}
	c.StepN(40)
	if c.A.Steps() != 40 || c.B.Steps() != 40 {
		t.Fatalf("steps %d, %d", c.A.Steps(), c.B.Steps())
	}
	if !c.Refresh(time.Hour, time.Now()) {
		t.Fatal("no table after steps while paused")
	}
	r := c.Results()
	if !r.Exact || !r.Heldout || r.N != 500 || r.K != CompareK {
		t.Fatalf("table on %d rows, k %d, exact %v, held-out %v", r.N, r.K, r.Exact, r.Heldout)
	}
	for i, s := range []*Session{c.A, c.B} {
		// Evaluate, ten rows at a time with one random stream (as the
		// command line evaluates, a slice of rows at a time).
		rng := rand.New(rand.NewPCG(5, 0xe7a1))
		var ev struct{ ELBO, IWAE float64 }
		for lo := 0; lo < 500; lo += 10 {
			part := s.Model.Evaluate(s.Test.Slice(lo, lo+10, 0, 2).(*mat.Dense), 100, rng)
			ev.ELBO += part.ELBO * 10 / 500
			ev.IWAE += part.IWAE * 10 / 500
		}
		got := [2]float64{r.Rows[0].A, r.Rows[1].A}
		if i == 1 {
			got = [2]float64{r.Rows[0].B, r.Rows[1].B}
		}
		if math.Abs(got[0]-ev.ELBO) > 1e-12 || math.Abs(got[1]-ev.IWAE) > 1e-12 {
			t.Fatalf("side %d: table ELBO, IWAE %v, Evaluate %v %v", i, got, ev.ELBO, ev.IWAE)
		}
		_, active := s.Model.ActiveUnits(s.Test)
		if r.Rows[4].A != float64(active) && i == 0 || r.Rows[4].B != float64(active) && i == 1 {
			t.Fatalf("side %d: active units %v", i, r.Rows[4])
		}
	}
	if r.Rows[0].A == r.Rows[0].B {
		t.Fatal("A and B have the same ELBO: B is not the other model")
	}
	for _, row := range r.Rows[:4] {
		if !(row.Spread > 0) || row.Exceeds != (math.Abs(row.Diff()) > row.Spread) {
			t.Fatalf("%s: spread %v, exceeds %v", row.Metric, row.Spread, row.Exceeds)
		}
		// Reconstruction minus KL is the ELBO of one noise draw: near
		// Evaluate's ELBO, not equal to it.
	}
	if d := r.Rows[2].A - r.Rows[3].A - r.Rows[0].A; math.Abs(d) > 0.5 {
		t.Fatalf("recon − KL − ELBO = %v", d)
	}
	// Paused, nothing changed: no new table; a fresh one has the same
	// numbers; sliced over frames, the same again.
	if c.Refresh(time.Hour, time.Now()) {
		t.Fatal("a new table while paused and unchanged")
	}
	if again := c.Evaluate(0); !slices.EqualFunc(again.Rows[:5], r.Rows[:5], sameRow) {
		t.Fatal("the same models gave another table")
	}
	c.StepN(1)
	frames := 0
	for !c.Refresh(time.Nanosecond, time.Now()) {
		frames++
	}
	if frames < 10 || c.Results().Steps != [2]int{41, 41} || !slices.EqualFunc(c.Results().Rows[:5], c.Evaluate(0).Rows[:5], sameRow) {
		t.Fatalf("sliced table over %d frames: steps %v", frames, c.Results().Steps)
	}
	solo := newSession(t, "data=8gaussians&seed=5&batch=64&prior=mixture&comps=4", Inline)
	solo.StepN(41)
	if !slices.Equal(solo.Snapshot(), c.B.Snapshot()) {
		t.Fatal("B differs from a session of B's settings alone")
	}
}

// The link carries both configurations: read back, it makes the same A
// and B, which replay the same runs bit for bit (inline and background).
func TestCompareLinkRoundTripsAndReplays(t *testing.T) {
	c := newCompare(t, compareLink, Inline)
	if err := c.SetB("beta", "0.5"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetB("latent", "3"); err != nil {
		t.Fatal(err)
	}
	c.StepN(25)
	link := c.A.Hash()
	if !strings.Contains(link, "compare=latent:3,prior:mixture,comps:4,beta:0.5") {
		t.Fatalf("link %q", link)
	}
	d := newCompare(t, link, Background)
	if d.A.Values.Encode() != c.A.Values.Encode() || d.B.Values.Encode() != c.B.Values.Encode() {
		t.Fatalf("A %q / %q, B %q / %q", d.A.Values.Encode(), c.A.Values.Encode(), d.B.Values.Encode(), c.B.Values.Encode())
	}
	if d.A.Hash() != link {
		t.Fatalf("round trip %q, want %q", d.A.Hash(), link)
	}
	for range 5 {
		d.Step()
	}
	d.StepN(20)
	if !slices.Equal(d.A.Snapshot(), c.A.Snapshot()) || !slices.Equal(d.B.Snapshot(), c.B.Snapshot()) {
		t.Fatal("the same link gave other runs")
	}
	// Copy A → B: B becomes A, and the link says so.
	if err := d.CopyAToB(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(d.A.Hash(), "compare=on") || d.B.Values.Encode() != d.A.Values.Encode() {
		t.Fatalf("after copy: %q, B %q", d.A.Hash(), d.B.Values.Encode())
	}
}

// Playing, both take the same steps every frame; a rebuild of A (a new
// latent size) restarts both, B keeping its own settings.
func TestComparePlaysStepForStep(t *testing.T) {
	c := newCompare(t, compareLink, Inline)
	c.Playing = true
	now := time.Now()
	for range 30 {
		now = now.Add(16 * time.Millisecond)
		c.Tick(now)
		if c.A.Steps() != c.B.Steps() {
			t.Fatalf("A at %d steps, B at %d", c.A.Steps(), c.B.Steps())
		}
	}
	if c.A.Steps() == 0 {
		t.Fatal("no steps while playing")
	}
	if err := c.A.Set("latent", "3"); err != nil {
		t.Fatal(err)
	}
	c.Playing = false
	c.Tick(now.Add(16 * time.Millisecond))
	if c.B.Values.Int("latent") != 3 || c.B.Values.Choice("prior") != "mixture" || c.A.Steps() != 0 || c.B.Steps() != 0 {
		t.Fatalf("after A's latent: B latent %d prior %s, steps %d %d", c.B.Values.Int("latent"), c.B.Values.Choice("prior"), c.A.Steps(), c.B.Steps())
	}
	if c.B.Config.LatentDim != 3 {
		t.Fatalf("B's model has %d latent dimensions", c.B.Config.LatentDim)
	}
}

// A hostile compare= value falls back to A's values, part by part, with a
// note for each; what is sound is kept.
func TestCompareHostileValues(t *testing.T) {
	hostile := "data=moons&compare=" + strings.Join([]string{
		"latent:999", "beta:NaN", "nope:1", "data:circles", "%3Cscript%3Ealert(1)%3C/script%3E", "act:evil", "lr:1e%2B300", "width:32",
	}, ",")
	c := newCompare(t, hostile, Inline)
	if len(c.Notes) != 7 {
		t.Fatalf("notes %q", c.Notes)
	}
	for _, k := range []string{"latent", "beta", "act", "lr", "data"} {
		if c.B.Values.Get(k) != c.A.Values.Get(k) {
			t.Errorf("%s: B %v, A %v", k, c.B.Values.Get(k), c.A.Values.Get(k))
		}
	}
	if c.B.Values.Int("width") != 32 || c.Spec() != "width:32" {
		t.Fatalf("width %d, spec %q", c.B.Values.Int("width"), c.Spec())
	}
	long := newSession(t, "compare="+strings.Repeat("beta:2,", 400), Inline)
	spec, _ := long.CompareLink()
	d, err := NewCompare(long, spec)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if len(d.Notes) != 1 || d.Spec() != "on" {
		t.Fatalf("long value: notes %q, spec %q", d.Notes, d.Spec())
	}
}

func sameRow(a, b ResultRow) bool {
	same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	return a.Metric == b.Metric && same(a.A, b.A) && same(a.B, b.B) && same(a.Spread, b.Spread) && a.Exceeds == b.Exceeds
}

// The table's cost: all 500 held-out rows (paused) and the 100 of a
// refresh while training, both models, k = 100.
func BenchmarkCompareTable(b *testing.B) {
	a, err := New(compareLink, Inline)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	spec, _ := a.CompareLink()
	c, err := NewCompare(a, spec)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	c.StepN(50)
	for _, n := range []int{0, trainingRows} {
		b.Run(map[int]string{0: "paused-500", trainingRows: "training-100"}[n], func(b *testing.B) {
			for b.Loop() {
				c.Evaluate(n)
			}
		})
	}
}
