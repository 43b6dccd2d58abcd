package playground

import (
	"image"
	"testing"
	"time"

	"github.com/vaeplayground/vae/ui"
)

// sameRect reports whether a and b hold the same pixels over r.
func sameRect(a, b *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				return false
			}
		}
	}
	return true
}

// A phone draws no panel its sheet has scrolled out of sight (or the open
// controls cover) while training, and draws it, as it is now, once it
// shows: the charts below the fold after a swipe down, the latent view
// after the controls close. "As it is now" is what a full redraw of the
// same state shows.
func TestPhoneDrawsPanelsOnceTheyShow(t *testing.T) {
	s, sc := newScreen(t, "data=8gaussians&interp=off")
	sc.Resize(390*3, 844*3, 3)
	away := ui.Input{X: -1, Y: -1}
	t0 := runFrames(sc, 2, away, time.Unix(0, 0))
	loss := sc.sheet.l.Loss
	if sc.f.Shown(loss) {
		t.Fatalf("the loss chart %v shows at first on a phone upright (view %v)", loss, sc.L.View)
	}
	s.Play()
	t0 = runFrames(sc, 40, away, t0)
	if s.Steps() == 0 {
		t.Fatal("no training")
	}
	blank := image.NewRGBA(sc.sheet.img.Bounds())
	for i := 0; i < len(blank.Pix); i += 4 {
		c := sc.th.Background
		blank.Pix[i], blank.Pix[i+1], blank.Pix[i+2], blank.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	if !sameRect(sc.sheet.img, blank, loss) {
		t.Fatal("the loss chart was drawn out of sight")
	}
	s.Pause()
	t0 = runFrames(sc, 1, away, t0)

	// Swipe down until the loss chart shows whole.
	v := sc.L.View
	mid := ui.Input{X: (v.Min.X + v.Max.X) / 2, Y: (v.Min.Y + v.Max.Y) / 2}
	swipe := mid
	swipe.Wheel = -1
	for range 100 {
		if off, _ := sc.SheetScroll(); loss.Add(sc.f.Offset).In(v) || off >= loss.Max.Y {
			break
		}
		t0 = runFrames(sc, 1, swipe, t0)
	}
	t0 = runFrames(sc, 2, mid, t0)
	shown := loss.Add(sc.f.Offset).Intersect(v)
	if shown.Empty() {
		t.Fatalf("the loss chart %v does not show after swiping (scroll %v)", loss, sc.f.Offset)
	}
	scrolled := image.NewRGBA(sc.Frame.Bounds())
	copy(scrolled.Pix, sc.Frame.Pix)
	if sameRect(scrolled, blank, shown) {
		t.Fatal("the loss chart is blank once scrolled into sight")
	}
	sc.f.Full = true
	t0 = runFrames(sc, 2, mid, t0)
	if !sameRect(scrolled, sc.Frame, shown) {
		t.Fatal("the loss chart scrolled into sight differs from a full redraw of the same state")
	}

	// The controls cover the views upright: the latent view, scrolled
	// back into sight, trains unseen behind them, then shows as it is.
	for range 200 {
		if off, _ := sc.SheetScroll(); off == 0 {
			break
		}
		swipe.Wheel = 1
		t0 = runFrames(sc, 1, swipe, t0)
	}
	t0 = click(sc, "controls", t0)
	if !sc.ControlsShown() || sc.f.Shown(sc.sheet.l.Latent) {
		t.Fatalf("controls open %v, latent view shown under them %v", sc.ControlsShown(), sc.f.Shown(sc.sheet.l.Latent))
	}
	latent := sc.sheet.l.Latent
	before := image.NewRGBA(sc.sheet.img.Bounds())
	copy(before.Pix, sc.sheet.img.Pix)
	s.Play()
	steps := s.Steps()
	t0 = runFrames(sc, 30, away, t0)
	if s.Steps() == steps {
		t.Fatal("no training under the controls")
	}
	if !sameRect(sc.sheet.img, before, latent) {
		t.Fatal("the latent view was drawn under the controls")
	}
	s.Pause()
	t0 = click(sc, "controls", t0)
	t0 = runFrames(sc, 2, away, t0)
	if sc.ControlsShown() {
		t.Fatal("the controls did not close")
	}
	if sameRect(sc.sheet.img, before, latent) {
		t.Fatal("the latent view shows as it was before training under the controls")
	}
	// The same state drawn again (marks set anew redraw the views from
	// what they hold, paused: nothing is recomputed).
	back := image.NewRGBA(sc.sheet.img.Bounds())
	copy(back.Pix, sc.sheet.img.Pix)
	sc.vae().SetMarks(nil)
	runFrames(sc, 1, away, t0)
	if !sameRect(back, sc.sheet.img, latent) {
		t.Fatal("the latent view after the controls closed differs from a redraw of the same state")
	}
	// And the screen shows it.
	for y := latent.Min.Y; y < latent.Max.Y; y++ {
		for x := latent.Min.X; x < latent.Max.X; x++ {
			if p := image.Pt(x, y).Add(sc.f.Offset); p.In(v) && sc.Frame.RGBAAt(p.X, p.Y) != sc.sheet.img.RGBAAt(x, y) {
				t.Fatalf("the screen at %v does not show the latent view's sheet", p)
			}
		}
	}
}

// The views keep their dots over the static part in a cache while the
// dots stand still (paused, a moving marker redraws the views at 30 Hz):
// the cached views are the very pixels the views drawn afresh show, and
// after a step the dots move, in the cache too.
func TestCachedDotsFollowTheCodes(t *testing.T) {
	s, sc := newScreen(t, "data=8gaussians&interp=off")
	away := ui.Input{X: -1, Y: -1}
	t0 := runFrames(sc, 3, away, time.Unix(0, 0))
	data, latent := sc.ViewRects()
	views := []image.Rectangle{data, latent}
	capture := func() *image.RGBA {
		img := image.NewRGBA(sc.Frame.Bounds())
		copy(img.Pix, sc.Frame.Pix)
		return img
	}
	redraw := func() *image.RGBA { // the views drawn again from what they hold
		sc.vae().SetMarks(nil)
		t0 = runFrames(sc, 1, away, t0)
		return capture()
	}
	before := redraw()
	redraw()
	redraw() // from the cache
	s.Step()
	t0 = runFrames(sc, 2, away, t0)
	if s.Steps() != 1 {
		t.Fatalf("%d steps after one", s.Steps())
	}
	fresh := capture()                                                  // drawn afresh: the codes changed
	for _, again := range []*image.RGBA{redraw(), redraw(), redraw()} { // drawn, the cache made, then copied
		for i, r := range views {
			if sameRect(before, fresh, r) {
				t.Fatalf("view %d did not change after a step", i)
			}
			if !sameRect(fresh, again, r) {
				t.Fatalf("view %d redrawn from its cache differs from the view drawn afresh", i)
			}
		}
	}
}
