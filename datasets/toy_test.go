package datasets

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func gen(t *testing.T, name string, p Params, seed uint64) *Dataset {
	t.Helper()
	d, err := Generate(name, p, newRand(seed))
	if err != nil {
		t.Fatalf("Generate(%s, %v): %v", name, p, err)
	}
	return d
}

// TestGeneratorsBasics: every generated entry, at several sizes, gives the
// right count, finite values, consistent labels, and is deterministic in
// its seed.
func TestGeneratorsBasics(t *testing.T) {
	for _, e := range List() {
		if e.Source != Generated {
			continue
		}
		for _, n := range []int{1, 2, 3, 7, 500} {
			p := Params{}
			if _, ok := e.Param("n"); ok {
				p["n"] = float64(n)
			}
			a := gen(t, e.Name, p, 1)
			b := gen(t, e.Name, p, 1)
			c := gen(t, e.Name, p, 2)
			if err := a.Validate(); err != nil {
				t.Errorf("%s n=%d: %v", e.Name, n, err)
			}
			if e.Kind == Points2D && (a.N != n || a.D != 2 || len(a.X) != 2*n) {
				t.Errorf("%s n=%d: got N=%d D=%d len(X)=%d", e.Name, n, a.N, a.D, len(a.X))
			}
			if !slices.Equal(a.X, b.X) || !slices.Equal(a.Pix, b.Pix) || !slices.Equal(a.Labels, b.Labels) || !slices.Equal(a.Factors, b.Factors) {
				t.Errorf("%s n=%d: same seed gave different data", e.Name, n)
			}
			if n >= 7 && slices.Equal(a.X, c.X) && slices.Equal(a.Pix, c.Pix) {
				t.Errorf("%s n=%d: different seeds gave the same data", e.Name, n)
			}
			if a.Name != e.Name || a.Kind != e.Kind {
				t.Errorf("%s: dataset says name %q kind %v", e.Name, a.Name, a.Kind)
			}
		}
	}
}

func labelCounts(d *Dataset) []int {
	c := make([]int, len(d.LabelNames))
	for _, l := range d.Labels {
		c[l]++
	}
	return c
}

func TestMoonsShape(t *testing.T) {
	// Without noise, undoing FFJORD's 2x + (−1, −0.2) puts every point on a
	// unit half-circle: the upper one at the origin, the lower at (1, 0.5).
	d := gen(t, "moons", Params{"n": 1001, "noise": 0}, 3)
	if c := labelCounts(d); c[0] != 500 || c[1] != 501 {
		t.Fatalf("label counts %v, want [500 501]", c)
	}
	for i := 0; i < d.N; i++ {
		x, y := (d.X[2*i]+1)/2, (d.X[2*i+1]+0.2)/2
		cx, cy, up := 0.0, 0.0, 1.0
		if d.Labels[i] == 1 {
			cx, cy, up = 1, 0.5, -1
		}
		r := math.Hypot(x-cx, y-cy)
		if math.Abs(r-1) > 1e-12 || up*(y-cy) < -1e-12 {
			t.Fatalf("point %d (%v,%v) label %d: radius %v, not on its half-circle", i, x, y, d.Labels[i], r)
		}
	}
	// With the default noise (0.1) points stay near the half-circles:
	// the mean squared radial deviation is about noise² (a bit less, since
	// the tangential part of the noise does not count).
	d = gen(t, "moons", nil, 4)
	var ms float64
	for i := 0; i < d.N; i++ {
		x, y := (d.X[2*i]+1)/2, (d.X[2*i+1]+0.2)/2
		cx, cy := 0.0, 0.0
		if d.Labels[i] == 1 {
			cx, cy = 1, 0.5
		}
		dr := math.Hypot(x-cx, y-cy) - 1
		ms += dr * dr
	}
	ms /= float64(d.N)
	if ms < 0.006 || ms > 0.012 {
		t.Errorf("moons: mean squared radial deviation %v, want ≈ 0.01", ms)
	}
}

func TestCirclesAndRingsShape(t *testing.T) {
	for _, tc := range []struct {
		name  string
		p     Params
		radii []float64
	}{
		{"circles", Params{"n": 999, "noise": 0}, []float64{3, 1.5}},
		{"circles", Params{"n": 50, "noise": 0, "factor": 0.2}, []float64{3, 0.6}},
		{"rings", Params{"n": 1003, "noise": 0}, []float64{3, 2.25, 1.5, 0.75}},
	} {
		d := gen(t, tc.name, tc.p, 5)
		for i := 0; i < d.N; i++ {
			r := math.Hypot(d.X[2*i], d.X[2*i+1])
			if want := tc.radii[d.Labels[i]]; math.Abs(r-want) > 1e-12 {
				t.Fatalf("%s %v: point %d label %d radius %v, want %v", tc.name, tc.p, i, d.Labels[i], r, want)
			}
		}
		c := labelCounts(d)
		for k := range c {
			if c[k] < tc.p.Int("n")/len(tc.radii) {
				t.Errorf("%s: label counts %v, want an even split", tc.name, c)
			}
		}
	}
	// Default noise: rings 0.08 absolute; circles 0.08 before ×3, so 0.24.
	for _, tc := range []struct {
		name  string
		radii []float64
		sd    float64
	}{{"rings", []float64{3, 2.25, 1.5, 0.75}, 0.08}, {"circles", []float64{3, 1.5}, 0.24}} {
		d := gen(t, tc.name, Params{"n": 4000}, 6)
		var ms float64
		for i := 0; i < d.N; i++ {
			dr := math.Hypot(d.X[2*i], d.X[2*i+1]) - tc.radii[d.Labels[i]]
			ms += dr * dr
		}
		sd := math.Sqrt(ms / float64(d.N))
		if math.Abs(sd-tc.sd) > 0.1*tc.sd {
			t.Errorf("%s: radial noise %v, want ≈ %v", tc.name, sd, tc.sd)
		}
	}
}

func TestEightGaussiansShape(t *testing.T) {
	d := gen(t, "8gaussians", Params{"n": 16000}, 7)
	var sx, sy, ss [8]float64
	c := labelCounts(d)
	for i := 0; i < d.N; i++ {
		k := d.Labels[i]
		sx[k] += d.X[2*i]
		sy[k] += d.X[2*i+1]
	}
	for k := 0; k < 8; k++ {
		if c[k] < 1800 || c[k] > 2200 {
			t.Errorf("mode %d has %d of 16000 points, want ≈ 2000", k, c[k])
		}
		mx, my := sx[k]/float64(c[k]), sy[k]/float64(c[k])
		// Mode k sits at radius 4/1.414 in direction eightCenters[k]; the
		// eight directions are the multiples of 45°.
		if r := math.Hypot(mx, my); math.Abs(r-4/1.414) > 0.03 {
			t.Errorf("mode %d centre radius %v, want %v", k, r, 4/1.414)
		}
		ang := math.Atan2(my, mx) / (math.Pi / 4)
		if math.Abs(ang-math.Round(ang)) > 0.02 {
			t.Errorf("mode %d centre angle %v·45°, want a whole multiple", k, ang)
		}
		for i := 0; i < d.N; i++ {
			if d.Labels[i] == k {
				ss[k] += (d.X[2*i]-mx)*(d.X[2*i]-mx) + (d.X[2*i+1]-my)*(d.X[2*i+1]-my)
			}
		}
		if sd := math.Sqrt(ss[k] / float64(2*c[k])); math.Abs(sd-0.5/1.414) > 0.02 {
			t.Errorf("mode %d std %v, want %v", k, sd, 0.5/1.414)
		}
	}
	// The modes are the 8 distinct directions: E W N S NE SE NW SW.
	for k, want := range eightCenters {
		mx, my := sx[k]/float64(c[k]), sy[k]/float64(c[k])
		if math.Hypot(mx/(4/1.414)-want[0], my/(4/1.414)-want[1]) > 0.02 {
			t.Errorf("mode %d (%s) at (%v,%v)", k, d.LabelNames[k], mx, my)
		}
	}
}

func TestPinwheelShape(t *testing.T) {
	// Without tangential noise a point is 2·f₀ rotated by −a with
	// a = 2πk/K + rate·exp(f₀): radius/2 gives f₀, which fixes the angle.
	for _, arms := range []int{5, 3} {
		d := gen(t, "pinwheel", Params{"n": 999, "noise": 0, "arms": float64(arms)}, 8)
		c := labelCounts(d)
		for k := range c {
			if c[k] < 999/arms {
				t.Errorf("arms=%d: counts %v", arms, c)
			}
		}
		for i := 0; i < d.N; i++ {
			x, y := d.X[2*i], d.X[2*i+1]
			// radius/2 = |f₀|; f₀ < 0 (radial noise below −1) flips the point.
			ok := false
			for _, f0 := range []float64{math.Hypot(x, y) / 2, -math.Hypot(x, y) / 2} {
				a := 2*math.Pi*float64(d.Labels[i])/float64(arms) + 0.25*math.Exp(f0)
				px, py := 2*f0*math.Cos(a), -2*f0*math.Sin(a)
				ok = ok || math.Hypot(px-x, py-y) < 1e-9
			}
			if !ok {
				t.Fatalf("arms=%d point %d (%v,%v) label %d is off its arm", arms, i, x, y, d.Labels[i])
			}
		}
	}
	// With defaults the tangential noise shows up as the component
	// orthogonal to the noiseless direction: std 2·0.1.
	d := gen(t, "pinwheel", Params{"n": 5000}, 9)
	var rad float64
	for i := 0; i < d.N; i++ {
		rad += math.Hypot(d.X[2*i], d.X[2*i+1])
	}
	if m := rad / float64(d.N); math.Abs(m-2) > 0.05 {
		t.Errorf("pinwheel mean radius %v, want ≈ 2", m)
	}
}

func TestTwoSpiralsShape(t *testing.T) {
	d := gen(t, "2spirals", Params{"n": 4000, "noise": 0}, 10)
	below := 0
	for i := 0; i < d.N; i++ {
		tt := d.Factor(i, 0)
		if tt < 0 || tt > 3*math.Pi {
			t.Fatalf("t = %v outside [0, 3π]", tt)
		}
		if tt < 1.5*math.Pi {
			below++
		}
		x, y := 3*d.X[2*i], 3*d.X[2*i+1]
		if d.Labels[i] == 1 {
			x, y = -x, -y
		}
		// arm one is the spiral (−t cos t, t sin t) plus uniform [0, .5)².
		ux, uy := x+math.Cos(tt)*tt, y-math.Sin(tt)*tt
		if ux < -1e-9 || ux > 0.5 || uy < -1e-9 || uy > 0.5 {
			t.Fatalf("point %d: offset (%v,%v) from its spiral point outside [0, .5)²", i, ux, uy)
		}
	}
	// t = √u·3π, so P(t < 1.5π) = 1/4.
	if f := float64(below) / float64(d.N); math.Abs(f-0.25) > 0.03 {
		t.Errorf("fraction with t < 1.5π = %v, want 0.25", f)
	}
	if c := labelCounts(d); c[0] != 2000 || c[1] != 2000 {
		t.Errorf("arm counts %v", c)
	}
}

func TestCheckerboardShape(t *testing.T) {
	d := gen(t, "checkerboard", Params{"n": 8000}, 11)
	counts := make(map[[2]int]int)
	for i := 0; i < d.N; i++ {
		x, y := d.X[2*i], d.X[2*i+1]
		if x < -4 || x >= 4 || y < -4 || y >= 4 {
			t.Fatalf("point (%v,%v) outside [−4, 4)²", x, y)
		}
		cx, cy := int(math.Floor(x/2)), int(math.Floor(y/2))
		if (cx+cy)%2 != 0 {
			t.Fatalf("point (%v,%v) in a light square", x, y)
		}
		counts[[2]int{cx, cy}]++
		if want := (cy+2)*2 + (cx+2)/2; d.Labels[i] != want {
			t.Fatalf("point (%v,%v) label %d, want %d", x, y, d.Labels[i], want)
		}
	}
	if len(counts) != 8 {
		t.Fatalf("%d dark squares used, want 8", len(counts))
	}
	for sq, c := range counts {
		if c < 850 || c > 1150 {
			t.Errorf("square %v has %d points, want ≈ 1000", sq, c)
		}
	}
}

func TestSwissRollShape(t *testing.T) {
	d := gen(t, "swissroll", Params{"n": 2000, "noise": 0}, 12)
	for i := 0; i < d.N; i++ {
		x, y := 5*d.X[2*i], 5*d.X[2*i+1]
		tt := d.Factor(i, 0)
		if tt < 1.5*math.Pi || tt > 4.5*math.Pi {
			t.Fatalf("t = %v outside [1.5π, 4.5π]", tt)
		}
		if math.Abs(math.Hypot(x, y)-tt) > 1e-9 || math.Abs(math.Remainder(math.Atan2(y, x)-tt, 2*math.Pi)) > 1e-9 {
			t.Fatalf("point (%v,%v) is not t(cos t, sin t) for t=%v", x, y, tt)
		}
	}
}

func TestGaussianShape(t *testing.T) {
	d := gen(t, "gaussian", Params{"n": 20000, "noise": 2}, 13)
	for j := 0; j < 2; j++ {
		var s, ss float64
		for i := 0; i < d.N; i++ {
			s += d.X[2*i+j]
			ss += d.X[2*i+j] * d.X[2*i+j]
		}
		m := s / float64(d.N)
		sd := math.Sqrt(ss/float64(d.N) - m*m)
		if math.Abs(m) > 0.05 || math.Abs(sd-2) > 0.05 {
			t.Errorf("column %d: mean %v sd %v, want 0, 2", j, m, sd)
		}
	}
}
