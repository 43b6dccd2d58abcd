package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// Component is one Gaussian of a mixture (a mixture prior in a 2-D latent):
// mean, covariance and mixing weight.
type Component struct {
	Mean   Point
	Cov    Cov2
	Weight float64
}

// HandleRadius is the radius in pixels of a mixture component's handle, and
// CovHandleRadius that of its covariance handles.
const (
	HandleRadius    = 6.0
	CovHandleRadius = 4.0
)

// MixtureComponents draws every component in its palette colour: its 1σ and
// 2σ ellipses, a handle (a ringed dot) at its mean that the user can drag,
// two covariance handles (small rings, see CovHandles) that reshape it,
// and its weight as "π=0.25" beside the handle. Component active (or −1 for
// none) is drawn emphasised: a thicker outline and a larger handle.
func MixtureComponents(dst *image.RGBA, vp Viewport, comps []Component, active int, th *Theme) {
	halo := color.RGBA{0, 0, 0, 100}
	for k, c := range comps {
		col := th.ClassColor(k)
		w := 1.5
		if k == active {
			w = 2.5
		}
		// A dark halo under each outline keeps it legible on bright densities.
		DrawEllipse(dst, vp, c.Mean, c.Cov, 2, halo, w+2, WithAlpha(col, 0.10))
		DrawEllipse(dst, vp, c.Mean, c.Cov, 2, WithAlpha(col, 0.7), w-0.5, color.RGBA{})
		DrawEllipse(dst, vp, c.Mean, c.Cov, 1, halo, w+2.5, WithAlpha(col, 0.12))
		DrawEllipse(dst, vp, c.Mean, c.Cov, 1, col, w, color.RGBA{})
	}
	for k, c := range comps {
		col := th.ClassColor(k)
		r := HandleRadius
		if k == active {
			r += 2
		}
		x, y := vp.ToPixel(c.Mean)
		// The two covariance handles: small rings at the ends of the 1σ
		// ellipse's principal axes.
		for _, h := range CovHandles(c) {
			hx, hy := vp.ToPixel(h)
			fillDisk(dst, vp.Pixels, hx, hy, CovHandleRadius, WithAlpha(th.Background, 0.8))
			strokeCircle(dst, vp.Pixels, hx, hy, CovHandleRadius, 1.5, col)
		}
		fillDisk(dst, vp.Pixels, x+1, y+1.5, r+1, color.RGBA{0, 0, 0, 90}) // shadow
		fillDisk(dst, vp.Pixels, x, y, r, col)
		strokeCircle(dst, vp.Pixels, x, y, r, 1.5, th.Text)
		if !finite(x) || !finite(y) {
			continue
		}
		// The weight beside the handle, flipped to the other side where it
		// would leave the plot.
		label := fmt.Sprintf("π=%.2f", c.Weight)
		lw, lh := TextWidth(th.Small, label)+6, LineHeight(th.Small)+4
		lx, ly := int(math.Round(x+r+4)), int(math.Round(y-r-2))
		if lx+lw > vp.Pixels.Max.X {
			lx = int(math.Round(x-r-4)) - lw
		}
		if ly-lh < vp.Pixels.Min.Y {
			ly = int(math.Round(y+r+2)) + lh
		}
		DrawLabel(dst, th.Small, lx, ly, label, th.Text, WithAlpha(th.Background, 0.75))
	}
}

// HitHandle returns the index of the component whose handle is under pixel
// position (px, py) — within HandleRadius+2 pixels of its mean — picking the
// nearest when handles overlap, or −1 if none is.
func HitHandle(vp Viewport, comps []Component, px, py float64) int {
	best, bestD := -1, (HandleRadius+2)*(HandleRadius+2)
	for k, c := range comps {
		x, y := vp.ToPixel(c.Mean)
		if d := (x-px)*(x-px) + (y-py)*(y-py); d <= bestD {
			best, bestD = k, d
		}
	}
	return best
}

// CovHandles returns a component's two covariance handles: the ends of its
// 1σ ellipse's principal axes, the major axis first.
func CovHandles(c Component) [2]Point {
	major, minor, angle := c.Cov.Axes()
	ct, st := math.Cos(angle), math.Sin(angle)
	return [2]Point{
		{c.Mean.X + major*ct, c.Mean.Y + major*st},
		{c.Mean.X - minor*st, c.Mean.Y + minor*ct},
	}
}

// HitCovHandle returns the component and axis (0 major, 1 minor) of the
// covariance handle under pixel (px, py), within CovHandleRadius+2 pixels,
// the nearest when several are; (−1, −1) if none is.
func HitCovHandle(vp Viewport, comps []Component, px, py float64) (component, axis int) {
	component, axis = -1, -1
	bestD := (CovHandleRadius + 2) * (CovHandleRadius + 2)
	for k, c := range comps {
		for a, h := range CovHandles(c) {
			x, y := vp.ToPixel(h)
			if d := (x-px)*(x-px) + (y-py)*(y-py); d <= bestD {
				component, axis, bestD = k, a, d
			}
		}
	}
	return component, axis
}

// DragCovHandle returns the covariance a component takes when its handle
// axis is dragged to p: that axis turns to point from the mean to p and takes
// the distance as its standard deviation; the other axis keeps its standard
// deviation and stays perpendicular. A diagonal-covariance model keeps XX
// and YY of the result (or constrains the drag to the coordinate axes).
func DragCovHandle(c Component, axis int, p Point) Cov2 {
	major, minor, _ := c.Cov.Axes()
	dx, dy := p.X-c.Mean.X, p.Y-c.Mean.Y
	s := math.Hypot(dx, dy)
	if s == 0 {
		return c.Cov
	}
	ux, uy := dx/s, dy/s // the dragged axis
	other := minor
	if axis == 1 {
		other = major
	}
	// Σ = s²·uuᵀ + other²·vvᵀ with v ⟂ u.
	vx, vy := -uy, ux
	return Cov2{
		XX: s*s*ux*ux + other*other*vx*vx,
		XY: s*s*ux*uy + other*other*vx*vy,
		YY: s*s*uy*uy + other*other*vy*vy,
	}
}
