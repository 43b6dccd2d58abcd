package scene

import (
	"github.com/vaeplayground/vae/render"
	"gonum.org/v1/gonum/mat"
)

// AppendPoints appends the rows of m (their first two columns) to dst as
// points.
func AppendPoints(dst []render.Point, m *mat.Dense) []render.Point {
	n, _ := m.Dims()
	for i := range n {
		dst = append(dst, render.Point{X: m.At(i, 0), Y: m.At(i, 1)})
	}
	return dst
}

// PointRows writes points as the rows of an n×2 matrix (one row at least).
func PointRows(pts []render.Point) *mat.Dense {
	z := mat.NewDense(max(1, len(pts)), 2, nil)
	for i, p := range pts {
		z.Set(i, 0, p.X)
		z.Set(i, 1, p.Y)
	}
	return z
}

// MapLines sends every point of the polylines through f in one batch (f
// returns one row per point, its first two columns the image) and splits
// the result into lines again.
func MapLines(lines [][]render.Point, f func(pts []render.Point) *mat.Dense) [][]render.Point {
	var pts []render.Point
	for _, l := range lines {
		pts = append(pts, l...)
	}
	m := f(pts)
	out := make([][]render.Point, len(lines))
	k := 0
	for i, l := range lines {
		out[i] = make([]render.Point, len(l))
		for j := range l {
			out[i][j] = render.Point{X: m.At(k, 0), Y: m.At(k, 1)}
			k++
		}
	}
	return out
}

// StageIndices picks the flow stages a view shows of a K-layer flow: at
// most 5 (the base, the end, and even steps between).
func StageIndices(k int) []int {
	if k <= 4 {
		out := make([]int, k+1)
		for i := range out {
			out[i] = i
		}
		return out
	}
	return []int{0, k / 4, k / 2, 3 * k / 4, k}
}
