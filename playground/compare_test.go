package playground

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/playground/scene/scenetest"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// click presses and releases the pointer at the centre of the top bar's
// button id.
func click(sc *Screen, id string, t0 time.Time) time.Time {
	r := sc.topRects[id]
	p := ui.Input{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
	t0 = runFrames(sc, 1, p, t0)
	p.Down, p.Pressed = true, true
	t0 = runFrames(sc, 1, p, t0)
	p.Down, p.Pressed = false, false
	return runFrames(sc, 1, p, t0)
}

// A link with compare= opens the comparison: both train from the top
// bar's Play, the table shows both, the link carries B; the Compare button
// turns it off and on, and the controls edit B when asked.
func TestCompareFromTheLink(t *testing.T) {
	s, sc := newScreen(t, "data=8gaussians&compare=prior:mixture")
	if !sc.Comparing() {
		t.Fatal("compare= did not open the comparison")
	}
	c := sc.Compare().C
	t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	t0 = click(sc, "play", t0)
	if !c.Playing {
		t.Fatal("Play did not start the comparison")
	}
	t0 = runFrames(sc, 40, ui.Input{X: 5, Y: 790}, t0)
	t0 = click(sc, "play", t0)
	if c.Playing || c.A.Steps() == 0 || c.A.Steps() != c.B.Steps() {
		t.Fatalf("playing %v, steps A %d B %d", c.Playing, c.A.Steps(), c.B.Steps())
	}
	// The paused table comes in slices over frames, for this moment.
	for i := 0; i < 400 && sc.Compare().Results().Steps != [2]int{c.A.Steps(), c.B.Steps()}; i++ {
		t0 = runFrames(sc, 1, ui.Input{X: 5, Y: 790}, t0)
	}
	t0 = runFrames(sc, 1, ui.Input{X: 5, Y: 790}, t0)
	res := sc.Compare().Results()
	if !res.Exact || res.Steps != [2]int{c.A.Steps(), c.B.Steps()} || len(res.Rows) != 7 {
		t.Fatalf("paused table: exact %v, steps %v, %d rows", res.Exact, res.Steps, len(res.Rows))
	}
	if !strings.HasSuffix(s.Hash(), "compare=prior:mixture") {
		t.Fatalf("link %q", s.Hash())
	}
	p := sc.Compare().Panels()
	if p.Stacked || p.LatentA.Dy() != p.LatentB.Dy() || p.LatentA.Max.X > p.LatentB.Min.X {
		t.Fatalf("wide screen: panels %+v", p)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"latent A", scenetest.Variance(sc.Frame.SubImage(p.LatentA).(*image.RGBA))}, {"table", scenetest.Variance(sc.Frame.SubImage(p.Table).(*image.RGBA))}, {"loss", scenetest.Variance(sc.Frame.SubImage(p.Loss).(*image.RGBA))}} {
		if r.v < 10 {
			t.Errorf("%s blank (variance %v)", r.name, r.v)
		}
	}
	if dir := os.Getenv("PLAYGROUND_SHOTS"); dir != "" {
		f, err := os.Create(filepath.Join(dir, "compare.png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, sc.Frame); err != nil {
			t.Fatal(err)
		}
	}
	// The controls edit B: a change of β lands on B only.
	sc.Compare().EditB = true
	values, set := sc.edited()
	if values != c.B.Values {
		t.Fatal("the controls do not show B's settings")
	}
	if err := set("beta", 2); err != nil {
		t.Fatal(err)
	}
	if c.B.Values.Get("beta") != 2 || c.A.Values.Get("beta") != 1 || !strings.Contains(s.Hash(), "beta:2") {
		t.Fatalf("β A %v B %v, link %q", c.A.Values.Get("beta"), c.B.Values.Get("beta"), s.Hash())
	}
	t0 = click(sc, "compare", t0)
	if sc.Comparing() || strings.Contains(s.Hash(), "compare=") {
		t.Fatalf("Compare did not turn off: %q", s.Hash())
	}
	click(sc, "compare", t0)
	if !sc.Comparing() || !strings.HasSuffix(s.Hash(), "compare=on") {
		t.Fatalf("Compare did not turn on: %q", s.Hash())
	}
}

// A narrow screen stacks A above B; the top bar's buttons still fit.
func TestCompareNarrowStacks(t *testing.T) {
	s, err := session.New("data=8gaussians&compare=beta:2", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 700, 800, 1)
	runFrames(sc, 3, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	p := sc.Compare().Panels()
	if !p.Stacked || p.LatentB.Min.Y < p.LatentA.Max.Y {
		t.Fatalf("narrow screen: panels %+v", p)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"latent B", scenetest.Variance(sc.Frame.SubImage(p.LatentB).(*image.RGBA))}, {"table", scenetest.Variance(sc.Frame.SubImage(p.Table).(*image.RGBA))}} {
		if r.v < 10 {
			t.Errorf("%s blank (variance %v)", r.name, r.v)
		}
	}
	for a, ra := range sc.topRects {
		for b, rb := range sc.topRects {
			if a < b && ra.Overlaps(rb) {
				t.Errorf("%s %v overlaps %s %v", a, ra, b, rb)
			}
		}
	}
}

// TestCompareScreenshot writes the README's comparison screenshot when
// COMPARE_SHOT names the file: standard against mixture prior on 8
// Gaussians after 2000 steps each, paused, with the table.
//
//	COMPARE_SHOT=$PWD/docs/compare-8gaussians.png go test ./playground/ -run CompareScreenshot
func TestCompareScreenshot(t *testing.T) {
	path := os.Getenv("COMPARE_SHOT")
	if path == "" {
		t.Skip("COMPARE_SHOT not set: no screenshot written")
	}
	_, sc := newScreen(t, "data=8gaussians&compare=prior:mixture")
	t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	c := sc.Compare().C
	c.StepN(2000)
	for i := 0; i < 400 && sc.Compare().Results().Steps != [2]int{2000, 2000}; i++ {
		t0 = runFrames(sc, 1, ui.Input{X: 5, Y: 790}, t0)
	}
	runFrames(sc, 10, ui.Input{X: 5, Y: 790}, t0)
	if res := sc.Compare().Results(); res.Steps != [2]int{2000, 2000} || !res.Exact {
		t.Fatalf("table at steps %v, exact %v", res.Steps, res.Exact)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, sc.Frame); err != nil {
		t.Fatal(err)
	}
}
