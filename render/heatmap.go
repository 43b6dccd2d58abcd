package render

import (
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/vaeplayground/vae/i18n"
)

// Grid holds values sampled at the cell centres of a regular NX×NY grid over
// Bounds. Values is row-major with row 0 at the bottom (Bounds.Min.Y): the
// value of cell (i, j) is Values[j*NX+i], sampled at Point(i, j).
type Grid struct {
	Values []float64
	NX, NY int
	Bounds Rect
}

// NewGrid returns a grid over bounds with nx×ny cells and zeroed values.
func NewGrid(bounds Rect, nx, ny int) Grid {
	return Grid{Values: make([]float64, nx*ny), NX: nx, NY: ny, Bounds: bounds}
}

// Point returns the data point at the centre of cell (i, j).
func (g Grid) Point(i, j int) Point {
	return Point{
		X: g.Bounds.Min.X + (float64(i)+0.5)*g.Bounds.Dx()/float64(g.NX),
		Y: g.Bounds.Min.Y + (float64(j)+0.5)*g.Bounds.Dy()/float64(g.NY),
	}
}

// Points appends the centres of all cells in Values order to dst: the batch
// of latent points a caller evaluates its log-density on.
func (g Grid) Points(dst []Point) []Point {
	for j := range g.NY {
		for i := range g.NX {
			dst = append(dst, g.Point(i, j))
		}
	}
	return dst
}

// Fill sets every cell to f at its centre.
func (g Grid) Fill(f func(Point) float64) {
	for j := range g.NY {
		for i := range g.NX {
			g.Values[j*g.NX+i] = f(g.Point(i, j))
		}
	}
}

// At returns the value of cell (i, j).
func (g Grid) At(i, j int) float64 { return g.Values[j*g.NX+i] }

func (g Grid) valid() bool {
	return g.NX > 0 && g.NY > 0 && len(g.Values) >= g.NX*g.NY && g.Bounds.Dx() > 0 && g.Bounds.Dy() > 0
}

// Sample returns the grid's value at p, interpolated bilinearly between cell
// centres and held constant beyond the outermost centres. Where one of the
// four neighbours is not finite, it returns the nearest cell's value instead,
// so -Inf and NaN stay sharp rather than spreading.
func (g Grid) Sample(p Point) float64 {
	u := (p.X-g.Bounds.Min.X)/g.Bounds.Dx()*float64(g.NX) - 0.5
	v := (p.Y-g.Bounds.Min.Y)/g.Bounds.Dy()*float64(g.NY) - 0.5
	i0, fx := splitIndex(u, g.NX)
	j0, fy := splitIndex(v, g.NY)
	return g.bilinear(i0, j0, fx, fy)
}

// splitIndex returns the lower neighbour index and the fraction towards the
// upper one for the continuous index u on n cells, clamped at the edges.
func splitIndex(u float64, n int) (int, float64) {
	if !(u > 0) { // also NaN
		return 0, 0
	}
	if u >= float64(n-1) {
		return max(n-2, 0), math.Min(1, float64(n-1)) // n==1: index 0, fraction 0
	}
	i := int(u)
	return i, u - float64(i)
}

func (g Grid) bilinear(i0, j0 int, fx, fy float64) float64 {
	i1, j1 := min(i0+1, g.NX-1), min(j0+1, g.NY-1)
	a, b := g.Values[j0*g.NX+i0], g.Values[j0*g.NX+i1]
	c, d := g.Values[j1*g.NX+i0], g.Values[j1*g.NX+i1]
	if finite(a) && finite(b) && finite(c) && finite(d) {
		top := a + (b-a)*fx
		bot := c + (d-c)*fx
		return top + (bot-top)*fy
	}
	i, j := i0, j0
	if fx >= 0.5 {
		i = i1
	}
	if fy >= 0.5 {
		j = j1
	}
	return g.Values[j*g.NX+i]
}

// ValueRange is the span of values a colormap stretches over.
type ValueRange struct{ Lo, Hi float64 }

// Normalize maps v to [0, 1] over the range (unclamped; NaN stays NaN).
func (r ValueRange) Normalize(v float64) float64 {
	if r.Hi <= r.Lo {
		return 0.5
	}
	return (v - r.Lo) / (r.Hi - r.Lo)
}

// DefaultLogSpan is the span in nats that AutoLogRange shows below the peak:
// densities down to e^-12 ≈ 6·10⁻⁶ of the peak get a colour, roughly a
// Gaussian's 4.9σ contour; lower ones all take the colormap's bottom colour.
const DefaultLogSpan = 12.0

// AutoLogRange returns the colour range for a log-density: Hi is the largest
// finite value and Lo = max(smallest finite value, Hi − span), so the peak
// is always the top colour and the tails are clipped span nats below it
// (span ≤ 0 means DefaultLogSpan). Non-finite values are ignored; with no
// finite value the range is [0, 1], and a flat grid gets [v−1, v].
func AutoLogRange(values []float64, span float64) ValueRange {
	if !(span > 0) {
		span = DefaultLogSpan
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if !finite(v) {
			continue
		}
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if lo > hi {
		return ValueRange{0, 1}
	}
	lo = math.Max(lo, hi-span)
	if lo == hi {
		lo = hi - 1
	}
	return ValueRange{lo, hi}
}

// MergeRanges returns the smallest range holding all of rs: a shared colour
// scale for views meant to be compared side by side.
func MergeRanges(rs ...ValueRange) ValueRange {
	if len(rs) == 0 {
		return ValueRange{0, 1}
	}
	out := rs[0]
	for _, r := range rs[1:] {
		out.Lo, out.Hi = math.Min(out.Lo, r.Lo), math.Max(out.Hi, r.Hi)
	}
	return out
}

// SymmetricRange returns [−m, m] with m the largest finite |value| (at least
// 1e-9): the range for a signed map with a diverging colormap, so 0 is the
// neutral centre.
func SymmetricRange(values []float64) ValueRange {
	m := 1e-9
	for _, v := range values {
		if finite(v) && math.Abs(v) > m {
			m = math.Abs(v)
		}
	}
	return ValueRange{-m, m}
}

// Heatmap colours every pixel of vp.Pixels (clipped to dst) by the grid
// value at the pixel's centre, interpolated bilinearly (Grid.Sample) and
// mapped through cmap over vr. Values below vr.Lo (−Inf included) take the
// bottom colour, values above vr.Hi (+Inf included) the top colour, and NaN
// takes noData. Pixels whose centre lies outside g.Bounds are left untouched.
func Heatmap(dst *image.RGBA, vp Viewport, g Grid, cmap *Colormap, vr ValueRange, noData color.RGBA) {
	if !g.valid() {
		return
	}
	r := vp.Pixels.Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	// Column and row lookups: each pixel's neighbour index and fraction.
	cols := make([]struct {
		i  int
		f  float64
		in bool
	}, r.Dx())
	for k := range cols {
		p := vp.ToData(float64(r.Min.X+k)+0.5, 0)
		u := (p.X-g.Bounds.Min.X)/g.Bounds.Dx()*float64(g.NX) - 0.5
		cols[k].i, cols[k].f = splitIndex(u, g.NX)
		cols[k].in = p.X >= g.Bounds.Min.X && p.X <= g.Bounds.Max.X
	}
	allFinite := true
	for _, v := range g.Values[:g.NX*g.NY] {
		if !finite(v) {
			allFinite = false
			break
		}
	}
	scale := 255 / (vr.Hi - vr.Lo)
	// A range narrower than ~1e-306 makes the scale infinite, and 0·Inf
	// would index the colour table with NaN: treat it as a flat range.
	if !(vr.Hi > vr.Lo) || math.IsInf(scale, 0) {
		scale = 0
	}
	// Each column's value interpolated along the grid rows j and j+1, and
	// the step between them: at a device scale of 3 a grid row spans
	// dozens of pixel rows, which share these and differ only in fy. The
	// sum is the one Grid.Sample takes, term for term.
	top, step := make([]float64, len(cols)), make([]float64, len(cols))
	rowsOf := -1 // the grid row top and step are for
	for y := r.Min.Y; y < r.Max.Y; y++ {
		p := vp.ToData(0, float64(y)+0.5)
		if p.Y < g.Bounds.Min.Y || p.Y > g.Bounds.Max.Y {
			continue
		}
		v := (p.Y-g.Bounds.Min.Y)/g.Bounds.Dy()*float64(g.NY) - 0.5
		j, fy := splitIndex(v, g.NY)
		if allFinite && j != rowsOf {
			row0, row1 := g.Values[j*g.NX:(j+1)*g.NX], g.Values[min(j+1, g.NY-1)*g.NX:][:g.NX]
			for k := range cols {
				c := &cols[k]
				i1 := min(c.i+1, g.NX-1)
				t := row0[c.i] + (row0[i1]-row0[c.i])*c.f
				b := row1[c.i] + (row1[i1]-row1[c.i])*c.f
				top[k], step[k] = t, b-t
			}
			rowsOf = j
		}
		off := dst.PixOffset(r.Min.X, y)
		for k := range cols {
			c := &cols[k]
			if !c.in {
				continue
			}
			var val float64
			if allFinite {
				val = top[k] + step[k]*fy
			} else {
				val = g.bilinear(c.i, j, c.f, fy)
			}
			var col color.RGBA
			switch {
			case math.IsNaN(val):
				col = noData
			default:
				t := (val - vr.Lo) * scale
				switch {
				case scale == 0:
					col = cmap.lut[128]
				case t <= 0:
					col = cmap.lut[0]
				case t >= 255:
					col = cmap.lut[255]
				default:
					col = cmap.lut[int(t+0.5)]
				}
			}
			i := off + 4*k
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = col.R, col.G, col.B, col.A
		}
	}
}

// Colorbar draws a vertical colour bar for cmap over vr in the left part of
// r, with ticks and their values to its right, and label above it. Values are
// written with FormatValue.
func Colorbar(dst *image.RGBA, r image.Rectangle, cmap *Colormap, vr ValueRange, label string, th *Theme) {
	top := r.Min.Y
	if label != "" {
		DrawText(dst, th.Small, r.Min.X, top, i18n.T(label), th.MutedText, AlignLeft, AlignTop)
		top += LineHeight(th.Small) + 4
	}
	half := LineHeight(th.Small) / 2
	bar := image.Rect(r.Min.X, top+half, r.Min.X+12, r.Max.Y-half)
	if bar.Dy() < 2 {
		return
	}
	for y := bar.Min.Y; y < bar.Max.Y; y++ {
		t := 1 - (float64(y-bar.Min.Y)+0.5)/float64(bar.Dy())
		FillRect(dst, image.Rect(bar.Min.X, y, bar.Max.X, y+1), cmap.At(t))
	}
	StrokeRect(dst, bar.Inset(-1), th.Frame)
	for _, v := range NiceTicks(vr.Lo, vr.Hi, max(3, bar.Dy()/28)) {
		t := vr.Normalize(v)
		y := bar.Max.Y - int(math.Round(t*float64(bar.Dy())))
		FillRect(dst, image.Rect(bar.Max.X, y, bar.Max.X+4, y+1), th.Axis)
		DrawText(dst, th.Small, bar.Max.X+6, y, FormatValue(v), th.Text, AlignLeft, AlignMiddle)
	}
}

// FormatValue writes v compactly for a label: up to four significant digits,
// exponent notation only for very large or small magnitudes, no "-0".
func FormatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	if v == 0 {
		return "0"
	}
	a := math.Abs(v)
	switch {
	case a >= 1e6 || a < 1e-3:
		return strconv.FormatFloat(v, 'g', 3, 64)
	case a >= 1e4 || v == math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 0, 64)
	default:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}
