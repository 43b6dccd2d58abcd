package render

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

func TestViewportRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		data := DataRect(rng.NormFloat64()*5, rng.NormFloat64()*5, rng.NormFloat64()*5+12, rng.NormFloat64()*5+12)
		x0, y0 := rng.IntN(100)-50, rng.IntN(100)-50
		vp := NewViewport(data, image.Rect(x0, y0, x0+1+rng.IntN(500), y0+1+rng.IntN(500)))
		p := Point{data.Min.X + rng.Float64()*data.Dx(), data.Min.Y + rng.Float64()*data.Dy()}
		x, y := vp.ToPixel(p)
		q := vp.ToData(x, y)
		if math.Abs(q.X-p.X) > 1e-9*math.Max(1, math.Abs(p.X)) || math.Abs(q.Y-p.Y) > 1e-9*math.Max(1, math.Abs(p.Y)) {
			t.Fatalf("round trip %v -> (%g,%g) -> %v", p, x, y, q)
		}
		// A pixel's centre maps back into that pixel.
		i, j := vp.Pixels.Min.X+rng.IntN(vp.Pixels.Dx()), vp.Pixels.Min.Y+rng.IntN(vp.Pixels.Dy())
		got, ok := vp.PixelOf(vp.PixelCenter(i, j))
		if !ok || got != image.Pt(i, j) {
			t.Fatalf("PixelOf(PixelCenter(%d,%d)) = %v, %v", i, j, got, ok)
		}
	}
}

func TestViewportCornersAndYUp(t *testing.T) {
	vp := NewViewport(DataRect(-2, -1, 2, 3), image.Rect(10, 20, 110, 120))
	for _, c := range []struct {
		p    Point
		x, y float64
	}{
		{Point{-2, 3}, 10, 20},   // top-left
		{Point{2, -1}, 110, 120}, // bottom-right
		{Point{0, 1}, 60, 70},    // centre
	} {
		x, y := vp.ToPixel(c.p)
		if math.Abs(x-c.x) > 1e-12 || math.Abs(y-c.y) > 1e-12 {
			t.Errorf("ToPixel(%v) = (%g,%g), want (%g,%g)", c.p, x, y, c.x, c.y)
		}
	}
	// Larger data y is higher on screen (smaller pixel y).
	_, yLow := vp.ToPixel(Point{0, 0})
	_, yHigh := vp.ToPixel(Point{0, 2})
	if !(yHigh < yLow) {
		t.Errorf("y is not up: y=2 at row %g, y=0 at row %g", yHigh, yLow)
	}
	if _, ok := vp.PixelOf(Point{5, 0}); ok {
		t.Error("a point outside the data rect reported inside the pixels")
	}
}

func TestFitViewportKeepsAspectAndContainsData(t *testing.T) {
	data := DataRect(-1, -3, 1, 3)
	vp := FitViewport(data, image.Rect(0, 0, 300, 150))
	sx, sy := vp.Scale()
	if math.Abs(sx-sy) > 1e-9 {
		t.Fatalf("scales differ: %g vs %g", sx, sy)
	}
	if !vp.Data.Contains(data.Min) || !vp.Data.Contains(data.Max) {
		t.Fatalf("fitted %v does not hold %v", vp.Data, data)
	}
}
