package render

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// syntheticFlowLogDensity stands in for a flow prior's log-density on a grid
// (a warped, multi-modal density with a sharp ridge), so that the render side
// of the 256×256 density view can be measured before the model exists.
func syntheticFlowLogDensity(p Point) float64 {
	x, y := p.X+0.8*math.Tanh(2*p.Y), p.Y-0.5*math.Sin(1.5*p.X)
	a := -0.5*(x*x+y*y) - math.Log(2*math.Pi)
	b := -0.5*((x-1.5)*(x-1.5)+(y+1)*(y+1))/0.2 - math.Log(2*math.Pi*0.2)
	m := math.Max(a, b)
	return m + math.Log(math.Exp(a-m)+math.Exp(b-m))
}

// BenchmarkFlowPriorDensityView256Render is the drawing half of "a 256×256
// density view of a 32-layer flow prior": automatic log range, heatmap of a
// 256×256 grid into 256×256 pixels, and three contour levels. The model half
// (evaluating the 32-layer flow's log-density on the grid's 65,536 points)
// is to be added beside it once the flow prior exists; it is not timed here.
func BenchmarkFlowPriorDensityView256Render(b *testing.B) {
	g := NewGrid(DataRect(-4, -4, 4, 4), 256, 256)
	g.Fill(syntheticFlowLogDensity)
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	vp := NewViewport(g.Bounds, img.Bounds())
	white := WithAlpha(DarkTheme().Overlay, 0.8)
	b.ReportAllocs()
	for b.Loop() {
		vr := AutoLogRange(g.Values, 0)
		Heatmap(img, vp, g, Viridis, vr, white)
		Contours(img, vp, g, GaussianLevels(vr.Hi, 3), white, 1.5)
	}
}

// BenchmarkHeatmap256 is the heatmap alone: 65,536 grid values to pixels.
func BenchmarkHeatmap256(b *testing.B) {
	g := NewGrid(DataRect(-4, -4, 4, 4), 256, 256)
	g.Fill(syntheticFlowLogDensity)
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	vp := NewViewport(g.Bounds, img.Bounds())
	vr := AutoLogRange(g.Values, 0)
	b.ReportAllocs()
	for b.Loop() {
		Heatmap(img, vp, g, Viridis, vr, Viridis.At(0))
	}
}

// BenchmarkDecodedImageGrid20x20 draws 400 decoded 28×28 images as a 20×20
// latent-manifold grid: at 1:1 (560×560 px) and shrunk to 400×400 px.
func BenchmarkDecodedImageGrid20x20(b *testing.B) {
	imgs := make([][]float64, 400)
	for k := range imgs {
		imgs[k] = fakeDecoder([]float64{float64(k%20)/5 - 2, float64(k/20)/5 - 2})
	}
	for _, size := range []int{20*28 + 19, 400} {
		b.Run(map[int]string{20*28 + 19: "1to1", 400: "shrunk"}[size], func(b *testing.B) {
			dst := image.NewRGBA(image.Rect(0, 0, size, size))
			b.ReportAllocs()
			for b.Loop() {
				Tiles(dst, dst.Bounds(), imgs, 28, 28, 20, &TileOptions{Gap: 1})
			}
		})
	}
}

// BenchmarkLineChart3x10k draws three 10,000-step loss curves with axes,
// labels and legend.
func BenchmarkLineChart3x10k(b *testing.B) {
	th := DarkTheme()
	var series []Series
	for s := range 3 {
		y := make([]float64, 10000)
		for i := range y {
			y[i] = float64(s+1)*100*math.Exp(-float64(i)/2000) + math.Sin(float64(i))
		}
		series = append(series, Series{Name: "series", Y: y})
	}
	dst := image.NewRGBA(image.Rect(0, 0, 480, 320))
	b.ReportAllocs()
	for b.Loop() {
		LineChart(dst, dst.Bounds(), series, ChartOptions{Title: "Loss", XLabel: "step", YLabel: "nats"}, th)
	}
}

// BenchmarkScatter5000 draws 5,000 translucent latent codes.
func BenchmarkScatter5000(b *testing.B) { benchScatter(b, 5000, 10, 0.6, 400, 2.2) }

// BenchmarkScatterAtScale3 draws the latent view's 1,200 codes on a phone
// at device scale 3: 1122² pixels, dots of 6.6 pixels' radius.
func BenchmarkScatterAtScale3(b *testing.B) { benchScatter(b, 1200, 8, 0.8, 1122, 2.2*3) }

// benchScatter draws n codes of the given number of classes on a spiral,
// with colours of opacity alpha, into a side² image with dots of radius r.
func benchScatter(b *testing.B, n, classes int, alpha float64, side int, r float64) {
	pts := make([]Point, n)
	cls := make([]int, n)
	for k := range pts {
		a := float64(k) * 0.61803
		rad := 2 * math.Sqrt(float64(k)/float64(n))
		pts[k] = Point{rad * math.Cos(a), rad * math.Sin(a)}
		cls[k] = k % classes
	}
	cols := ClassColors(cls, DefaultPalette(), alpha)
	dst := image.NewRGBA(image.Rect(0, 0, side, side))
	vp := NewViewport(DataRect(-2.5, -2.5, 2.5, 2.5), dst.Bounds())
	b.ReportAllocs()
	for b.Loop() {
		Scatter(dst, vp, pts, cols, r)
	}
}

// BenchmarkFlowView4Stages draws four stages of 96×96 densities, warped
// grids of 13+13 lines and three log-det maps into an 930×480 view.
func BenchmarkFlowView4Stages(b *testing.B) {
	th := DarkTheme()
	view := DataRect(-4, -4, 4, 4)
	lines := GridLines(DataRect(-3, -3, 3, 3), 13, 200)
	var stages []FlowStage
	for k := range 4 {
		d := NewGrid(view, 96, 96)
		d.Fill(syntheticFlowLogDensity)
		st := FlowStage{Title: "stage", Density: d, Lines: lines}
		if k > 0 {
			st.LogDet = d
		}
		stages = append(stages, st)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 930, 480))
	b.ReportAllocs()
	for b.Loop() {
		FlowView(dst, dst.Bounds(), view, stages, th)
	}
}

// BenchmarkPosteriorEllipseAtScale3 draws a hovered code's posterior
// ellipse (2σ across half the view) in a phone's latent view at device
// scale 3.
func BenchmarkPosteriorEllipseAtScale3(b *testing.B) {
	dst := image.NewRGBA(image.Rect(0, 0, 1122, 1122))
	vp := NewViewport(DataRect(-3, -3, 3, 3), dst.Bounds())
	for b.Loop() {
		PosteriorEllipse(dst, vp, Point{0.2, -0.3}, Point{0.9, 0.7}, color.RGBA{255, 255, 255, 255})
	}
}

// BenchmarkContoursAtScale3 draws three contours of a 48² aggregate
// posterior over a phone's latent view at device scale 3.
func BenchmarkContoursAtScale3(b *testing.B) {
	dst := image.NewRGBA(image.Rect(0, 0, 1122, 1122))
	vp := NewViewport(DataRect(-3, -3, 3, 3), dst.Bounds())
	g := NewGrid(DataRect(-3, -3, 3, 3), 48, 48)
	g.Fill(gaussLogDensity(Point{0.3, 0.1}, 0.9))
	for i := range g.Values {
		g.Values[i] += 0.3 * float64(i%7) / 7
	}
	for b.Loop() {
		Contours(dst, vp, g, GaussianLevels(-1.5, 3), color.RGBA{255, 255, 255, 204}, 1.2*3)
	}
}
