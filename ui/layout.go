package ui

import (
	"image"
	"math"
)

// Size is one track of a row or column layout: Fixed CSS pixels, or a Flex
// share of the room the fixed tracks and the gaps leave.
type Size struct {
	css  float64 // fixed length in CSS pixels (when flex is 0)
	flex float64 // weight of a flexible track
}

// Fixed is a track of v CSS pixels (negative counts as 0).
func Fixed(v float64) Size { return Size{css: math.Max(0, v)} }

// Flex is a flexible track: the room left after the fixed tracks and the
// gaps is shared between the flexible tracks in proportion to their weights
// (a weight ≤ 0 gets nothing).
func Flex(weight float64) Size { return Size{flex: math.Max(0, weight), css: -1} }

func (s Size) flexible() bool { return s.css < 0 }

// Layout splits rectangles into rows or columns, the way debugui's
// SetGridLayout does: fixed and flexible tracks with one gap between
// neighbours. Sizes are in CSS pixels and Scale (device pixels per CSS
// pixel) is applied once, to the edges, so rounding never adds up along a
// column. A zero Scale means 1.
type Layout struct {
	Scale float64
	Gap   float64 // CSS pixels between neighbouring tracks
}

// Layout returns a layout at the context's scale with gap CSS pixels
// between tracks.
func (c *Context) Layout(gap float64) Layout { return Layout{Scale: c.Scale, Gap: gap} }

// Rows splits r into horizontal bands from the top down, one per size, and
// appends them to dst[:0] (pass nil, or last frame's slice to reuse it).
// Every band spans r's width. When the fixed tracks and gaps need more than
// r's height, the flexible tracks are empty and the rest runs past r.Max.Y.
func (l Layout) Rows(dst []image.Rectangle, r image.Rectangle, sizes ...Size) []image.Rectangle {
	dst = dst[:0]
	l.split(r.Min.Y, r.Dy(), sizes, func(a, b int) {
		dst = append(dst, image.Rect(r.Min.X, a, r.Max.X, b))
	})
	return dst
}

// Columns splits r into vertical bands from the left, like Rows.
func (l Layout) Columns(dst []image.Rectangle, r image.Rectangle, sizes ...Size) []image.Rectangle {
	dst = dst[:0]
	l.split(r.Min.X, r.Dx(), sizes, func(a, b int) {
		dst = append(dst, image.Rect(a, r.Min.Y, b, r.Max.Y))
	})
	return dst
}

// split places the tracks along one axis from start over length device
// pixels and calls emit with each track's rounded edges.
func (l Layout) split(start, length int, sizes []Size, emit func(a, b int)) {
	scale := l.Scale
	if !(scale > 0) {
		scale = 1
	}
	gap := math.Max(0, l.Gap) * scale
	fixed, weights := 0.0, 0.0
	for _, s := range sizes {
		if s.flexible() {
			weights += s.flex
		} else {
			fixed += s.css * scale
		}
	}
	if n := len(sizes); n > 1 {
		fixed += float64(n-1) * gap
	}
	room := math.Max(0, float64(length)-fixed)
	pos := float64(start)
	for i, s := range sizes {
		if i > 0 {
			pos += gap
		}
		size := s.css * scale
		if s.flexible() {
			size = 0
			if weights > 0 {
				size = room * s.flex / weights
			}
		}
		emit(int(math.Round(pos)), int(math.Round(pos+size)))
		pos += size
	}
}
