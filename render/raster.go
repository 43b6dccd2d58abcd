package render

import (
	"image"
	"image/color"
	"math"
	"sync"

	"golang.org/x/image/vector"
)

// vec is a point in continuous pixel coordinates.
type vec struct{ x, y float64 }

// shape collects closed polygons in pixel coordinates and fills them all with
// one colour in a single anti-aliased pass (golang.org/x/image/vector). Every
// polygon is stored with the same orientation, so overlapping pieces (the
// quads and round joins of a stroke) merge instead of cancelling, and their
// union is painted once: a translucent stroke has no darker overlaps.
type shape struct {
	pts    []vec
	starts []int
	bounds struct{ minX, minY, maxX, maxY float64 }
}

func (s *shape) reset() {
	s.pts, s.starts = s.pts[:0], s.starts[:0]
}

// polygon adds a closed polygon (at least three vertices).
func (s *shape) polygon(p ...vec) {
	if len(p) < 3 {
		return
	}
	area := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		area += p[i].x*p[j].y - p[j].x*p[i].y
	}
	if !finite(area) {
		return
	}
	if len(s.starts) == 0 {
		s.bounds.minX, s.bounds.minY = math.Inf(1), math.Inf(1)
		s.bounds.maxX, s.bounds.maxY = math.Inf(-1), math.Inf(-1)
	}
	s.starts = append(s.starts, len(s.pts))
	if area >= 0 {
		s.pts = append(s.pts, p...)
	} else {
		for i := len(p) - 1; i >= 0; i-- {
			s.pts = append(s.pts, p[i])
		}
	}
	b := &s.bounds
	for _, q := range p {
		if q.x < b.minX {
			b.minX = q.x
		}
		if q.x > b.maxX {
			b.maxX = q.x
		}
		if q.y < b.minY {
			b.minY = q.y
		}
		if q.y > b.maxY {
			b.maxY = q.y
		}
	}
}

// segment adds the quad of a straight stroke of half-width hw from a to b.
func (s *shape) segment(a, b vec, hw float64) {
	dx, dy := b.x-a.x, b.y-a.y
	l := math.Sqrt(dx*dx + dy*dy)
	if l == 0 || !finite(l) {
		return
	}
	nx, ny := -dy/l*hw, dx/l*hw
	s.polygon(vec{a.x + nx, a.y + ny}, vec{b.x + nx, b.y + ny}, vec{b.x - nx, b.y - ny}, vec{a.x - nx, a.y - ny})
}

// disk adds a regular polygon approximating a circle of radius r.
func (s *shape) disk(c vec, r float64) {
	n := int(math.Ceil(2 * math.Pi * r / 2))
	n = max(8, min(n, 96))
	p := make([]vec, n)
	for i := range p {
		a := 2 * math.Pi * float64(i) / float64(n)
		p[i] = vec{c.x + r*math.Cos(a), c.y + r*math.Sin(a)}
	}
	s.polygon(p...)
}

// polyline adds a stroke of half-width hw through pts with round joins. Runs
// of non-finite points break the line.
func (s *shape) polyline(pts []vec, hw float64, closed bool) {
	n := len(pts)
	if closed && n > 2 {
		pts = append(pts[:n:n], pts[0])
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if !finite(a.x) || !finite(a.y) || !finite(b.x) || !finite(b.y) {
			continue
		}
		s.segment(a, b, hw)
		if hw <= 0.6 || (i == len(pts)-1 && !closed) {
			continue
		}
		// A round join where the line turns by more than about 15°; smaller
		// turns leave no visible notch at these widths.
		c := pts[(i+1)%len(pts)]
		if i+1 < len(pts) {
			c = pts[i+1]
		}
		ux, uy, vx, vy := b.x-a.x, b.y-a.y, c.x-b.x, c.y-b.y
		dot, n2 := ux*vx+uy*vy, (ux*ux+uy*uy)*(vx*vx+vy*vy)
		if !(dot > 0 && dot*dot > 0.933*n2) { // cos² 15° ≈ 0.933
			s.joinDisk(b, hw)
		}
	}
}

// unitOctagon holds the vertices of a regular octagon of radius 1.
var unitOctagon = func() (p [8]vec) {
	for i := range p {
		a := 2 * math.Pi * float64(i) / 8
		p[i] = vec{math.Cos(a), math.Sin(a)}
	}
	return p
}()

// joinDisk adds a small octagon: a round join between two stroke quads.
func (s *shape) joinDisk(c vec, r float64) {
	var p [8]vec
	for i, u := range unitOctagon {
		p[i] = vec{c.x + r*u.x, c.y + r*u.y}
	}
	s.polygon(p[:]...)
}

var rasterizers = sync.Pool{New: func() any { return new(vector.Rasterizer) }}

// fill paints the union of the shape's polygons with c, clipped to clip and
// dst's bounds. Pixels are covered in proportion to their area inside.
func (s *shape) fill(dst *image.RGBA, clip image.Rectangle, c color.RGBA) {
	if len(s.starts) == 0 || c.A == 0 {
		return
	}
	b := s.bounds
	if !finite(b.minX) || !finite(b.maxX) || !finite(b.minY) || !finite(b.maxY) {
		return
	}
	box := image.Rect(
		int(math.Floor(math.Max(b.minX, -1e6))), int(math.Floor(math.Max(b.minY, -1e6))),
		int(math.Ceil(math.Min(b.maxX, 1e6))), int(math.Ceil(math.Min(b.maxY, 1e6))),
	)
	box = box.Intersect(clip).Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	// Tiles pay for a stroke of a few pieces a pixel of its box's side
	// (an outline, contours), not for a dense line of thousands (a long
	// chart's), whose pieces each tile would sort and clamp again.
	if n := len(s.starts); n > 1 && n <= box.Dx()+box.Dy() && box.Dx() > 2*fillTile && box.Dy() > 2*fillTile {
		s.fillTiles(dst, box, c)
		return
	}
	s.fillPolygons(dst, box, c, nil)
}

// fillTile is the side of the tiles a large shape of many pieces is
// filled in.
const fillTile = 64

// fillTiles fills the shape over box tile by tile, each tile with only the
// pieces whose bounds reach it. A stroke (a contour, an ellipse's outline)
// is many small pieces over a large box, and the rasterizer's cost is its
// box's area: the tiles the stroke misses cost nothing. A piece that ends
// left of a tile adds nothing to it (a closed polygon's crossings of a row
// cancel), one that enters it is clamped to its left edge by the
// rasterizer, which keeps its winding: the coverage is the whole shape's.
// Where the pieces reach most tiles of a box the rasterizer takes in fixed
// point anyway (a flow stage's warped grid), the box is filled at once:
// the tiles would cost as much, and more to sort.
func (s *shape) fillTiles(dst *image.RGBA, box image.Rectangle, c color.RGBA) {
	nx := (box.Dx() + fillTile - 1) / fillTile
	ny := (box.Dy() + fillTile - 1) / fillTile
	// Each piece's tiles: [tx0, tx1) × [ty0, ty1).
	spans := make([][4]int, len(s.starts))
	reached := make([]bool, nx*ny)
	nReached := 0
	for k, start := range s.starts {
		end := len(s.pts)
		if k+1 < len(s.starts) {
			end = s.starts[k+1]
		}
		x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, q := range s.pts[start:end] {
			x0, x1 = math.Min(x0, q.x), math.Max(x1, q.x)
			y0, y1 = math.Min(y0, q.y), math.Max(y1, q.y)
		}
		// The tiles under the piece's bounds (the pixels it touches).
		sp := [4]int{
			max(0, (int(math.Floor(x0))-box.Min.X)/fillTile), max(0, (int(math.Floor(y0))-box.Min.Y)/fillTile),
			min(nx, (int(math.Ceil(x1))-box.Min.X+fillTile-1)/fillTile), min(ny, (int(math.Ceil(y1))-box.Min.Y+fillTile-1)/fillTile),
		}
		spans[k] = sp
		for ty := sp[1]; ty < sp[3]; ty++ {
			for tx := sp[0]; tx < sp[2]; tx++ {
				if !reached[ty*nx+tx] {
					reached[ty*nx+tx] = true
					nReached++
				}
			}
		}
	}
	// Past 512 pixels the rasterizer turns to floating point, dearer than
	// the fixed point of a tile: there tiles pay even where the pieces
	// reach most of them.
	if 2*nReached > nx*ny && box.Dx() <= 512 && box.Dy() <= 512 {
		s.fillPolygons(dst, box, c, nil)
		return
	}
	tiles := make([][]int32, nx*ny)
	for k, sp := range spans {
		for ty := sp[1]; ty < sp[3]; ty++ {
			for tx := sp[0]; tx < sp[2]; tx++ {
				tiles[ty*nx+tx] = append(tiles[ty*nx+tx], int32(k))
			}
		}
	}
	for t, pieces := range tiles {
		if len(pieces) == 0 {
			continue
		}
		r := image.Rect(0, 0, fillTile, fillTile).Add(box.Min).Add(image.Pt(t%nx*fillTile, t/nx*fillTile)).Intersect(box)
		s.fillPolygons(dst, r, c, pieces)
	}
}

// fillPolygons fills the shape's polygons numbered in pieces (nil: all)
// over box.
func (s *shape) fillPolygons(dst *image.RGBA, box image.Rectangle, c color.RGBA, pieces []int32) {
	z := rasterizers.Get().(*vector.Rasterizer)
	defer rasterizers.Put(z)
	z.Reset(box.Dx(), box.Dy())
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	// Keep far-away vertices from overflowing the rasterizer's arithmetic.
	lim := float64(max(box.Dx(), box.Dy())) + 1e4
	cl := func(v float64) float32 {
		if v < -lim {
			v = -lim
		} else if v > lim {
			v = lim
		}
		return float32(v)
	}
	add := func(k int) {
		end := len(s.pts)
		if k+1 < len(s.starts) {
			end = s.starts[k+1]
		}
		p := s.pts[s.starts[k]:end]
		z.MoveTo(cl(p[0].x-ox), cl(p[0].y-oy))
		for _, q := range p[1:] {
			z.LineTo(cl(q.x-ox), cl(q.y-oy))
		}
		z.ClosePath()
	}
	if pieces == nil {
		for k := range s.starts {
			add(k)
		}
	} else {
		for _, k := range pieces {
			add(int(k))
		}
	}
	z.Draw(dst, box, image.NewUniform(c), image.Point{})
}

// StrokePolyline draws an anti-aliased line of the given width in pixels
// through the pixel-space points xs, ys (continuous coordinates), clipped to
// clip. It is the pixel-space primitive under the data-space drawers.
func StrokePolyline(dst *image.RGBA, clip image.Rectangle, xs, ys []float64, width float64, c color.RGBA) {
	var s shape
	pts := make([]vec, min(len(xs), len(ys)))
	for i := range pts {
		pts[i] = vec{xs[i], ys[i]}
	}
	s.polyline(pts, width/2, false)
	s.fill(dst, clip, c)
}

// fillDisk paints an anti-aliased disk of radius r centred at (cx, cy) in
// pixel coordinates, with coverage from the distance of each pixel centre to
// the rim. It is cheaper than a rasterized polygon for the many small dots
// of a scatter plot, and each dot composites on its own so that overplotted
// translucent dots build up density.
func fillDisk(dst *image.RGBA, clip image.Rectangle, cx, cy, r float64, c color.RGBA) {
	if !(r > 0) || !finite(cx) || !finite(cy) {
		return
	}
	box := image.Rect(int(math.Floor(cx-r-1)), int(math.Floor(cy-r-1)), int(math.Ceil(cx+r+1)), int(math.Ceil(cy+r+1)))
	box = box.Intersect(clip).Intersect(dst.Bounds())
	// Tiny dots keep their visual weight: the coverage of a dot smaller than a
	// pixel is its area.
	scale := 1.0
	if r < 0.5 {
		scale, r = math.Pi*r*r/(math.Pi*0.25), 0.5
	}
	// Only the pixels the disk covers are visited (its row's span), and
	// those wholly inside it are blended without a square root: at a
	// device scale of 3 a dot covers nine times the pixels, and thousands
	// of dots are drawn a frame.
	outer := r + 0.5 // coverage > 0 where d < outer
	inner := -1.0    // coverage 1 where d² ≤ inner
	if scale == 1 && r > 0.5 {
		inner = (r - 0.5) * (r - 0.5)
	}
	// The row's pixels wholly inside are one run (d² falls, then rises,
	// along a row: rounding keeps that order), found from the middle out
	// with the test the plain loop puts to each pixel, so the split is
	// exact; the rim's pixels on either side take the square root.
	fr, fg, fb, fa := float64(c.R), float64(c.G), float64(c.B), float64(c.A)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		dy := float64(y) + 0.5 - cy
		if dy*dy >= outer*outer {
			continue
		}
		half := math.Sqrt(outer*outer - dy*dy)
		x0 := max(box.Min.X, int(math.Floor(cx-half-0.5)))
		x1 := min(box.Max.X, int(math.Ceil(cx+half-0.5))+1)
		if x0 >= x1 {
			continue
		}
		dy2 := dy * dy
		in0, in1 := x0, x0 // [in0, in1): the run inside, empty when no pixel is
		if mid := min(x1-1, max(x0, int(math.Floor(cx)))); diskD2(mid, cx, dy2) <= inner {
			in0, in1 = mid, mid+1
			for in0 > x0 && diskD2(in0-1, cx, dy2) <= inner {
				in0--
			}
			for in1 < x1 && diskD2(in1, cx, dy2) <= inner {
				in1++
			}
		}
		i := dst.PixOffset(x0, y)
		for x := x0; x < x1; x, i = x+1, i+4 {
			if x == in0 && in1 > in0 {
				blendRun(dst.Pix[i:i+4*(in1-in0)], c)
				x, i = in1-1, i+4*(in1-in0-1)
				continue
			}
			// blendPixel, written out: a dot's rim is most of the
			// pixels that take a coverage.
			cov := clamp01(r+0.5-math.Sqrt(diskD2(x, cx, dy2))) * scale
			if cov <= 0 {
				continue
			}
			p := dst.Pix[i : i+4 : i+4]
			if cov >= 1 && c.A == 255 {
				p[0], p[1], p[2], p[3] = c.R, c.G, c.B, 255
				continue
			}
			k := 1 - fa*cov/255
			p[0] = uint8(fr*cov + float64(p[0])*k + 0.5)
			p[1] = uint8(fg*cov + float64(p[1])*k + 0.5)
			p[2] = uint8(fb*cov + float64(p[2])*k + 0.5)
			p[3] = uint8(fa*cov + float64(p[3])*k + 0.5)
		}
	}
}

// diskD2 is the squared distance from the centre of pixel column x to a
// disk's centre cx, on a row dy² away.
func diskD2(x int, cx, dy2 float64) float64 {
	dx := float64(x) + 0.5 - cx
	return dx*dx + dy2
}

// blendRun is blendFull over every pixel of the run pix (whole pixels).
func blendRun(pix []uint8, c color.RGBA) {
	if c.A == 255 {
		for i := 0; i+3 < len(pix); i += 4 {
			p := pix[i : i+4 : i+4]
			p[0], p[1], p[2], p[3] = c.R, c.G, c.B, 255
		}
		return
	}
	k := 255 - uint32(c.A)
	r, g, b, a := uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
	for i := 0; i+3 < len(pix); i += 4 {
		p := pix[i : i+4 : i+4]
		p[0] = uint8(r + (uint32(p[0])*k+127)/255)
		p[1] = uint8(g + (uint32(p[1])*k+127)/255)
		p[2] = uint8(b + (uint32(p[2])*k+127)/255)
		p[3] = uint8(a + (uint32(p[3])*k+127)/255)
	}
}

// blendFull is blendPixel at full coverage, in integers (the same
// rounding: c's channels are whole, so round(c + p·k/255) = c + round(p·k/255)).
func blendFull(pix []uint8, i int, c color.RGBA) {
	if c.A == 255 {
		pix[i+0], pix[i+1], pix[i+2], pix[i+3] = c.R, c.G, c.B, 255
		return
	}
	k := 255 - uint32(c.A)
	pix[i+0] = uint8(uint32(c.R) + (uint32(pix[i+0])*k+127)/255)
	pix[i+1] = uint8(uint32(c.G) + (uint32(pix[i+1])*k+127)/255)
	pix[i+2] = uint8(uint32(c.B) + (uint32(pix[i+2])*k+127)/255)
	pix[i+3] = uint8(uint32(c.A) + (uint32(pix[i+3])*k+127)/255)
}

// strokeCircle paints an anti-aliased ring of radius r and width w.
func strokeCircle(dst *image.RGBA, clip image.Rectangle, cx, cy, r, w float64, c color.RGBA) {
	if !(r > 0) || !finite(cx) || !finite(cy) {
		return
	}
	ext := r + w/2 + 1
	box := image.Rect(int(math.Floor(cx-ext)), int(math.Floor(cy-ext)), int(math.Ceil(cx+ext)), int(math.Ceil(cy+ext)))
	box = box.Intersect(clip).Intersect(dst.Bounds())
	for y := box.Min.Y; y < box.Max.Y; y++ {
		dy := float64(y) + 0.5 - cy
		i := dst.PixOffset(box.Min.X, y)
		for x := box.Min.X; x < box.Max.X; x, i = x+1, i+4 {
			dx := float64(x) + 0.5 - cx
			d := math.Sqrt(dx*dx + dy*dy)
			blendPixel(dst.Pix, i, c, clamp01(w/2+0.5-math.Abs(d-r)))
		}
	}
}
