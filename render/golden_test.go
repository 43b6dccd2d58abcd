package render

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs under testdata/ from the current output")

// Golden comparison: a pixel differs when any channel is off by more than
// goldenChannelTol; a view passes when at most goldenPixelFrac of its pixels
// differ. The slack absorbs rounding differences between platforms in
// anti-aliased edges and glyphs, not a changed picture.
const (
	goldenChannelTol = 8
	goldenPixelFrac  = 0.002
)

func checkGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := writePNG(path, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -run Golden -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("%s: size %v, golden %v", name, img.Bounds(), want.Bounds())
	}
	bad, worst := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r0, g0, b0, a0 := want.At(x, y).RGBA()
			c := img.RGBAAt(x, y)
			d := max(absDiff(uint8(r0>>8), c.R), absDiff(uint8(g0>>8), c.G), absDiff(uint8(b0>>8), c.B), absDiff(uint8(a0>>8), c.A))
			worst = max(worst, d)
			if d > goldenChannelTol {
				bad++
			}
		}
	}
	if float64(bad) > goldenPixelFrac*float64(b.Dx()*b.Dy()) {
		// RENDER_GOLDEN_OUT=dir keeps the output for a person to compare.
		if out := os.Getenv("RENDER_GOLDEN_OUT"); out != "" {
			_ = writePNG(filepath.Join(out, name+".png"), img)
		}
		t.Errorf("%s: %d of %d pixels differ by more than %d (worst %d); set RENDER_GOLDEN_OUT=dir to keep the output", name, bad, b.Dx()*b.Dy(), goldenChannelTol, worst)
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func newCanvas(w, h int, th *Theme) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	FillRect(img, img.Bounds(), th.Background)
	return img
}

func TestGoldenLatentView(t *testing.T) {
	th := DarkTheme()
	img := newCanvas(240, 220, th)
	bounds := DataRect(-3, -3, 3, 3)
	vp := NewViewport(bounds, image.Rect(36, 8, 236, 196))
	g := NewGrid(bounds, 64, 64)
	g.Fill(func(p Point) float64 {
		a := gaussLogDensity(Point{-1, 0.5}, 0.6)(p)
		b := gaussLogDensity(Point{1.2, -0.8}, 0.8)(p)
		return math.Max(a, b) + math.Log1p(math.Exp(math.Min(a, b)-math.Max(a, b)))
	})
	Heatmap(img, vp, g, Viridis, AutoLogRange(g.Values, 0), th.NoData)
	prior := NewGrid(bounds, 48, 48)
	prior.Fill(gaussLogDensity(Point{}, 1))
	Contours(img, vp, prior, GaussianLevels(prior.Sample(Point{}), 2), WithAlpha(th.Overlay, 0.8), 1.5)
	rng := rand.New(rand.NewPCG(9, 9))
	var pts []Point
	var cls []int
	for k := range 150 {
		c := k % 3
		pts = append(pts, Point{float64(c) - 1 + 0.3*rng.NormFloat64(), 0.3 * rng.NormFloat64()})
		cls = append(cls, c)
	}
	Scatter(img, vp, pts, ClassColors(cls, th.Palette, 0.7), 2)
	PosteriorEllipse(img, vp, Point{1, 1.5}, Point{0.4, 0.2}, th.ClassColor(4))
	DrawAxes(img, vp, th)
	checkGolden(t, "latent", img)
}

func TestGoldenLineChart(t *testing.T) {
	th := DarkTheme()
	img := newCanvas(320, 200, th)
	n := 500
	a, b := make([]float64, n), make([]float64, n)
	for i := range n {
		a[i] = 100*math.Exp(-float64(i)/80) + 5
		b[i] = 3 * (1 - math.Exp(-float64(i)/150))
	}
	LineChart(img, img.Bounds(), []Series{{Name: "recon", Y: a}, {Name: "KL", Y: b}},
		ChartOptions{Title: "Loss", XLabel: "step", YLabel: "nats", LogY: true}, th)
	checkGolden(t, "chart", img)
}

func TestGoldenTilesAndMixture(t *testing.T) {
	th := DarkTheme()
	img := newCanvas(300, 160, th)
	var imgs [][]float64
	for k := range 12 {
		imgs = append(imgs, fakeDecoder([]float64{float64(k%4) - 1.5, float64(k/4) - 1}))
	}
	Tiles(img, image.Rect(4, 4, 148, 112), imgs, 28, 28, 4, nil)
	codes := InterpolationCodes([]float64{-1.5, 1}, []float64{1.5, -1}, 6, true)
	var strip [][]float64
	for _, z := range codes {
		strip = append(strip, fakeDecoder(z))
	}
	InterpolationStrip(img, image.Rect(4, 118, 296, 156), strip, 28, 28, th.ClassColor(1), nil)
	vp := NewViewport(DataRect(-2, -2, 2, 2), image.Rect(156, 4, 296, 112))
	FillRect(img, vp.Pixels, th.Panel)
	MixtureComponents(img, vp, []Component{
		{Mean: Point{-0.8, 0.5}, Cov: Cov2{XX: 0.3, XY: 0.1, YY: 0.15}, Weight: 0.6},
		{Mean: Point{0.9, -0.6}, Cov: DiagCov(0.3, 0.5), Weight: 0.4},
	}, 0, th)
	checkGolden(t, "tiles_mixture", img)
}

func TestGoldenFlowView(t *testing.T) {
	th := DarkTheme()
	img := newCanvas(420, 250, th)
	view := DataRect(-3, -3, 3, 3)
	lines := GridLines(DataRect(-2, -2, 2, 2), 7, 40)
	warp := func(p Point) Point { return Point{p.X + 0.6*math.Tanh(1.5*p.Y), p.Y} }
	var stages []FlowStage
	for k := range 3 {
		d := NewGrid(view, 48, 48)
		d.Fill(gaussLogDensity(Point{0.3 * float64(k), 0}, 1+0.2*float64(k)))
		st := FlowStage{Title: fmt.Sprintf("stage %d", k), Density: d, Lines: lines}
		if k > 0 {
			st.LogDet = NewGrid(view, 48, 48)
			st.LogDet.Fill(func(p Point) float64 { return math.Log(1 + 0.9*float64(k)/(1+p.Y*p.Y)) })
		}
		stages = append(stages, st)
		next := make([][]Point, len(lines))
		for i, l := range lines {
			for _, p := range l {
				next[i] = append(next[i], warp(p))
			}
		}
		lines = next
	}
	FlowView(img, img.Bounds(), view, stages, th)
	checkGolden(t, "flow", img)
}
