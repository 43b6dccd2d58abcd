package flowlab

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"gonum.org/v1/gonum/mat"
)

// The flow lab (mode "flowlab") fits a normalizing flow to a density the
// user sees: one of the test energies, a 2-D dataset or a painted density,
// and shows the fit layer by layer while it runs. It owns the area right of
// the controls; the controls column shows its settings (Setting.Lab).

// Lab fitting constants.
const (
	// labPlannedSteps is the fit's planned length: annealing spans its
	// first half.
	labPlannedSteps = 4000
	// labEnvelope keeps reverse-KL samples inside the box (U2–U4 do not
	// decay along z₁).
	labEnvelope = 100
	// labHeldOut is how many fresh points score a data target.
	labHeldOut = 500
	// paintN is the painted grid's side on [−4, 4]².
	paintN = 64
)

// labBox is the plane the lab shows: where the energies are normalised and
// the datasets live.
var labBox = render.DataRect(-core.EnergyBox, -core.EnergyBox, core.EnergyBox, core.EnergyBox)

// labConfig is what a fit is built from: a change starts a new fit (the
// learning rate is not in it: it changes live).
type labConfig struct {
	target, kind        string
	layers, batch, seed int
	anneal              bool
	paint               int // version of the painting (painted target only)
}

func (l *fitState) configOf(v *session.Values) labConfig {
	c := labConfig{target: v.Choice("target"), kind: v.Choice("lflow"), layers: v.Int("lK"),
		batch: v.Int("lbatch"), seed: v.Int("lseed"), anneal: v.Get("anneal") != 0}
	if c.target == session.PaintedTarget {
		c.paint = l.paintVersion
	}
	if !session.IsEnergyTarget(c.target) && c.target != session.PaintedTarget {
		c.anneal = false // maximum likelihood has no annealing
	}
	return c
}

// fitState is the lab's fit between frames: its configuration, the two
// fitters, the target, the transport and the painting.
type fitState struct {
	cfg   labConfig
	built bool
	// fit is stepped by the lab; twin is the views' copy, whose parameters
	// are copied from fit at the start of each view refresh, so that a
	// refresh spread over several frames draws one consistent flow.
	fit, twin core.FlowFitter
	energy    core.Energy // the target of a reverse-KL fit, nil for data
	train     *mat.Dense  // the points of a data target
	heldOut   *mat.Dense
	err       string // why there is no fit (shown in the views)

	playing bool
	budget  session.FrameBudget // fitting, per frame
	// viewBudget is the views' work per frame while fitting.
	viewBudget session.FrameBudget
	clock      session.FrameClock
	loss       session.Curve // batch loss per step
	score      session.Curve // KL estimate (energies) or held-out NLL (data), per refresh
	ema        float64

	paint        []float64 // paintN² painted values, row 0 at the bottom
	paintVersion int
	painting     bool
	lastDab      render.Point

	logZ map[string]float64 // log ∫ exp(−U) over the box, per target (computed once)
}

func newFitState() *fitState {
	l := &fitState{budget: session.NewFrameBudget(session.InitialBudget, session.MinBudget, session.MaxBudget),
		viewBudget: session.NewFrameBudget(labViewBudget, session.MinBudget, labViewBudget), logZ: map[string]float64{}, paint: make([]float64, paintN*paintN)}
	defaultPainting(l.paint)
	return l
}

// targetKey names the current target for the log Z cache.
func (l *fitState) targetKey() string {
	if l.cfg.target == session.PaintedTarget {
		return fmt.Sprintf("%s#%d", session.PaintedTarget, l.cfg.paint)
	}
	return l.cfg.target
}

// build starts a new fit of configuration c (keeping play/pause); on error
// the lab has no fit and says why.
func (l *fitState) build(c labConfig, lr float64) {
	l.cfg, l.built = c, true
	l.fit, l.twin, l.energy, l.train, l.heldOut, l.err = nil, nil, nil, nil, nil, ""
	l.loss, l.score, l.ema = session.Curve{}, session.Curve{}, 0
	fit, twin, err := l.newFitters(c, lr)
	if err != nil {
		l.err = err.Error()
		return
	}
	l.fit, l.twin = fit, twin
}

func (l *fitState) newFitters(c labConfig, lr float64) (fit, twin core.FlowFitter, err error) {
	// The layers that fitted the test energies best (a radial layer starts
	// at random with α = |α′|).
	flow := core.LabFlowConfig(c.kind, c.layers)
	seed := uint64(c.seed)
	if session.IsEnergyTarget(c.target) || c.target == session.PaintedTarget {
		var e core.Energy
		if c.target == session.PaintedTarget {
			if e, err = core.NewDensityImage(session.PaintedTarget, l.paint, paintN, paintN); err != nil {
				return nil, nil, errors.New("nothing painted yet: press and drag in the target view to paint a density")
			}
		} else if e, err = core.EnergyByName(c.target); err != nil {
			return nil, nil, err
		}
		cfg := core.EnergyFitConfig{Flow: flow, Batch: c.batch, LearningRate: lr, Steps: labPlannedSteps,
			Anneal: c.anneal, Envelope: labEnvelope}
		a, err := core.NewEnergyFitter(e, cfg, seed)
		if err != nil {
			return nil, nil, err
		}
		b, err := core.NewEnergyFitter(e, cfg, seed)
		if err != nil {
			return nil, nil, err
		}
		l.energy = e
		return a, b, nil
	}
	e, ok := datasets.Lookup(c.target)
	if !ok {
		return nil, nil, fmt.Errorf("unknown target %q", c.target)
	}
	gen := func(stream uint64, n float64) (*mat.Dense, error) {
		p := e.Defaults()
		if q, ok := e.Param("n"); ok && n > 0 {
			p["n"] = math.Max(q.Min, math.Min(q.Max, n))
		}
		ds, err := e.Generate(rand.New(rand.NewPCG(seed, stream)), p)
		if err != nil {
			return nil, err
		}
		return mat.NewDense(ds.N, ds.D, ds.X), nil
	}
	if l.train, err = gen(0xda7a, 0); err != nil {
		return nil, nil, err
	}
	// Fresh points from the same distribution score the fit.
	if l.heldOut, err = gen(0x4e1d, labHeldOut); err != nil {
		return nil, nil, err
	}
	cfg := core.DataFitConfig{Flow: flow, Batch: c.batch, LearningRate: lr}
	a, err := core.NewDataFlowFitter(l.train, l.heldOut, cfg, seed)
	if err != nil {
		return nil, nil, err
	}
	b, err := core.NewDataFlowFitter(l.train, l.heldOut, cfg, seed)
	if err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

// setLR gives the fit a new learning rate (Adam takes it at the next step).
func (l *fitState) setLR(lr float64) {
	if o := optimizer(l.fit); o != nil {
		o.LR = lr
	}
}

func optimizer(f core.FlowFitter) *core.Adam {
	switch f := f.(type) {
	case *core.EnergyFitter:
		return f.Opt
	case *core.DataFlowFitter:
		return f.Opt
	}
	return nil
}

// params is the fitter's parameter slab.
func params(f core.FlowFitter) []float64 {
	switch f := f.(type) {
	case *core.EnergyFitter:
		return f.Params.Values()
	case *core.DataFlowFitter:
		return f.Params.Values()
	}
	return nil
}

// steps is how many steps the fit took.
func (l *fitState) steps() int {
	if l.fit == nil {
		return 0
	}
	return l.fit.StepCount()
}

// tick fits while playing, inside a per-frame budget that adapts to the
// frame time as the session's does: long frames fit less, frames on time a
// little more.
func (l *fitState) tick(now time.Time) {
	dt := l.clock.Tick(now)
	// The views' budget follows the same rule within [1, 3] ms.
	l.budget.Adapt(dt)
	l.viewBudget.Adapt(dt)
	if !l.playing || l.fit == nil {
		return
	}
	start := time.Now()
	for {
		l.stepOnce()
		if time.Since(start) >= l.budget.D {
			break
		}
	}
}

// stepOnce takes one step and records its loss.
func (l *fitState) stepOnce() {
	loss := l.fit.Step()
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return // the fitter refused the step: nothing moved
	}
	if l.loss.Len() == 0 {
		l.ema = loss
	} else {
		l.ema += 0.05 * (loss - l.ema)
	}
	l.loss.Add(float64(l.fit.StepCount()), loss)
}

// Transport: play/pause, one step, reset (the keys and the top bar).
func (l *fitState) toggle() { l.playing = !l.playing }

func (l *fitState) step() {
	l.playing = false
	if l.fit != nil {
		l.stepOnce()
	}
}

// Painting. The brush adds a Gaussian dab of ink (capped at 1) every
// dabStep along the pointer's path; a release refits.
const (
	brushSigma = 0.35
	brushInk   = 0.5
	dabStep    = 0.12
)

// dab adds one brush dab at p to the painted grid.
func dab(paint []float64, p render.Point) {
	h := 2 * core.EnergyBox / paintN
	reach := int(math.Ceil(3 * brushSigma / h))
	ci, cj := int((p.X+core.EnergyBox)/h), int((p.Y+core.EnergyBox)/h)
	for j := max(0, cj-reach); j <= min(paintN-1, cj+reach); j++ {
		for i := max(0, ci-reach); i <= min(paintN-1, ci+reach); i++ {
			x := -core.EnergyBox + (float64(i)+0.5)*h
			y := -core.EnergyBox + (float64(j)+0.5)*h
			d2 := ((x-p.X)*(x-p.X) + (y-p.Y)*(y-p.Y)) / (brushSigma * brushSigma)
			v := &paint[j*paintN+i]
			*v = math.Min(1, *v+brushInk*math.Exp(-0.5*d2))
		}
	}
}

// stroke dabs from a to b at dabStep spacing (b included, a not).
func stroke(paint []float64, a, b render.Point) {
	d := math.Hypot(b.X-a.X, b.Y-a.Y)
	n := max(1, int(math.Ceil(d/dabStep)))
	for k := 1; k <= n; k++ {
		t := float64(k) / float64(n)
		dab(paint, render.Point{X: a.X + t*(b.X-a.X), Y: a.Y + t*(b.Y-a.Y)})
	}
}

// defaultPainting is what "painted" starts from: a face (two eyes and a
// smile), three modes a flow has to split its mass between.
func defaultPainting(paint []float64) {
	clear(paint)
	for _, eye := range []render.Point{{X: -1.2, Y: 1.2}, {X: 1.2, Y: 1.2}} {
		dab(paint, eye)
		dab(paint, eye)
	}
	prev := render.Point{X: -2, Y: -0.6}
	for k := 1; k <= 24; k++ {
		a := math.Pi + math.Pi*float64(k)/24
		p := render.Point{X: 2 * math.Cos(a), Y: -0.6 + 1.2*math.Sin(a)}
		stroke(paint, prev, p)
		prev = p
	}
}

// painted reports whether any ink is on the canvas.
func (l *fitState) painted() bool { return slices.Max(l.paint) > 0 }
