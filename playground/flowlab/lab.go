package flowlab

import (
	"fmt"
	"image"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// Lab is the flow lab as a scene (mode "flowlab"): it fits a normalizing
// flow to a density the user sees — one of the test energies, a 2-D
// dataset or a painted density — and shows the fit layer by layer while it
// runs, in the screen's main area. It reads its settings (Setting.Lab)
// from the session whenever the session's Version moves, and pauses the
// session's VAE while it is shown: one thing fits at a time.
type Lab struct {
	fitState
	v labViews
	s *session.Session
	f *scene.Frame // the frame being drawn (set by Update and Key)

	// seen is the session's Version the settings were last read at;
	// pending says a new configuration waits (for a held control to be let
	// go, for a stroke to end) or the painting changed.
	seen    int
	pending bool
}

// New makes the lab for session s; its first Update (or Key) starts a fit
// from the settings.
func New(s *session.Session) *Lab {
	return &Lab{fitState: *newFitState(), s: s, seen: -1}
}

// Update runs one frame of the lab in f.Layout.Main.
func (l *Lab) Update(f *scene.Frame, in ui.Input, now time.Time) {
	l.f = f
	l.s.Pause() // one thing fits at a time: the VAE waits while the lab is shown
	l.sync()
	lay := labLayoutFor(f)
	if f.Full { // the frame was cleared: every panel again
		l.v.dirtyTarget, l.v.dirtyModel, l.v.dirtySamples, l.v.dirtyStages, l.v.dirtyCharts = true, true, true, true, true
	}
	if !f.Busy {
		l.input(in, lay)
	}
	l.hints(lay)
	if l.s.Values.Choice("target") == session.PaintedTarget && !lay.target.Empty() {
		f.Control("labClear", lay.clearButton)
		f.Control("labFace", lay.faceButton)
	}
	l.tick(now)
	l.v.steps.Observe(now, l.steps())
	l.refresh(now)
	l.drawLab(lay, now)
}

// sync makes the lab follow the settings when they moved: a new
// configuration starts a new fit, once no control is held (a slider
// applies when released, as rebuild sliders do) and no stroke is being
// painted; the learning rate changes live.
func (l *Lab) sync() {
	s := l.s
	if l.built && s.Version == l.seen && !l.pending {
		return
	}
	l.seen = s.Version
	lr := s.Values.Get("llr")
	c := l.configOf(s.Values)
	busy := l.f != nil && l.f.Hints.Busy() // a control held or a list open
	switch {
	case !l.built || c != l.cfg && !busy && !l.painting:
		l.build(c, lr)
		l.pending = false
		if c.target == session.PaintedTarget && l.err == "" {
			s.Message = "painted target: a new fit"
		}
	case c != l.cfg:
		l.pending = true // once the control is let go
	default:
		l.pending = false
	}
	if o := optimizer(l.fit); o != nil && o.LR != lr {
		l.setLR(lr)
	}
}

// build starts a new fit of configuration c (keeping play/pause) and
// forgets what the views drew of the last one.
func (l *Lab) build(c labConfig, lr float64) {
	l.fitState.build(c, lr)
	l.v.reset()
}

// Key takes the transport keys: play/pause, one step, reset (same seed).
func (l *Lab) Key(f *scene.Frame, k string, _ ui.Input) bool {
	l.f = f
	l.s.Pause()
	l.sync()
	switch k {
	case scene.KeySpace:
		l.toggle()
	case scene.KeyStep:
		l.step()
	case scene.KeyReset:
		l.build(l.cfg, l.s.Values.Get("llr"))
		l.s.Message = "reset: a new fit from the seed"
	default:
		return false
	}
	return true
}

// StepN takes n steps of the fit, paused (tests and the page's hooks), and
// reports whether there was a fit to step (the first frame builds it).
func (l *Lab) StepN(n int) bool {
	l.playing = false
	if l.fit == nil {
		return false
	}
	for range n {
		l.stepOnce()
	}
	return true
}

// Playing reports whether the fit runs.
func (l *Lab) Playing() bool { return l.playing }

// Steps is how many steps the current fit took.
func (l *Lab) Steps() int { return l.steps() }

// Score is the fit's last score and the step it was taken at: the KL
// estimate to an energy target (kl true) or the held-out NLL of a data
// target; ok is false before the first.
func (l *Lab) Score() (score float64, step int, kl, ok bool) {
	if len(l.score.X) == 0 {
		return 0, 0, false, false
	}
	return l.score.Last(), int(l.score.X[len(l.score.X)-1]), l.energy != nil, true
}

// Refreshes counts the view refreshes started (each shows the flow at a
// newer step).
func (l *Lab) Refreshes() int { return l.v.cycles }

// SetBudget sets the fit's time budget of the next frame (it adapts from
// there): benchmarks set it to 0 for one step a frame.
func (l *Lab) SetBudget(d time.Duration) { l.budget.D = d }

// Status is the top bar's line: the fit's step, loss and score.
func (l *Lab) Status(fps float64) []string {
	loss := "—"
	if l.loss.Len() > 0 {
		loss = fmt.Sprintf("%.3f", l.ema)
	}
	score := ""
	if s := l.score.Last(); !math.IsNaN(s) {
		name := "KL"
		if l.energy == nil {
			name = "held-out NLL"
		}
		score = fmt.Sprintf(" · %s %.3f", name, s)
	}
	full := fmt.Sprintf("step %d · loss %s%s · %.0f steps/s · %.0f fps", l.steps(), loss, score, l.v.steps.PerSec, fps)
	short, _, _ := strings.Cut(full, " · ")
	return []string{full, short}
}

// Help is the lab's help text.
func (l *Lab) Help() string { return labHelpText }

// Tools: the lab has no controls besides its settings.
func (l *Lab) Tools(scene.Tools, string) {}

// SaveButtons say what the save buttons save in the lab: the VAE, not the fit.
func (l *Lab) SaveButtons() scene.SaveButtons {
	return scene.SaveButtons{
		Label:     "Save VAE",
		Hint:      "Save the VAE's checkpoint (the flow lab's fit is not saved; Copy link keeps its settings).",
		TorchHint: "Save the VAE as a .safetensors file for PyTorch (the flow lab's fit is not saved).",
	}
}

// labInput paints on the target view and handles its buttons.
func (l *Lab) input(in ui.Input, lay labLayout) {
	s := l.s
	hover := ""
	switch {
	case in.In(lay.clearButton):
		hover = "clear"
	case in.In(lay.faceButton):
		hover = "face"
	}
	if hover != l.v.hoverButton {
		l.v.hoverButton, l.v.dirtyTarget = hover, true
	}
	vp := render.FitViewport(labBox, lay.targetP)
	at := func(q image.Point) render.Point {
		p := vp.ToData(float64(q.X)+0.5, float64(q.Y)+0.5)
		p.X = math.Max(-core.EnergyBox, math.Min(core.EnergyBox, p.X))
		p.Y = math.Max(-core.EnergyBox, math.Min(core.EnergyBox, p.Y))
		return p
	}
	p := at(image.Pt(in.X, in.Y))
	switch {
	case in.Pressed && hover != "" && s.Values.Choice("target") == session.PaintedTarget:
		if hover == "clear" {
			clear(l.paint)
		} else {
			defaultPainting(l.paint)
		}
		l.paintVersion++
		l.pending = true
		l.v.dirtyTarget = true
	case in.Pressed && in.In(lay.targetP):
		if s.Values.Choice("target") != session.PaintedTarget {
			// Painting over another target starts a painting of one's own.
			clear(l.paint)
			_ = s.SetValue("target", float64(slices.Index(session.LabTargets(), session.PaintedTarget)))
			s.Message = "painting: your density is the target (it refits when you let go)"
			l.f.ControlsDirty = true
		}
		l.painting, l.lastDab = true, p
		dab(l.paint, p)
		l.v.dirtyTarget = true
	case l.painting:
		// The frame's whole stroke: a slow frame takes many moves, and
		// the release's frame the last of them.
		for _, q := range in.Drag() {
			if p := at(q); p != l.lastDab {
				stroke(l.paint, l.lastDab, p)
				l.lastDab = p
				l.v.dirtyTarget = true
			}
		}
		if !in.Down {
			l.painting = false
			l.paintVersion++ // a new target: refit
			l.pending = true
		}
	}
}

func (l *Lab) hints(lay labLayout) {
	c := l.f
	c.Hint("lab-clear", lay.clearButton, "Clear the painting (then paint your own).")
	c.Hint("lab-face", lay.faceButton, "Restore the painted face.")
	c.Hint("lab-target", lay.target, "The target density p*. For u1–u4 and a painting, exp(−U) normalised on the box [−4, 4]²; for a dataset, its points. Press and drag here to paint your own density: the flow refits when you let go.")
	c.Hint("lab-model", lay.model, "The flow's density q: N(0, I) pushed through the K layers, on the same colour scale as the target. Coarse while fitting, fine once paused.")
	c.Hint("lab-samples", lay.samples, "Samples of the flow (orange): points drawn from N(0, I) and pushed through every layer, over the target (grey).")
	c.Hint("lab-loss", lay.loss, "The loss of each step. Energies: E_q[log q + β·U] on a batch of the flow's samples (the KL up to log Z; β < 1 while annealing). Data: the batch's negative log-likelihood.")
	c.Hint("lab-score", lay.score, "How good the fit is. Energies: KL(q || p*) in nats from fresh samples, with log Z computed once by quadrature (0 is a perfect fit). Data: the negative log-likelihood of fresh points the fit never saw.")
	c.Hint("lab-stages", lay.stages, "Layer by layer, in the sampling direction: N(0, I) and the density after a few of the layers, with a grid pushed through them; below, log|det J| of the layer that ends each stage (orange expands space, blue contracts it, so density piles up where it is blue).")
}

const labHelpText = `Fit a normalizing flow to a density you can see, and watch it learn layer by layer.

Keys: space play / pause · '.' one step · r reset (same seed) · ? this help (esc closes).

Target: u1–u4 are the test energies of Rezende & Mohamed (2015), fitted by reverse KL from the flow's own samples (annealing flattens them at first); a dataset is fitted by maximum likelihood; 'painted' is the density you paint: press and drag in the target view, let go to refit (clear and face reset the canvas).
Views: the target, the flow's density on the same colour scale, samples pushed through every layer, and the stages: the density and a warped grid after a few of the K layers, with each stage's last log|det J| below. Charts: the loss of each step, and the KL(q || p*) estimate (log Z computed once) or the held-out negative log-likelihood.
Grids are coarse while fitting and fine once paused. Mode 'vae' (top of the controls) goes back to the VAE.`

// labViewport maps the lab's box onto the target's plot (tests and input).
func labViewport(lay labLayout) render.Viewport { return render.FitViewport(labBox, lay.targetP) }
