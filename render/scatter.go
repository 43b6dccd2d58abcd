package render

import (
	"image"
	"image/color"
	"math"

	"github.com/vaeplayground/vae/i18n"
)

// Scatter draws a dot of the given radius in pixels at every finite point,
// with colours[k] for point k (or colours[0] for all when there is a single
// colour). Dots are anti-aliased and composited one by one in order, so
// translucent colours show where points pile up. Drawing is clipped to
// vp.Pixels.
func Scatter(dst *image.RGBA, vp Viewport, pts []Point, colours []color.RGBA, radius float64) {
	if len(colours) == 0 {
		return
	}
	for k, p := range pts {
		c := colours[0]
		if len(colours) > 1 {
			if k >= len(colours) {
				break
			}
			c = colours[k]
		}
		x, y := vp.ToPixel(p)
		fillDisk(dst, vp.Pixels, x, y, radius, c)
	}
}

// ClassColors returns one colour per point: the palette colour of its class
// (cycling through the palette; negative classes are grey) at opacity alpha.
func ClassColors(classes []int, palette []color.RGBA, alpha float64) []color.RGBA {
	out := make([]color.RGBA, len(classes))
	for k, c := range classes {
		col := color.RGBA{0x9a, 0xa1, 0xad, 255}
		if c >= 0 && len(palette) > 0 {
			col = palette[c%len(palette)]
		}
		out[k] = WithAlpha(col, alpha)
	}
	return out
}

// ValueColors returns one colour per point for a continuous factor: values
// mapped through cmap over vr, at opacity alpha.
func ValueColors(values []float64, cmap *Colormap, vr ValueRange, alpha float64) []color.RGBA {
	out := make([]color.RGBA, len(values))
	for k, v := range values {
		out[k] = WithAlpha(cmap.At(vr.Normalize(v)), alpha)
	}
	return out
}

// Cov2 is a symmetric 2×2 covariance matrix [[XX, XY], [XY, YY]].
type Cov2 struct{ XX, XY, YY float64 }

// DiagCov returns the covariance of independent coordinates with standard
// deviations sx and sy (a diagonal Gaussian posterior's σ).
func DiagCov(sx, sy float64) Cov2 { return Cov2{XX: sx * sx, YY: sy * sy} }

// Axes returns the semi-axis lengths (standard deviations along the principal
// directions, largest first) and the angle in radians of the first axis from
// the x axis. Negative eigenvalues (a covariance that is not positive
// semi-definite through rounding) are treated as zero.
func (c Cov2) Axes() (major, minor, angle float64) {
	mean := (c.XX + c.YY) / 2
	d := math.Hypot((c.XX-c.YY)/2, c.XY)
	major = math.Sqrt(math.Max(mean+d, 0))
	minor = math.Sqrt(math.Max(mean-d, 0))
	angle = 0.5 * math.Atan2(2*c.XY, c.XX-c.YY)
	return major, minor, angle
}

// EllipsePoints returns n points (in data space, anticlockwise) on the
// ellipse {x : (x−mean)ᵀ cov⁻¹ (x−mean) = nsigma²}: the nsigma-standard-
// deviation contour of the Gaussian N(mean, cov).
func EllipsePoints(mean Point, cov Cov2, nsigma float64, n int) []Point {
	a, b, th := cov.Axes()
	a, b = a*nsigma, b*nsigma
	ct, st := math.Cos(th), math.Sin(th)
	out := make([]Point, n)
	for k := range out {
		t := 2 * math.Pi * float64(k) / float64(n)
		u, v := a*math.Cos(t), b*math.Sin(t)
		out[k] = Point{mean.X + u*ct - v*st, mean.Y + u*st + v*ct}
	}
	return out
}

// DrawEllipse draws the nsigma contour of N(mean, cov) through vp: filled
// with fill (skip it with a zero colour) and outlined with stroke at width
// pixels (skip it with width 0). Clipped to vp.Pixels.
func DrawEllipse(dst *image.RGBA, vp Viewport, mean Point, cov Cov2, nsigma float64, stroke color.RGBA, width float64, fill color.RGBA) {
	// Enough vertices for the polygon to stay within a tenth of a pixel.
	a, _, _ := cov.Axes()
	sx, sy := vp.Scale()
	rpx := a * nsigma * math.Max(sx, sy)
	n := max(24, min(512, int(math.Ceil(math.Pi/math.Acos(math.Max(0, 1-0.1/math.Max(rpx, 0.1)))))))
	dp := EllipsePoints(mean, cov, nsigma, n)
	px := make([]vec, len(dp))
	for k, p := range dp {
		px[k].x, px[k].y = vp.ToPixel(p)
	}
	if fill.A != 0 {
		var s shape
		s.polygon(px...)
		s.fill(dst, vp.Pixels, fill)
	}
	if width > 0 && stroke.A != 0 {
		var s shape
		s.polyline(px, width/2, true)
		s.fill(dst, vp.Pixels, stroke)
	}
}

// PosteriorEllipse draws a highlighted code's posterior N(mu, diag σ²) as the
// μ ± 2σ ellipse, lightly filled and outlined in c, with a ringed dot at μ.
func PosteriorEllipse(dst *image.RGBA, vp Viewport, mu, sigma Point, c color.RGBA) {
	DrawEllipse(dst, vp, mu, DiagCov(sigma.X, sigma.Y), 2, c, 1.5, WithAlpha(c, 0.18))
	x, y := vp.ToPixel(mu)
	fillDisk(dst, vp.Pixels, x, y, 3.5, c)
	strokeCircle(dst, vp.Pixels, x, y, 3.5, 1.2, color.RGBA{255, 255, 255, 255})
}

// ClassLegend draws a legend for class colours (the palette colour of class
// k beside names[k], as ClassColors colours points) in a translucent box at
// the top-left corner of r, and returns the box. Long lists continue in
// further columns; what does not fit in r is left out.
func ClassLegend(dst *image.RGBA, r image.Rectangle, names []string, palette []color.RGBA, th *Theme) image.Rectangle {
	if len(names) == 0 || len(palette) == 0 {
		return image.Rectangle{}
	}
	const pad, dot = 6, 4.0
	shown := make([]string, len(names))
	for i, n := range names {
		shown[i] = i18n.T(n)
	}
	names = shown
	lh := LineHeight(th.Small) + 2
	rows := max(1, min(len(names), (r.Dy()-2*pad)/lh))
	cols := (len(names) + rows - 1) / rows
	colW := 0
	for _, n := range names {
		colW = max(colW, TextWidth(th.Small, n))
	}
	colW += int(3*dot) + 8
	box := image.Rect(r.Min.X+pad, r.Min.Y+pad, r.Min.X+pad+cols*colW+pad, r.Min.Y+pad+min(rows, len(names))*lh+pad)
	box = box.Intersect(r)
	FillRect(dst, box, WithAlpha(th.Background, 0.75))
	for k, n := range names {
		x := box.Min.X + pad + (k/rows)*colW
		y := box.Min.Y + pad + (k%rows)*lh
		if x+colW > box.Max.X+pad {
			break
		}
		fillDisk(dst, box, float64(x)+dot, float64(y)+float64(lh)/2, dot, palette[k%len(palette)])
		DrawText(dst, th.Small, x+int(3*dot), y+lh/2, n, th.Text, AlignLeft, AlignMiddle)
	}
	return box
}
