package datasets

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/vaeplayground/vae/internal/pmath"
)

// The 2-D generators follow the recipes of FFJORD's toy_data.py (Grathwohl,
// Chen et al., 2019), which build on scikit-learn's make_moons, make_circles
// and make_swiss_roll: the same scales, offsets and default noise levels.
// Where those recipes use a fixed batch split, any n is spread as evenly as
// possible. Rows are shuffled so that any prefix is a fair sample.

func newPoints(name string, n int, labelNames []string) *Dataset {
	d := &Dataset{Name: name, Kind: Points2D, N: n, D: 2, X: make([]float64, 2*n)}
	if labelNames != nil {
		d.Labels = make([]int, n)
		d.LabelNames = labelNames
	}
	return d
}

// shuffleRows permutes X, Labels and Factors of d together.
func shuffleRows(d *Dataset, rng *rand.Rand) {
	nf := len(d.FactorNames)
	rng.Shuffle(d.N, func(i, j int) {
		d.X[2*i], d.X[2*j] = d.X[2*j], d.X[2*i]
		d.X[2*i+1], d.X[2*j+1] = d.X[2*j+1], d.X[2*i+1]
		if d.Labels != nil {
			d.Labels[i], d.Labels[j] = d.Labels[j], d.Labels[i]
		}
		for f := 0; f < nf; f++ {
			d.Factors[i*nf+f], d.Factors[j*nf+f] = d.Factors[j*nf+f], d.Factors[i*nf+f]
		}
	})
}

func numbered(prefix string, k int) []string {
	s := make([]string, k)
	for i := range s {
		s[i] = prefix + " " + strconv.Itoa(i+1)
	}
	return s
}

// genMoons: scikit-learn make_moons (outer half-circle of radius 1 at the
// origin, inner one centred at (1, 0.5) opening upward), Gaussian noise of
// standard deviation noise, then FFJORD's 2x + (−1, −0.2).
func genMoons(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	noise := p["noise"]
	d := newPoints("moons", n, []string{"upper moon", "lower moon"})
	nOut := n / 2
	nIn := n - nOut
	for i := 0; i < n; i++ {
		var x, y float64
		if i < nOut {
			t := linspace(0, math.Pi, nOut, true, i)
			x, y = pmath.Cos(t), pmath.Sin(t)
		} else {
			t := linspace(0, math.Pi, nIn, true, i-nOut)
			x, y = 1-pmath.Cos(t), 1-pmath.Sin(t)-0.5
			d.Labels[i] = 1
		}
		x += float64(noise * pmath.NormFloat64(rng))
		y += float64(noise * pmath.NormFloat64(rng))
		d.X[2*i] = float64(2*x) - 1
		d.X[2*i+1] = float64(2*y) - 0.2
	}
	shuffleRows(d, rng)
	return d, nil
}

// linspace returns the i-th of k points spread over [a, b] (endpoint
// included or not), as numpy.linspace.
func linspace(a, b float64, k int, endpoint bool, i int) float64 {
	div := float64(k)
	if endpoint {
		div = float64(k - 1)
	}
	if div <= 0 {
		return a
	}
	return a + (b-a)*float64(i)/div
}

// genCircles: scikit-learn make_circles (outer unit circle, inner circle of
// radius factor, endpoint excluded), noise, then FFJORD's ×3.
func genCircles(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	noise, factor := p["noise"], p["factor"]
	d := newPoints("circles", n, []string{"outer circle", "inner circle"})
	nOut := n / 2
	nIn := n - nOut
	for i := 0; i < n; i++ {
		var x, y float64
		if i < nOut {
			t := linspace(0, 2*math.Pi, nOut, false, i)
			x, y = pmath.Cos(t), pmath.Sin(t)
		} else {
			t := linspace(0, 2*math.Pi, nIn, false, i-nOut)
			x, y = float64(factor*pmath.Cos(t)), float64(factor*pmath.Sin(t))
			d.Labels[i] = 1
		}
		d.X[2*i] = float64(3 * (x + float64(noise*pmath.NormFloat64(rng))))
		d.X[2*i+1] = float64(3 * (y + float64(noise*pmath.NormFloat64(rng))))
	}
	shuffleRows(d, rng)
	return d, nil
}

// genRings: four concentric circles of radii 3, 2.25, 1.5, 0.75 (FFJORD:
// radii 1, .75, .5, .25 times 3), n/4 points on each (the innermost takes
// the remainder), evenly spaced, plus Gaussian noise (default 0.08).
func genRings(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	noise := p["noise"]
	d := newPoints("rings", n, []string{"ring r=3", "ring r=2.25", "ring r=1.5", "ring r=0.75"})
	q := n / 4
	counts := [4]int{q, q, q, n - 3*q}
	i := 0
	for ring, c := range counts {
		r := float64(3 * (1 - float64(0.25*float64(ring))))
		for k := 0; k < c; k++ {
			t := linspace(0, 2*math.Pi, c, false, k)
			d.X[2*i] = float64(r*pmath.Cos(t)) + float64(noise*pmath.NormFloat64(rng))
			d.X[2*i+1] = float64(r*pmath.Sin(t)) + float64(noise*pmath.NormFloat64(rng))
			d.Labels[i] = ring
			i++
		}
	}
	shuffleRows(d, rng)
	return d, nil
}

// eightAngles lists FFJORD's 8gaussians centres in its order: (1,0), (−1,0),
// (0,1), (0,−1), then the four diagonals.
var eightCenters = [8][2]float64{
	{1, 0}, {-1, 0}, {0, 1}, {0, -1},
	{math.Sqrt2 / 2, math.Sqrt2 / 2}, {math.Sqrt2 / 2, -math.Sqrt2 / 2},
	{-math.Sqrt2 / 2, math.Sqrt2 / 2}, {-math.Sqrt2 / 2, -math.Sqrt2 / 2},
}

// gen8Gaussians: a mode chosen uniformly among 8 centres at radius 4, plus
// Gaussian noise (default std 0.5), all divided by 1.414 (FFJORD): modes at
// radius 4/1.414 ≈ 2.83 with std ≈ 0.354.
func gen8Gaussians(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	noise := p["noise"]
	names := []string{"mode E", "mode W", "mode N", "mode S", "mode NE", "mode SE", "mode NW", "mode SW"}
	d := newPoints("8gaussians", n, names)
	const scale = 4.0
	for i := 0; i < n; i++ {
		px := float64(pmath.NormFloat64(rng) * noise)
		py := float64(pmath.NormFloat64(rng) * noise)
		k := rng.IntN(8)
		d.X[2*i] = (px + float64(scale*eightCenters[k][0])) / 1.414
		d.X[2*i+1] = (py + float64(scale*eightCenters[k][1])) / 1.414
		d.Labels[i] = k
	}
	return d, nil
}

// genPinwheel: FFJORD's pinwheel. Per arm k of K, features
// f = (1 + radial·ε₀, tangential·ε₁); angle a = 2πk/K + rate·exp(f₀); the
// point is 2·(f₀cos a + f₁sin a, −f₀sin a + f₁cos a).
func genPinwheel(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	arms := p.Int("arms")
	radial, tangential, rate := p["radial_noise"], p["noise"], p["rate"]
	d := newPoints("pinwheel", n, numbered("arm", arms))
	for i := 0; i < n; i++ {
		k := i % arms
		f0 := 1 + float64(radial*pmath.NormFloat64(rng))
		f1 := float64(tangential * pmath.NormFloat64(rng))
		a := 2*math.Pi*float64(k)/float64(arms) + float64(rate*pmath.Exp(f0))
		s, c := pmath.Sincos(a)
		d.X[2*i] = float64(2 * (float64(f0*c) + float64(f1*s)))
		d.X[2*i+1] = float64(2 * (float64(-f0*s) + float64(f1*c)))
		d.Labels[i] = k
	}
	shuffleRows(d, rng)
	return d, nil
}

// gen2Spirals: FFJORD's two spirals. t = √u·3π (540°); arm one is
// (−t·cos t + 0.5u₁, t·sin t + 0.5u₂), arm two its negation; all /3, plus
// Gaussian noise (default 0.1). The factor "t" is the position along the arm.
func gen2Spirals(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	noise := p["noise"]
	d := newPoints("2spirals", n, []string{"arm 1", "arm 2"})
	d.FactorNames = []string{"t"}
	d.Factors = make([]float64, n)
	half := n / 2
	for i := 0; i < n; i++ {
		t := math.Sqrt(rng.Float64()) * 540 * (2 * math.Pi) / 360
		x := float64(-pmath.Cos(t)*t) + float64(rng.Float64()*0.5)
		y := float64(pmath.Sin(t)*t) + float64(rng.Float64()*0.5)
		if i >= half {
			x, y = -x, -y
			d.Labels[i] = 1
		}
		d.X[2*i] = x/3 + float64(noise*pmath.NormFloat64(rng))
		d.X[2*i+1] = y/3 + float64(noise*pmath.NormFloat64(rng))
		d.Factors[i] = t
	}
	shuffleRows(d, rng)
	return d, nil
}

// genCheckerboard: FFJORD's checkerboard: x₁ uniform on [−2, 2),
// x₂ uniform on [0, 1) or [−2, −1), shifted up by floor(x₁) mod 2, all ×2.
// Points fill the 8 dark squares of a 4×4 board of side-2 squares on
// [−4, 4)² (those where floor(x/2)+floor(y/2) is even). Optional Gaussian
// noise (default 0, as in FFJORD). Labels number the dark squares.
func genCheckerboard(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	noise := p["noise"]
	d := newPoints("checkerboard", n, numbered("square", 8))
	for i := 0; i < n; i++ {
		x1 := float64(4*rng.Float64()) - 2
		x2 := float64(rng.Float64()) - float64(float64(rng.IntN(2))*2)
		x2 += math.Mod(math.Floor(x1)+4, 2) // floor(x1) mod 2, in {0, 1}
		col := int(math.Floor(x1)) + 2      // 0..3
		row := int(math.Floor(x2)) + 2      // 0..3
		d.Labels[i] = row*2 + col/2
		d.X[2*i] = float64(2*x1) + float64(noise*pmath.NormFloat64(rng))
		d.X[2*i+1] = float64(2*x2) + float64(noise*pmath.NormFloat64(rng))
	}
	return d, nil
}

// genSwissRoll: scikit-learn make_swiss_roll projected on (x, z):
// t = 1.5π(1 + 2u), point t·(cos t, sin t) plus Gaussian noise (default 1),
// all /5 (FFJORD). The factor "t" is the position along the roll.
func genSwissRoll(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	noise := p["noise"]
	d := newPoints("swissroll", n, nil)
	d.FactorNames = []string{"t"}
	d.Factors = make([]float64, n)
	for i := 0; i < n; i++ {
		t := float64(1.5 * math.Pi * (1 + float64(2*float64(rng.Float64()))))
		d.X[2*i] = (float64(t*pmath.Cos(t)) + float64(noise*pmath.NormFloat64(rng))) / 5
		d.X[2*i+1] = (float64(t*pmath.Sin(t)) + float64(noise*pmath.NormFloat64(rng))) / 5
		d.Factors[i] = t
	}
	return d, nil
}

// genGaussian: one isotropic Gaussian blob N(0, noise²·I).
func genGaussian(rng *rand.Rand, p Params) (*Dataset, error) {
	n := p.Int("n")
	sd := p["noise"]
	d := newPoints("gaussian", n, nil)
	for i := range d.X {
		d.X[i] = float64(sd * pmath.NormFloat64(rng))
	}
	return d, nil
}
