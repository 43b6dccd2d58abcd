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
var marchingEdges = [16][]int{
	0: nil, 1: {3, 0}, 2: {0, 1}, 3: {3, 1},
	4: {1, 2}, 6: {0, 2}, 7: {3, 2},
	8: {2, 3}, 9: {0, 2}, 11: {1, 2},
	12: {1, 3}, 13: {0, 1}, 14: {3, 0}, 15: nil,
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
	for j := 0; j+1 < g.NY; j++ {
		for i := 0; i+1 < g.NX; i++ {
			v := [4]float64{g.At(i, j), g.At(i+1, j), g.At(i+1, j+1), g.At(i, j+1)}
			if math.IsNaN(v[0]) || math.IsNaN(v[1]) || math.IsNaN(v[2]) || math.IsNaN(v[3]) {
				continue
			}
			c := 0
			for k := range 4 {
				if v[k] >= level {
					c |= 1 << k
				}
			}
			if c == 0 || c == 15 {
				continue
			}
			p := [4]Point{g.Point(i, j), g.Point(i+1, j), g.Point(i+1, j+1), g.Point(i, j+1)}
			edge := func(e int) Point {
				a, b := e, (e+1)%4
				t := (level - v[a]) / (v[b] - v[a])
				if !finite(t) {
					t = 0.5
				}
				return Point{p[a].X + t*(p[b].X-p[a].X), p[a].Y + t*(p[b].Y-p[a].Y)}
			}
			var pairs []int
			switch c {
			case 5, 10:
				centre := (v[0] + v[1] + v[2] + v[3]) / 4
				// Above-level centre joins the above corners across the cell.
				if (centre >= level) == (c == 5) {
					pairs = []int{0, 1, 2, 3} // cut off corners 1 and 3
				} else {
					pairs = []int{3, 0, 1, 2} // cut off corners 0 and 2
				}
			default:
				pairs = marchingEdges[c]
			}
			for k := 0; k+1 < len(pairs); k += 2 {
				dst = append(dst, Segment{edge(pairs[k]), edge(pairs[k+1])})
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
