package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
)

func TestLineChartMapsPointsBothWays(t *testing.T) {
	th := DarkTheme()
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	red := color.RGBA{255, 0, 0, 255}
	s := Series{Name: "loss", X: []float64{0, 10}, Y: []float64{1, 1000}, Color: red, Width: 3}
	for _, logY := range []bool{false, true} {
		FillRect(img, img.Bounds(), color.RGBA{})
		ax := LineChart(img, img.Bounds(), []Series{s}, ChartOptions{LogY: logY, HideLegend: true}, th)
		if !ax.Pixels.In(img.Bounds()) || ax.Pixels.Dx() < 200 {
			t.Fatalf("plot area %v", ax.Pixels)
		}
		// Round trip through the axes.
		for _, p := range [][2]float64{{2, 5}, {7.5, 300}} {
			px, py := ax.ToPixel(p[0], p[1])
			x, y := ax.ToData(px, py)
			if math.Abs(x-p[0]) > 1e-9 || math.Abs(y-p[1])/p[1] > 1e-9 {
				t.Errorf("logY=%v: round trip %v -> %g,%g", logY, p, x, y)
			}
		}
		// The line passes through the pixel of its midpoint: on a linear axis
		// (5, 500.5); on a log axis the straight segment is geometric: (5, √1000).
		mid := 500.5
		if logY {
			mid = math.Sqrt(1000)
		}
		px, py := ax.ToPixel(5, mid)
		if c := img.RGBAAt(int(px), int(py)); c.R < 200 || c.G > 60 {
			t.Errorf("logY=%v: no line at the midpoint pixel (%g,%g): %v", logY, px, py, c)
		}
	}
}

func TestLineChartKeepsSpikesOfLongSeries(t *testing.T) {
	th := DarkTheme()
	img := image.NewRGBA(image.Rect(0, 0, 300, 160))
	y := make([]float64, 200000)
	for i := range y {
		y[i] = math.Sin(float64(i) / 20000)
	}
	y[123457] = 5 // one spike
	red := color.RGBA{255, 0, 0, 255}
	ax := LineChart(img, img.Bounds(), []Series{{Y: y, Color: red}}, ChartOptions{}, th)
	px, py := ax.ToPixel(123457, 5)
	found := false
	for dx := -1; dx <= 1; dx++ {
		for dy := -1; dy <= 2; dy++ {
			if c := img.RGBAAt(int(px)+dx, int(py)+dy); c.R > 150 && c.G < 80 {
				found = true
			}
		}
	}
	if !found {
		t.Error("the spike was thinned away")
	}
	pts := seriesPixels(ax, Series{Y: y})
	if len(pts) > 4*ax.Pixels.Dx()+8 {
		t.Errorf("thinned series still has %d points for %d columns", len(pts), ax.Pixels.Dx())
	}
}

func TestLineChartLegendAndLabels(t *testing.T) {
	th := DarkTheme()
	img := image.NewRGBA(image.Rect(0, 0, 360, 220))
	series := []Series{{Name: "ELBO", Y: []float64{3, 2, 1}}, {Name: "KL", Y: []float64{0.5, 1, 1.2}}}
	ax := LineChart(img, img.Bounds(), series, ChartOptions{Title: "Loss", XLabel: "step", YLabel: "nats"}, th)
	// The legend shows both series' colours in the plot's top-right corner.
	corner := image.Rect(ax.Pixels.Max.X-120, ax.Pixels.Min.Y, ax.Pixels.Max.X, ax.Pixels.Min.Y+50)
	for k := range series {
		if !hasColour(img, corner, th.ClassColor(k)) {
			t.Errorf("legend swatch of series %d missing", k)
		}
	}
	// The y label is to the left of the plot, the title above it.
	if !hasColour(img, image.Rect(0, ax.Pixels.Min.Y, 20, ax.Pixels.Max.Y), th.Text) {
		t.Error("no y-axis label")
	}
	if !hasColour(img, image.Rect(0, 0, 100, ax.Pixels.Min.Y), th.Text) {
		t.Error("no title")
	}
}

func hasColour(img *image.RGBA, r image.Rectangle, c color.RGBA) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) == c {
				return true
			}
		}
	}
	return false
}

func TestFormatValue(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", 2000: "2000", 0.30000000000000004: "0.3", -1.5: "-1.5", 12345.6: "12346",
		1e7: "1e+07", 0.0001: "0.0001", math.Inf(1): "+∞",
	} {
		if got := FormatValue(v); got != want {
			t.Errorf("FormatValue(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestFlowStageIndices(t *testing.T) {
	for k, want := range map[int]string{0: "[0]", 1: "[0 1]", 4: "[0 1 2 3 4]", 5: "[0 1 2 3 5]", 32: "[0 8 16 24 32]"} {
		if got := fmt.Sprint(FlowStageIndices(k)); got != want {
			t.Errorf("K=%d: %s, want %s", k, got, want)
		}
	}
}

func TestGridLinesAndFlowView(t *testing.T) {
	b := DataRect(-2, -1, 2, 1)
	lines := GridLines(b, 5, 9)
	if len(lines) != 10 || len(lines[0]) != 9 || lines[0][0] != b.Min || lines[9][8] != b.Max {
		t.Fatalf("grid lines %v", lines)
	}
	th := DarkTheme()
	img := image.NewRGBA(image.Rect(0, 0, 500, 300))
	g := NewGrid(b, 32, 16)
	g.Fill(gaussLogDensity(Point{0.5, 0}, 0.5))
	det := NewGrid(b, 32, 16)
	det.Fill(func(p Point) float64 { return p.X })
	dens, dets := FlowView(img, img.Bounds(), b, []FlowStage{
		{Title: "base", Density: g, Lines: lines},
		{Title: "layer 1", Density: g, Lines: lines, LogDet: det},
	}, th)
	if dets[0] != (Viewport{}) || dets[1].Pixels.Empty() {
		t.Fatal("log-det panels wrong")
	}
	// The density peak is bright at its pixel and the far corner is dark.
	for _, vp := range dens {
		q, _ := vp.PixelOf(Point{0.5, 0.05})
		far, _ := vp.PixelOf(Point{-1.8, 0.8})
		if l := Luminance(img.RGBAAt(q.X, q.Y)); l < 0.6 {
			t.Errorf("peak pixel %v has luminance %.2f", q, l)
		}
		if l := Luminance(img.RGBAAt(far.X, far.Y)); l > 0.1 {
			t.Errorf("far pixel %v has luminance %.2f", far, l)
		}
	}
	// log|det J| = x: orange on the right, blue on the left.
	l, _ := dets[1].PixelOf(Point{-1.8, 0.5})
	rr, _ := dets[1].PixelOf(Point{1.8, 0.5})
	if c := img.RGBAAt(l.X, l.Y); !(c.B > c.R) {
		t.Errorf("contraction not blue: %v", c)
	}
	if c := img.RGBAAt(rr.X, rr.Y); !(c.R > c.B) {
		t.Errorf("expansion not orange: %v", c)
	}
}
