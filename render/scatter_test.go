package render

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

var white = color.RGBA{255, 255, 255, 255}

func TestScatterDotsLandOnTheirPixels(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	vp := NewViewport(DataRect(-1, -1, 1, 1), img.Bounds())
	pts := []Point{{-0.5, 0.5}, {0.5, -0.25}, {3, 3}}
	Scatter(img, vp, pts, []color.RGBA{white}, 2.5)
	for _, p := range pts[:2] {
		q, _ := vp.PixelOf(p)
		if img.RGBAAt(q.X, q.Y) != white {
			t.Errorf("dot at %v: pixel %v is %v", p, q, img.RGBAAt(q.X, q.Y))
		}
	}
	// The dot is round: pixels whose centre is within r-½ of the point are
	// fully covered, those beyond r+½ untouched.
	x, y := vp.ToPixel(pts[0])
	for py := 0; py < 32; py++ {
		for px := 0; px < 32; px++ {
			d := math.Hypot(float64(px)+0.5-x, float64(py)+0.5-y)
			a := img.RGBAAt(px, py).A
			if (d <= 2 && a != 255) || (d >= 3 && a != 0) {
				t.Fatalf("pixel (%d,%d) at distance %.2f has alpha %d", px, py, d, a)
			}
		}
	}
}

func TestScatterAlphaAccumulates(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	vp := NewViewport(DataRect(0, 0, 1, 1), img.Bounds())
	c := WithAlpha(white, 0.25)
	Scatter(img, vp, []Point{{0.5, 0.5}}, []color.RGBA{c}, 3)
	one := img.RGBAAt(8, 8).A
	Scatter(img, vp, []Point{{0.5, 0.5}, {0.5, 0.5}}, []color.RGBA{c}, 3)
	three := img.RGBAAt(8, 8).A
	if !(one > 50 && one < 80 && three > 130 && three < 150) {
		t.Errorf("alpha after one dot %d (want ≈64), after three %d (want ≈147)", one, three)
	}
}

func TestClassColorsCycleAndFade(t *testing.T) {
	pal := DefaultPalette()
	cs := ClassColors([]int{0, 1, 10, -1}, pal, 1)
	if cs[0] != pal[0] || cs[1] != pal[1] || cs[2] != pal[0] || cs[3] == pal[0] {
		t.Errorf("class colours %v", cs)
	}
	if a := ClassColors([]int{2}, pal, 0.5)[0].A; a != 128 {
		t.Errorf("alpha %d", a)
	}
}

func TestCovAxes(t *testing.T) {
	a, b, th := DiagCov(1, 0.5).Axes()
	if math.Abs(a-1) > 1e-12 || math.Abs(b-0.5) > 1e-12 || th != 0 {
		t.Errorf("diag axes %g %g %g", a, b, th)
	}
	// Rotated by 45°: variance 2 along (1,1), 0.5 along (1,-1).
	c := Cov2{XX: 1.25, XY: 0.75, YY: 1.25}
	a, b, th = c.Axes()
	if math.Abs(a-math.Sqrt2) > 1e-12 || math.Abs(b-math.Sqrt(0.5)) > 1e-12 || math.Abs(th-math.Pi/4) > 1e-12 {
		t.Errorf("rotated axes %g %g %g", a, b, th)
	}
	// Every ellipse point has Mahalanobis radius nsigma.
	det := c.XX*c.YY - c.XY*c.XY
	for _, p := range EllipsePoints(Point{1, 2}, c, 2, 40) {
		dx, dy := p.X-1, p.Y-2
		m := (c.YY*dx*dx - 2*c.XY*dx*dy + c.XX*dy*dy) / det
		if math.Abs(m-4) > 1e-9 {
			t.Fatalf("point %v at Mahalanobis² %g, want 4", p, m)
		}
	}
}

func TestPosteriorEllipseIsTwoSigma(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 120, 120))
	vp := NewViewport(DataRect(-3, -3, 3, 3), img.Bounds())
	red := color.RGBA{255, 0, 0, 255}
	PosteriorEllipse(img, vp, Point{0, 0}, Point{1, 0.5}, red)
	on := func(p Point) color.RGBA { q, _ := vp.PixelOf(p); return img.RGBAAt(q.X, q.Y) }
	for _, p := range []Point{{2, 0}, {-2, 0}, {0, 1}, {0, -1}} {
		if c := on(p); c.R < 150 || c.A < 150 {
			t.Errorf("no outline at %v: %v", p, c)
		}
	}
	if c := on(Point{0, 1.5}); c.A != 0 {
		t.Errorf("drawn outside the ellipse at (0,1.5): %v", c)
	}
	if c := on(Point{1, 0.3}); c.A == 0 || c.A > 100 {
		t.Errorf("fill inside should be light: %v", c)
	}
}

func TestHitHandle(t *testing.T) {
	vp := NewViewport(DataRect(-2, -2, 2, 2), image.Rect(0, 0, 200, 200))
	comps := []Component{{Mean: Point{0, 0}}, {Mean: Point{1, 1}}}
	x, y := vp.ToPixel(Point{1, 1})
	if k := HitHandle(vp, comps, x+3, y-3); k != 1 {
		t.Errorf("hit %d, want 1", k)
	}
	if k := HitHandle(vp, comps, x+20, y); k != -1 {
		t.Errorf("hit %d far away, want -1", k)
	}
	img := image.NewRGBA(vp.Pixels)
	th := DarkTheme()
	MixtureComponents(img, vp, comps, 1, th)
	cx, cy := vp.ToPixel(Point{0, 0})
	if img.RGBAAt(int(cx), int(cy)) != th.ClassColor(0) {
		t.Errorf("handle 0 centre %v, want %v", img.RGBAAt(int(cx), int(cy)), th.ClassColor(0))
	}
}

func TestClassLegendShowsEachClassColour(t *testing.T) {
	th := DarkTheme()
	dst := image.NewRGBA(image.Rect(0, 0, 300, 200))
	FillRect(dst, dst.Bounds(), th.Panel)
	names := []string{"zero", "one", "two"}
	box := ClassLegend(dst, dst.Bounds(), names, th.Palette, th)
	if box.Empty() || !box.In(dst.Bounds()) {
		t.Fatalf("legend box %v", box)
	}
	lh := LineHeight(th.Small) + 2
	for k := range names {
		// The dot's centre: the first column, row k.
		x, y := box.Min.X+6+4, box.Min.Y+6+k*lh+lh/2
		got := dst.RGBAAt(x, y)
		want := th.Palette[k]
		if d := max(absDiff(got.R, want.R), absDiff(got.G, want.G), absDiff(got.B, want.B)); d > 40 {
			t.Errorf("class %d: dot colour %v, want near %v", k, got, want)
		}
	}
	if b := ClassLegend(dst, dst.Bounds(), nil, th.Palette, th); !b.Empty() {
		t.Errorf("an empty legend drew a box %v", b)
	}
}

func TestCovarianceHandlesAndDrag(t *testing.T) {
	c := Component{Mean: Point{1, -1}, Cov: Cov2{XX: 4, XY: 0, YY: 1}, Weight: 1}
	h := CovHandles(c)
	if math.Hypot(h[0].X-3, h[0].Y+1) > 1e-12 || math.Hypot(h[1].X-1, h[1].Y-0) > 1e-12 {
		t.Fatalf("handles %v, want (3,−1) and (1,0)", h)
	}
	// Dragging the major handle to (1, 2): the axis turns to vertical with σ = 3,
	// the other keeps σ = 1 horizontally.
	got := DragCovHandle(c, 0, Point{1, 2})
	if math.Abs(got.XX-1) > 1e-12 || math.Abs(got.YY-9) > 1e-12 || math.Abs(got.XY) > 1e-12 {
		t.Fatalf("dragged covariance %+v, want XX=1 YY=9 XY=0", got)
	}
	// A drag along a diagonal gives a correlated covariance whose handle sits at
	// the drop point.
	c2 := Component{Mean: c.Mean, Cov: DragCovHandle(c, 0, Point{3, 1})}
	hh := CovHandles(c2)
	if math.Hypot(hh[0].X-3, hh[0].Y-1) > 1e-9 {
		t.Fatalf("after the drag the major handle is at %v, want (3, 1)", hh[0])
	}
	vp := NewViewport(DataRect(-5, -5, 5, 5), image.Rect(0, 0, 200, 200))
	x, y := vp.ToPixel(h[1])
	if k, a := HitCovHandle(vp, []Component{c}, x+2, y-1); k != 0 || a != 1 {
		t.Fatalf("hit (%d, %d), want (0, 1)", k, a)
	}
	if k, a := HitCovHandle(vp, []Component{c}, x+30, y); k != -1 || a != -1 {
		t.Fatalf("hit (%d, %d) far from any handle", k, a)
	}
}

// fillDisk visits only the disk's span and blends its inside in integers:
// the pixels are those of the plain loop over the bounding box (a square
// root and a float blend per pixel), to at most one level per channel.
func TestFillDiskMatchesThePlainLoop(t *testing.T) {
	plain := func(dst *image.RGBA, cx, cy, r float64, c color.RGBA) {
		box := image.Rect(int(math.Floor(cx-r-1)), int(math.Floor(cy-r-1)), int(math.Ceil(cx+r+1)), int(math.Ceil(cy+r+1))).Intersect(dst.Bounds())
		scale := 1.0
		if r < 0.5 {
			scale, r = math.Pi*r*r/(math.Pi*0.25), 0.5
		}
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
				blendPixel(dst.Pix, dst.PixOffset(x, y), c, clamp01(r+0.5-math.Sqrt(dx*dx+dy*dy))*scale)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	a, b := image.NewRGBA(image.Rect(0, 0, 64, 64)), image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range a.Pix {
		a.Pix[i] = uint8(rng.IntN(256))
	}
	copy(b.Pix, a.Pix)
	for range 300 {
		cx, cy, r := rng.Float64()*70-3, rng.Float64()*70-3, rng.Float64()*12
		c := WithAlpha(color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}, []float64{1, 0.55, 0.2}[rng.IntN(3)])
		fillDisk(a, a.Bounds(), cx, cy, r, c)
		plain(b, cx, cy, r, c)
	}
	worst := 0
	for i := range a.Pix {
		worst = max(worst, int(a.Pix[i])-int(b.Pix[i]), int(b.Pix[i])-int(a.Pix[i]))
	}
	if worst > 1 {
		t.Fatalf("fillDisk differs from the plain loop by up to %d levels", worst)
	}
}

// fillDisk's inside run (found once a row) gives the very pixels of
// testing each pixel against the inside as it goes, for dots of every
// size, clipped or not, opaque or translucent.
func TestFillDiskRunsAreThePerPixelTest(t *testing.T) {
	perPixel := func(dst *image.RGBA, clip image.Rectangle, cx, cy, r float64, c color.RGBA) {
		box := image.Rect(int(math.Floor(cx-r-1)), int(math.Floor(cy-r-1)), int(math.Ceil(cx+r+1)), int(math.Ceil(cy+r+1))).Intersect(clip).Intersect(dst.Bounds())
		scale := 1.0
		if r < 0.5 {
			scale, r = math.Pi*r*r/(math.Pi*0.25), 0.5
		}
		outer, inner := r+0.5, -1.0
		if scale == 1 && r > 0.5 {
			inner = (r - 0.5) * (r - 0.5)
		}
		for y := box.Min.Y; y < box.Max.Y; y++ {
			dy := float64(y) + 0.5 - cy
			for x := box.Min.X; x < box.Max.X; x++ {
				dx := float64(x) + 0.5 - cx
				d2 := dx*dx + dy*dy
				switch {
				case d2 >= outer*outer:
				case d2 <= inner:
					blendFull(dst.Pix, dst.PixOffset(x, y), c)
				default:
					blendPixel(dst.Pix, dst.PixOffset(x, y), c, clamp01(r+0.5-math.Sqrt(d2))*scale)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := image.NewRGBA(image.Rect(0, 0, 96, 96)), image.NewRGBA(image.Rect(0, 0, 96, 96))
	for i := range a.Pix {
		a.Pix[i] = uint8(rng.IntN(256))
	}
	copy(b.Pix, a.Pix)
	for k := range 2000 {
		cx, cy, r := rng.Float64()*110-7, rng.Float64()*110-7, rng.Float64()*20
		if k%4 == 0 { // centres on pixel edges and centres, radii on halves: ties
			cx, cy, r = math.Round(cx*2)/2, math.Round(cy*2)/2, math.Round(r*2)/2
		}
		clip := a.Bounds()
		if k%3 == 0 {
			clip = image.Rect(rng.IntN(48), rng.IntN(48), 48+rng.IntN(48), 48+rng.IntN(48))
		}
		c := WithAlpha(color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}, []float64{1, 0.8, 0.55, 0.2}[rng.IntN(4)])
		fillDisk(a, clip, cx, cy, r, c)
		perPixel(b, clip, cx, cy, r, c)
		if i := slices.Compare(a.Pix, b.Pix); i != 0 {
			t.Fatalf("dot %d (centre %.3f, %.3f, radius %.3f, clip %v) differs from the per-pixel test", k, cx, cy, r, clip)
		}
	}
}

// A large stroke filled tile by tile covers its pixels as the whole box
// filled at once does, but for the rounding of the rasterizer's
// fixed-point arithmetic (which it uses on a tile, as on any box up to 512
// pixels) against its floating point (on larger boxes): a few levels of
// 255 on a few edge pixels. A piece missed or doubled in a tile would be
// off by its whole coverage. An ellipse's outline, contour-like scattered
// segments and a wiggly line at device scale 3, in a clip they reach past.
func TestLargeStrokesFillTileByTile(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	shapes := map[string]func(s *shape){
		"ellipse outline": func(s *shape) {
			px := make([]vec, 300)
			for k := range px {
				a := 2 * math.Pi * float64(k) / float64(len(px))
				px[k] = vec{560 + 410*math.Cos(a), 540 + 260*math.Sin(a)}
			}
			s.polyline(px, 2.25, true)
		},
		"scattered segments": func(s *shape) {
			for range 400 {
				a := vec{rng.Float64()*1200 - 40, rng.Float64()*1200 - 40}
				s.segment(a, vec{a.x + rng.Float64()*30 - 15, a.y + rng.Float64()*30 - 15}, 1.8)
			}
		},
		"wiggly line": func(s *shape) {
			px := make([]vec, 500)
			for k := range px {
				px[k] = vec{float64(k) * 2.3, 560 + 400*math.Sin(float64(k)*0.05) + rng.Float64()*20}
			}
			s.polyline(px, 3, false)
		},
	}
	for name, build := range shapes {
		var s shape
		build(&s)
		for _, c := range []color.RGBA{{255, 255, 255, 255}, WithAlpha(color.RGBA{250, 120, 30, 255}, 0.8)} {
			tiled, whole := image.NewRGBA(image.Rect(0, 0, 1122, 1122)), image.NewRGBA(image.Rect(0, 0, 1122, 1122))
			for i := range tiled.Pix {
				tiled.Pix[i] = uint8(i * 7 % 251)
			}
			copy(whole.Pix, tiled.Pix)
			clip := image.Rect(3, 5, 1110, 1117)
			s.fill(tiled, clip, c)
			b := s.bounds
			box := image.Rect(int(math.Floor(b.minX)), int(math.Floor(b.minY)), int(math.Ceil(b.maxX)), int(math.Ceil(b.maxY))).Intersect(clip)
			s.fillPolygons(whole, box, c, nil)
			worst, sum, drawn := 0, 0, 0
			for i := range tiled.Pix {
				d := int(tiled.Pix[i]) - int(whole.Pix[i])
				worst, sum = max(worst, d, -d), sum+max(d, -d)
				if whole.Pix[i] != uint8(i*7%251) {
					drawn++
				}
			}
			if mean := float64(sum) / float64(max(drawn, 1)); worst > 24 || mean > 0.5 || drawn == 0 {
				t.Errorf("%s in %v: tiles differ from the whole box by up to %d levels, %.2f on average over %d channels drawn", name, c, worst, mean, drawn)
			}
		}
	}
}
