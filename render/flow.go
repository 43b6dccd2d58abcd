package render

import (
	"image"
	"image/color"

	"github.com/vaeplayground/vae/i18n"
)

// GridLines returns the lines of a regular grid over b: n vertical lines
// followed by n horizontal ones (edges included, n ≥ 2), each sampled at
// samples points (≥ 2) so that it bends smoothly once pushed through a flow.
// Push every point through the flow's layers and hand each stage's lines to
// Polylines or FlowView to show how the layers warp space.
func GridLines(b Rect, n, samples int) [][]Point {
	n, samples = max(n, 2), max(samples, 2)
	lines := make([][]Point, 0, 2*n)
	for k := range n {
		x := b.Min.X + b.Dx()*float64(k)/float64(n-1)
		l := make([]Point, samples)
		for s := range l {
			l[s] = Point{x, b.Min.Y + b.Dy()*float64(s)/float64(samples-1)}
		}
		lines = append(lines, l)
	}
	for k := range n {
		y := b.Min.Y + b.Dy()*float64(k)/float64(n-1)
		l := make([]Point, samples)
		for s := range l {
			l[s] = Point{b.Min.X + b.Dx()*float64(s)/float64(samples-1), y}
		}
		lines = append(lines, l)
	}
	return lines
}

// Polylines draws every line (data-space points, joined in order) through
// vp as anti-aliased strokes of the given width in pixels, clipped to
// vp.Pixels. All lines are painted as one shape, so crossings of translucent
// lines are not darker.
func Polylines(dst *image.RGBA, vp Viewport, lines [][]Point, c color.RGBA, width float64) {
	var s shape
	var px []vec
	for _, l := range lines {
		px = px[:0]
		for _, p := range l {
			x, y := vp.ToPixel(p)
			px = append(px, vec{x, y})
		}
		s.polyline(px, width/2, false)
	}
	s.fill(dst, vp.Pixels, c)
}

// FlowStageIndices picks the stages of a K-layer flow that FlowView shows:
// every stage when K ≤ 4, else five (the base, the model and the quarters
// between).
func FlowStageIndices(k int) []int {
	if k <= 4 {
		out := make([]int, max(k, 0)+1)
		for i := range out {
			out[i] = i
		}
		return out
	}
	return []int{0, k / 4, k / 2, 3 * k / 4, k}
}

// FlowStage is what FlowView shows of one stage of a normalizing flow: the
// base distribution (stage 0) or the distribution after layer k.
type FlowStage struct {
	Title   string
	Density Grid      // log-density of the stage's distribution; a zero Grid leaves the panel empty
	Lines   [][]Point // the regular grid pushed through the layers so far (GridLines)
	LogDet  Grid      // log|det J| of the stage's layer over the plane; zero for the base
}

// FlowView lays the stages out as columns inside r, over the data rectangle
// view: the top row shows each stage's density (Viridis, one AutoLogRange
// shared by all stages so they compare) under its warped grid; the bottom
// row, present when any stage has a LogDet grid, shows log|det J| with the
// Diverging map over one shared SymmetricRange (blue contracts, orange
// expands, dark keeps volume). Colour bars for both sit on the right. It
// returns the viewports of the density and log-det panels, one per stage
// (a stage without a log-det map gets a zero Viewport).
func FlowView(dst *image.RGBA, r image.Rectangle, view Rect, stages []FlowStage, th *Theme) (density, logdet []Viewport) {
	FillRect(dst, r, th.Background)
	n := len(stages)
	if n == 0 {
		return nil, nil
	}
	var densRanges []ValueRange
	var detValues []float64
	hasDet := false
	for _, s := range stages {
		if s.Density.valid() {
			densRanges = append(densRanges, AutoLogRange(s.Density.Values, 0))
		}
		if s.LogDet.valid() {
			hasDet = true
			detValues = append(detValues, s.LogDet.Values...)
		}
	}
	densRange := MergeRanges(densRanges...)
	if len(densRanges) > 0 {
		// Shared range: top at the highest peak, span below it as usual.
		densRange.Lo = max(densRange.Lo, densRange.Hi-DefaultLogSpan)
	}
	detRange := SymmetricRange(detValues)

	rows := 1
	if hasDet {
		rows = 2
	}
	const gap, barW = 10, 80
	titleH := LineHeight(th.Title) + 6
	cellW := (r.Dx() - barW - gap*(n+1)) / n
	cellH := (r.Dy() - gap - rows*(titleH+gap)) / rows
	side := max(min(cellW, cellH), 8)
	density = make([]Viewport, n)
	logdet = make([]Viewport, n)
	rowTitles := []string{"density", "log|det J|"}
	for row := range rows {
		y0 := r.Min.Y + gap + row*(titleH+side+gap)
		for k, s := range stages {
			x0 := r.Min.X + gap + k*(side+gap)
			panel := image.Rect(x0, y0+titleH, x0+side, y0+titleH+side)
			title := s.Title
			if row == 1 {
				title = rowTitles[1]
			}
			DrawText(dst, th.Title, x0, y0, i18n.T(title), th.Text, AlignLeft, AlignTop)
			FillRect(dst, panel, th.Panel)
			vp := FitViewport(view, panel)
			if row == 0 {
				density[k] = vp
				if s.Density.valid() {
					Heatmap(dst, vp, s.Density, Viridis, densRange, th.NoData)
				}
				Polylines(dst, vp, s.Lines, WithAlpha(th.Overlay, 0.45), 1)
			} else if s.LogDet.valid() {
				logdet[k] = vp
				Heatmap(dst, vp, s.LogDet, Diverging, detRange, th.NoData)
			} else {
				DrawText(dst, th.Small, (panel.Min.X+panel.Max.X)/2, (panel.Min.Y+panel.Max.Y)/2, i18n.T("base: no layer"), th.MutedText, AlignCenter, AlignMiddle)
			}
			StrokeRect(dst, panel, th.Frame)
		}
		barX := r.Min.X + gap + n*(side+gap)
		bar := image.Rect(barX, y0, barX+barW, y0+titleH+side)
		if row == 0 {
			Colorbar(dst, bar, Viridis, densRange, "log p", th)
		} else {
			Colorbar(dst, bar, Diverging, detRange, "log|det J|", th)
		}
	}
	return density, logdet
}
