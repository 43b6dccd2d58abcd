package render

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// gaussLogDensity is the log-density of an isotropic Gaussian at m.
func gaussLogDensity(m Point, s float64) func(Point) float64 {
	return func(p Point) float64 {
		dx, dy := (p.X-m.X)/s, (p.Y-m.Y)/s
		return -0.5*(dx*dx+dy*dy) - math.Log(2*math.Pi*s*s)
	}
}

func brightest(img *image.RGBA, r image.Rectangle) image.Point {
	best, at := -1.0, r.Min
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if l := Luminance(img.RGBAAt(x, y)); l > best {
				best, at = l, image.Pt(x, y)
			}
		}
	}
	return at
}

func TestHeatmapPeakLandsAtItsPixel(t *testing.T) {
	for _, c := range []struct {
		peak   Point
		nx, ny int
		pix    image.Rectangle
	}{
		{Point{1, -0.5}, 64, 64, image.Rect(0, 0, 200, 200)},
		{Point{-2.2, 1.7}, 200, 150, image.Rect(30, 10, 230, 160)},
		{Point{0.3, 2.9}, 31, 47, image.Rect(5, 5, 128, 96)},
	} {
		g := NewGrid(DataRect(-3, -3, 3, 3), c.nx, c.ny)
		g.Fill(gaussLogDensity(c.peak, 0.4))
		vp := NewViewport(g.Bounds, c.pix)
		img := image.NewRGBA(image.Rect(0, 0, 240, 240))
		Heatmap(img, vp, g, Viridis, AutoLogRange(g.Values, 0), color.RGBA{})
		want, _ := vp.PixelOf(c.peak)
		got := brightest(img, c.pix)
		// The brightest pixel is within one grid cell (in pixels) of the peak.
		cellX := float64(c.pix.Dx())/float64(c.nx) + 1
		cellY := float64(c.pix.Dy())/float64(c.ny) + 1
		if math.Abs(float64(got.X-want.X)) > cellX || math.Abs(float64(got.Y-want.Y)) > cellY {
			t.Errorf("peak %v: brightest pixel %v, want %v (±%.1f,±%.1f)", c.peak, got, want, cellX, cellY)
		}
		if img.RGBAAt(got.X, got.Y) != Viridis.At(1) && c.nx >= 64 {
			t.Errorf("peak pixel colour %v, want the top colour %v", img.RGBAAt(got.X, got.Y), Viridis.At(1))
		}
	}
}

func TestHeatmapNonFiniteValues(t *testing.T) {
	g := NewGrid(DataRect(0, 0, 4, 1), 4, 1)
	g.Values = []float64{math.Inf(-1), math.NaN(), 0, math.Inf(1)}
	img := image.NewRGBA(image.Rect(0, 0, 40, 10))
	noData := color.RGBA{1, 2, 3, 255}
	Heatmap(img, NewViewport(g.Bounds, img.Bounds()), g, Viridis, ValueRange{-1, 1}, noData)
	for _, c := range []struct {
		x    int
		want color.RGBA
	}{{5, Viridis.At(0)}, {15, noData}, {35, Viridis.At(1)}} {
		if got := img.RGBAAt(c.x, 5); got != c.want {
			t.Errorf("pixel %d = %v, want %v", c.x, got, c.want)
		}
	}
	// Pixel 25 (value 0, the middle of the range) is mid-colour.
	if got := img.RGBAAt(25, 5); got != Viridis.At(0.5) {
		t.Errorf("mid pixel %v, want %v", got, Viridis.At(0.5))
	}
}

func TestHeatmapLeavesPixelsOutsideTheGrid(t *testing.T) {
	g := NewGrid(DataRect(-1, -1, 1, 1), 8, 8)
	img := image.NewRGBA(image.Rect(0, 0, 40, 40))
	Heatmap(img, NewViewport(DataRect(-2, -2, 2, 2), img.Bounds()), g, Viridis, ValueRange{-1, 1}, color.RGBA{})
	if img.RGBAAt(2, 2).A != 0 || img.RGBAAt(20, 20).A == 0 {
		t.Error("heatmap drew outside its grid or not inside it")
	}
}

func TestAutoLogRange(t *testing.T) {
	r := AutoLogRange([]float64{math.Inf(-1), -100, -3, -1, math.NaN()}, 5)
	if r != (ValueRange{-6, -1}) {
		t.Errorf("got %v, want [-6,-1]", r)
	}
	r = AutoLogRange([]float64{-2, -1}, 0)
	if r != (ValueRange{-2, -1}) {
		t.Errorf("narrow range %v", r)
	}
	if r := AutoLogRange([]float64{math.NaN()}, 0); r != (ValueRange{0, 1}) {
		t.Errorf("no finite value: %v", r)
	}
	if r := AutoLogRange([]float64{3, 3}, 0); r != (ValueRange{2, 3}) {
		t.Errorf("flat: %v", r)
	}
	if r := SymmetricRange([]float64{-0.5, 2, math.Inf(1)}); r != (ValueRange{-2, 2}) {
		t.Errorf("symmetric: %v", r)
	}
}

func TestGridSampleInterpolates(t *testing.T) {
	g := NewGrid(DataRect(0, 0, 2, 2), 2, 2)
	g.Values = []float64{0, 1, 2, 3} // bottom row 0,1; top row 2,3
	if v := g.Sample(Point{1, 1}); math.Abs(v-1.5) > 1e-12 {
		t.Errorf("centre = %g, want 1.5", v)
	}
	if v := g.Sample(Point{0.5, 0.5}); v != 0 {
		t.Errorf("bottom-left cell centre = %g", v)
	}
	if v := g.Sample(Point{-5, 9}); v != 2 {
		t.Errorf("clamped top-left = %g, want 2", v)
	}
}

func TestNiceTicks(t *testing.T) {
	got := NiceTicks(-0.3, 1.05, 8)
	want := []float64{-0.2, 0, 0.2, 0.4, 0.6, 0.8, 1}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if lt := LogTicks(0.05, 2000, 8); len(lt) != 5 || lt[0] != 0.1 || lt[4] != 1000 {
		t.Errorf("log ticks %v", lt)
	}
	if lt := LogTicks(3, 40, 8); len(lt) != 3 || lt[0] != 5 || lt[2] != 20 {
		t.Errorf("short log ticks %v", lt)
	}
}

func TestHeatmapWithAVanishinglyNarrowRange(t *testing.T) {
	g := NewGrid(DataRect(0, 0, 1, 1), 4, 4)
	g.Values[5] = 5e-324
	dst := image.NewRGBA(image.Rect(0, 0, 8, 8))
	vp := NewViewport(g.Bounds, dst.Bounds())
	Heatmap(dst, vp, g, Viridis, AutoLogRange(g.Values, 0), color.RGBA{}) // must not panic
}

// Every pixel of a heatmap is the colour of the grid's value at the
// pixel's centre (Grid.Sample, bit for bit) through the colormap, also
// where many pixel rows share a grid row (a high device scale) and the
// view reaches past the grid; NaN cells take noData.
func TestHeatmapPixelsAreTheSampledValues(t *testing.T) {
	g := NewGrid(DataRect(-3, -2.5, 3, 3.5), 17, 13)
	for i := range g.Values {
		g.Values[i] = math.Sin(float64(i)*0.77) * 5 * math.Cos(float64(i%5))
	}
	vr := AutoLogRange(g.Values, 0)
	noData := color.RGBA{1, 2, 3, 255}
	colour := func(val float64) color.RGBA {
		if math.IsNaN(val) {
			return noData
		}
		t := (val - vr.Lo) * 255 / (vr.Hi - vr.Lo)
		switch {
		case t <= 0:
			return Viridis.lut[0]
		case t >= 255:
			return Viridis.lut[255]
		}
		return Viridis.lut[int(t+0.5)]
	}
	for _, withNaN := range []bool{false, true} {
		if withNaN {
			g.Values[40] = math.NaN()
		}
		vp := FitViewport(DataRect(-4, -4, 4, 4), image.Rect(10, 20, 10+613, 20+577))
		dst := image.NewRGBA(image.Rect(0, 0, 640, 620))
		Heatmap(dst, vp, g, Viridis, vr, noData)
		for y := vp.Pixels.Min.Y; y < vp.Pixels.Max.Y; y++ {
			for x := vp.Pixels.Min.X; x < vp.Pixels.Max.X; x++ {
				p := Point{vp.ToData(float64(x)+0.5, 0).X, vp.ToData(0, float64(y)+0.5).Y}
				if p.X < g.Bounds.Min.X || p.X > g.Bounds.Max.X || p.Y < g.Bounds.Min.Y || p.Y > g.Bounds.Max.Y {
					continue
				}
				if got, want := dst.RGBAAt(x, y), colour(g.Sample(p)); got != want {
					t.Fatalf("NaN cell %v: pixel (%d, %d) is %v, the sampled value's colour %v", withNaN, x, y, got, want)
				}
			}
		}
	}
}
