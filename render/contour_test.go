package render

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestContourOfACircle(t *testing.T) {
	g := NewGrid(DataRect(-2, -2, 2, 2), 81, 81)
	g.Fill(func(p Point) float64 { return -(p.X*p.X + p.Y*p.Y) })
	for _, r := range []float64{0.5, 1, 1.7} {
		segs := ContourSegments(nil, g, -r*r)
		if len(segs) < 20 {
			t.Fatalf("radius %g: only %d segments", r, len(segs))
		}
		length := 0.0
		for _, s := range segs {
			for _, p := range []Point{s.A, s.B} {
				if d := math.Hypot(p.X, p.Y); math.Abs(d-r) > 0.01 {
					t.Fatalf("radius %g: vertex %v at distance %g", r, p, d)
				}
			}
			length += math.Hypot(s.B.X-s.A.X, s.B.Y-s.A.Y)
		}
		if math.Abs(length-2*math.Pi*r) > 0.01*2*math.Pi*r {
			t.Errorf("radius %g: contour length %g, want %g", r, length, 2*math.Pi*r)
		}
	}
	if segs := ContourSegments(nil, g, 1); len(segs) != 0 {
		t.Errorf("level above the maximum gave %d segments", len(segs))
	}
}

func TestContourSaddleAndNonFinite(t *testing.T) {
	g := NewGrid(DataRect(0, 0, 2, 2), 2, 2)
	g.Values = []float64{1, 0, 0, 1} // bottom row 1,0; top row 0,1
	if segs := ContourSegments(nil, g, 0.5); len(segs) != 2 {
		t.Fatalf("saddle gave %d segments, want 2", len(segs))
	}
	g.Values = []float64{math.Inf(-1), 0, 0, 0}
	if segs := ContourSegments(nil, g, -1); len(segs) != 1 {
		t.Fatalf("-Inf corner gave %d segments, want 1", len(segs))
	}
	g.Values = []float64{math.NaN(), 0, 0, 0}
	if segs := ContourSegments(nil, g, -1); len(segs) != 0 {
		t.Fatalf("NaN cell gave %d segments", len(segs))
	}
}

func TestContoursDrawOnTheLevelSet(t *testing.T) {
	g := NewGrid(DataRect(-2, -2, 2, 2), 64, 64)
	g.Fill(func(p Point) float64 { return -(p.X*p.X + p.Y*p.Y) })
	img := image.NewRGBA(image.Rect(0, 0, 100, 100))
	vp := NewViewport(g.Bounds, img.Bounds())
	Contours(img, vp, g, []float64{-1}, color.RGBA{255, 255, 255, 255}, 2)
	for _, p := range []Point{{1, 0}, {0, 1}, {-1, 0}, {0, -1}, {math.Sqrt2 / 2, math.Sqrt2 / 2}} {
		q, _ := vp.PixelOf(p)
		if img.RGBAAt(q.X, q.Y).A < 128 {
			t.Errorf("no line at %v (pixel %v): %v", p, q, img.RGBAAt(q.X, q.Y))
		}
	}
	for _, p := range []Point{{0, 0}, {1.5, 0}, {0, 0.5}} {
		q, _ := vp.PixelOf(p)
		if img.RGBAAt(q.X, q.Y).A != 0 {
			t.Errorf("line drawn at %v", p)
		}
	}
}
