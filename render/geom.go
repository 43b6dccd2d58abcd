package render

import (
	"image"
	"math"
)

// Point is a position in data (or latent) space.
type Point struct{ X, Y float64 }

// Rect is an axis-aligned rectangle in data space. Min is the lower-left
// corner and Max the upper-right one (y points up).
type Rect struct{ Min, Max Point }

// DataRect returns the data rectangle [x0, x1]×[y0, y1], ordering the corners.
func DataRect(x0, y0, x1, y1 float64) Rect {
	return Rect{
		Min: Point{math.Min(x0, x1), math.Min(y0, y1)},
		Max: Point{math.Max(x0, x1), math.Max(y0, y1)},
	}
}

// Dx returns the width of r.
func (r Rect) Dx() float64 { return r.Max.X - r.Min.X }

// Dy returns the height of r.
func (r Rect) Dy() float64 { return r.Max.Y - r.Min.Y }

// Contains reports whether p lies in the closed rectangle r.
func (r Rect) Contains(p Point) bool {
	return p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y
}

// Pad returns r grown by frac of its size on every side.
func (r Rect) Pad(frac float64) Rect {
	dx, dy := r.Dx()*frac, r.Dy()*frac
	return Rect{Point{r.Min.X - dx, r.Min.Y - dy}, Point{r.Max.X + dx, r.Max.Y + dy}}
}

// BoundsOf returns the smallest rectangle holding every finite point of pts,
// or the unit square around the origin when there is none. A degenerate
// (zero-width or zero-height) result is widened by 1 in that direction.
func BoundsOf(pts []Point) Rect {
	r := Rect{Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}}
	for _, p := range pts {
		if !finite(p.X) || !finite(p.Y) {
			continue
		}
		r.Min.X, r.Max.X = math.Min(r.Min.X, p.X), math.Max(r.Max.X, p.X)
		r.Min.Y, r.Max.Y = math.Min(r.Min.Y, p.Y), math.Max(r.Max.Y, p.Y)
	}
	if r.Min.X > r.Max.X {
		return DataRect(-1, -1, 1, 1)
	}
	if r.Dx() == 0 {
		r.Min.X, r.Max.X = r.Min.X-0.5, r.Max.X+0.5
	}
	if r.Dy() == 0 {
		r.Min.Y, r.Max.Y = r.Min.Y-0.5, r.Max.Y+0.5
	}
	return r
}

// Viewport maps the data rectangle Data onto the pixel rectangle Pixels:
// Data.Min.X goes to the left edge Pixels.Min.X, Data.Max.X to the right edge
// Pixels.Max.X, Data.Max.Y to the top edge Pixels.Min.Y and Data.Min.Y to the
// bottom edge Pixels.Max.Y. Pixel coordinates are continuous: pixel (i, j)
// covers [i, i+1)×[j, j+1).
type Viewport struct {
	Data   Rect
	Pixels image.Rectangle
}

// NewViewport returns the viewport mapping data onto pixels.
func NewViewport(data Rect, pixels image.Rectangle) Viewport {
	return Viewport{Data: data, Pixels: pixels}
}

// FitViewport returns a viewport onto pixels that shows all of data with equal
// scales on both axes (circles stay round), centring data and widening it
// along the axis that has room to spare.
func FitViewport(data Rect, pixels image.Rectangle) Viewport {
	pw, ph := float64(pixels.Dx()), float64(pixels.Dy())
	if pw <= 0 || ph <= 0 || data.Dx() <= 0 || data.Dy() <= 0 {
		return Viewport{data, pixels}
	}
	scale := math.Min(pw/data.Dx(), ph/data.Dy()) // pixels per data unit
	w, h := pw/scale, ph/scale
	cx, cy := (data.Min.X+data.Max.X)/2, (data.Min.Y+data.Max.Y)/2
	return Viewport{DataRect(cx-w/2, cy-h/2, cx+w/2, cy+h/2), pixels}
}

// ToPixel maps a data point to continuous pixel coordinates.
func (v Viewport) ToPixel(p Point) (x, y float64) {
	x = float64(v.Pixels.Min.X) + (p.X-v.Data.Min.X)/v.Data.Dx()*float64(v.Pixels.Dx())
	y = float64(v.Pixels.Min.Y) + (v.Data.Max.Y-p.Y)/v.Data.Dy()*float64(v.Pixels.Dy())
	return x, y
}

// ToData maps continuous pixel coordinates to a data point; it inverts ToPixel.
func (v Viewport) ToData(x, y float64) Point {
	return Point{
		X: v.Data.Min.X + (x-float64(v.Pixels.Min.X))/float64(v.Pixels.Dx())*v.Data.Dx(),
		Y: v.Data.Max.Y - (y-float64(v.Pixels.Min.Y))/float64(v.Pixels.Dy())*v.Data.Dy(),
	}
}

// PixelCenter returns the data point at the centre of pixel (i, j): where a
// click reported at integer position (i, j) lands.
func (v Viewport) PixelCenter(i, j int) Point {
	return v.ToData(float64(i)+0.5, float64(j)+0.5)
}

// PixelOf returns the pixel holding data point p, and whether that pixel lies
// inside v.Pixels.
func (v Viewport) PixelOf(p Point) (image.Point, bool) {
	x, y := v.ToPixel(p)
	if !finite(x) || !finite(y) {
		return image.Point{}, false
	}
	q := image.Point{int(math.Floor(x)), int(math.Floor(y))}
	return q, q.In(v.Pixels)
}

// Scale returns the number of pixels per data unit along x and y.
func (v Viewport) Scale() (sx, sy float64) {
	return float64(v.Pixels.Dx()) / v.Data.Dx(), float64(v.Pixels.Dy()) / v.Data.Dy()
}

// finite reports whether v is neither NaN nor ±Inf (v−v is NaN for both).
func finite(v float64) bool { return v-v == 0 }

func clamp01(t float64) float64 {
	if t < 0 {
		return 0
	}
	if t > 1 {
		return 1
	}
	return t
}
