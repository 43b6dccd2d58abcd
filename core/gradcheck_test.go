package core

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// checkGradient compares an analytic gradient with gonum's central finite
// differences of f at x (x is restored afterwards). It fails when
// ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖, floor) exceeds tol, and
// reports the worst component.
func checkGradient(t *testing.T, name string, f func() float64, x, analytic []float64, tol float64) {
	t.Helper()
	orig := append([]float64(nil), x...)
	numeric := fd.Gradient(nil, func(p []float64) float64 {
		copy(x, p)
		return f()
	}, orig, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	copy(x, orig)
	var diff, na, nn float64
	worst, worstAt := 0.0, -1
	for i := range numeric {
		d := analytic[i] - numeric[i]
		diff += d * d
		na += analytic[i] * analytic[i]
		nn += numeric[i] * numeric[i]
		if e := math.Abs(d) / math.Max(1e-3, math.Max(math.Abs(analytic[i]), math.Abs(numeric[i]))); e > worst {
			worst, worstAt = e, i
		}
	}
	rel := math.Sqrt(diff) / math.Max(1e-8, math.Max(math.Sqrt(na), math.Sqrt(nn)))
	if rel > tol || math.IsNaN(rel) {
		t.Errorf("%s: relative gradient error %.3g > %.1g (worst component %d: analytic %.8g numeric %.8g)",
			name, rel, tol, worstAt, analytic[worstAt], numeric[worstAt])
	}
}

func randDense(rng *rand.Rand, r, c int, scale float64) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range data(m) {
		data(m)[i] = rng.NormFloat64() * scale
	}
	return m
}

func TestActivationGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, act := range []Activation{Identity, ReLU, LeakyReLU, Tanh, SoftplusAct, ELU} {
		in := make([]float64, 20)
		for i := range in {
			in[i] = rng.NormFloat64() * 2
			if math.Abs(in[i]) < 0.05 { // keep away from kinks
				in[i] += 0.1
			}
		}
		w := make([]float64, len(in))
		for i := range w {
			w[i] = rng.NormFloat64()
		}
		out := make([]float64, len(in))
		f := func() float64 {
			act.Apply(out, in)
			s := 0.0
			for i, o := range out {
				s += w[i] * o
			}
			return s
		}
		f()
		grad := make([]float64, len(in))
		act.Backward(grad, w, in, out)
		checkGradient(t, act.String(), f, in, grad, 1e-6)
	}
}

func TestMLPGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, act := range []Activation{Tanh, SoftplusAct, ELU, LeakyReLU, ReLU} {
		var ps Params
		net := NewMLP(&ps, "net", []int{3, 5, 4, 2}, act)
		ps.Allocate(rng)
		x := randDense(rng, 6, 3, 1)
		w := randDense(rng, 6, 2, 1)
		loss := func() float64 {
			y := net.Forward(x)
			return dotDense(y, w)
		}
		loss()
		ps.ZeroGrads()
		dx := mat.NewDense(6, 3, nil)
		net.Backward(dx, w)
		checkGradient(t, act.String()+" params", loss, ps.Values(), ps.Grads(), 1e-5)
		checkGradient(t, act.String()+" input", loss, data(x), data(dx), 1e-5)
	}
}

func TestLikelihoodGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n, dim := 5, 4
	bx := mat.NewDense(n, dim, nil)
	for i := range data(bx) {
		data(bx)[i] = float64(rng.IntN(2))
	}
	gx := randDense(rng, n, dim, 1)
	for _, tc := range []struct {
		name string
		lik  func(ps *Params) Likelihood
		x    *mat.Dense
	}{
		{"bernoulli", func(*Params) Likelihood { return &Bernoulli{} }, bx},
		{"gaussian scalar", func(ps *Params) Likelihood { g, _ := NewGaussian(ps, dim, VarianceScalar); return g }, gx},
		{"gaussian per-dim", func(ps *Params) Likelihood { g, _ := NewGaussian(ps, dim, VariancePerDim); return g }, gx},
	} {
		var ps Params
		lik := tc.lik(&ps)
		ps.Allocate(rng)
		for i := range ps.Values() {
			ps.Values()[i] = rng.NormFloat64() * 0.5
		}
		out := randDense(rng, n, dim, 3)
		g := []float64{0.3, -1, 2, 0.5, 1}
		dst := make([]float64, n)
		f := func() float64 {
			lik.LogProb(dst, tc.x, out)
			s := 0.0
			for i, v := range dst {
				s += g[i] * v
			}
			return s
		}
		f()
		ps.ZeroGrads()
		dout := mat.NewDense(n, dim, nil)
		lik.Backward(dout, g)
		checkGradient(t, tc.name+" output", f, data(out), data(dout), 1e-6)
		if ps.Len() > 0 {
			checkGradient(t, tc.name+" variance", f, ps.Values(), ps.Grads(), 1e-6)
		}
	}
}

func TestBernoulliStableAtExtremeLogits(t *testing.T) {
	x := mat.NewDense(1, 4, []float64{1, 0, 1, 0})
	out := mat.NewDense(1, 4, []float64{800, -800, -800, 800})
	dst := make([]float64, 1)
	(&Bernoulli{}).LogProb(dst, x, out)
	if want := -1600.0; math.Abs(dst[0]-want) > 1e-9 {
		t.Fatalf("log p = %v, want %v", dst[0], want)
	}
}

func TestStandardNormalKLGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	p := &StandardNormal{D: 3}
	mu, lv := randDense(rng, 4, 3, 1), randDense(rng, 4, 3, 1)
	g := randDense(rng, 4, 3, 1)
	kl := mat.NewDense(4, 3, nil)
	f := func() float64 { p.KL(kl, mu, lv); return dotDense(kl, g) }
	f()
	dmu, dlv := mat.NewDense(4, 3, nil), mat.NewDense(4, 3, nil)
	p.KLBackward(dmu, dlv, g)
	checkGradient(t, "KL μ", f, data(mu), data(dmu), 1e-6)
	checkGradient(t, "KL logvar", f, data(lv), data(dlv), 1e-6)

	z := randDense(rng, 4, 3, 1)
	lp := make([]float64, 4)
	w := []float64{1, -0.5, 2, 0.3}
	h := func() float64 {
		p.LogProb(lp, z)
		s := 0.0
		for i := range lp {
			s += w[i] * lp[i]
		}
		return s
	}
	h()
	dz := mat.NewDense(4, 3, nil)
	p.LogProbBackward(dz, w)
	checkGradient(t, "log N(z) z", h, data(z), data(dz), 1e-6)
}

func dotDense(a, b *mat.Dense) float64 {
	s := 0.0
	bd := data(b)
	for i, v := range data(a) {
		s += v * bd[i]
	}
	return s
}
