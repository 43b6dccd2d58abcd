package flowlab

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
)

// drawLab redraws the panels whose data changed: at most one of the dear
// ones (heatmaps, the stages) a frame, so that results arriving together
// do not make one long frame; a full redraw draws them all.
func (l *Lab) drawLab(lay labLayout, now time.Time) {
	v := &l.v
	all := l.f.Full
	panels := []struct {
		dirty *bool
		draw  func(labLayout)
	}{
		{&v.dirtyTarget, l.drawLabTarget},
		{&v.dirtyStages, l.drawLabStages},
		{&v.dirtyModel, l.drawLabModel},
		{&v.dirtySamples, l.drawLabSamples},
	}
	if l.painting {
		v.dirtyTarget = true // the canvas follows the brush
	}
	drawn := false
	for i, p := range panels {
		if r := []image.Rectangle{lay.target, lay.stages, lay.model, lay.samples}[i]; r.Empty() {
			*p.dirty = false // not shown (views=)
			continue
		}
		if *p.dirty {
			p.draw(lay)
			*p.dirty, drawn = false, true
			if !all {
				break
			}
		}
	}
	// The stage view's remaining columns, one a frame.
	if p := v.stagePlan; !drawn && p != nil && p.next < len(p.stages) && !lay.stages.Empty() {
		l.drawStageColumn(p)
	}
	v.charts.Every = labChartsEvery
	if v.dirtyCharts || v.charts.Due(now) && l.playing {
		l.drawLabCharts(lay)
		v.charts.Done(now)
		v.dirtyCharts = false
	}
}

// caption writes a line under a panel's plot, shortened to fit.
func (l *Lab) caption(dst *image.RGBA, r image.Rectangle, text string) {
	text = scene.FitText(l.f.Theme.Small, r.Dx()-l.f.Px(16), text)
	render.DrawText(dst, l.f.Theme.Small, r.Min.X+l.f.Px(10), r.Max.Y-l.f.Px(5), text, l.f.Theme.MutedText, render.AlignLeft, render.AlignBottom)
}

// centreText writes a message in the middle of a plot.
func (l *Lab) centreText(dst *image.RGBA, r image.Rectangle, text string) {
	render.DrawParagraph(dst, l.f.Theme.Label, r.Inset(l.f.Px(12)), text, l.f.Theme.MutedText)
}

func (l *Lab) drawLabTarget(lay labLayout) {
	th := l.f.Theme
	target := l.s.Values.Choice("target")
	dst := l.f.Panel(lay.target, "Target p*")
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
			l.centreText(dst, plot, "Press and drag here to paint a density.")
		}
	case l.energy != nil && l.v.targetKey == l.targetKey():
		render.Heatmap(dst, vp, l.v.target, labLinear, render.ValueRange{Lo: 0, Hi: l.v.targetPeak}, th.NoData)
	case l.train != nil:
		render.Scatter(dst, vp, scene.AppendPoints(nil, l.train), []color.RGBA{render.WithAlpha(th.Text, 0.35)}, 1.6*l.f.Scale)
	case l.err != "":
		l.centreText(dst, plot, l.err)
	}
	render.StrokeRect(dst, plot.Inset(-1), th.Frame)
	caption := "exp(−U) on [−4, 4]² · drag here to paint"
	switch {
	case target == session.PaintedTarget:
		caption = "your painting · drag to paint, let go to refit"
	case l.train != nil:
		caption = fmt.Sprintf("%d points of %s", l.train.RawMatrix().Rows, target)
	}
	l.caption(dst, lay.target, caption)
	if target == session.PaintedTarget {
		c := ui.NewContext(th, l.f.Scale)
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

func (l *Lab) drawLabModel(lay labLayout) {
	th := l.f.Theme
	K := l.cfg.layers
	dst := l.f.Panel(lay.model, fmt.Sprintf("Flow density q (K = %d)", K), fmt.Sprintf("q (K = %d)", K))
	plot := labPlot(lay.model, l.f.Scale)
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
		l.centreText(dst, plot, l.err)
	} else {
		l.centreText(dst, plot, "computing…")
	}
	render.StrokeRect(dst, plot.Inset(-1), th.Frame)
	l.caption(dst, lay.model, fmt.Sprintf("%s layers · step %d · %d² grid", l.cfg.kind, max(0, l.v.snapStep), l.v.model.NX))
}

func (l *Lab) drawLabSamples(lay labLayout) {
	plot := labPlot(lay.samples, l.f.Scale)
	vp := render.FitViewport(labBox, plot)
	// The target under the samples changes only with the target: cached.
	key := fmt.Sprint(lay.samples, l.cfg.target, l.cfg.seed, l.v.targetKey, l.targetKey())
	dst := l.f.CachedPanel(&l.v.samplesBG, key, lay.samples, func(bg *image.RGBA) {
		l.drawSamplesBackground(bg, lay, plot, vp)
	})
	render.Scatter(dst, vp, l.v.samples, []color.RGBA{render.WithAlpha(l.f.Theme.Sample, 0.6)}, 1.6*l.f.Scale)
	l.caption(dst, lay.samples, fmt.Sprintf("%d samples over the target", len(l.v.samples)))
}

func (l *Lab) drawSamplesBackground(dst *image.RGBA, lay labLayout, plot image.Rectangle, vp render.Viewport) {
	th := l.f.Theme
	render.FillRect(dst, lay.samples, th.Panel)
	render.DrawText(dst, th.Title, lay.samples.Min.X+l.f.Px(10), lay.samples.Min.Y+l.f.Px(14), scene.FitText(th.Title, lay.samples.Dx()-l.f.Px(20), "Samples of q", "Samples"), th.Text, render.AlignLeft, render.AlignMiddle)
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
		render.Scatter(dst, vp, scene.AppendPoints(nil, l.train), []color.RGBA{render.WithAlpha(th.MutedText, 0.3)}, 1.4*l.f.Scale)
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

func (l *Lab) drawLabStages(lay labLayout) {
	th := l.f.Theme
	r := lay.stages
	inner := l.f.Inside(r, 24, 4, 4, 4)
	stages := l.v.stages
	key := fmt.Sprint(r, len(stages))
	old := l.v.stagePlan
	if l.f.Full || old == nil || old.key != key {
		// A new layout: the whole panel again.
		dst := l.f.Panel(r, "Layer by layer (sampling direction): the density and a grid after each stage; below, log|det J| of the stage's last layer", "Layer by layer (sampling direction)")
		render.FillRect(dst, inner, th.Background)
		if len(stages) == 0 {
			msg := "computing…"
			if l.err != "" {
				msg = l.err
			}
			l.centreText(dst, inner, msg)
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
	l.drawStageBars(p)
	if l.f.Full {
		for range n {
			l.drawStageColumn(p)
		}
		return
	}
	l.drawStageColumn(p)
}

// drawStageColumn draws the plan's next column.
func (l *Lab) drawStageColumn(p *stagePlan) {
	th := l.f.Theme
	k := p.next
	p.next++
	st := p.stages[k]
	x0 := p.inner.Min.X + p.gap + k*(p.side+p.gap)
	col := image.Rect(x0, p.inner.Min.Y, x0+p.side, p.inner.Min.Y+p.gap+p.rows*(p.titleH+p.side+p.gap))
	dst := l.f.Image.SubImage(col).(*image.RGBA)
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
	l.f.MarkDirty(col)
}

// drawStageBars draws the colour bars right of the columns.
func (l *Lab) drawStageBars(p *stagePlan) {
	th := l.f.Theme
	n := len(p.stages)
	x := p.inner.Min.X + p.gap + n*(p.side+p.gap)
	r := image.Rect(x, p.inner.Min.Y, min(p.inner.Max.X, x+stageBarW), p.inner.Max.Y)
	dst := l.f.Image.SubImage(r).(*image.RGBA)
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
	l.f.MarkDirty(r)
}

func (l *Lab) drawLabCharts(lay labLayout) {
	data := l.energy == nil
	name := "Loss per step: E[log q + β·U]"
	if data {
		name = "Loss per step: batch NLL"
	}
	if !lay.loss.Empty() { // not shown (views=): skipped
		l.drawLabLoss(lay, name)
	}
	if !lay.score.Empty() {
		l.drawLabScore(lay, data)
	}
}

// drawLabLoss draws the loss chart.
func (l *Lab) drawLabLoss(lay labLayout, name string) {
	th := l.f.Theme
	dst := l.f.Panel(lay.loss, name)
	plot := l.f.Inside(lay.loss, 24, 6, 4, 4)
	if len(l.loss.X) > 1 {
		render.LineChart(dst, plot, []render.Series{{Name: name, X: l.loss.X, Y: l.loss.Y, Width: 1.5 * l.f.Scale}}, render.ChartOptions{XLabel: "step", HideLegend: true}, th)
	} else {
		render.DrawText(dst, th.Label, (plot.Min.X+plot.Max.X)/2, (plot.Min.Y+plot.Max.Y)/2, "press Play (space) to fit", th.MutedText, render.AlignCenter, render.AlignMiddle)
	}
}

// drawLabScore draws the score chart: the KL or the held-out NLL.
func (l *Lab) drawLabScore(lay labLayout, data bool) {
	th := l.f.Theme
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
	dst := l.f.Panel(lay.score, title)
	plot := l.f.Inside(lay.score, 24, 6, 4, 4)
	switch {
	case len(l.score.X) > 1:
		render.LineChart(dst, plot, []render.Series{{Name: "", X: l.score.X, Y: l.score.Y, Width: 1.5 * l.f.Scale, Color: th.Palette[1]}}, render.ChartOptions{XLabel: "step", HideLegend: true}, th)
	default:
		render.DrawText(dst, th.Label, (plot.Min.X+plot.Max.X)/2, (plot.Min.Y+plot.Max.Y)/2, "estimated while fitting", th.MutedText, render.AlignCenter, render.AlignMiddle)
	}
}
