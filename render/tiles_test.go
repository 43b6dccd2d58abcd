package render

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// fakeDecoder turns a code into a 28×28 image: a blob whose position follows
// the first two coordinates and whose size follows their norm.
func fakeDecoder(z []float64) []float64 {
	const n = 28
	img := make([]float64, n*n)
	cx, cy := 14+4*z[0], 14-4*z[1]
	r := 3 + math.Hypot(z[0], z[1])
	for y := range n {
		for x := range n {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			img[y*n+x] = 1 / (1 + math.Exp((d-r)*1.5))
		}
	}
	return img
}

func TestInterpolationStripEndsMatchTheReconstructions(t *testing.T) {
	a, b := []float64{-1.5, 0.5, 0.2}, []float64{1.2, -1, 0.7}
	for _, spherical := range []bool{false, true} {
		codes := InterpolationCodes(a, b, 8, spherical)
		imgs := make([][]float64, len(codes))
		for k, z := range codes {
			imgs[k] = fakeDecoder(z)
		}
		strip := image.NewRGBA(image.Rect(0, 0, 8*31, 31))
		rects := InterpolationStrip(strip, strip.Bounds(), imgs, 28, 28, color.RGBA{255, 0, 0, 255}, &TileOptions{Gap: 3})
		// Reference: each reconstruction drawn alone at the same tile size.
		for _, end := range []struct {
			rect image.Rectangle
			code []float64
		}{{rects[0], a}, {rects[len(rects)-1], b}} {
			ref := image.NewRGBA(end.rect)
			DrawImage(ref, end.rect, fakeDecoder(end.code), 28, 28, nil)
			for y := end.rect.Min.Y; y < end.rect.Max.Y; y++ {
				for x := end.rect.Min.X; x < end.rect.Max.X; x++ {
					if strip.RGBAAt(x, y) != ref.RGBAAt(x, y) {
						t.Fatalf("spherical=%v: strip end differs from reconstruction at (%d,%d)", spherical, x, y)
					}
				}
			}
		}
		// The middle tile differs from both ends.
		mid := rects[len(rects)/2]
		same := 0
		for y := mid.Min.Y; y < mid.Max.Y; y++ {
			for x := mid.Min.X; x < mid.Max.X; x++ {
				if strip.RGBAAt(x, y) == strip.RGBAAt(x-mid.Min.X+rects[0].Min.X, y) {
					same++
				}
			}
		}
		if same == mid.Dx()*mid.Dy() {
			t.Error("middle tile equals the first")
		}
	}
}

func TestSlerpKeepsTheNormBetweenEqualNormCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := make([]float64, 16), make([]float64, 16)
	for i := range a {
		a[i], b[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	norm := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x * x
		}
		return math.Sqrt(s)
	}
	// Scale b to a's norm: then the great circle keeps it throughout.
	k := norm(a) / norm(b)
	for i := range b {
		b[i] *= k
	}
	for _, t0 := range []float64{0, 0.25, 0.5, 0.9, 1} {
		z := Slerp(nil, a, b, t0)
		if math.Abs(norm(z)-norm(a)) > 1e-9 {
			t.Errorf("t=%g: norm %g, want %g", t0, norm(z), norm(a))
		}
	}
	if mid := Lerp(nil, a, b, 0.5); norm(mid) >= norm(a) {
		t.Error("lerp midpoint should be shorter (the reason for slerp)")
	}
	if z := Slerp(nil, a, a, 0.3); math.Abs(z[0]-a[0]) > 1e-12 {
		t.Error("parallel codes")
	}
	ends := InterpolationCodes(a, b, 5, true)
	if ends[0][3] != a[3] || ends[4][3] != b[3] {
		t.Error("interpolation ends are not the codes")
	}
}

func TestTilesLayoutAndScaling(t *testing.T) {
	// A 2×2 checker image enlarged 10× keeps its blocks; shrunk 2× it averages.
	checker := []float64{0, 1, 1, 0}
	img := image.NewRGBA(image.Rect(0, 0, 42, 20))
	rects := Tiles(img, img.Bounds(), [][]float64{checker, checker}, 2, 2, 2, &TileOptions{Gap: 2})
	if len(rects) != 2 || rects[0] != image.Rect(0, 0, 20, 20) || rects[1] != image.Rect(22, 0, 42, 20) {
		t.Fatalf("rects %v", rects)
	}
	if img.RGBAAt(5, 5) != Grays.At(0) || img.RGBAAt(15, 5) != Grays.At(1) || img.RGBAAt(25, 15) != Grays.At(1) {
		t.Error("enlarged checker wrong")
	}
	small := image.NewRGBA(image.Rect(0, 0, 1, 1))
	DrawImage(small, small.Bounds(), checker, 2, 2, nil)
	if g := small.RGBAAt(0, 0).G; g < 126 || g > 129 {
		t.Errorf("shrunk checker grey %d, want 128", g)
	}
	// RGB, clamping and NaN.
	rgb := []float64{1, 0, 0, 0, 2, -1, math.NaN(), 0, 0, 0, 0, 1}
	img = image.NewRGBA(image.Rect(0, 0, 2, 2))
	DrawImage(img, img.Bounds(), rgb, 2, 2, &TileOptions{Channels: 3})
	want := []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, noDataPixel, {0, 0, 255, 255}}
	for k, c := range want {
		if got := img.RGBAAt(k%2, k/2); got != c {
			t.Errorf("rgb pixel %d = %v, want %v", k, got, c)
		}
	}
}

func TestManifoldCodesMatchTheLatentPlot(t *testing.T) {
	codes := ManifoldCodes(DataRect(-2, -2, 2, 2), 4)
	if codes[0] != (Point{-1.5, 1.5}) || codes[3] != (Point{1.5, 1.5}) || codes[15] != (Point{1.5, -1.5}) {
		t.Errorf("codes %v", codes)
	}
	// The tile of each code sits where the code sits in a viewport of the same area.
	r := image.Rect(0, 0, 400, 400)
	rects := TileLayout(r, 16, 28, 28, 4, 0)
	vp := NewViewport(DataRect(-2, -2, 2, 2), r)
	for k, c := range codes {
		q, _ := vp.PixelOf(c)
		if !q.In(rects[k]) {
			t.Errorf("code %v at pixel %v, its tile is %v", c, q, rects[k])
		}
	}
}

func TestReconstructionPairsPutInputsLeft(t *testing.T) {
	black, whiteImg := make([]float64, 4), []float64{1, 1, 1, 1}
	img := image.NewRGBA(image.Rect(0, 0, 200, 60))
	in, rec := ReconstructionPairs(img, img.Bounds(), [][]float64{black, black}, [][]float64{whiteImg, whiteImg}, 2, 2, 2, nil)
	if len(in) != 2 || len(rec) != 2 {
		t.Fatal("pairs missing")
	}
	for k := range in {
		if !(in[k].Max.X <= rec[k].Min.X) || in[k].Dx() != rec[k].Dx() {
			t.Errorf("pair %d: input %v, reconstruction %v", k, in[k], rec[k])
		}
		c := in[k].Min.Add(image.Pt(2, 2))
		if img.RGBAAt(c.X, c.Y) != Grays.At(0) {
			t.Error("input not drawn")
		}
		c = rec[k].Min.Add(image.Pt(2, 2))
		if img.RGBAAt(c.X, c.Y) != Grays.At(1) {
			t.Error("reconstruction not drawn")
		}
	}
	if rec[0].Max.X >= in[1].Min.X-2 {
		t.Error("no wider gap between pairs")
	}
}

func TestLerpEndsExactlyOnB(t *testing.T) {
	a, b := []float64{-2.6812469007341737}, []float64{2.1999822482249076}
	if got := Lerp(nil, a, b, 1); got[0] != b[0] {
		t.Fatalf("Lerp(t=1) = %v, want %v", got[0], b[0])
	}
	codes := InterpolationCodes(a, b, 5, false)
	if last := codes[len(codes)-1]; last[0] != b[0] {
		t.Fatalf("last code %v, want %v", last[0], b[0])
	}
}
