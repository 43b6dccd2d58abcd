package playground

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/ui"
)

// shot writes the screen to $PLAYGROUND_SHOTS/name when set (to look at).
func shot(t *testing.T, sc *Screen, name string) {
	t.Helper()
	dir := os.Getenv("PLAYGROUND_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, sc.Frame); err != nil {
		t.Fatal(err)
	}
}

// varied reports whether r of img holds more than a few colours (a drawn
// panel, not a filled rectangle).
func varied(img *image.RGBA, r image.Rectangle) bool {
	seen := map[[3]uint8]bool{}
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			i := img.PixOffset(x, y)
			seen[[3]uint8{img.Pix[i], img.Pix[i+1], img.Pix[i+2]}] = true
		}
	}
	return len(seen) > 20
}

// views= and controls= in the link: only the latent view, laid out large,
// and only β and the prior in the column; it trains from the top bar.
func TestShownViewsAndControlsFromTheLink(t *testing.T) {
	s, sc := newScreen(t, "data=8gaussians&views=latent&controls=beta,prior")
	t0 := runFrames(sc, 3, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	l := sc.L
	if l.Latent.Empty() || !l.Data.Empty() || !l.Loss.Empty() || !l.KL.Empty() || !l.Flow.Empty() {
		t.Fatalf("layout %+v", l)
	}
	full := scene.NewLayout(1280, 800, 1)
	if l.Latent.Dx() <= full.Latent.Dx() {
		t.Errorf("the latent view alone (%v) is no larger than in the full layout (%v)", l.Latent, full.Latent)
	}
	if got := sc.ShownControls(); !slices.Equal(got, []string{"prior", "beta"}) {
		t.Errorf("controls %q, want prior, beta (table order)", got)
	}
	if got := sc.ShownViews(); !slices.Equal(got, []string{"latent"}) {
		t.Errorf("views %q", got)
	}
	t0 = click(sc, "play", t0)
	t0 = runFrames(sc, 30, ui.Input{X: 2, Y: 790}, t0)
	if s.Steps() == 0 {
		t.Fatal("no steps after Play")
	}
	if !varied(sc.Frame, l.Latent) {
		t.Error("the latent view is not drawn")
	}
	// The hidden settings keep their values, and the link its filter.
	if err := s.SetValue("lr", 0.01); err != nil {
		t.Fatal(err)
	}
	if h := s.Hash(); !strings.Contains(h, "views=latent") || !strings.Contains(h, "controls=beta,prior") || !strings.Contains(h, "lr=0.01") {
		t.Errorf("link %q", h)
	}
	runFrames(sc, 2, ui.Input{X: 2, Y: 790}, t0)
	shot(t, sc, "shown-latent.png")
}

// embed=1: the minimal bar (reset, play, step, open), no controls column,
// the chosen views; "Open in the playground" asks for the full page.
func TestEmbedBar(t *testing.T) {
	s, sc := newScreen(t, "data=8gaussians&prior=mixture&embed=1&views=latent,loss")
	sc.Resize(640, 420, 1)
	t0 := runFrames(sc, 3, ui.Input{X: 2, Y: 2}, time.Unix(0, 0))
	if !sc.Embed() || !sc.L.Controls.Empty() || len(sc.ShownControls()) != 0 {
		t.Fatalf("embed %v, column %v, controls %q", sc.Embed(), sc.L.Controls, sc.ShownControls())
	}
	var ids []string
	for id := range sc.TopButtons() {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"open", "play", "reset", "step"}) {
		t.Fatalf("embed bar buttons %q", ids)
	}
	for id, r := range sc.TopButtons() {
		if !r.In(sc.L.Top) {
			t.Errorf("button %s at %v outside the bar %v", id, r, sc.L.Top)
		}
	}
	if sc.L.Latent.Empty() || sc.L.Loss.Empty() || sc.L.Latent.Overlaps(sc.L.Loss) {
		t.Fatalf("latent %v, loss %v", sc.L.Latent, sc.L.Loss)
	}
	t0 = click(sc, "step", t0)
	if s.Steps() != 1 {
		t.Fatalf("steps %d after Step", s.Steps())
	}
	t0 = click(sc, "play", t0)
	t0 = runFrames(sc, 20, ui.Input{X: 2, Y: 2}, t0)
	if !s.Playing || s.Steps() < 2 {
		t.Fatalf("playing %v, steps %d", s.Playing, s.Steps())
	}
	t0 = click(sc, "open", t0)
	if !slices.Contains(sc.Requests, OpenPlayground) {
		t.Fatalf("requests %v", sc.Requests)
	}
	sc.Requests = sc.Requests[:0]
	if h := s.PlaygroundHash(); strings.Contains(h, "embed") || strings.Contains(h, "views") || !strings.Contains(h, "prior=mixture") {
		t.Errorf("playground link %q", h)
	}
	runFrames(sc, 10, ui.Input{X: 2, Y: 2}, t0)
	shot(t, sc, "embed.png")
}

// SetShown (a lesson's step) changes the views and controls at once; nil
// gives the full screen back; unknown names are reported, known ones kept.
func TestSetShown(t *testing.T) {
	_, sc := newScreen(t, "")
	t0 := runFrames(sc, 2, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	if err := sc.SetShown([]string{"data", "kl"}, []string{"beta", "warmup"}); err != nil {
		t.Fatal(err)
	}
	t0 = runFrames(sc, 2, ui.Input{X: 2, Y: 790}, t0)
	if sc.L.Data.Empty() || sc.L.KL.Empty() || !sc.L.Latent.Empty() || !sc.L.Loss.Empty() {
		t.Fatalf("layout %+v", sc.L)
	}
	if got := sc.ShownControls(); !slices.Equal(got, []string{"beta", "warmup"}) {
		t.Errorf("controls %q", got)
	}
	if !varied(sc.Frame, sc.L.KL) || !varied(sc.Frame, sc.L.Data) {
		t.Error("a shown panel is blank")
	}
	err := sc.SetShown([]string{"latent", "nope"}, []string{"tool", "bogus"})
	if err == nil || !strings.Contains(err.Error(), "nope") || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("error %v", err)
	}
	t0 = runFrames(sc, 2, ui.Input{X: 2, Y: 790}, t0)
	if got := sc.ShownControls(); !slices.Equal(got, []string{"tool"}) {
		t.Errorf("controls %q, want the data view's tool", got)
	}
	if err := sc.SetShown(nil, nil); err != nil {
		t.Fatal(err)
	}
	runFrames(sc, 2, ui.Input{X: 2, Y: 790}, t0)
	if sc.L != scene.NewLayout(1280, 800, 1) {
		t.Error("SetShown(nil, nil) did not give the full layout back")
	}
	if len(sc.ShownControls()) < 15 {
		t.Errorf("only %d controls after SetShown(nil, nil)", len(sc.ShownControls()))
	}
}

// The flow lab's panels by name: views=target,score shows those two.
func TestShownLabViews(t *testing.T) {
	_, sc := newScreen(t, "mode=flowlab&views=target,score&embed=1")
	t0 := runFrames(sc, 3, ui.Input{X: 2, Y: 2}, time.Unix(0, 0))
	if got := sc.ShownViews(); !slices.Equal(got, []string{"target", "score"}) {
		t.Fatalf("views %q", got)
	}
	t0 = click(sc, "play", t0)
	runFrames(sc, 40, ui.Input{X: 2, Y: 2}, t0)
	shot(t, sc, "embed-lab.png")
	// The left half holds the target, drawn; nothing is drawn in the
	// bottom third, where the stages would be.
	m := sc.L.Main
	if !varied(sc.Frame, image.Rect(m.Min.X, m.Min.Y, m.Min.X+m.Dx()/2, m.Max.Y)) {
		t.Error("the target is not drawn")
	}
}

// The layout of any choice of panels keeps them apart, inside the window
// and clear of the bar, the column and the status line.
func TestShownLayoutProperties(t *testing.T) {
	names := []string{"data", "latent", "loss", "kl", "flow"}
	for mask := 1; mask < 1<<len(names); mask++ {
		var views []string
		for i, n := range names {
			if mask&(1<<i) != 0 {
				views = append(views, n)
			}
		}
		for _, size := range [][2]int{{1280, 800}, {480, 360}, {400, 700}, {900, 300}} {
			for _, column := range []bool{false, true} {
				l := scene.ShownLayout(size[0], size[1], 1, views, column)
				rects := map[string]image.Rectangle{"data": l.Data, "latent": l.Latent, "loss": l.Loss, "kl": l.KL, "flow": l.Flow}
				for _, n := range names {
					r := rects[n]
					if slices.Contains(views, n) != !r.Empty() {
						t.Errorf("%v %v column %v: %s at %v", views, size, column, n, r)
						continue
					}
					if r.Empty() {
						continue
					}
					if !r.In(l.Window) || r.Overlaps(l.Top) || r.Overlaps(l.Status) || r.Overlaps(l.Controls) || r.Dx() < 40 || r.Dy() < 40 {
						t.Errorf("%v %v column %v: %s at %v (window %v)", views, size, column, n, r, l.Window)
					}
					for _, m := range names {
						if m != n && r.Overlaps(rects[m]) {
							t.Errorf("%v %v: %s and %s overlap", views, size, n, m)
						}
					}
				}
				if column != !l.Controls.Empty() {
					t.Errorf("column %v: %v", column, l.Controls)
				}
			}
		}
	}
}

// An image set's panels by their names: the inputs and samples (images)
// and the manifold with the pad (manifold) fill the window between them.
func TestShownImageViews(t *testing.T) {
	s, sc := newScreen(t, "data=shapes&d.n=500&views=images,manifold&controls=beta")
	t0 := runFrames(sc, 3, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	s.Play()
	runFrames(sc, 20, ui.Input{X: 2, Y: 790}, t0)
	if got := sc.ShownViews(); !slices.Equal(got, []string{"data", "flow"}) {
		t.Fatalf("views %q", got)
	}
	l := sc.L
	if l.Data.Empty() || l.Flow.Empty() || !l.Latent.Empty() || !l.Loss.Empty() {
		t.Fatalf("layout %+v", l)
	}
	if !varied(sc.Frame, l.Data) || !varied(sc.Frame, l.Flow) {
		t.Error("a shown panel is blank")
	}
	shot(t, sc, "shown-images.png")
}
