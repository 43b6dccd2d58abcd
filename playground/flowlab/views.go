package flowlab

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
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

func newLabLayout(r image.Rectangle, scale float64, views []string) labLayout {
	px := func(v float64) int { return int(math.Round(v * scale)) }
	if views != nil {
		return shownLabLayout(r, scale, views)
	}
	const gap = 8
	u := ui.Layout{Scale: scale, Gap: gap}
	in := r.Inset(px(gap))
	// Three square-ish panels, then the charts' column: a quarter of the
	// width, at least 220 CSS pixels.
	cols := u.Columns(nil, in, ui.Flex(1), ui.Flex(1), ui.Flex(1), ui.Fixed(math.Max(float64(in.Dx())*0.26/scale, 220)))
	topH := min(cols[0].Dx()+px(44), in.Dy()*50/100)
	rows := u.Rows(nil, in, ui.Fixed(float64(topH)/scale), ui.Flex(1))
	top := func(c image.Rectangle) image.Rectangle {
		return image.Rect(c.Min.X, rows[0].Min.Y, c.Max.X, rows[0].Max.Y)
	}
	l := labLayout{area: r}
	l.target, l.model, l.samples = top(cols[0]), top(cols[1]), top(cols[2])
	charts := u.Rows(nil, top(cols[3]), ui.Flex(1), ui.Flex(1))
	l.loss, l.score = charts[0], charts[1]
	l.stages = rows[1]
	l.targetP = labPlot(l.target, scale)
	l.placeButtons(scale, 20)
	return l
}

// placeButtons puts the painting's clear and face buttons, h CSS pixels
// high, at the target panel's top right.
func (l *labLayout) placeButtons(scale, h float64) {
	px := func(v float64) int { return int(math.Round(v * scale)) }
	bw, bh := px(52), px(h)
	l.clearButton = image.Rect(l.target.Max.X-px(6)-bw, l.target.Min.Y+px(4), l.target.Max.X-px(6), l.target.Min.Y+px(4)+bh)
	l.faceButton = l.clearButton.Add(image.Pt(-bw-px(4), 0))
}

// shownLabLayout places only the panels named in views (target, model,
// samples, loss, score, stages; none of them: all); the others are empty.
func shownLabLayout(r image.Rectangle, scale float64, views []string) labLayout {
	px := func(v float64) int { return int(math.Round(v * scale)) }
	l := labLayout{area: r}
	pick := func(names []string, rects ...*image.Rectangle) []*image.Rectangle {
		var out []*image.Rectangle
		for i, n := range names {
			if slices.Contains(views, n) {
				out = append(out, rects[i])
			}
		}
		return out
	}
	squares := pick([]string{"target", "model", "samples"}, &l.target, &l.model, &l.samples)
	charts := pick([]string{"loss", "score"}, &l.loss, &l.score)
	stages := pick([]string{"stages"}, &l.stages)
	if len(squares)+len(charts)+len(stages) == 0 {
		return newLabLayout(r, scale, nil)
	}
	var bottom *image.Rectangle
	if len(stages) > 0 {
		bottom = &l.stages
	}
	scene.Arrange(r.Inset(px(8)), squares, charts, bottom, px(8), scale)
	if !l.target.Empty() {
		l.targetP = labPlot(l.target, scale)
		l.placeButtons(scale, 20)
	}
	return l
}

// phoneLabLayout stacks the lab's panels in a phone's one column: the
// target, the flow's density and its samples at full width, the charts,
// the stages. Its last panel ends at the bottom of the sheet SheetLayout
// asks for.
func phoneLabLayout(r image.Rectangle, scale float64) labLayout {
	px := func(v float64) int { return int(math.Round(v * scale)) }
	g := px(8)
	w := r.Dx() - 2*g
	y := r.Min.Y + g
	next := func(h int) image.Rectangle {
		p := image.Rect(r.Min.X+g, y, r.Min.X+g+w, y+h)
		y += h + g
		return p
	}
	l := labLayout{area: r}
	square := w + px(30) // a square plot below the title, above the caption (labPlot)
	l.target, l.model, l.samples = next(square), next(square), next(square)
	l.loss, l.score = next(px(170)), next(px(150))
	l.stages = next(w * 6 / 10)
	l.targetP = labPlot(l.target, scale)
	l.placeButtons(scale, 20)
	return l
}

// labLayoutFor is the layout of f's main area: stacked in an upright
// phone's sheet (see SheetLayout), else newLabLayout; the painting's
// buttons as high as the layout asks (a finger's height on a touch screen).
func labLayoutFor(f *scene.Frame) labLayout {
	var l labLayout
	if f.Layout.Compact && f.Views == nil && f.Layout.Main.Dx() < f.Px(scene.UprightWidth) {
		l = phoneLabLayout(f.Layout.Main, f.Scale)
	} else {
		l = newLabLayout(f.Layout.Main, f.Scale, f.Views)
	}
	if !l.target.Empty() {
		l.placeButtons(f.Scale, f.Layout.Target(20))
	}
	return l
}

// SheetLayout is the lab's sheet on a phone: upright, as tall as its one
// column (phoneLabLayout); on its side, the wide layout at the view's
// height.
func (l *Lab) SheetLayout(sl scene.Layout, _ []string) scene.Layout {
	s := sl.SheetOf(0)
	if s.Main.Dx() >= int(math.Round(scene.UprightWidth*s.Scale())) {
		return s
	}
	lay := phoneLabLayout(s.Main, s.Scale())
	return sl.SheetOf(lay.stages.Max.Y + int(math.Round(8*s.Scale())))
}

// labPlot is a panel's square plot: below the title, above the caption.
func labPlot(r image.Rectangle, scale float64) image.Rectangle {
	u := ui.Layout{Scale: scale}
	mid := u.Rows(nil, r, ui.Fixed(28), ui.Flex(1), ui.Fixed(18))
	return scene.SquareIn(u.Columns(nil, mid[1], ui.Fixed(8), ui.Flex(1), ui.Fixed(8))[1])
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

// refresh runs the view tasks within the frame's view budget and starts a
// new refresh when the flow moved (or the pause asks for fine grids).
func (l *Lab) refresh(now time.Time) {
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
func (l *Lab) startCycle(fine bool) {
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
	st := tw.Stages() // the twin never steps: a snapshot for the stage tasks
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
			samples = scene.AppendPoints(samples, st[len(st)-1])
			if done+labSampleChunk >= labSamples {
				v.samples, v.dirtySamples = samples, true
			}
		})
	}
	// The stages: densities, warped grid lines, log-dets.
	idx := scene.StageIndices(K)
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
			lines = pushLines(st, lines, from, j)
			stages[n].Lines = lines
			if j > 0 {
				stages[n].LogDet = layerLogDet(st, j-1, sres/2)
			}
		})
		prev = j
	}
	v.queue = append(v.queue, func() { v.stages, v.dirtyStages = stages, true })
	// The score: a KL estimate (energies) or the held-out NLL (data).
	if l.energy != nil {
		l.queueKL(st, nKL)
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
func (l *Lab) queueDensity(g render.Grid, k int, done func()) {
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
func (l *Lab) queueTarget() {
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
func (l *Lab) queueLogZ() {
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
func (l *Lab) queueKL(st *core.FlowStages, n int) {
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
			z, logq := mat.NewDense(m, 2, nil), make([]float64, m)
			st.PushFromBase(z, logq, base, st.NumLayers())
			for i := range m {
				zi := z.RawRowView(i)
				if !core.InsideEnergyBox(zi) {
					continue
				}
				inside++
				sum += logq[i] + e.Energy(zi, nil)
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

// pushLines pushes grid lines from stage from to stage to, in one batch.
func pushLines(st *core.FlowStages, lines [][]render.Point, from, to int) [][]render.Point {
	if from == to {
		return lines
	}
	return scene.MapLines(lines, func(pts []render.Point) *mat.Dense {
		z := scene.PointRows(pts)
		st.Push(z, z, from, to)
		return z
	})
}

// layerLogDet is log|det J| of sampling layer k over the plane of its
// output (where the stage's density is drawn), on a res² grid: there the
// density changed by −log|det J|.
func layerLogDet(st *core.FlowStages, k, res int) render.Grid {
	g := render.NewGrid(labBox, res, res)
	b := labBox
	st.GridLayerLogDet(g.Values, core.PlaneGrid{X0: b.Min.X, Y0: b.Min.Y, X1: b.Max.X, Y1: b.Max.Y, NX: res, NY: res}, k, 0, res)
	return g
}

// labLinear is the colour map of the lab's linear densities.
var labLinear = render.Viridis
