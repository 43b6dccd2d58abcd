package playground

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
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// newLabScreen opens the lab with the settings in hash (mode=flowlab added).
func newLabScreen(t testing.TB, hash string) (*session.Session, *Screen) {
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

// runUntilIdle drives frames until the views show the fit's current
// parameters at full resolution.
func runUntilIdle(t testing.TB, sc *Screen, t0 time.Time) time.Time {
	for range 2000 {
		t0 = runFrames(sc, 1, labIdle, t0)
		if v := &sc.lab.v; v.settled() && v.snapStep == sc.lab.steps() && v.snapFine {
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
// keys and from the top bar, and leave the VAE alone.
func TestLabTransport(t *testing.T) {
	s, sc := newLabScreen(t, "target=u2&lK=4")
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	l := sc.lab
	start := slices.Clone(params(l.fit))
	vaeSteps := s.Steps()
	frame := func(keys ...string) {
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(labIdle, keys, t0)
	}
	frame(KeySpace)
	if !l.playing {
		t.Fatal("space did not start the fit")
	}
	t0 = runFrames(sc, 5, labIdle, t0)
	if l.steps() == 0 {
		t.Fatal("no steps after 5 playing frames")
	}
	frame(KeySpace)
	n := l.steps()
	frame(KeyStep)
	frame()
	if l.playing || l.steps() != n+1 {
		t.Fatalf("after space, '.': playing %v, steps %d → %d", l.playing, n, l.steps())
	}
	// The top bar's Play button (right of Reset) plays the lab.
	play := image.Pt(sc.L.Top.Min.X+sc.px(12+140+64+6+38), (sc.L.Top.Min.Y+sc.L.Top.Max.Y)/2)
	t0 = t0.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: play.X, Y: play.Y, Pressed: true, Down: true}, nil, t0)
	t0 = t0.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: play.X, Y: play.Y, Released: true}, nil, t0)
	if !l.playing {
		t.Fatal("the top bar's Play did not start the fit")
	}
	if s.Playing || s.Steps() != vaeSteps {
		t.Fatalf("the VAE moved: playing %v, steps %d → %d", s.Playing, vaeSteps, s.Steps())
	}
	// Reset while playing goes on playing; paused, the same seed starts
	// from the same parameters.
	old := l.fit
	frame(KeyReset)
	if !sc.lab.playing || sc.lab.fit == old {
		t.Fatalf("reset while playing: playing %v, new fit %v", sc.lab.playing, sc.lab.fit != old)
	}
	frame(KeySpace)
	frame(KeyReset)
	if sc.lab.steps() != 0 || !slices.Equal(params(sc.lab.fit), start) || sc.lab.playing {
		t.Fatalf("reset: steps %d, same start %v, playing %v", sc.lab.steps(), slices.Equal(params(sc.lab.fit), start), sc.lab.playing)
	}
	// The learning rate is live; K starts a new fit.
	fit := sc.lab.fit
	if err := s.SetValue("llr", 0.02); err != nil {
		t.Fatal(err)
	}
	frame()
	if sc.lab.fit != fit || optimizer(fit).LR != 0.02 {
		t.Fatalf("learning rate: same fit %v, Adam's rate %v", sc.lab.fit == fit, optimizer(fit).LR)
	}
	if err := s.SetValue("lK", 16); err != nil {
		t.Fatal(err)
	}
	frame()
	if sc.lab.fit == fit || sc.lab.fit.NumLayers() != 16 {
		t.Fatal("K = 16 did not start a new fit of 16 layers")
	}
	// Back in the VAE mode the keys are the VAE's again.
	if err := s.SetValue("mode", 0); err != nil {
		t.Fatal(err)
	}
	frame()
	sc.lab.playing = false
	frame(KeyStep)
	if s.Steps() != vaeSteps+1 {
		t.Fatalf("'.' in the VAE mode: steps %d → %d", vaeSteps, s.Steps())
	}
}

// Painting: the brush writes a density the engine accepts, a release
// refits on it, clear leaves no target and says so, and painting over
// another target makes the painting the target.
func TestLabPainting(t *testing.T) {
	s, sc := newLabScreen(t, "target=u1&lK=4&anneal=off")
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	lay := newLabLayout(image.Rect(sc.L.Controls.Max.X, sc.L.Top.Max.Y, sc.L.Window.Max.X, sc.L.Status.Min.Y), sc.px)
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
	if sc.lab.err != "" || sc.lab.fit == nil {
		t.Fatalf("the default painting did not fit: %s", sc.lab.err)
	}
	c := lay.clearButton.Min.Add(image.Pt(4, 4))
	press(ui.Input{X: c.X, Y: c.Y})
	release(ui.Input{X: c.X, Y: c.Y})
	t0 = runFrames(sc, 3, labIdle, t0)
	if sc.lab.painted() || sc.lab.fit != nil || sc.lab.err == "" {
		t.Fatalf("after clear: painted %v, fit %v, message %q", sc.lab.painted(), sc.lab.fit != nil, sc.lab.err)
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
	l := sc.lab
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
		sc.QueueKey(KeySpace)
		t0 = runFrames(sc, 20, labIdle, t0)
		sc.QueueKey(KeySpace)
		runUntilIdle(t, sc, t0)
		l := sc.lab
		if l.err != "" || l.steps() == 0 {
			t.Errorf("%s: steps %d, error %q", hash, l.steps(), l.err)
			continue
		}
		if math.IsNaN(l.score.Last()) || math.IsInf(l.score.Last(), 0) {
			t.Errorf("%s: score %v", hash, l.score.Last())
		}
		lay := newLabLayout(image.Rect(sc.L.Controls.Max.X, sc.L.Top.Max.Y, sc.L.Window.Max.X, sc.L.Status.Min.Y), sc.px)
		for name, r := range map[string]image.Rectangle{"target": lay.target, "model": lay.model, "samples": lay.samples,
			"stages": lay.stages, "loss": lay.loss, "score": lay.score} {
			if v := variance(sc.Frame.SubImage(r).(*image.RGBA)); v < 50 {
				t.Errorf("%s: %s panel blank (variance %.1f)", hash, name, v)
			}
		}
		savePNG(t, sc, "lab-"+strings.NewReplacer("&", "_", "=", "-").Replace(hash))
	}
}

// The help overlay explains the mode it is opened in.
func TestLabHelp(t *testing.T) {
	_, sc := newLabScreen(t, "")
	t0 := runFrames(sc, 1, labIdle, time.Unix(0, 0))
	sc.Update(labIdle, []string{KeyHelp}, t0.Add(16*time.Millisecond))
	if !sc.Help() {
		t.Fatal("'?' did not open the help")
	}
	if dir := os.Getenv("PLAYGROUND_SHOTS"); dir != "" {
		f, err := os.Create(filepath.Join(dir, "lab-help.png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		png.Encode(f, sc.Overlay)
	}
}

// A lab panel's title too long for a narrow window takes its short form
// or an ellipsis and leaves the panel's right margin clear (titles ran to
// the edge, cut mid-word, at 700 px).
func TestLabPanelTitlesFitNarrowPanels(t *testing.T) {
	s, err := session.New("mode=flowlab", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 700, 450, 1)
	r := image.Rect(200, 100, 330, 200)
	sc.labPanel(r, "Layer by layer (sampling direction): the density and a grid after each stage", "Layer by layer")
	margin := image.Rect(r.Max.X-sc.px(10), r.Min.Y, r.Max.X, r.Min.Y+sc.px(28))
	for y := margin.Min.Y; y < margin.Max.Y; y++ {
		for x := margin.Min.X; x < margin.Max.X; x++ {
			if c := sc.Frame.RGBAAt(x, y); c != sc.th.Panel {
				t.Fatalf("title drawn into the right margin at (%d, %d)", x, y)
			}
		}
	}
}
