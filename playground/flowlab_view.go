package playground

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
	"gonum.org/v1/gonum/mat"
)

// The lab's views are computed from the twin fitter by a queue of small
// tasks (a few grid rows, a chunk of samples), run inside a per-frame view
// budget: at K = 32 a planar flow's density needs a 1-D root per point and
// layer, far more than one frame, so a refresh is spread over frames and
// the frame stays short. While fitting the grids are coarse and a refresh
// starts at most every labRefreshEvery; once paused they are fine.
const (
	labRefreshEvery  = 100 * time.Millisecond
	labViewBudget    = 3 * time.Millisecond // per frame, while fitting
	labPausedBudget  = 6 * time.Millisecond // per frame, paused (nothing else to do)
	labChartsEvery   = 200 * time.Millisecond
	labModelRes      = 40  // model density grid while fitting
	labModelResFine  = 128 // … paused
	labStageRes      = 28  // stage density grids while fitting
	labStageResFine  = 64  // … paused
	labTargetRes     = 128 // the target's density grid (computed once per target)
	labSamples       = 1000
	labSampleChunk   = 250
	labKLSamples     = 2048 // samples of a KL estimate while fitting
	labKLSamplesFine = 8192 // … paused
	labKLChunk       = 256
	labKLSeed        = 0x6b1
	labLogZRes       = 400 // quadrature grid of log Z (agrees with 800² to 2e-6 nats)
)

// labLayout places the lab's panels in its area.
type labLayout struct {
	area                             image.Rectangle
	target, model, samples, stages   image.Rectangle
	loss, score                      image.Rectangle
	clearButton, faceButton, targetP image.Rectangle // targetP: the target's plot (painting)
}

func newLabLayout(r image.Rectangle, px func(float64) int) labLayout {
	gap := px(8)
	in := image.Rect(r.Min.X+gap, r.Min.Y+gap, r.Max.X-gap, r.Max.Y-gap)
	chartW := max(in.Dx()*26/100, px(220))
	w := (in.Dx() - chartW - 3*gap) / 3
	topH := min(w+px(44), in.Dy()*50/100)
	l := labLayout{area: r}
	y0, y1 := in.Min.Y, in.Min.Y+topH
	x := in.Min.X
	for _, p := range []*image.Rectangle{&l.target, &l.model, &l.samples} {
		*p = image.Rect(x, y0, x+w, y1)
		x += w + gap
	}
	half := (topH - gap) / 2
	l.loss = image.Rect(x, y0, in.Max.X, y0+half)
	l.score = image.Rect(x, y0+half+gap, in.Max.X, y1)
	l.stages = image.Rect(in.Min.X, y1+gap, in.Max.X, in.Max.Y)
	l.targetP = labPlot(l.target, px)
	bw, bh := px(52), px(20)
	l.clearButton = image.Rect(l.target.Max.X-px(6)-bw, l.target.Min.Y+px(4), l.target.Max.X-px(6), l.target.Min.Y+px(4)+bh)
	l.faceButton = l.clearButton.Add(image.Pt(-bw-px(4), 0))
	return l
}

// labPlot is a panel's square plot: below the title, above the caption.
func labPlot(r image.Rectangle, px func(float64) int) image.Rectangle {
	return scene.SquareIn(image.Rect(r.Min.X+px(8), r.Min.Y+px(28), r.Max.X-px(8), r.Max.Y-px(18)))
}

// labViews are the views' data and the work queue that computes them.
type labViews struct {
	queue    []func()
	snapStep int // the fit's step the twin holds (−1: none)
	snapFine bool
	cycle    scene.Throttle // a refresh starts at most every labRefreshEvery
	cycles   int            // refreshes started

	targetKey  string
	target     render.Grid // target density (energies), linear
	targetPeak float64
	model      render.Grid // the model's density, linear
	samples    []render.Point
	stages     []render.FlowStage
	score      float64 // the last KL / held-out NLL
	outside    float64 // fraction of samples outside the box (KL)

	dirtyTarget, dirtyModel, dirtySamples, dirtyStages, dirtyCharts bool
	charts                                                          scene.Throttle
	steps                                                           scene.Rate
	hoverButton                                                     string
	samplesBG                                                       scene.Panel // the samples panel without the samples
	stagePlan                                                       *stagePlan
}

// settled reports whether the views show everything computed so far: no
// task queued, no panel or stage column waiting to be drawn.
func (v *labViews) settled() bool {
	return len(v.queue) == 0 && !v.dirtyTarget && !v.dirtyModel && !v.dirtySamples && !v.dirtyStages &&
		(v.stagePlan == nil || v.stagePlan.next == len(v.stagePlan.stages))
}

// reset forgets everything drawn from the last fit.
func (v *labViews) reset() {
	key := v.targetKey
	target, peak := v.target, v.targetPeak
	*v = labViews{snapStep: -1, targetKey: key, target: target, targetPeak: peak,
		dirtyTarget: true, dirtyModel: true, dirtySamples: true, dirtyStages: true, dirtyCharts: true}
}

// updateLab runs one frame of the flow lab (mode "flowlab") in the area
// right of the controls and below the top bar.
func (sc *Screen) updateLab(in ui.Input, keys []string, now time.Time) {
	_ = keys // the keys reach the lab through sc.key (routeLabKey)
	l := sc.syncLab()
	lay := newLabLayout(image.Rect(sc.L.Controls.Max.X, sc.L.Top.Max.Y, sc.L.Window.Max.X, sc.L.Status.Min.Y), sc.px)
	if sc.fullRedraw { // the frame was cleared: every panel again
		l.v.dirtyTarget, l.v.dirtyModel, l.v.dirtySamples, l.v.dirtyStages, l.v.dirtyCharts = true, true, true, true, true
	}
	if !(sc.ctx.Busy() || sc.help) {
		sc.labInput(in, lay)
	}
	sc.labHints(lay)
	l.tick(now)
	l.v.steps.Observe(now, l.steps())
	l.refresh(now)
	sc.drawLab(lay, now)
}

// syncLab makes the lab follow the settings: a new configuration starts a
// new fit, once no control is held (a slider applies when released, as
// rebuild sliders do); the learning rate changes live.
func (sc *Screen) syncLab() *flowLab {
	s := sc.S
	if sc.lab == nil {
		sc.lab = newFlowLab()
	}
	l := sc.lab
	s.Pause() // one thing fits at a time: the VAE waits while the lab is shown
	lr := s.Values.Get("llr")
	if c := l.configOf(s.Values); !l.built || c != l.cfg && !sc.ctx.Busy() && !l.painting {
		l.build(c, lr)
		if c.target == session.PaintedTarget && l.err == "" {
			s.Message = "painted target: a new fit"
		}
	}
	if o := optimizer(l.fit); o != nil && o.LR != lr {
		l.setLR(lr)
	}
	return l
}

// labInput paints on the target view and handles its buttons.
func (sc *Screen) labInput(in ui.Input, lay labLayout) {
	s, l := sc.S, sc.lab
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
	p := render.FitViewport(labBox, lay.targetP).ToData(float64(in.X)+0.5, float64(in.Y)+0.5)
	p.X = math.Max(-core.EnergyBox, math.Min(core.EnergyBox, p.X))
	p.Y = math.Max(-core.EnergyBox, math.Min(core.EnergyBox, p.Y))
	switch {
	case in.Pressed && hover != "" && s.Values.Choice("target") == session.PaintedTarget:
		if hover == "clear" {
			clear(l.paint)
		} else {
			defaultPainting(l.paint)
		}
		l.paintVersion++
		l.v.dirtyTarget = true
	case in.Pressed && in.In(lay.targetP):
		if s.Values.Choice("target") != session.PaintedTarget {
			// Painting over another target starts a painting of one's own.
			clear(l.paint)
			_ = s.SetValue("target", float64(slices.Index(session.LabTargets(), session.PaintedTarget)))
			s.Message = "painting: your density is the target (it refits when you let go)"
			sc.controlsDirty = true
		}
		l.painting, l.lastDab = true, p
		dab(l.paint, p)
		l.v.dirtyTarget = true
	case l.painting && in.Down:
		if p != l.lastDab {
			stroke(l.paint, l.lastDab, p)
			l.lastDab = p
			l.v.dirtyTarget = true
		}
	case l.painting:
		l.painting = false
		l.paintVersion++ // a new target: refit
	}
}

func (sc *Screen) labHints(lay labLayout) {
	c := sc.ctx
	c.Hint("lab-clear", lay.clearButton, "Clear the painting (then paint your own).")
	c.Hint("lab-face", lay.faceButton, "Restore the painted face.")
	c.Hint("lab-target", lay.target, "The target density p*. For u1–u4 and a painting, exp(−U) normalised on the box [−4, 4]²; for a dataset, its points. Press and drag here to paint your own density: the flow refits when you let go.")
	c.Hint("lab-model", lay.model, "The flow's density q: N(0, I) pushed through the K layers, on the same colour scale as the target. Coarse while fitting, fine once paused.")
	c.Hint("lab-samples", lay.samples, "Samples of the flow (orange): points drawn from N(0, I) and pushed through every layer, over the target (grey).")
	c.Hint("lab-loss", lay.loss, "The loss of each step. Energies: E_q[log q + β·U] on a batch of the flow's samples (the KL up to log Z; β < 1 while annealing). Data: the batch's negative log-likelihood.")
	c.Hint("lab-score", lay.score, "How good the fit is. Energies: KL(q || p*) in nats from fresh samples, with log Z computed once by quadrature (0 is a perfect fit). Data: the negative log-likelihood of fresh points the fit never saw.")
	c.Hint("lab-stages", lay.stages, "Layer by layer, in the sampling direction: N(0, I) and the density after a few of the layers, with a grid pushed through them; below, log|det J| of the layer that ends each stage (orange expands space, blue contracts it, so density piles up where it is blue).")
}

// refresh runs the view tasks within the frame's view budget and starts a
// new refresh when the flow moved (or the pause asks for fine grids).
func (l *flowLab) refresh(now time.Time) {
	v := &l.v
	if len(v.queue) == 0 && l.fit != nil {
		fine := !l.playing
		stale := v.snapStep != l.fit.StepCount() || fine && !v.snapFine
		v.cycle.Every = labRefreshEvery
		if stale && (v.cycle.Due(now) || fine) {
			l.startCycle(fine)
			v.cycle.Done(now)
		}
	}
	budget := l.viewBudget.D
	if !l.playing {
		budget = labPausedBudget
	}
	start := time.Now()
	for len(v.queue) > 0 {
		task := v.queue[0]
		v.queue = v.queue[1:]
		task()
		if time.Since(start) >= budget {
			break
		}
	}
}

// startCycle copies the fit's parameters into the twin and queues the
// tasks that recompute every view from them.
func (l *flowLab) startCycle(fine bool) {
	v := &l.v
	copy(params(l.twin), params(l.fit))
	v.snapStep, v.snapFine = l.fit.StepCount(), fine
	v.cycles++
	mres, sres, nKL := labModelRes, labStageRes, labKLSamples
	if fine {
		mres, sres, nKL = labModelResFine, labStageResFine, labKLSamplesFine
	}
	tw := l.twin
	K := tw.NumLayers()
	layers := labLayers(tw)
	if l.energy != nil && v.targetKey != l.targetKey() {
		l.queueTarget()
	}
	if l.energy != nil {
		if _, ok := l.logZ[l.targetKey()]; !ok {
			l.queueLogZ()
		}
	}
	// The model's density: stage K on a grid, a few rows per task.
	model := render.NewGrid(labBox, mres, mres)
	l.queueDensity(model, K, func() {
		lin := model
		lin.Values = make([]float64, len(model.Values))
		for i, x := range model.Values {
			lin.Values[i] = math.Exp(x)
		}
		v.model, v.dirtyModel = lin, true
	})
	// Samples pushed through every layer (the same base draws each time,
	// so that the picture moves only because the flow does).
	var samples []render.Point
	rng := rand.New(rand.NewPCG(uint64(l.cfg.seed), 0x5a3))
	for done := 0; done < labSamples; done += labSampleChunk {
		v.queue = append(v.queue, func() {
			st := tw.SampleStages(labSampleChunk, rng)
			samples = toPts(samples, st[len(st)-1])
			if done+labSampleChunk >= labSamples {
				v.samples, v.dirtySamples = samples, true
			}
		})
	}
	// The stages: densities, warped grid lines, log-dets.
	idx := stageIndices(K)
	stages := make([]render.FlowStage, len(idx))
	// The warped grid: coarser while fitting (its strokes are most of the
	// stage view's drawing).
	lines := render.GridLines(labBox, 9, 30)
	if fine {
		lines = render.GridLines(labBox, 13, 60)
	}
	prev := 0
	for n, j := range idx {
		stages[n].Title = fmt.Sprintf("after %d layers", j)
		if j == 1 {
			stages[n].Title = "after 1 layer"
		}
		if j == 0 {
			stages[n].Title = "N(0, I)"
		}
		if j == K {
			stages[n].Density = model // the model grid is stage K
		} else {
			stages[n].Density = render.NewGrid(labBox, sres, sres)
			l.queueDensity(stages[n].Density, j, nil)
		}
		from := prev
		v.queue = append(v.queue, func() {
			lines = layers.pushLines(lines, from, j)
			stages[n].Lines = lines
			if j > 0 {
				stages[n].LogDet = layers.logDet(j-1, sres/2)
			}
		})
		prev = j
	}
	v.queue = append(v.queue, func() { v.stages, v.dirtyStages = stages, true })
	// The score: a KL estimate (energies) or the held-out NLL (data).
	if l.energy != nil {
		l.queueKL(layers, nKL)
	} else {
		v.queue = append(v.queue, func() {
			v.score = tw.(*core.DataFlowFitter).HeldOutNLL()
			l.score.Add(float64(v.snapStep), v.score)
			v.dirtyCharts = true
		})
	}
}

// queueDensity queues the tasks that write log q_k on g's cells, a few
// rows at a time, then calls done (if not nil).
func (l *flowLab) queueDensity(g render.Grid, k int, done func()) {
	tw := l.twin
	// Rows per task: about 2000 point-layers, under half a millisecond
	// natively for planar inversions (the dearest), a few under js/wasm.
	rows := max(1, min(g.NY, 2000/(g.NX*max(1, k))))
	for j0 := 0; j0 < g.NY; j0 += rows {
		j1 := min(g.NY, j0+rows)
		v := &l.v
		v.queue = append(v.queue, func() {
			n := (j1 - j0) * g.NX
			z := mat.NewDense(n, 2, nil)
			for j := j0; j < j1; j++ {
				for i := range g.NX {
					p := g.Point(i, j)
					r := (j-j0)*g.NX + i
					z.Set(r, 0, p.X)
					z.Set(r, 1, p.Y)
				}
			}
			tw.StageLogDensity(g.Values[j0*g.NX:j1*g.NX], z, k)
			if j1 == g.NY && done != nil {
				done()
			}
		})
	}
}

// queueTarget queues the target's density exp(−U) normalised on the box
// (by the grid's own quadrature), computed once per target.
func (l *flowLab) queueTarget() {
	e, key := l.energy, l.targetKey()
	g := render.NewGrid(labBox, labTargetRes, labTargetRes)
	const rows = 16
	v := &l.v
	for j0 := 0; j0 < g.NY; j0 += rows {
		v.queue = append(v.queue, func() {
			z := make([]float64, 2)
			for j := j0; j < min(g.NY, j0+rows); j++ {
				for i := range g.NX {
					p := g.Point(i, j)
					z[0], z[1] = p.X, p.Y
					g.Values[j*g.NX+i] = -e.Energy(z, nil)
				}
			}
			if j0+rows < g.NY {
				return
			}
			lz := core.LogSumExp(g.Values)
			cell := labBox.Dx() * labBox.Dy() / float64(g.NX*g.NY)
			peak := 0.0
			for i, x := range g.Values {
				g.Values[i] = math.Exp(x-lz) / cell
				peak = math.Max(peak, g.Values[i])
			}
			v.target, v.targetPeak, v.targetKey, v.dirtyTarget = g, peak, key, true
			v.dirtyModel, v.dirtySamples = true, true // they share its scale and contours
		})
	}
}

// queueLogZ queues log ∫ exp(−U) over the box by the midpoint rule on a
// labLogZRes² grid (core.LogNormalizer's sum, a few rows per task), cached
// per target: a fit's KL needs it once.
func (l *flowLab) queueLogZ() {
	e, key := l.energy, l.targetKey()
	const n, rows = labLogZRes, 25
	h := 2 * core.EnergyBox / float64(n)
	var parts []float64
	v := &l.v
	for i0 := 0; i0 < n; i0 += rows {
		v.queue = append(v.queue, func() {
			vals := make([]float64, 0, rows*n)
			z := make([]float64, 2)
			for i := i0; i < min(n, i0+rows); i++ {
				for j := range n {
					z[0], z[1] = -core.EnergyBox+(float64(i)+0.5)*h, -core.EnergyBox+(float64(j)+0.5)*h
					vals = append(vals, -e.Energy(z, nil))
				}
			}
			parts = append(parts, core.LogSumExp(vals))
			if i0+rows >= n {
				l.logZ[key] = core.LogSumExp(parts) + 2*math.Log(h)
			}
		})
	}
}

// queueKL queues an estimate of KL(q || p*) from n fresh samples (the same
// draws every refresh, so the curve moves only because the flow does),
// counting only samples inside the box and renormalising, as
// core.EnergyFitter.EstimateKL does with the same seed, in chunks.
func (l *flowLab) queueKL(layers labFlow, n int) {
	v := &l.v
	rng := rand.New(rand.NewPCG(labKLSeed, labKLSeed^0x6b1))
	sum, inside := 0.0, 0
	e, key, step := l.energy, l.targetKey(), v.snapStep
	for done := 0; done < n; done += labKLChunk {
		m := min(labKLChunk, n-done)
		last := done+m >= n
		v.queue = append(v.queue, func() {
			base := mat.NewDense(m, 2, nil)
			for i := range m {
				base.Set(i, 0, rng.NormFloat64())
				base.Set(i, 1, rng.NormFloat64())
			}
			z, logdet := layers.forward(base)
			for i := range m {
				zi := z.RawRowView(i)
				if !core.InsideEnergyBox(zi) {
					continue
				}
				inside++
				b := base.RawRowView(i)
				sum += -0.5*(b[0]*b[0]+b[1]*b[1]) - math.Log(2*math.Pi) - logdet[i] + e.Energy(zi, nil)
			}
			if !last {
				return
			}
			lz, ok := l.logZ[key]
			if !ok || inside == 0 {
				return
			}
			v.score = sum/float64(inside) - math.Log(float64(inside)/float64(n)) + lz
			v.outside = 1 - float64(inside)/float64(n)
			l.score.Add(float64(step), v.score)
			v.dirtyCharts = true
		})
	}
}

// labFlow is the twin's layers as the views run them, in the sampling
// direction: an energy fit's layers forward, a data fit's inverted.
type labFlow struct {
	layers   []core.Flow
	thetas   []*mat.Dense
	inverted bool
}

// labLayers copies the twin's layer parameters. The layers are the twin's
// own: it never steps, so they are free for the views, and they are
// configured as the fit's are (a radial layer's α, for one).
func labLayers(f core.FlowFitter) labFlow {
	var layers []core.Flow
	switch f := f.(type) {
	case *core.EnergyFitter:
		layers = f.Flow.Layers
	case *core.DataFlowFitter:
		layers = f.Flow.Layers
	}
	_, inv := f.(*core.DataFlowFitter)
	out := labFlow{inverted: inv}
	for k := range f.NumLayers() {
		th := f.LayerTheta(k)
		// All layers of a fit share kind and settings: any of them runs
		// any layer's θ.
		out.layers = append(out.layers, layers[k])
		out.thetas = append(out.thetas, mat.NewDense(1, len(th), append([]float64(nil), th...)))
	}
	return out
}

// apply runs sampling layer k on the rows of z (in place); a point whose
// inverse fails becomes NaN.
func (f labFlow) apply(z *mat.Dense, k int, logdet []float64) {
	n, _ := z.Dims()
	if f.inverted {
		if err := f.layers[k].Inverse(z, z, f.thetas[k]); err != nil {
			for i := range n {
				z.Set(i, 0, math.NaN())
				z.Set(i, 1, math.NaN())
			}
		}
		return
	}
	if logdet == nil {
		logdet = make([]float64, n)
	}
	out := mat.NewDense(n, 2, nil)
	f.layers[k].Forward(out, logdet, z, f.thetas[k])
	z.Copy(out)
}

// forward pushes base draws through every layer of an energy fit and
// returns the samples and Σ log|det|.
func (f labFlow) forward(base *mat.Dense) (*mat.Dense, []float64) {
	n, _ := base.Dims()
	z := mat.DenseCopyOf(base)
	logdet := make([]float64, n)
	for k := range f.layers {
		f.apply(z, k, logdet)
	}
	return z, logdet
}

// pushLines pushes grid lines from stage from to stage to.
func (f labFlow) pushLines(lines [][]render.Point, from, to int) [][]render.Point {
	if from == to {
		return lines
	}
	return mapLines(lines, func(pts []render.Point) *mat.Dense {
		z := pointsDense(pts)
		for k := from; k < to; k++ {
			f.apply(z, k, nil)
		}
		return z
	})
}

// logDet is log|det J| of sampling layer k over the plane of its output
// (where the stage's density is drawn), on a res² grid: there the density
// changed by −log|det J|.
func (f labFlow) logDet(k, res int) render.Grid {
	g := render.NewGrid(labBox, res, res)
	y := pointsDense(g.Points(nil))
	n := res * res
	if f.inverted {
		// The sampling map is h = g⁻¹ of a normalising layer g, so at a
		// point y of its output log|det ∂h| = −log|det ∂g/∂y|(y).
		out := mat.NewDense(n, 2, nil)
		f.layers[k].Forward(out, g.Values, y, f.thetas[k])
		for i := range g.Values {
			g.Values[i] = -g.Values[i]
		}
		return g
	}
	// A forward layer: find the input x = f⁻¹(y), then log|det ∂f/∂x| there.
	x := mat.DenseCopyOf(y)
	if err := f.layers[k].Inverse(x, y, f.thetas[k]); err != nil {
		for i := range g.Values {
			g.Values[i] = math.NaN()
		}
		return g
	}
	out := mat.NewDense(n, 2, nil)
	f.layers[k].Forward(out, g.Values, x, f.thetas[k])
	return g
}

// labLinear is the colour map of the lab's linear densities.
var labLinear = render.Viridis

// drawLab redraws the panels whose data changed: at most one of the dear
// ones (heatmaps, the stages) a frame, so that results arriving together
// do not make one long frame; a full redraw draws them all.
func (sc *Screen) drawLab(lay labLayout, now time.Time) {
	l := sc.lab
	v := &l.v
	all := sc.fullRedraw
	panels := []struct {
		dirty *bool
		draw  func(labLayout)
	}{
		{&v.dirtyTarget, sc.drawLabTarget},
		{&v.dirtyStages, sc.drawLabStages},
		{&v.dirtyModel, sc.drawLabModel},
		{&v.dirtySamples, sc.drawLabSamples},
	}
	if l.painting {
		v.dirtyTarget = true // the canvas follows the brush
	}
	drawn := false
	for _, p := range panels {
		if *p.dirty {
			p.draw(lay)
			*p.dirty, drawn = false, true
			if !all {
				break
			}
		}
	}
	// The stage view's remaining columns, one a frame.
	if p := v.stagePlan; !drawn && p != nil && p.next < len(p.stages) {
		sc.drawStageColumn(p)
	}
	v.charts.Every = labChartsEvery
	if v.dirtyCharts || v.charts.Due(now) && l.playing {
		sc.drawLabCharts(lay)
		v.charts.Done(now)
		v.dirtyCharts = false
	}
}

// labPanel fills panel r with its title and returns where to draw.
func (sc *Screen) labPanel(r image.Rectangle, title string, shorter ...string) *image.RGBA {
	dst := sc.Frame.SubImage(r).(*image.RGBA)
	render.FillRect(dst, r, sc.th.Panel)
	// Narrow windows: the short form of the long title, or an ellipsis.
	title = scene.FitText(sc.th.Title, r.Dx()-sc.px(20), append([]string{title}, shorter...)...)
	render.DrawText(dst, sc.th.Title, r.Min.X+sc.px(10), r.Min.Y+sc.px(14), title, sc.th.Text, render.AlignLeft, render.AlignMiddle)
	sc.Dirty = append(sc.Dirty, r)
	return dst
}

// caption writes a line under a panel's plot, shortened to fit.
func (sc *Screen) caption(dst *image.RGBA, r image.Rectangle, text string) {
	w := r.Dx() - sc.px(16)
	for rs := []rune(text); render.TextWidth(sc.th.Small, text) > w && len(rs) > 1; {
		rs = rs[:len(rs)-1]
		text = string(rs) + "…"
	}
	render.DrawText(dst, sc.th.Small, r.Min.X+sc.px(10), r.Max.Y-sc.px(5), text, sc.th.MutedText, render.AlignLeft, render.AlignBottom)
}

// centreText writes a message in the middle of a plot.
func (sc *Screen) centreText(dst *image.RGBA, r image.Rectangle, text string) {
	render.DrawParagraph(dst, sc.th.Label, r.Inset(sc.px(12)), text, sc.th.MutedText)
}

func (sc *Screen) drawLabTarget(lay labLayout) {
	l, th := sc.lab, sc.th
	target := sc.S.Values.Choice("target")
	dst := sc.labPanel(lay.target, "Target p*")
	plot := lay.targetP
	vp := render.FitViewport(labBox, plot)
	render.FillRect(dst, plot, th.Background)
	switch {
	case target == session.PaintedTarget && (l.painting || l.fit == nil || l.v.targetKey != l.targetKey()):
		// The canvas itself while painting (and until the refit's density
		// is ready).
		g := render.Grid{Values: l.paint, NX: paintN, NY: paintN, Bounds: labBox}
		render.Heatmap(dst, vp, g, labLinear, render.ValueRange{Lo: 0, Hi: 1}, th.NoData)
		if !l.painted() {
			sc.centreText(dst, plot, "Press and drag here to paint a density.")
		}
	case l.energy != nil && l.v.targetKey == l.targetKey():
		render.Heatmap(dst, vp, l.v.target, labLinear, render.ValueRange{Lo: 0, Hi: l.v.targetPeak}, th.NoData)
	case l.train != nil:
		render.Scatter(dst, vp, densePoints(l.train), []color.RGBA{render.WithAlpha(th.Text, 0.35)}, 1.6*sc.Scale)
	case l.err != "":
		sc.centreText(dst, plot, l.err)
	}
	render.StrokeRect(dst, plot.Inset(-1), th.Frame)
	caption := "exp(−U) on [−4, 4]² · drag here to paint"
	switch {
	case target == session.PaintedTarget:
		caption = "your painting · drag to paint, let go to refit"
	case l.train != nil:
		caption = fmt.Sprintf("%d points of %s", l.train.RawMatrix().Rows, target)
	}
	sc.caption(dst, lay.target, caption)
	if target == session.PaintedTarget {
		c := ui.NewContext(th, sc.Scale)
		c.Begin(ui.Input{X: -1, Y: -1}, dst)
		c.Button("clear", lay.clearButton, "clear", "")
		c.Button("face", lay.faceButton, "face", "")
		if h := l.v.hoverButton; h != "" {
			r := lay.clearButton
			if h == "face" {
				r = lay.faceButton
			}
			render.StrokeRect(dst, r, th.Text)
		}
	}
}

func (sc *Screen) drawLabModel(lay labLayout) {
	l, th := sc.lab, sc.th
	K := l.cfg.layers
	dst := sc.labPanel(lay.model, fmt.Sprintf("Flow density q (K = %d)", K), fmt.Sprintf("q (K = %d)", K))
	plot := labPlot(lay.model, sc.px)
	vp := render.FitViewport(labBox, plot)
	render.FillRect(dst, plot, th.Background)
	if len(l.v.model.Values) > 0 {
		hi := l.v.targetPeak
		if l.energy == nil || hi == 0 {
			hi = 0
			for _, x := range l.v.model.Values {
				if !math.IsNaN(x) {
					hi = math.Max(hi, x)
				}
			}
		}
		render.Heatmap(dst, vp, l.v.model, labLinear, render.ValueRange{Lo: 0, Hi: hi}, th.NoData)
	} else if l.err != "" {
		sc.centreText(dst, plot, l.err)
	} else {
		sc.centreText(dst, plot, "computing…")
	}
	render.StrokeRect(dst, plot.Inset(-1), th.Frame)
	sc.caption(dst, lay.model, fmt.Sprintf("%s layers · step %d · %d² grid", l.cfg.kind, max(0, l.v.snapStep), l.v.model.NX))
}

func (sc *Screen) drawLabSamples(lay labLayout) {
	l := sc.lab
	plot := labPlot(lay.samples, sc.px)
	vp := render.FitViewport(labBox, plot)
	// The target under the samples changes only with the target: cached.
	key := fmt.Sprint(lay.samples, l.cfg.target, l.cfg.seed, l.v.targetKey, l.targetKey())
	dst := sc.cachedPanel(&l.v.samplesBG, key, lay.samples, func(bg *image.RGBA) {
		sc.drawSamplesBackground(bg, lay, plot, vp)
	})
	render.Scatter(dst, vp, l.v.samples, []color.RGBA{render.WithAlpha(sc.th.Sample, 0.6)}, 1.6*sc.Scale)
	sc.caption(dst, lay.samples, fmt.Sprintf("%d samples over the target", len(l.v.samples)))
}

func (sc *Screen) drawSamplesBackground(dst *image.RGBA, lay labLayout, plot image.Rectangle, vp render.Viewport) {
	l, th := sc.lab, sc.th
	render.FillRect(dst, lay.samples, th.Panel)
	render.DrawText(dst, th.Title, lay.samples.Min.X+sc.px(10), lay.samples.Min.Y+sc.px(14), scene.FitText(th.Title, lay.samples.Dx()-sc.px(20), "Samples of q", "Samples"), th.Text, render.AlignLeft, render.AlignMiddle)
	render.FillRect(dst, plot, th.Background)
	render.StrokeRect(dst, plot.Inset(-1), th.Frame)
	grey := render.WithAlpha(th.MutedText, 0.6)
	switch {
	case l.energy != nil && l.v.targetKey == l.targetKey():
		// The target as contours of its log-density, 1…4 "σ" below the peak.
		lg := l.v.target
		lg.Values = make([]float64, len(l.v.target.Values))
		for i, x := range l.v.target.Values {
			lg.Values[i] = math.Log(x)
		}
		render.Contours(dst, vp, lg, render.GaussianLevels(math.Log(l.v.targetPeak), 4), grey, 1)
	case l.train != nil:
		render.Scatter(dst, vp, densePoints(l.train), []color.RGBA{render.WithAlpha(th.MutedText, 0.3)}, 1.4*sc.Scale)
	}
}

// stagePlan is the stage view being drawn: one column (a stage's density
// and log-det panels) a frame, so that the view's heatmaps and warped grids
// never land in one frame together. Its layout and colour scales are those
// of render.FlowView: one log-density range and one log-det range shared by
// every stage, so that the stages compare.
type stagePlan struct {
	stages            []render.FlowStage
	dens, det         render.ValueRange
	rows              int
	inner             image.Rectangle
	side, titleH, gap int
	next              int // the next column to draw
	key               string
}

const stageBarW = 80

func (sc *Screen) drawLabStages(lay labLayout) {
	l, th := sc.lab, sc.th
	r := lay.stages
	inner := image.Rect(r.Min.X+sc.px(4), r.Min.Y+sc.px(24), r.Max.X-sc.px(4), r.Max.Y-sc.px(4))
	stages := l.v.stages
	key := fmt.Sprint(r, len(stages))
	old := l.v.stagePlan
	if sc.fullRedraw || old == nil || old.key != key {
		// A new layout: the whole panel again.
		dst := sc.labPanel(r, "Layer by layer (sampling direction): the density and a grid after each stage; below, log|det J| of the stage's last layer", "Layer by layer (sampling direction)")
		render.FillRect(dst, inner, th.Background)
		if len(stages) == 0 {
			msg := "computing…"
			if l.err != "" {
				msg = l.err
			}
			sc.centreText(dst, inner, msg)
		}
	}
	l.v.stagePlan = nil
	if len(stages) == 0 {
		return
	}
	p := &stagePlan{stages: stages, inner: inner, key: key, gap: 10, titleH: render.LineHeight(th.Title) + 6, rows: 1}
	var densRanges []render.ValueRange
	var detValues []float64
	for _, st := range stages {
		if len(st.Density.Values) > 0 {
			densRanges = append(densRanges, render.AutoLogRange(st.Density.Values, 0))
		}
		if len(st.LogDet.Values) > 0 {
			p.rows = 2
			detValues = append(detValues, st.LogDet.Values...)
		}
	}
	p.dens = render.MergeRanges(densRanges...)
	if len(densRanges) > 0 {
		p.dens.Lo = max(p.dens.Lo, p.dens.Hi-render.DefaultLogSpan)
	}
	p.det = render.SymmetricRange(detValues)
	n := len(stages)
	cellW := (inner.Dx() - stageBarW - p.gap*(n+1)) / n
	cellH := (inner.Dy() - p.gap - p.rows*(p.titleH+p.gap)) / p.rows
	p.side = max(min(cellW, cellH), 8)
	l.v.stagePlan = p
	sc.drawStageBars(p)
	if sc.fullRedraw {
		for range n {
			sc.drawStageColumn(p)
		}
		return
	}
	sc.drawStageColumn(p)
}

// drawStageColumn draws the plan's next column.
func (sc *Screen) drawStageColumn(p *stagePlan) {
	th := sc.th
	k := p.next
	p.next++
	st := p.stages[k]
	x0 := p.inner.Min.X + p.gap + k*(p.side+p.gap)
	col := image.Rect(x0, p.inner.Min.Y, x0+p.side, p.inner.Min.Y+p.gap+p.rows*(p.titleH+p.side+p.gap))
	dst := sc.Frame.SubImage(col).(*image.RGBA)
	render.FillRect(dst, col, th.Background)
	for row := range p.rows {
		y0 := p.inner.Min.Y + p.gap + row*(p.titleH+p.side+p.gap)
		panel := image.Rect(x0, y0+p.titleH, x0+p.side, y0+p.titleH+p.side)
		title := st.Title
		if row == 1 {
			title = "log|det J|"
		}
		render.DrawText(dst, th.Title, x0, y0, scene.FitText(th.Title, p.side, title, strings.TrimPrefix(title, "after "), strings.TrimPrefix(title, "log")), th.Text, render.AlignLeft, render.AlignTop)
		render.FillRect(dst, panel, th.Panel)
		vp := render.FitViewport(labBox, panel)
		switch {
		case row == 0:
			if len(st.Density.Values) > 0 {
				render.Heatmap(dst, vp, st.Density, render.Viridis, p.dens, th.NoData)
			}
			render.Polylines(dst, vp, st.Lines, render.WithAlpha(th.Overlay, 0.45), 1)
		case len(st.LogDet.Values) > 0:
			render.Heatmap(dst, vp, st.LogDet, render.Diverging, p.det, th.NoData)
		default:
			render.DrawText(dst, th.Small, (panel.Min.X+panel.Max.X)/2, (panel.Min.Y+panel.Max.Y)/2, "base: no layer", th.MutedText, render.AlignCenter, render.AlignMiddle)
		}
		render.StrokeRect(dst, panel, th.Frame)
	}
	sc.Dirty = append(sc.Dirty, col)
}

// drawStageBars draws the colour bars right of the columns.
func (sc *Screen) drawStageBars(p *stagePlan) {
	th := sc.th
	n := len(p.stages)
	x := p.inner.Min.X + p.gap + n*(p.side+p.gap)
	r := image.Rect(x, p.inner.Min.Y, min(p.inner.Max.X, x+stageBarW), p.inner.Max.Y)
	dst := sc.Frame.SubImage(r).(*image.RGBA)
	render.FillRect(dst, r, th.Background)
	for row := range p.rows {
		y0 := p.inner.Min.Y + p.gap + row*(p.titleH+p.side+p.gap)
		bar := image.Rect(x, y0, x+stageBarW, y0+p.titleH+p.side)
		if row == 0 {
			render.Colorbar(dst, bar, render.Viridis, p.dens, "log p", th)
		} else {
			render.Colorbar(dst, bar, render.Diverging, p.det, "log|det J|", th)
		}
	}
	sc.Dirty = append(sc.Dirty, r)
}

func (sc *Screen) drawLabCharts(lay labLayout) {
	l, th := sc.lab, sc.th
	data := l.energy == nil
	name := "Loss per step: E[log q + β·U]"
	if data {
		name = "Loss per step: batch NLL"
	}
	dst := sc.labPanel(lay.loss, name)
	plot := image.Rect(lay.loss.Min.X+sc.px(4), lay.loss.Min.Y+sc.px(24), lay.loss.Max.X-sc.px(6), lay.loss.Max.Y-sc.px(4))
	if len(l.loss.X) > 1 {
		render.LineChart(dst, plot, []render.Series{{Name: name, X: l.loss.X, Y: l.loss.Y, Width: 1.5 * sc.Scale}}, render.ChartOptions{XLabel: "step", HideLegend: true}, th)
	} else {
		render.DrawText(dst, th.Label, (plot.Min.X+plot.Max.X)/2, (plot.Min.Y+plot.Max.Y)/2, "press Play (space) to fit", th.MutedText, render.AlignCenter, render.AlignMiddle)
	}
	title := "KL(q || p*), nats"
	if data {
		title = "Held-out NLL, nats"
	}
	if !math.IsNaN(l.score.Last()) {
		title += fmt.Sprintf(": %.3f", l.score.Last())
		if !data && l.v.outside > 0.0005 {
			title += fmt.Sprintf(" · %.1f%% out", 100*l.v.outside)
		}
	}
	dst = sc.labPanel(lay.score, title)
	plot = image.Rect(lay.score.Min.X+sc.px(4), lay.score.Min.Y+sc.px(24), lay.score.Max.X-sc.px(6), lay.score.Max.Y-sc.px(4))
	switch {
	case len(l.score.X) > 1:
		render.LineChart(dst, plot, []render.Series{{Name: "", X: l.score.X, Y: l.score.Y, Width: 1.5 * sc.Scale, Color: th.Palette[1]}}, render.ChartOptions{XLabel: "step", HideLegend: true}, th)
	default:
		render.DrawText(dst, th.Label, (plot.Min.X+plot.Max.X)/2, (plot.Min.Y+plot.Max.Y)/2, "estimated while fitting", th.MutedText, render.AlignCenter, render.AlignMiddle)
	}
}

const labHelpText = `Fit a normalizing flow to a density you can see, and watch it learn layer by layer.

Keys: space play / pause · '.' one step · r reset (same seed) · ? this help (esc closes).

Target: u1–u4 are the test energies of Rezende & Mohamed (2015), fitted by reverse KL from the flow's own samples (annealing flattens them at first); a dataset is fitted by maximum likelihood; 'painted' is the density you paint: press and drag in the target view, let go to refit (clear and face reset the canvas).
Views: the target, the flow's density on the same colour scale, samples pushed through every layer, and the stages: the density and a warped grid after a few of the K layers, with each stage's last log|det J| below. Charts: the loss of each step, and the KL(q || p*) estimate (log Z computed once) or the held-out negative log-likelihood.
Grids are coarse while fitting and fine once paused. Mode 'vae' (top of the controls) goes back to the VAE.`

// routeLabKey handles the transport keys in the lab; it reports whether it
// took the key.
func (sc *Screen) routeLabKey(k string) bool {
	if !sc.inLab() {
		return false
	}
	l := sc.syncLab()
	switch k {
	case KeySpace:
		l.toggle()
	case KeyStep:
		l.step()
	case KeyReset:
		l.reset(sc.S.Values.Get("llr"))
		sc.S.Message = "reset: a new fit from the seed"
	default:
		return false
	}
	return true
}

// Transport for the keys and the top bar: the lab's in the lab mode, the
// VAE's otherwise. The mode is read from the settings, not from the last
// frame, so a key in the frame the mode changes goes the right way.
func (sc *Screen) inLab() bool { return sc.S.Values.Choice("mode") == "flowlab" }

func (sc *Screen) transportPlaying() bool {
	if sc.inLab() {
		return sc.lab != nil && sc.lab.playing
	}
	return sc.S.Playing
}

func (sc *Screen) transportToggle() {
	if !sc.routeLabKey(KeySpace) {
		sc.S.Toggle()
	}
}

func (sc *Screen) transportStep() {
	if !sc.routeLabKey(KeyStep) {
		sc.S.Step()
	}
}

func (sc *Screen) transportReset() {
	if !sc.routeLabKey(KeyReset) {
		_ = sc.S.Reset()
	}
}

// labStatus is the top bar's line in the lab.
func (sc *Screen) labStatus() string {
	l := sc.syncLab()
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
	return fmt.Sprintf("step %d · loss %s%s · %.0f steps/s · %.0f fps", l.steps(), loss, score, l.v.steps.PerSec, sc.FPS)
}

// labViewport maps the lab's box onto the target's plot (tests and input).
func labViewport(lay labLayout) render.Viewport { return render.FitViewport(labBox, lay.targetP) }
