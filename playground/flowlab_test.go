package playground

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/ui"
)

// newLabScreen opens the lab with the settings in hash (mode=flowlab added).
func newLabScreen(t testing.TB, hash string) (*Session, *Screen) {
	t.Helper()
	if hash != "" {
		hash = "&" + hash
	}
	s, err := New("mode=flowlab"+hash, Inline)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Notes) > 0 {
		t.Fatalf("%s: %v", hash, s.Notes)
	}
	t.Cleanup(s.Close)
	return s, NewScreen(s, 1280, 800, 1)
}

// labIdle is a pointer resting on the status bar, away from every panel.
var labIdle = ui.Input{X: 5, Y: 790}

func savePNG(t testing.TB, sc *Screen, name string) {
	dir := os.Getenv("PLAYGROUND_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, sc.Frame); err != nil {
		t.Fatal(err)
	}
}

// runUntilIdle drives paused frames until the views' work queue is empty.
func runUntilIdle(t testing.TB, sc *Screen, t0 time.Time) time.Time {
	for range 2000 {
		t0 = runFrames(sc, 1, labIdle, t0)
		if len(sc.lab.v.queue) == 0 && sc.lab.v.snapStep == sc.lab.steps() && sc.lab.v.snapFine {
			return runFrames(sc, 1, labIdle, t0)
		}
	}
	t.Fatal("the lab's views never finished")
	return t0
}

func TestLabSettingsRoundTrip(t *testing.T) {
	v := NewValues()
	for _, kv := range []string{"mode=flowlab", "target=u3", "lflow=radial", "lK=32", "llr=0.002",
		"lbatch=128", "anneal=off", "lseed=42"} {
		k, x, _ := strings.Cut(kv, "=")
		if err := v.SetText(k, x); err != nil {
			t.Fatalf("%s=%s: %v", k, x, err)
		}
	}
	hash := v.Encode()
	got, notes, _ := Decode("#" + hash)
	if len(notes) > 0 {
		t.Fatalf("notes reading our own link %q: %v", hash, notes)
	}
	for _, k := range []string{"mode", "target", "lflow", "lK", "llr", "lbatch", "anneal", "lseed"} {
		if got.Get(k) != v.Get(k) {
			t.Errorf("%s: %v after the round trip, want %v (link %q)", k, got.Get(k), v.Get(k), hash)
		}
	}
	// Every target is a choice a link can name; a hostile one falls back.
	for _, name := range labTargets() {
		if g, notes, _ := Decode("mode=flowlab&target=" + name); len(notes) > 0 || g.Choice("target") != name {
			t.Errorf("target %s: read %s, notes %v", name, g.Choice("target"), notes)
		}
	}
	g, notes, _ := Decode("mode=flowlab&target=%3Cimg%3E&lK=1000&llr=-1")
	if len(notes) != 3 || g.Choice("target") != "u1" || g.Int("lK") != core.MaxFlowLayers {
		t.Errorf("hostile lab link: target %s, K %d, notes %v", g.Choice("target"), g.Int("lK"), notes)
	}
	// The lab's controls show in the lab, the VAE's outside it.
	keys := func(v *Values) (out []string) {
		for _, s := range v.Visible() {
			out = append(out, s.Key)
		}
		return out
	}
	if k := keys(got); !slices.Contains(k, "lK") || slices.Contains(k, "beta") || !slices.Contains(k, "mode") {
		t.Errorf("lab controls %v", k)
	}
	if k := keys(NewValues()); slices.Contains(k, "lK") || !slices.Contains(k, "beta") {
		t.Errorf("VAE controls %v", k)
	}
}

// The lab fits: on u1 the batch loss falls over a few hundred steps and the
// KL estimate agrees with the engine's.
func TestLabFitsU1(t *testing.T) {
	s, sc := newLabScreen(t, "target=u1&lK=8&anneal=off")
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	l := sc.lab
	if l.fit == nil || l.err != "" {
		t.Fatalf("no fit: %s", l.err)
	}
	for range 400 {
		l.stepOnce()
	}
	mean := func(ys []float64) float64 {
		s := 0.0
		for _, y := range ys {
			s += y
		}
		return s / float64(len(ys))
	}
	first, last := mean(l.loss.Y[:40]), mean(l.loss.Y[len(l.loss.Y)-40:])
	if !(last < first-1) {
		t.Errorf("loss %.3f over the first 40 steps, %.3f over the last 40 of 400", first, last)
	}
	t0 = runUntilIdle(t, sc, t0)
	kl := l.score.last()
	want := l.twin.(*core.EnergyFitter).EstimateKL(labKLSamplesFine, labKLSeed).KL
	if math.IsNaN(kl) || math.Abs(kl-want) > 1e-4 {
		t.Errorf("the lab's KL %.6f, the engine's %.6f", kl, want)
	}
	if s.Playing {
		t.Error("the VAE plays while the lab is shown")
	}
	savePNG(t, sc, "lab-u1")
	_ = t0
}
