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

	"github.com/vaeplayground/vae/playground/flowlab"
	"github.com/vaeplayground/vae/playground/scene/scenetest"
	"github.com/vaeplayground/vae/playground/vaeview"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// newScreen opens a 1280×800 screen on a session of the settings in hash.
func newScreen(t *testing.T, hash string) (*session.Session, *Screen) {
	t.Helper()
	s, err := session.New(hash, session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, NewScreen(s, 1280, 800, 1)
}

// runFrames drives a screen for n frames of 16 ms with the pointer at in.
func runFrames(sc *Screen, n int, in ui.Input, t0 time.Time) time.Time {
	for range n {
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(in, nil, t0)
	}
	return t0
}

func TestScreenDrawsAndTrains(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := time.Unix(0, 0)
	t0 = runFrames(sc, 2, ui.Input{X: 600, Y: 300}, t0)
	s.Play()
	t0 = runFrames(sc, 60, ui.Input{X: 600, Y: 300}, t0)
	if s.Steps() == 0 {
		t.Fatal("no training steps after 60 playing frames")
	}
	if dir := os.Getenv("PLAYGROUND_SHOTS"); dir != "" {
		f, err := os.Create(filepath.Join(dir, "screen.png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, sc.Frame); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScreenInteractions(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := time.Unix(0, 0)
	idle := ui.Input{X: 5, Y: 790}
	t0 = runFrames(sc, 3, idle, t0)
	// Keys: space plays, space pauses, '.' steps once, '?' opens help.
	sc.Update(idle, []string{KeySpace}, t0.Add(16*time.Millisecond))
	if !s.Playing {
		t.Fatal("space did not start training")
	}
	sc.Update(idle, []string{KeySpace}, t0.Add(32*time.Millisecond))
	n := s.Steps()
	sc.Update(idle, []string{KeyStep}, t0.Add(48*time.Millisecond))
	if s.Playing || s.Steps() != n+1 {
		t.Fatalf("after space, space, '.': playing %v, steps %d → %d", s.Playing, n, s.Steps())
	}
	sc.Update(idle, []string{KeyHelp}, t0.Add(64*time.Millisecond))
	if !sc.Help() || !sc.OverlayDirty {
		t.Fatal("'?' did not open the help overlay")
	}
	sc.Update(idle, []string{KeyEscape}, t0.Add(80*time.Millisecond))
	if sc.Help() {
		t.Fatal("escape did not close help")
	}
	// A click in an empty corner of the latent view decodes that point.
	_, latent := sc.ViewRects()
	p := image.Pt(latent.Min.X+8, latent.Max.Y-8)
	t1 := t0.Add(100 * time.Millisecond)
	sc.Update(ui.Input{X: p.X, Y: p.Y, Pressed: true, Down: true}, nil, t1)
	sc.Update(ui.Input{X: p.X, Y: p.Y, Released: true}, nil, t1.Add(16*time.Millisecond))
	sc.Update(ui.Input{X: p.X, Y: p.Y}, nil, t1.Add(32*time.Millisecond))
	if sc.Decoded() == nil {
		t.Fatal("click in the latent view decoded nothing")
	}
	first := *sc.Decoded()
	q := image.Pt(latent.Max.X-8, latent.Min.Y+8)
	sc.Update(ui.Input{X: q.X, Y: q.Y, Pressed: true, Down: true}, nil, t1.Add(48*time.Millisecond))
	sc.Update(ui.Input{X: q.X, Y: q.Y, Released: true}, nil, t1.Add(64*time.Millisecond))
	sc.Update(ui.Input{X: q.X, Y: q.Y}, nil, t1.Add(80*time.Millisecond))
	if *sc.Decoded() == first {
		t.Fatal("a click elsewhere decoded the same point")
	}
	// The β slider (a live setting) through the controls column: a press
	// near the right end of its track raises β and training goes on.
	s.StepN(3)
	steps := s.Steps()
	r := sc.ControlRect("beta")
	if r.Empty() {
		t.Fatal("no β control laid out")
	}
	t2 := t1.Add(time.Second)
	at := image.Pt(r.Max.X-4, r.Max.Y-4)
	sc.Update(ui.Input{X: at.X, Y: at.Y, Pressed: true, Down: true}, nil, t2)
	sc.Update(ui.Input{X: at.X, Y: at.Y, Released: true}, nil, t2.Add(16*time.Millisecond))
	if b := s.Values.Get("beta"); b < 9 {
		t.Fatalf("β %v after pressing the end of its track", b)
	}
	h := s.TrainerHyper()
	if h.Beta != s.Values.Get("beta") || s.Steps() != steps {
		t.Fatalf("trainer β %v (want %v), steps %d → %d", h.Beta, s.Values.Get("beta"), steps, s.Steps())
	}
	// A rebuild setting through its dropdown: prior → mixture.
	r = sc.ControlRect("prior")
	t3 := t2.Add(time.Second)
	box := image.Pt(r.Max.X-10, (r.Min.Y+r.Max.Y)/2)
	sc.Update(ui.Input{X: box.X, Y: box.Y, Pressed: true, Down: true}, nil, t3)
	sc.Update(ui.Input{X: box.X, Y: box.Y, Released: true}, nil, t3.Add(16*time.Millisecond))
	row := slices.Index(session.Lookup(s.Values, "prior").Choices, "mixture")
	list := sc.PopupRect()
	if list.Empty() {
		t.Fatal("the prior list did not open")
	}
	item := image.Pt(box.X, list.Min.Y+row*r.Dy()+r.Dy()/2)
	sc.Update(ui.Input{X: item.X, Y: item.Y, Pressed: true, Down: true}, nil, t3.Add(32*time.Millisecond))
	sc.Update(ui.Input{X: item.X, Y: item.Y, Released: true}, nil, t3.Add(48*time.Millisecond))
	if s.Values.Choice("prior") != "mixture" || s.Config.Prior.Kind != "mixture" || s.Steps() != 0 {
		t.Fatalf("after choosing mixture: setting %s, model %s, steps %d", s.Values.Choice("prior"), s.Config.Prior.Kind, s.Steps())
	}
	runFrames(sc, 2, ui.Input{X: 5, Y: 790}, t3.Add(time.Second))
	if len(sc.vae().Components()) != 8 {
		t.Fatalf("%d mixture components drawn, want 8", len(sc.vae().Components()))
	}
}

// Every prior, flow and option draws: no panic, no blank views, training
// moves (PLAYGROUND_SHOTS=dir keeps the pictures).
func TestScreenConfigurations(t *testing.T) {
	for _, hash := range []string{
		"prior=flow&pflowK=8", "prior=flow&pflow=radial&pflowK=4", "prior=mixture&data=8gaussians",
		"flow=planar&flowK=4", "flow=radial&flowK=2", "bayes=on", "latent=5&dimx=2&dimy=4",
		"prior=vamp&comps=10", "prior=two-stage", "prior=gaussian&data=pinwheel", "latent=1", "lik=gaussian-scalar&mmd=5",
	} {
		s, err := session.New(hash, session.Inline)
		if err != nil || len(s.Notes) > 0 {
			t.Fatalf("%s: %v %v", hash, err, s.Notes)
		}
		sc := NewScreen(s, 1280, 800, 1)
		t0 := time.Unix(0, 0)
		s.Play()
		t0 = runFrames(sc, 40, ui.Input{X: 5, Y: 790}, t0)
		s.Pause()
		runFrames(sc, 2, ui.Input{X: 5, Y: 790}, t0)
		if s.Steps() == 0 {
			t.Errorf("%s: no steps", hash)
		}
		for name, r := range map[string]image.Rectangle{"latent": sc.L.Latent, "data": sc.L.Data, "flow": sc.L.Flow} {
			if v := scenetest.Variance(sc.Frame.SubImage(r).(*image.RGBA)); v < 50 {
				t.Errorf("%s: %s view blank (variance %.1f)", hash, name, v)
			}
		}
		if dir := os.Getenv("PLAYGROUND_SHOTS"); dir != "" {
			f, _ := os.Create(filepath.Join(dir, strings.NewReplacer("&", "_", "=", "-").Replace(hash)+".png"))
			png.Encode(f, sc.Frame)
			f.Close()
		}
		s.Close()
	}
}

// Narrow windows: the top bar's buttons and status text do not overlap
// (at 700 px the title pushed the left buttons under the right ones and the
// status text ran under "? Help"), and fitted text stays in its width.
func TestTopBarFitsNarrowWindows(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.StepN(5)
	for _, c := range []struct {
		w, h  int
		scale float64
	}{{640, 400, 1}, {700, 450, 1}, {1024, 768, 1}, {1280, 800, 1}, {1400, 900, 2}} {
		sc := NewScreen(s, c.w, c.h, c.scale)
		runFrames(sc, 2, ui.Input{X: 5, Y: c.h - 5}, time.Unix(0, 0))
		for a, ra := range sc.topRects {
			if !ra.In(sc.L.Top) {
				t.Errorf("%dx%d@%v: %s %v outside the bar %v", c.w, c.h, c.scale, a, ra, sc.L.Top)
			}
			for b, rb := range sc.topRects {
				if a < b && ra.Overlaps(rb) {
					t.Errorf("%dx%d@%v: %s %v overlaps %s %v", c.w, c.h, c.scale, a, ra, b, rb)
				}
			}
		}
		if c.w >= 1024 && sc.topRects["status"].Dx() == 0 {
			t.Errorf("%dx%d: no status text", c.w, c.h)
		}
	}
}

// Escape closes an open dropdown list (it stayed open through escape,
// help and a rebuild).
func TestEscapeClosesAList(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	r := sc.ControlRect("prior")
	box := image.Pt(r.Max.X-10, (r.Min.Y+r.Max.Y)/2)
	sc.Update(ui.Input{X: box.X, Y: box.Y, Pressed: true, Down: true}, nil, t0.Add(16*time.Millisecond))
	sc.Update(ui.Input{X: box.X, Y: box.Y, Released: true}, nil, t0.Add(32*time.Millisecond))
	if sc.PopupRect().Empty() {
		t.Fatal("the prior list did not open")
	}
	sc.Update(ui.Input{X: box.X, Y: box.Y}, []string{KeyEscape}, t0.Add(48*time.Millisecond))
	if !sc.PopupRect().Empty() {
		t.Fatal("escape left the list open")
	}
	if s.Values.Choice("prior") != "standard" {
		t.Fatalf("escape chose %s", s.Values.Choice("prior"))
	}
}

// The draw-class stepper and the caption count classes as the legend does.
func TestDrawnClassesAreNamedAsTheLegend(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	sc.vae().SetTool("draw")
	t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	r := sc.ControlRect("class")
	plus := image.Pt(r.Max.X-r.Dy()/2, (r.Min.Y+r.Max.Y)/2)
	clickAt(sc, plus, t0)
	if sc.vae().DrawClass() != 1 {
		t.Fatalf("class %d after +", sc.vae().DrawClass())
	}
	if err := s.AddPoint(0, 0, sc.vae().DrawClass()); err != nil {
		t.Fatal(err)
	}
	if got := s.Data.LabelNames[s.Data.Label(0)]; got != vaeview.ClassName(sc.vae().DrawClass()) {
		t.Fatalf("legend %q, controls %q", got, vaeview.ClassName(sc.vae().DrawClass()))
	}
}

func clickAt(sc *Screen, p image.Point, t0 time.Time) time.Time {
	sc.Update(ui.Input{X: p.X, Y: p.Y, Pressed: true, Down: true}, nil, t0.Add(16*time.Millisecond))
	sc.Update(ui.Input{X: p.X, Y: p.Y, Released: true}, nil, t0.Add(32*time.Millisecond))
	sc.Update(ui.Input{X: p.X, Y: p.Y}, nil, t0.Add(48*time.Millisecond))
	return t0.Add(48 * time.Millisecond)
}

// Ebitengine may run several Updates before one Draw (frames running
// late): what any of them redrew stays in Dirty, and OverlayDirty stays
// set, until the platform takes them.
func TestDirtyRegionsWaitForTheDraw(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := runFrames(sc, 3, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	sc.Dirty, sc.OverlayDirty = sc.Dirty[:0], false // drawn
	in := ui.Input{X: 100, Y: 200}                  // over the column: it redraws
	sc.Update(in, []string{KeyHelp}, t0.Add(time.Millisecond))
	sc.Update(in, nil, t0.Add(2*time.Millisecond))
	if !slices.Contains(sc.Dirty, sc.L.Controls) {
		t.Fatalf("the column redrawn by the first Update is not in Dirty after the second: %v", sc.Dirty)
	}
	if !sc.OverlayDirty {
		t.Fatal("the help opened by the first Update: OverlayDirty cleared by the second")
	}
}

// In the flow lab the save button says it saves the VAE (not the flow).
func TestLabSaveButtonSaysWhatItSaves(t *testing.T) {
	s, err := session.New("mode=flowlab", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	r := sc.topRects["save"]
	in := ui.Input{X: r.Min.X + 5, Y: r.Min.Y + 5}
	t0 = runFrames(sc, 40, in, t0)
	if tip, _ := sc.topCtx.Tooltip(); !strings.Contains(tip, "flow lab's fit is not saved") {
		t.Fatalf("save button's help in the lab: %q", tip)
	}
}

// Without a flow the flow panel shows the decoder map, and its hover help
// says so (it described flow layers that were not there).
func TestFlowPanelHintMatchesTheView(t *testing.T) {
	for hash, want := range map[string]string{"": "Decoder map", "prior=flow&pflowK=2": "Flow view"} {
		s, err := session.New(hash, session.Inline)
		if err != nil {
			t.Fatal(err)
		}
		sc := NewScreen(s, 1280, 800, 1)
		c := sc.L.Flow.Min.Add(sc.L.Flow.Size().Div(2))
		runFrames(sc, 40, ui.Input{X: c.X, Y: c.Y}, time.Unix(0, 0))
		if tip, _ := sc.ctx.Tooltip(); !strings.HasPrefix(tip, want) {
			t.Errorf("%q: hint %q, want %s…", hash, tip, want)
		}
		s.Close()
	}
}

// A rebuild slider applies on release, and the settings change only then:
// mid-drag the link still holds the old value, and a rebuild that fails
// leaves the old value in place.
func TestRebuildSliderAppliesOnRelease(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := NewScreen(s, 1280, 800, 1)
	t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
	r := sc.ControlRect("width")
	if r.Empty() {
		t.Fatal("no width control")
	}
	y := r.Max.Y - 4
	t0 = t0.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: r.Min.X + 2, Y: y, Pressed: true, Down: true}, nil, t0)
	t0 = t0.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: r.Min.X + r.Dx()/4, Y: y, Down: true}, nil, t0)
	if s.Values.Int("width") != 64 || s.Config.EncoderHidden[0] != 64 || strings.Contains(s.Hash(), "width") {
		t.Fatalf("mid-drag: setting %d, model %v, link %q", s.Values.Int("width"), s.Config.EncoderHidden, s.Hash())
	}
	t0 = t0.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: r.Min.X + r.Dx()/4, Y: y, Released: true}, nil, t0)
	w := s.Values.Int("width")
	if w == 64 || s.Config.EncoderHidden[0] != w {
		t.Fatalf("after release: setting %d, model %v", w, s.Config.EncoderHidden)
	}
}

// The help overlay explains the mode it is opened in.
func TestLabHelp(t *testing.T) {
	_, sc := newScreen(t, "mode=flowlab")
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

// labIdle is a pointer resting on the status bar, away from every panel.
var labIdle = ui.Input{X: 5, Y: 790}

// The top bar's transport is the lab's in its mode and leaves the VAE
// alone; back in the VAE mode the keys are the VAE's again.
func TestLabTransportFromTheTopBar(t *testing.T) {
	s, sc := newScreen(t, "mode=flowlab&target=u2&lK=4")
	t0 := runFrames(sc, 2, labIdle, time.Unix(0, 0))
	l := sc.sceneFor("flowlab").(*flowlab.Lab)
	vaeSteps := s.Steps()
	frame := func(keys ...string) {
		t0 = t0.Add(16 * time.Millisecond)
		sc.Update(labIdle, keys, t0)
	}
	// The top bar's Play button (right of Reset) plays the lab.
	play := sc.TopButtons()["play"].Min.Add(sc.TopButtons()["play"].Size().Div(2))
	t0 = t0.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: play.X, Y: play.Y, Pressed: true, Down: true}, nil, t0)
	t0 = t0.Add(16 * time.Millisecond)
	sc.Update(ui.Input{X: play.X, Y: play.Y, Released: true}, nil, t0)
	if !l.Playing() {
		t.Fatal("the top bar's Play did not start the fit")
	}
	t0 = runFrames(sc, 5, labIdle, t0)
	if l.Steps() == 0 {
		t.Fatal("no steps after 5 playing frames")
	}
	if s.Playing || s.Steps() != vaeSteps {
		t.Fatalf("the VAE moved: playing %v, steps %d → %d", s.Playing, vaeSteps, s.Steps())
	}
	// Back in the VAE mode the keys are the VAE's again.
	if err := s.SetValue("mode", 0); err != nil {
		t.Fatal(err)
	}
	frame()
	frame(KeyStep)
	if s.Steps() != vaeSteps+1 {
		t.Fatalf("'.' in the VAE mode: steps %d → %d", vaeSteps, s.Steps())
	}
}

// "Save for PyTorch" asks the platform to save a safetensors file, under its
// long label in a wide window and its short one in a narrow window, where
// the top bar still fits (TestTopBarFitsNarrowWindows); narrower still, it
// is in the menu (TestTopBarFoldsIntoTheMenu).
func TestSaveForPyTorchButton(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, w := range []int{1280, 960} {
		sc := NewScreen(s, w, 800, 1)
		t0 := runFrames(sc, 2, ui.Input{X: 5, Y: 790}, time.Unix(0, 0))
		r := sc.TopButtons()["torch"] // what vae.state().buttons reports
		if r.Empty() || r != sc.topRects["torch"] || !r.In(sc.L.Top) {
			t.Fatalf("%d px: no Save for PyTorch button (%v in the bar %v)", w, r, sc.L.Top)
		}
		if _, ok := sc.TopButtons()["status"]; ok {
			t.Errorf("%d px: the status text listed as a button", w)
		}
		p := image.Pt(r.Min.X+5, r.Min.Y+5)
		t0 = runFrames(sc, 40, ui.Input{X: p.X, Y: p.Y}, t0)
		if tip, _ := sc.topCtx.Tooltip(); !strings.Contains(tip, ".safetensors file for PyTorch") {
			t.Errorf("%d px: the button's help is %q", w, tip)
		}
		sc.Requests = nil
		sc.Update(ui.Input{X: p.X, Y: p.Y, Pressed: true, Down: true}, nil, t0.Add(16*time.Millisecond))
		sc.Update(ui.Input{X: p.X, Y: p.Y, Released: true}, nil, t0.Add(32*time.Millisecond))
		if !slices.Contains(sc.Requests, SaveSafetensors) || slices.Contains(sc.Requests, SaveCheckpoint) {
			t.Errorf("%d px: a click asked for %v", w, sc.Requests)
		}
	}
}
