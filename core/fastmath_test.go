package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// relErr is |got−want|/|want| (absolute error where want is 0), 0 when both
// are the same infinity or both NaN.
func relErr(got, want float64) float64 {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		if math.IsNaN(want) && math.IsNaN(got) {
			return 0
		}
		return math.Inf(1)
	case got == want:
		return 0
	case want == 0:
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}

// logSpaced returns n points spread evenly in log10 between 10^lo and 10^hi,
// with their negatives, plus n uniform points in [−a, a] from rng.
func logSpaced(n int, lo, hi, a float64, rng *rand.Rand) []float64 {
	xs := make([]float64, 0, 3*n)
	for i := range n {
		x := math.Pow(10, lo+(hi-lo)*float64(i)/float64(n-1))
		xs = append(xs, x, -x)
	}
	for range n {
		xs = append(xs, (2*rng.Float64()-1)*a)
	}
	return xs
}

func TestExpFastMatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	worst, at := 0.0, 0.0
	for _, x := range logSpaced(200000, -20, math.Log10(750), 750, rng) {
		if want := math.Exp(x); want > 0 && want < 0x1p-1022 {
			// Subnormal results keep fewer bits; amd64's assembly and
			// the msun algorithm (pmath.Exp, used there) round them apart.
			continue
		}
		if e := relErr(expFast(x), math.Exp(x)); e > worst {
			worst, at = e, x
		}
	}
	t.Logf("expFast: max relative error %.3g (at x = %g) over ±[1e-20, 750]", worst, at)
	if worst > 4e-16 {
		t.Fatalf("expFast: relative error %g at x = %g", worst, at)
	}
	for _, c := range []struct{ x, want float64 }{
		{0, 1}, {math.Copysign(0, -1), 1}, {math.Inf(1), math.Inf(1)}, {math.Inf(-1), 0},
		{710, math.Inf(1)}, {-746, 0}, {-740, math.Exp(-740)}, {708, math.Exp(708)}, {-708, math.Exp(-708)},
	} {
		if got := expFast(c.x); relErr(got, c.want) > 4e-16 {
			t.Errorf("expFast(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if !math.IsNaN(expFast(math.NaN())) {
		t.Error("expFast(NaN) is not NaN")
	}
}

func TestLog1pUnitMatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	worst, at := 0.0, 0.0
	check := func(e float64) {
		if r := relErr(log1pUnit(e), math.Log1p(e)); r > worst {
			worst, at = r, e
		}
	}
	for i := range 200000 {
		check(math.Pow(10, -320+320*float64(i)/199999)) // 1e-320 (subnormal) … 1
		check(rng.Float64())
	}
	for _, e := range []float64{0, 5e-324, 1e-300, 1e-16, math.Sqrt2 - 1, math.Nextafter(math.Sqrt2-1, 1), 0.5, 1} {
		check(e)
	}
	t.Logf("log1pUnit: max relative error %.3g (at e = %g) over [0, 1]", worst, at)
	if worst > 4e-16 {
		t.Fatalf("log1pUnit: relative error %g at e = %g", worst, at)
	}
	if got := log1pUnit(0); got != 0 || math.Signbit(got) {
		t.Errorf("log1pUnit(0) = %g, want +0", got)
	}
	if !math.IsNaN(log1pUnit(math.NaN())) {
		t.Error("log1pUnit(NaN) is not NaN")
	}
}

func TestTanhFastMatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	worst, at := 0.0, 0.0
	for _, x := range logSpaced(200000, -300, 3, 30, rng) {
		if e := relErr(tanhFast(x), math.Tanh(x)); e > worst {
			worst, at = e, x
		}
	}
	t.Logf("tanhFast: max relative error %.3g (at x = %g) over ±[1e-300, 1000]", worst, at)
	if worst > 6e-16 {
		t.Fatalf("tanhFast: relative error %g at x = %g", worst, at)
	}

	// tanhSlice (what Activation.Apply runs), odd length, small and large
	// arguments mixed in pairs, in place.
	xs := logSpaced(100001, -300, 3, 2, rng)
	rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
	xs = append(xs, 0.3, math.NaN(), math.Inf(-1), 0.1, 1e-200, 0.5)
	ys := append([]float64(nil), xs...)
	tanhSlice(ys, ys)
	worst, at = 0, 0
	for i, x := range xs {
		if e := relErr(ys[i], math.Tanh(x)); e > worst {
			worst, at = e, x
		}
	}
	t.Logf("tanhSlice: max relative error %.3g (at x = %g)", worst, at)
	if worst > 6e-16 {
		t.Fatalf("tanhSlice: relative error %g at x = %g", worst, at)
	}
	negZero := math.Copysign(0, -1)
	for _, c := range []struct{ x, want float64 }{
		{0, 0}, {5e-324, 5e-324}, {-5e-324, -5e-324},
		{22, 1}, {19.1, 1}, {-30, -1}, {math.Inf(1), 1}, {math.Inf(-1), -1}, {math.MaxFloat64, 1},
	} {
		if got := tanhFast(c.x); got != c.want || math.Signbit(got) != math.Signbit(c.want) {
			t.Errorf("tanhFast(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := tanhFast(negZero); got != 0 {
		t.Errorf("tanhFast(-0) = %g, want ±0", got)
	}
	if !math.IsNaN(tanhFast(math.NaN())) {
		t.Error("tanhFast(NaN) is not NaN")
	}
}

// The Bernoulli pieces built from expFast and log1pUnit agree with the
// general Softplus and Sigmoid, extremes included.
func TestBernoulliCacheMatchesSoftplusSigmoid(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, l := range logSpaced(50000, -20, math.Log10(1e4), 50, rng) {
		e := expFast(-math.Abs(l))
		sp := max(l, 0) + log1pUnit(e)
		if r := relErr(sp, Softplus(l)); r > 5e-16 {
			t.Fatalf("softplus(%g): %g vs %g", l, sp, Softplus(l))
		}
		if r := relErr(sigmoidFromExp(l, e), Sigmoid(l)); r > 5e-16 {
			t.Fatalf("sigmoid(%g): %g vs %g", l, sigmoidFromExp(l, e), Sigmoid(l))
		}
	}
}

var sinkF float64

func BenchmarkTanh(b *testing.B) {
	xs := logSpaced(1024, -3, 1, 3, rand.New(rand.NewPCG(5, 5)))
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for _, x := range xs {
				sinkF += math.Tanh(x)
			}
		}
	})
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			for _, x := range xs {
				sinkF += tanhFast(x)
			}
		}
	})
}
