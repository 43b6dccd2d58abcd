package render

import (
	"image"
	"image/color"
	"math"
)

// Segment is a straight piece of a contour line in data space.
type Segment struct{ A, B Point }

// The marching-squares table: for each case (bit k set when corner k is at or
// above the level; corners 0 bottom-left, 1 bottom-right, 2 top-right,
// 3 top-left) the pairs of crossed edges (0 bottom, 1 right, 2 top, 3 left).
// The saddles 5 and 10 are resolved separately.
var marchingEdges = [16][2]int{
	1: {3, 0}, 2: {0, 1}, 3: {3, 1},
	4: {1, 2}, 6: {0, 2}, 7: {3, 2},
	8: {2, 3}, 9: {0, 2}, 11: {1, 2},
	12: {1, 3}, 13: {0, 1}, 14: {3, 0},
}

// ContourSegments appends to dst the marching-squares segments of the level
// set {g = level}, with vertices interpolated linearly along the edges
// between cell centres. Saddle cells are split by the mean of their four
// corners. Cells with a NaN corner are skipped; an edge to a −Inf or +Inf
// corner is crossed at its midpoint.
func ContourSegments(dst []Segment, g Grid, level float64) []Segment {
	if !g.valid() || math.IsNaN(level) {
		return dst
	}
	dx, dy := g.Bounds.Dx()/float64(g.NX), g.Bounds.Dy()/float64(g.NY)
	x0, y0 := g.Bounds.Min.X+dx/2, g.Bounds.Min.Y+dy/2
	var v [4]float64
	var p [4]Point
	// edge returns where the level crosses edge e of the current cell.
	edge := func(e int) Point {
		a, b := e, (e+1)&3
		t := (level - v[a]) / (v[b] - v[a])
		if !finite(t) {
			t = 0.5
		}
		return Point{p[a].X + t*(p[b].X-p[a].X), p[a].Y + t*(p[b].Y-p[a].Y)}
	}
	for j := 0; j+1 < g.NY; j++ {
		lo, hi := g.Values[j*g.NX:(j+1)*g.NX], g.Values[(j+1)*g.NX:(j+2)*g.NX]
		for i := 0; i+1 < g.NX; i++ {
			v = [4]float64{lo[i], lo[i+1], hi[i+1], hi[i]}
			c := 0
			if v[0] >= level {
				c |= 1
			}
			if v[1] >= level {
				c |= 2
			}
			if v[2] >= level {
				c |= 4
			}
			if v[3] >= level {
				c |= 8
			}
			if c == 0 || c == 15 {
				// NaN compares false, so an all-NaN cell lands here too.
				continue
			}
			if v[0] != v[0] || v[1] != v[1] || v[2] != v[2] || v[3] != v[3] {
				continue // a NaN corner
			}
			x, y := x0+float64(i)*dx, y0+float64(j)*dy
			p = [4]Point{{x, y}, {x + dx, y}, {x + dx, y + dy}, {x, y + dy}}
			switch c {
			case 5, 10:
				centre := (v[0] + v[1] + v[2] + v[3]) / 4
				// An above-level centre joins the above corners across the cell.
				if (centre >= level) == (c == 5) {
					dst = append(dst, Segment{edge(0), edge(1)}, Segment{edge(2), edge(3)}) // cut off corners 1 and 3
				} else {
					dst = append(dst, Segment{edge(3), edge(0)}, Segment{edge(1), edge(2)}) // cut off corners 0 and 2
				}
			default:
				e := marchingEdges[c]
				dst = append(dst, Segment{edge(e[0]), edge(e[1])})
			}
		}
	}
	return dst
}

// GaussianLevels returns the n contour levels peak − k²/2 for k = 1…n: on a
// Gaussian log-density whose maximum is peak they are the ellipses at
// Mahalanobis radius 1, 2, …, n, so they read as "1σ, 2σ, …" on any density.
func GaussianLevels(peak float64, n int) []float64 {
	out := make([]float64, n)
	for k := range out {
		out[k] = peak - float64((k+1)*(k+1))/2
	}
	return out
}

// Contours draws the level sets of g at each level as anti-aliased lines of
// the given width in pixels, mapped through vp and clipped to vp.Pixels.
func Contours(dst *image.RGBA, vp Viewport, g Grid, levels []float64, c color.RGBA, width float64) {
	var s shape
	var segs []Segment
	for _, level := range levels {
		segs = ContourSegments(segs[:0], g, level)
		for _, sg := range segs {
			ax, ay := vp.ToPixel(sg.A)
			bx, by := vp.ToPixel(sg.B)
			s.segment(vec{ax, ay}, vec{bx, by}, width/2)
		}
	}
	s.fill(dst, vp.Pixels, c)
}
