package vaeview

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
	"gonum.org/v1/gonum/mat"
)

// dataInput: select a data point, draw, erase. Drawing and erasing
// follow the whole stroke of the frame (in.Drag), not only where the
// pointer ended: a finger's stroke through a slow frame keeps its points.
func (vw *View) dataInput(in ui.Input) {
	s, vp := vw.s, vw.dataVP
	if vp.Pixels.Empty() {
		return
	}
	switch tools[vw.tool] {
	case "inspect":
		if in.Pressed && in.In(vp.Pixels) {
			best, row := math.Pow(float64(vw.f.Px(8)), 2), -1
			for i, q := range vw.v.dataPts {
				x, y := vp.ToPixel(q)
				if d := (x-float64(in.X))*(x-float64(in.X)) + (y-float64(in.Y))*(y-float64(in.Y)); d < best {
					best, row = d, vw.v.rows[i]
				}
			}
			if row >= 0 {
				vw.selectRow(row)
				vw.refreshSelection()
				s.Message = fmt.Sprintf("selected data point %d", row)
			}
		}
	case "draw":
		step := vw.v.dataBox.Dx() / 60
		for i, at := range in.Drag() {
			if !at.In(vp.Pixels) {
				continue
			}
			p := vp.ToData(float64(at.X)+0.5, float64(at.Y)+0.5)
			if in.Pressed && i == 0 || math.Hypot(p.X-vw.lastDrawPt.X, p.Y-vw.lastDrawPt.Y) > step {
				if err := s.AddPoint(p.X, p.Y, vw.class); err != nil {
					s.Message = err.Error()
				}
				vw.lastDrawPt = p
				vw.f.ControlsDirty = true
			}
		}
	case "erase":
		for _, at := range in.Drag() {
			if !at.In(vp.Pixels) {
				continue
			}
			p := vp.ToData(float64(at.X)+0.5, float64(at.Y)+0.5)
			if n := s.ErasePoints(p.X, p.Y, vw.v.dataBox.Dx()/25); n > 0 {
				vw.f.ControlsDirty = true
			}
		}
	}
}

// drawData places the data view (its viewport) and, with paint, draws it.
func (vw *View) drawData(now time.Time, paint bool) {
	s, v, th := vw.s, &vw.v, vw.f.Theme
	title := "Data space"
	if tools[vw.tool] != "inspect" {
		title += " — " + tools[vw.tool] + " (click or drag)"
	}
	r := vw.f.Layout.Data
	if r.Empty() { // not shown (views=)
		vw.dataVP = render.Viewport{}
		return
	}
	plot := scene.SquareIn(vw.panelFrame(image.NewRGBA(image.Rectangle{}), r, title))
	vp := render.FitViewport(v.dataBox, plot)
	vw.dataVP = vp
	if !paint {
		return
	}
	// The legend in as many words as the panel holds.
	legends := []string{"grey: data · colours: reconstructions · orange: samples", "grey: data · colours: recon. · orange: samples", "data · recon. · samples"}
	if s.Config.Bayes.Decoder {
		legends = []string{"grey: data · colours: reconstructions · orange: samples · white: decoder draws", "grey: data · colours: recon. · orange: samples · white: draws", "data · recon. · samples · draws"}
	}
	legend := scene.FitText(th.Small, plot.Max.X-r.Min.X-vw.f.Px(10), legends...)
	key := fmt.Sprint(title, vp, vw.dataVersion, legend)
	dst := vw.layered(&vw.dataPanel, &vw.dataDots, &vw.dataDrawn, key, r, func(bg *image.RGBA) {
		vw.panelFrame(bg, r, title)
		render.FillRect(bg, plot, th.Background)
		render.DrawAxes(bg, vp, th)
		render.Scatter(bg, vp, v.dataPts, []color.RGBA{render.WithAlpha(th.MutedText, 0.35)}, 2.4*vw.f.Scale)
		render.DrawText(bg, th.Small, plot.Max.X, r.Max.Y-vw.f.Px(6), legend, th.MutedText, render.AlignRight, render.AlignBottom)
	}, func(dst *image.RGBA) {
		render.Scatter(dst, vp, v.samples, []color.RGBA{render.WithAlpha(th.Sample, 0.55)}, 1.8*vw.f.Scale)
		render.Scatter(dst, vp, v.recon, render.ClassColors(v.classes, th.Palette, 0.7), 1.6*vw.f.Scale)
		if len(v.cloud) > 0 {
			render.Scatter(dst, vp, v.cloud, []color.RGBA{render.WithAlpha(th.Overlay, 0.5)}, 1.6*vw.f.Scale)
		}
	})
	if v.decoded != nil {
		vw.marker(dst, vp, *v.decoded, th.Selection)
	}
	vw.drawMarks(dst, vp, true)
	if vw.interp() > 0 && len(v.pathLin) > 0 {
		t := vw.pathT(now)
		for _, sph := range vw.pathModes() {
			path := v.pathLin
			if sph {
				path = v.pathSph
			}
			render.Polylines(dst, vp, [][]render.Point{path}, pathColor(th, sph), 1.5*vw.f.Scale)
			f := t * float64(len(path)-1)
			i := min(len(path)-2, int(f))
			p := render.Lerp(nil, []float64{path[i].X, path[i].Y}, []float64{path[i+1].X, path[i+1].Y}, f-float64(i))
			vw.marker(dst, vp, render.Point{X: p[0], Y: p[1]}, pathColor(th, sph))
		}
	}
	if s.Values.Choice("data") == session.DrawnSet || tools[vw.tool] == "draw" {
		render.DrawText(dst, th.Small, plot.Min.X+vw.f.Px(6), plot.Max.Y-vw.f.Px(6), fmt.Sprintf("%d drawn points, %s", s.Drawn.Len(), className(vw.class)), th.ClassColor(vw.class), render.AlignLeft, render.AlignBottom)
	}
}

func (vw *View) drawFlow() {
	s, th := vw.s, vw.f.Theme
	if vw.f.Layout.Flow.Empty() { // not shown (views=): nothing to compute
		return
	}
	res := 96
	if vw.Playing() {
		res = 48
	}
	stages, box, title := flowStages(s, vw.selectedRow, res, vw.rng)
	vw.decoderMap = len(stages) == 0
	if len(stages) == 0 {
		title = "Decoder map (no flow in this model)"
	} else {
		title = "Flow view — " + title
	}
	dst, _ := vw.panel(vw.f.Layout.Flow, title)
	r := vw.f.Layout.Flow
	if len(stages) == 0 {
		// No flow to show: the decoder's map instead — the latent view's
		// grid pushed through the decoder into data space.
		plot := scene.SquareIn(image.Rect(r.Min.X+vw.f.Px(40), r.Min.Y+vw.f.Px(30), r.Min.X+r.Dx()/2, r.Max.Y-vw.f.Px(24)))
		vp := render.FitViewport(vw.v.dataBox, plot)
		render.FillRect(dst, plot, th.Background)
		render.DrawAxes(dst, vp, th)
		render.Scatter(dst, vp, vw.v.dataPts, []color.RGBA{render.WithAlpha(th.MutedText, 0.25)}, 1.6*vw.f.Scale)
		render.Polylines(dst, vp, vw.decoderGrid(), render.WithAlpha(th.Palette[3], 0.9), 1.2*vw.f.Scale)
		text := "Decoder map: the latent view's grid lines, decoded into data space. Where lines crowd, the decoder squeezes much of the latent plane into little data space.\n\n" + flowHelp
		render.DrawParagraph(dst, th.Label, image.Rect(r.Min.X+r.Dx()/2+vw.f.Px(16), r.Min.Y+vw.f.Px(36), r.Max.X-vw.f.Px(10), r.Max.Y), text, th.MutedText)
		return
	}
	render.FlowView(dst, vw.f.Inside(r, 26, 4, 4, 4), box, stages, th)
}

// decoderGrid decodes the latent view's grid lines (other dimensions 0).
func (vw *View) decoderGrid() [][]render.Point {
	s, v := vw.s, &vw.v
	return scene.MapLines(render.GridLines(v.latentRect(), 11, 40), func(pts []render.Point) *mat.Dense {
		var z, d mat.Dense
		planeRows(&z, pts, s.Config.LatentDim, v.dimX, v.dimY)
		s.Model.Decode(&d, &z)
		return &d
	})
}

const flowHelp = "A normalizing flow bends a simple density into a complex one through invertible layers, keeping track of how each layer stretches space (its log-determinant). " +
	"Choose prior → flow to learn p(z) as N(0, I) pushed through planar or radial layers, or posterior flow → planar/radial to make q(z|x) more flexible than an ellipse. This view then shows each layer's density and warped grid."
