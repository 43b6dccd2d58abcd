package flowlab

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/playground/scene/scenetest"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// host runs the lab alone, as the screen would (see scenetest).
type host struct {
	*Lab
	*scenetest.Host
}

func (h *host) Update(in ui.Input, keys []string, now time.Time) { h.Host.Update(in, keys, now) }

// QueueKey hands k to the lab at once (the screen would at the next frame).
func (h *host) QueueKey(k string) { h.Lab.Key(h.F, k, ui.Input{}) }

func runFrames(h *host, n int, in ui.Input, t0 time.Time) time.Time {
	return scenetest.RunFrames(h.Host, n, in, t0)
}

var variance = scenetest.Variance

// newLabScreen opens the lab with the settings in hash (mode=flowlab added).
func newLabScreen(t testing.TB, hash string) (*session.Session, *host) {
	t.Helper()
	if hash != "" {
		hash = "&" + hash
	}
	s, err := session.New("mode=flowlab"+hash, session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Notes) > 0 {
		t.Fatalf("%s: %v", hash, s.Notes)
	}
	t.Cleanup(s.Close)
	lab := New(s)
	return s, &host{Lab: lab, Host: scenetest.New(s, lab, 1280, 800, 1)}
}

// labIdle is a pointer resting on the status bar, away from every panel.
var labIdle = ui.Input{X: 5, Y: 790}

func savePNG(t testing.TB, sc *host, name string) {
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

// runUntilIdle drives frames until the views show the fit's current
// parameters at full resolution.
func runUntilIdle(t testing.TB, sc *host, t0 time.Time) time.Time {
	for range 2000 {
		t0 = runFrames(sc, 1, labIdle, t0)
		if v := &sc.Lab.v; v.settled() && v.snapStep == sc.Lab.steps() && v.snapFine {
			return t0
		}
	}
	t.Fatal("the lab's views never finished")
	return t0
}

// The lab fits: on u1 the batch loss falls over a few hundred steps and the
// KL estimate agrees with the engine's, for both kinds of layer.
func TestLabFitsU1(t *testing.T) {
	for _, kind := range core.FlowNames() {
		t.Run(kind, func(t *testing.T) { testLabFitsU1(t, kind) })
	}
}

func testLabFitsU1(t *testing.T, kind string) {
	s, sc := newLabScreen(t, "target=u1&lK=8&anneal=off&lflow="+kind)
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	l := sc.Lab
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
	kl := l.score.Last()
	want := l.twin.(*core.EnergyFitter).EstimateKL(labKLSamplesFine, labKLSeed).KL
	if math.IsNaN(kl) || math.Abs(kl-want) > 1e-4 {
		t.Errorf("the lab's KL %.6f, the engine's %.6f", kl, want)
	}
	if s.Playing {
		t.Error("the VAE plays while the lab is shown")
	}
	savePNG(t, sc, "lab-u1-"+kind)
	_ = t0
}

// Play, pause, one step and reset act on the lab in its mode, from the
// keys, and leave the VAE alone.
func TestLabTransport(t *testing.T) {
	s, sc := newLabScreen(t, "target=u2&lK=4")
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	l := sc.Lab
	start := slices.Clone(params(l.fit))
	vaeSteps := s.Steps()
	frame := func(keys ...string) {
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(labIdle, keys, t0)
	}
	frame(scene.KeySpace)
	if !l.playing {
		t.Fatal("space did not start the fit")
	}
	t0 = runFrames(sc, 5, labIdle, t0)
	if l.steps() == 0 {
		t.Fatal("no steps after 5 playing frames")
	}
	frame(scene.KeySpace)
	n := l.steps()
	frame(scene.KeyStep)
	frame()
	if l.playing || l.steps() != n+1 {
		t.Fatalf("after space, '.': playing %v, steps %d → %d", l.playing, n, l.steps())
	}
	// (The top bar's Play button is the screen's: tested with it.)
	frame(scene.KeySpace)
	if !l.playing {
		t.Fatal("space did not start the fit")
	}
	if s.Playing || s.Steps() != vaeSteps {
		t.Fatalf("the VAE moved: playing %v, steps %d → %d", s.Playing, vaeSteps, s.Steps())
	}
	// Reset while playing goes on playing; paused, the same seed starts
	// from the same parameters.
	old := l.fit
	frame(scene.KeyReset)
	if !sc.Lab.playing || sc.Lab.fit == old {
		t.Fatalf("reset while playing: playing %v, new fit %v", sc.Lab.playing, sc.Lab.fit != old)
	}
	frame(scene.KeySpace)
	frame(scene.KeyReset)
	if sc.Lab.steps() != 0 || !slices.Equal(params(sc.Lab.fit), start) || sc.Lab.playing {
		t.Fatalf("reset: steps %d, same start %v, playing %v", sc.Lab.steps(), slices.Equal(params(sc.Lab.fit), start), sc.Lab.playing)
	}
	// The learning rate is live; K starts a new fit.
	fit := sc.Lab.fit
	if err := s.SetValue("llr", 0.02); err != nil {
		t.Fatal(err)
	}
	frame()
	if sc.Lab.fit != fit || optimizer(fit).LR != 0.02 {
		t.Fatalf("learning rate: same fit %v, Adam's rate %v", sc.Lab.fit == fit, optimizer(fit).LR)
	}
	if err := s.SetValue("lK", 16); err != nil {
		t.Fatal(err)
	}
	frame()
	if sc.Lab.fit == fit || sc.Lab.fit.NumLayers() != 16 {
		t.Fatal("K = 16 did not start a new fit of 16 layers")
	}
}

// Painting: the brush writes a density the engine accepts, a release
// refits on it, clear leaves no target and says so, and painting over
// another target makes the painting the target.
func TestLabPainting(t *testing.T) {
	s, sc := newLabScreen(t, "target=u1&lK=4&anneal=off")
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	lay := newLabLayout(sc.L.Main, sc.F.Scale, nil)
	vp := labViewport(lay)
	at := func(x, y float64) ui.Input {
		px, py := vp.ToPixel(renderPoint(x, y))
		return ui.Input{X: int(px), Y: int(py)}
	}
	press := func(in ui.Input) {
		in.Pressed, in.Down = true, true
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(in, nil, t0)
	}
	drag := func(in ui.Input) { in.Down = true; t0 = t0.Add(16 * time.Millisecond); sc.Update(in, nil, t0) }
	release := func(in ui.Input) { in.Released = true; t0 = t0.Add(16 * time.Millisecond); sc.Update(in, nil, t0) }

	// Clear first (the button shows for the painted target).
	if err := s.Set("target", session.PaintedTarget); err != nil {
		t.Fatal(err)
	}
	t0 = runFrames(sc, 1, labIdle, t0)
	if sc.Lab.err != "" || sc.Lab.fit == nil {
		t.Fatalf("the default painting did not fit: %s", sc.Lab.err)
	}
	c := lay.clearButton.Min.Add(image.Pt(4, 4))
	press(ui.Input{X: c.X, Y: c.Y})
	release(ui.Input{X: c.X, Y: c.Y})
	t0 = runFrames(sc, 3, labIdle, t0)
	if sc.Lab.painted() || sc.Lab.fit != nil || sc.Lab.err == "" {
		t.Fatalf("after clear: painted %v, fit %v, message %q", sc.Lab.painted(), sc.Lab.fit != nil, sc.Lab.err)
	}
	savePNG(t, sc, "lab-cleared")

	// Back to u1, then a stroke from (−2, 2) to (2, 2): the target
	// becomes the painting and the release refits on it.
	if err := s.Set("target", "u1"); err != nil {
		t.Fatal(err)
	}
	t0 = runFrames(sc, 1, labIdle, t0)
	press(at(-2, 2))
	if s.Values.Choice("target") != session.PaintedTarget {
		t.Fatalf("painting did not make the painting the target (%s)", s.Values.Choice("target"))
	}
	for x := -2.0; x <= 2; x += 0.25 {
		drag(at(x, 2))
	}
	release(at(2, 2))
	t0 = runFrames(sc, 2, labIdle, t0)
	l := sc.Lab
	if l.err != "" || l.fit == nil || l.energy == nil {
		t.Fatalf("no fit on the painting: %q", l.err)
	}
	grad := make([]float64, 2)
	on := l.energy.Energy([]float64{0, 2}, grad)
	off := l.energy.Energy([]float64{0, -3}, nil)
	if !(on < off-3) || math.IsNaN(grad[0]) || math.IsNaN(grad[1]) {
		t.Errorf("painted energy %.2f on the stroke, %.2f away from it (gradient %v)", on, off, grad)
	}
	// The fit moves towards the stroke.
	for range 300 {
		l.stepOnce()
	}
	t0 = runUntilIdle(t, sc, t0)
	mean := 0.0
	for _, p := range l.v.samples {
		mean += p.Y / float64(len(l.v.samples))
	}
	if !(mean > 1) {
		t.Errorf("samples' mean height %.2f after 300 steps, the stroke is at 2", mean)
	}
	savePNG(t, sc, "lab-painted")
}

func renderPoint(x, y float64) render.Point { return render.Point{X: x, Y: y} }

// On a touch screen the painting's clear and face buttons are a finger's
// height, and a tap low on each, where the mouse's buttons end, acts.
func TestLabButtonsTakeAFingerOnTouch(t *testing.T) {
	_, sc := newLabScreen(t, "target=painted&lK=2")
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	small := labLayoutFor(sc.F)
	sc.F.Layout.Touch = true
	lay := labLayoutFor(sc.F)
	tap := func(r, mouse image.Rectangle) {
		t.Helper()
		if r.Dy() < sc.Px(ui.MinTouchTarget) || r.Min != mouse.Min {
			t.Fatalf("a button at %v on touch, %v with a mouse", r, mouse)
		}
		p := image.Pt((r.Min.X+r.Max.X)/2, r.Max.Y-sc.Px(4))
		if p.In(mouse) {
			t.Fatalf("the tap at %v is on the mouse's button %v too", p, mouse)
		}
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(ui.Input{X: p.X, Y: p.Y, Touch: true, Pressed: true, Down: true}, nil, t0)
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(ui.Input{X: p.X, Y: p.Y, Touch: true, Released: true}, nil, t0)
		t0 = runFrames(sc, 1, labIdle, t0)
	}
	if !sc.Lab.painted() {
		t.Fatal("no face to clear")
	}
	tap(lay.clearButton, small.clearButton)
	if sc.Lab.painted() {
		t.Fatal("a tap on clear left the painting")
	}
	tap(lay.faceButton, small.faceButton)
	if !sc.Lab.painted() {
		t.Fatal("a tap on face did not bring the face back")
	}
}

// A stroke that a slow frame took whole, its release included, paints
// along its path: an L inks its corner, not the diagonal between its ends.
func TestLabPaintingFollowsAStrokeWithinOneFrame(t *testing.T) {
	s, sc := newLabScreen(t, "target=u1&lK=4&anneal=off")
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	vp := labViewport(newLabLayout(sc.L.Main, sc.F.Scale, nil))
	px := func(x, y float64) image.Point {
		qx, qy := vp.ToPixel(renderPoint(x, y))
		return image.Pt(int(qx), int(qy))
	}
	ink := func(x, y float64) float64 {
		h := 2 * core.EnergyBox / paintN
		return sc.Lab.paint[int((y+core.EnergyBox)/h)*paintN+int((x+core.EnergyBox)/h)]
	}
	start, end := px(-2, 2), px(2, -2)
	t0 = t0.Add(500 * time.Millisecond)
	sc.Update(ui.Input{X: start.X, Y: start.Y, Pressed: true, Down: true}, nil, t0)
	if s.Values.Choice("target") != session.PaintedTarget {
		t.Fatalf("the press did not start a painting (%s)", s.Values.Choice("target"))
	}
	t0 = t0.Add(500 * time.Millisecond)
	sc.Update(ui.Input{X: end.X, Y: end.Y, Released: true, Path: []image.Point{px(0, 2), px(2, 2), px(2, 0)}}, nil, t0)
	if ink(0, 2) < 0.3 || ink(2, 2) < 0.3 || ink(2, 0) < 0.3 || ink(2, -1.8) < 0.3 {
		t.Fatalf("the L's ink: top %.2f, corner %.2f, side %.2f, end %.2f", ink(0, 2), ink(2, 2), ink(2, 0), ink(2, -1.8))
	}
	if c := ink(0, 0); c > 0.01 {
		t.Fatalf("ink %.2f on the diagonal between the ends", c)
	}
	if sc.Lab.painting {
		t.Fatal("still painting after the release")
	}
	runFrames(sc, 2, labIdle, t0)
	if sc.Lab.fit == nil {
		t.Fatalf("no refit on the painting: %q", sc.Lab.err)
	}
}

// Every target with both kinds draws: no panic, no blank panel, a score
// (PLAYGROUND_SHOTS=dir keeps the pictures).
func TestLabConfigurations(t *testing.T) {
	var hashes []string
	for i, target := range session.LabTargets() {
		kinds := core.FlowNames()
		if !session.IsEnergyTarget(target) && target != session.PaintedTarget {
			kinds = kinds[i%len(kinds) : i%len(kinds)+1] // the datasets take turns
		}
		for _, kind := range kinds {
			hashes = append(hashes, "target="+target+"&lflow="+kind)
		}
	}
	hashes = append(hashes, "target=u4&lK=1", "target=moons&lK=64&lbatch=16")
	for _, hash := range hashes {
		_, sc := newLabScreen(t, hash)
		t0 := runFrames(sc, 1, labIdle, time.Unix(0, 0))
		sc.QueueKey(scene.KeySpace)
		t0 = runFrames(sc, 20, labIdle, t0)
		sc.QueueKey(scene.KeySpace)
		runUntilIdle(t, sc, t0)
		l := sc.Lab
		if l.err != "" || l.steps() == 0 {
			t.Errorf("%s: steps %d, error %q", hash, l.steps(), l.err)
			continue
		}
		if math.IsNaN(l.score.Last()) || math.IsInf(l.score.Last(), 0) {
			t.Errorf("%s: score %v", hash, l.score.Last())
		}
		lay := newLabLayout(sc.L.Main, sc.F.Scale, nil)
		for name, r := range map[string]image.Rectangle{"target": lay.target, "model": lay.model, "samples": lay.samples,
			"stages": lay.stages, "loss": lay.loss, "score": lay.score} {
			if v := variance(sc.Frame.SubImage(r).(*image.RGBA)); v < 50 {
				t.Errorf("%s: %s panel blank (variance %.1f)", hash, name, v)
			}
		}
		savePNG(t, sc, "lab-"+strings.NewReplacer("&", "_", "=", "-").Replace(hash))
	}
}
