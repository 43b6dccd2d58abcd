package vaeview

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/playground/scene"
	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/session"
	"github.com/vaeplayground/vae/ui"
	"gonum.org/v1/gonum/mat"
)

// latentAt is the full latent code under the pointer in the latent view
// (shown dimensions from the pointer, the others from the selected code or
// 0), or nil when the pointer is elsewhere.
func (vw *View) latentAt(in ui.Input) []float64 {
	if !in.In(vw.latentVP.Pixels) {
		return nil
	}
	p := vw.latentVP.ToData(float64(in.X)+0.5, float64(in.Y)+0.5)
	z := make([]float64, vw.s.Config.LatentDim)
	if vw.selected != nil {
		copy(z, vw.selected)
	}
	z[vw.v.dimX] = p.X
	if vw.v.dimY != vw.v.dimX {
		z[vw.v.dimY] = p.Y
	}
	return z
}

// defaultPath sets the interpolation ends to the codes of two data rows
// of different classes (or far apart).
func (vw *View) defaultPath() {
	s := vw.s
	if s.Data == nil || s.Data.N == 0 {
		return
	}
	i, j := 0, s.Data.N-1
	for k := 0; k < s.Data.N; k++ {
		if s.Data.Label(k) != s.Data.Label(0) {
			j = k
			break
		}
	}
	codeOf := func(r int) []float64 {
		x := mat.NewDense(1, s.Data.D, append([]float64(nil), s.X.RawRowView(r)...))
		var mu mat.Dense
		s.Model.Encode(&mu, nil, x)
		return mu.RawRowView(0)
	}
	vw.pathA, vw.pathB = codeOf(i), codeOf(j)
}

// latentInput: hover, click to decode, mixture drags.
func (vw *View) latentInput(in ui.Input, now time.Time) {
	s, vp := vw.s, vw.latentVP
	if vp.Pixels.Empty() {
		return
	}
	inside := in.In(vp.Pixels)
	px, py := float64(in.X)+0.5, float64(in.Y)+0.5
	if in.Pressed && inside {
		vw.pressAt = image.Pt(in.X, in.Y)
		vw.dragComp, vw.dragAxis = -1, -1
		if len(vw.v.comps) > 0 {
			if k := render.HitHandle(vp, vw.v.comps, px, py); k >= 0 {
				vw.dragComp, vw.dragAxis = k, -1
			} else if k, ax := render.HitCovHandle(vp, vw.v.comps, px, py); k >= 0 {
				vw.dragComp, vw.dragAxis = k, ax
			}
		}
	}
	if vw.dragComp >= 0 && vw.dragComp < len(vw.v.comps) {
		c := &vw.v.comps[vw.dragComp]
		p := vp.ToData(px, py)
		if in.Down {
			if vw.dragAxis < 0 {
				c.Mean = p
			} else {
				c.Cov = render.DragCovHandle(*c, vw.dragAxis, p)
			}
			vw.markViews()
			if vw.dragT.Due(now) {
				vw.applyComponent(*c)
				vw.dragT.Done(now)
			}
		}
		if in.Released {
			vw.applyComponent(*c)
			vw.dragComp = -1
			s.Message = "prior component moved: training goes on from the moved prior"
		}
		return
	}
	// Hover: the nearest code within reach.
	old := vw.hover
	vw.hover = -1
	if inside {
		best := math.Pow(float64(vw.f.Px(8)), 2)
		for i, p := range vw.v.codes {
			x, y := vp.ToPixel(p)
			if d := (x-px)*(x-px) + (y-py)*(y-py); d < best {
				best, vw.hover = d, i
			}
		}
	}
	if vw.hover != old {
		vw.markViews()
	}
	if in.Released && inside && absInt(in.X-vw.pressAt.X)+absInt(in.Y-vw.pressAt.Y) < vw.f.Px(5) {
		if vw.hover >= 0 {
			vw.selectRow(vw.v.rows[vw.hover])
		} else {
			vw.selected = vw.latentAt(in)
		}
		vw.refreshSelection()
	}
}

func (vw *View) selectRow(r int) {
	vw.selectedRow = r
	mu := make([]float64, vw.s.Config.LatentDim)
	for i, vr := range vw.v.rows {
		if vr == r {
			copy(mu, vw.v.mu.RawRowView(i))
		}
	}
	vw.selected = mu
}

func (vw *View) refreshSelection() {
	vw.s.Version++ // recompute the decodes now
	vw.flowVersion = -1
}

func absInt(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

// applyComponent writes a dragged component back into the prior (the
// shown dimensions; the others keep their values).
func (vw *View) applyComponent(c render.Component) {
	s := vw.s
	mix, ok := s.Model.Prior.(*core.Mixture)
	if !ok || vw.dragComp >= mix.K() {
		return
	}
	full := mix.Components()[vw.dragComp]
	mean := append([]float64(nil), full.Mean...)
	vars := append([]float64(nil), full.Var...)
	mean[vw.v.dimX], mean[vw.v.dimY] = c.Mean.X, c.Mean.Y
	vars[vw.v.dimX], vars[vw.v.dimY] = math.Max(1e-4, c.Cov.XX), math.Max(1e-4, c.Cov.YY)
	if err := s.SetMixtureComponent(vw.dragComp, mean, vars); err != nil {
		s.Message = err.Error()
	}
}

// pathPoint is the moving marker's place on the path (0…1), a 4 s loop
// that goes there and back.
func (vw *View) pathT(now time.Time) float64 {
	t := math.Mod(now.Sub(vw.start).Seconds()/4, 1)
	return 1 - math.Abs(1-2*t)
}

// drawLatent places the latent view (its viewport) and, with paint, draws
// it.
func (vw *View) drawLatent(now time.Time, paint bool) {
	s, v, th := vw.s, &vw.v, vw.f.Theme
	title := "Latent space"
	if s.Config.LatentDim > 2 {
		title = fmt.Sprintf("Latent space: z%d, z%d (other dims 0 in the density)", v.dimX, v.dimY)
	}
	r := vw.f.Layout.Latent
	if r.Empty() { // not shown (views=)
		vw.latentVP = render.Viewport{}
		return
	}
	if s.Config.LatentDim > 2 {
		title = scene.FitText(vw.f.Theme.Title, r.Dx()-vw.f.Px(20), title, fmt.Sprintf("Latent space: z%d, z%d (others at 0)", v.dimX, v.dimY), fmt.Sprintf("Latent: z%d, z%d", v.dimX, v.dimY))
	}
	plot := scene.SquareIn(vw.panelFrame(image.NewRGBA(image.Rectangle{}), r, title))
	vp := render.FitViewport(v.latentRect(), plot)
	vw.latentVP = vp
	if !paint {
		return
	}
	// The density layer changes at its own, slower rate (bgVersion).
	key := fmt.Sprint(title, vp, vw.priorVersion, vw.priorComputed, len(s.Data.LabelNames))
	dst := vw.layered(&vw.latentPanel, &vw.latentDots, &vw.latentDrawn, key, r, func(bg *image.RGBA) {
		vw.panelFrame(bg, r, title)
		if len(v.prior.Values) > 0 {
			render.Heatmap(bg, vp, v.prior, render.Viridis, v.priorRange, th.NoData)
			if len(v.aggregate.Values) > 0 {
				peak := math.Inf(-1)
				for _, x := range v.aggregate.Values {
					peak = math.Max(peak, x)
				}
				render.Contours(bg, vp, v.aggregate, render.GaussianLevels(peak, 3), render.WithAlpha(th.Overlay, 0.8), 1.2*vw.f.Scale)
			}
		}
		render.DrawAxes(bg, vp, th)
		caption := scene.FitText(th.Small, plot.Max.X-r.Min.X-vw.f.Px(10), "background: log p(z) · contours: aggregate posterior", "log p(z) · contours: aggregate posterior", "log p(z) · contours: q(z)")
		render.DrawText(bg, th.Small, plot.Max.X, r.Max.Y-vw.f.Px(6), caption, th.MutedText, render.AlignRight, render.AlignBottom)
	}, func(dst *image.RGBA) {
		render.Scatter(dst, vp, v.codes, render.ClassColors(v.classes, th.Palette, 0.8), 2.2*vw.f.Scale)
	})
	if len(v.comps) > 0 {
		render.MixtureComponents(dst, vp, v.comps, vw.dragComp, th)
	}
	if vw.hover >= 0 && vw.hover < len(v.codes) {
		render.PosteriorEllipse(dst, vp, v.codes[vw.hover], v.sigmas[vw.hover], th.Overlay)
	}
	if vw.selected != nil {
		vw.marker(dst, vp, render.Point{X: vw.selected[v.dimX], Y: vw.selected[v.dimY]}, th.Selection)
	}
	vw.kind.overLatent(vw, dst, vp, now)
	vw.drawMarks(dst, vp, false)
	render.ClassLegend(dst, plot, s.Data.LabelNames, th.Palette, th)
}

// drawLatentPaths draws the interpolation paths over the latent view, each
// with its moving marker.
func (vw *View) drawLatentPaths(dst *image.RGBA, vp render.Viewport, now time.Time) {
	v, th := &vw.v, vw.f.Theme
	t := vw.pathT(now)
	for _, sph := range vw.pathModes() {
		codes := render.InterpolationCodes(vw.pathA, vw.pathB, pathSteps, sph)
		line := make([]render.Point, len(codes))
		for i, c := range codes {
			line[i] = render.Point{X: c[v.dimX], Y: c[v.dimY]}
		}
		render.Polylines(dst, vp, [][]render.Point{line}, pathColor(th, sph), 1.5*vw.f.Scale)
		z := make([]float64, len(vw.pathA))
		if sph {
			render.Slerp(z, vw.pathA, vw.pathB, t)
		} else {
			render.Lerp(z, vw.pathA, vw.pathB, t)
		}
		vw.marker(dst, vp, render.Point{X: z[v.dimX], Y: z[v.dimY]}, pathColor(th, sph))
	}
}

func (vw *View) pathModes() []bool {
	switch session.InterpModes[vw.interp()] {
	case "linear":
		return []bool{false}
	case "spherical":
		return []bool{true}
	case "both":
		return []bool{false, true}
	}
	return nil
}

func pathColor(th *render.Theme, spherical bool) color.RGBA {
	if spherical {
		return th.PathSpherical
	}
	return th.PathLinear
}

// marker draws a ringed cross at p.
func (vw *View) marker(dst *image.RGBA, vp render.Viewport, p render.Point, c color.RGBA) {
	x, y := vp.ToPixel(p)
	r := 6 * vw.f.Scale
	render.Polylines(dst, vp, [][]render.Point{
		{vp.ToData(x-r, y), vp.ToData(x+r, y)},
		{vp.ToData(x, y-r), vp.ToData(x, y+r)},
	}, c, 2*vw.f.Scale)
	sx, sy := vp.Scale()
	render.DrawEllipse(dst, vp, p, render.DiagCov(r/math.Abs(sx), r/math.Abs(sy)), 1, c, 1.5*vw.f.Scale, color.RGBA{})
}
