package vaeview

import (
	"image"
	"math"

	"github.com/vaeplayground/vae/render"
)

// Mark is something another part of the playground points out in a view
// (a lesson's slow motion): a point, ringed or crossed, with a posterior
// ellipse, an arrow to another point and a label. Points are in the
// view's own coordinates: data space, or the full latent code (shown in
// the projected dimensions).
type Mark struct {
	Data  bool      // in the data view (else the latent view)
	At    []float64 // the point
	Sigma []float64 // the ellipse's standard deviations (latent), or nil
	To    []float64 // the arrow's head, or nil
	Ring  bool      // a ring (else a cross)
	Label string
}

// SetMarks replaces the marks drawn over the views (nil: none).
func (vw *View) SetMarks(marks []Mark) {
	vw.marks = marks
	vw.markViews()
}

// Marks are the marks drawn over the views.
func (vw *View) Marks() []Mark { return vw.marks }

// drawMarks draws the marks of one view (data or latent) over it.
func (vw *View) drawMarks(dst *image.RGBA, vp render.Viewport, data bool) {
	th := vw.f.Theme
	c := th.Selection
	at := func(p []float64) render.Point {
		if data || len(p) < 2 {
			if len(p) == 1 {
				return render.Point{X: p[0]}
			}
			return render.Point{X: p[0], Y: p[1]}
		}
		return render.Point{X: p[vw.v.dimX], Y: p[vw.v.dimY]}
	}
	for _, m := range vw.marks {
		if m.Data != data || m.At == nil {
			continue
		}
		p := at(m.At)
		if m.Sigma != nil {
			render.PosteriorEllipse(dst, vp, p, at(m.Sigma), th.Overlay)
		}
		if m.To != nil {
			q := at(m.To)
			render.Polylines(dst, vp, [][]render.Point{{p, q}}, c, 2*vw.f.Scale)
			// The head: two strokes back from q.
			x0, y0 := vp.ToPixel(p)
			x1, y1 := vp.ToPixel(q)
			a := math.Atan2(y1-y0, x1-x0)
			h := 9 * vw.f.Scale
			for _, da := range []float64{2.6, -2.6} {
				render.Polylines(dst, vp, [][]render.Point{{q, vp.ToData(x1+h*math.Cos(a+da), y1+h*math.Sin(a+da))}}, c, 2*vw.f.Scale)
			}
		}
		x, y := vp.ToPixel(p)
		if m.Ring {
			r := 9 * vw.f.Scale
			ring := make([]render.Point, 33)
			for i := range ring {
				t := 2 * math.Pi * float64(i) / 32
				ring[i] = vp.ToData(x+r*math.Cos(t), y+r*math.Sin(t))
			}
			render.Polylines(dst, vp, [][]render.Point{ring}, c, 2*vw.f.Scale)
		} else {
			vw.marker(dst, vp, p, c)
		}
		if m.Label != "" {
			render.DrawLabel(dst, th.Small, int(x)+vw.f.Px(10), int(y)-vw.f.Px(10), m.Label, th.Text, th.TooltipBG)
		}
	}
}
