package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// flowKindsUnderTest are the layer types every flow test runs on.
var flowKindsUnderTest = []string{"planar", "radial"}

func newFlow(t *testing.T, kind string, d int) Flow {
	t.Helper()
	k := FlowByName(kind)
	if k == nil {
		t.Fatalf("flow %q is not registered", kind)
	}
	f := k.New(d)
	if f.NumParams() != k.ParamCount(d) {
		t.Fatalf("%s: NumParams %d, registry says %d", kind, f.NumParams(), k.ParamCount(d))
	}
	return f
}

// TestFlowGradients checks ∂/∂z and ∂/∂θ of Σ wᵢⱼ·outᵢⱼ + Σ gᵢ·logdetᵢ for
// per-row and shared θ, in 1, 2 and 5 dimensions.
func TestFlowGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, kind := range flowKindsUnderTest {
		for _, d := range []int{1, 2, 5} {
			for _, shared := range []bool{false, true} {
				name := fmt.Sprintf("%s d=%d shared=%v", kind, d, shared)
				f := newFlow(t, kind, d)
				n := 6
				rows := n
				if shared {
					rows = 1
				}
				z := randDense(rng, n, d, 1.5)
				theta := randDense(rng, rows, f.NumParams(), 1)
				checkFlowGradients(t, name, f, z, theta, rng)
			}
		}
	}
}

// checkFlowGradients checks ∂/∂z and ∂/∂θ of Σ wᵢⱼ·outᵢⱼ + Σ gᵢ·logdetᵢ
// at z and θ for weights w and g drawn from rng.
func checkFlowGradients(t *testing.T, name string, f Flow, z, theta *mat.Dense, rng *rand.Rand) {
	t.Helper()
	n, d := z.Dims()
	rows, _ := theta.Dims()
	w := randDense(rng, n, d, 1)
	g := make([]float64, n)
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	out := mat.NewDense(n, d, nil)
	logdet := make([]float64, n)
	loss := func() float64 {
		clear(logdet)
		f.Forward(out, logdet, z, theta)
		s := dotDense(out, w)
		for i, v := range logdet {
			s += g[i] * v
		}
		return s
	}
	loss()
	dz := mat.NewDense(n, d, nil)
	dtheta := mat.NewDense(rows, f.NumParams(), nil)
	f.Backward(dz, dtheta, w, g)
	checkGradient(t, name+" z", loss, data(z), data(dz), 1e-6)
	checkGradient(t, name+" θ", loss, data(theta), data(dtheta), 1e-6)
}

// TestFlowLogDetMatchesJacobian compares each layer's log|det| with the log
// of |det| of gonum's numerical Jacobian at random points and parameters.
func TestFlowLogDetMatchesJacobian(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for _, kind := range flowKindsUnderTest {
		for _, d := range []int{1, 2, 3, 6} {
			f := newFlow(t, kind, d)
			for trial := range 10 {
				theta := randDense(rng, 1, f.NumParams(), 1.5)
				z := randDense(rng, 1, d, 2)
				out := mat.NewDense(1, d, nil)
				logdet := []float64{0}
				f.Forward(out, logdet, z, theta)
				jac := mat.NewDense(d, d, nil)
				fd.Jacobian(jac, func(y, x []float64) {
					o := mat.NewDense(1, d, y)
					f.Forward(o, []float64{0}, mat.NewDense(1, d, x), theta)
				}, data(z), &fd.JacobianSettings{Formula: fd.Central})
				det := mat.Det(jac)
				if det <= 0 {
					t.Errorf("%s d=%d trial %d: numerical det %g is not positive", kind, d, trial, det)
					continue
				}
				if diff := math.Abs(math.Log(det) - logdet[0]); diff > 1e-6 {
					t.Errorf("%s d=%d trial %d: log|det| %.10g, numerical %.10g", kind, d, trial, logdet[0], math.Log(det))
				}
			}
		}
	}
}

// TestFlowInverse checks Inverse(Forward(z)) = z and Forward(Inverse(y)) = y
// with shared θ, including parameters large enough to make the maps strongly
// non-linear.
func TestFlowInverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, kind := range flowKindsUnderTest {
		for _, d := range []int{1, 2, 4} {
			for _, scale := range []float64{0.5, 3, 20} {
				f := newFlow(t, kind, d)
				theta := randDense(rng, 1, f.NumParams(), scale)
				n := 50
				z := randDense(rng, n, d, 3)
				out := mat.NewDense(n, d, nil)
				f.Forward(out, make([]float64, n), z, theta)
				back := mat.NewDense(n, d, nil)
				if err := f.Inverse(back, out, theta); err != nil {
					t.Fatal(err)
				}
				for i, v := range data(back) {
					if tol := 1e-8 * (1 + math.Abs(data(z)[i])); math.Abs(v-data(z)[i]) > tol {
						t.Fatalf("%s d=%d scale %g: inverse(forward(z)) = %v, z = %v", kind, d, scale, v, data(z)[i])
					}
				}
				// Now from the other side: random targets. At scale 20 a
				// radial layer can have α ≈ 1e-14 and jump by 2β across
				// its centre, where f′ ≈ 1e14 makes forward∘inverse
				// ill-conditioned however exact the inverse is.
				if scale > 3 {
					continue
				}
				y := randDense(rng, n, d, 3)
				if err := f.Inverse(back, y, theta); err != nil {
					t.Fatal(err)
				}
				f.Forward(out, make([]float64, n), back, theta)
				for i, v := range data(out) {
					if tol := 1e-8 * (1 + math.Abs(data(y)[i])); math.Abs(v-data(y)[i]) > tol {
						t.Fatalf("%s d=%d scale %g: forward(inverse(y)) = %v, y = %v ", kind, d, scale, v, data(y)[i])
					}
				}
			}
		}
	}
}

// TestPlanarInvertibilityConstraint checks wᵀû > −1 for random and extreme
// parameters, that û follows the published formula (÷‖w‖², not ‖w‖), and
// that log|det| stays finite.
func TestPlanarInvertibilityConstraint(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	for _, scale := range []float64{0.01, 1, 10, 100, 1e3} {
		for _, d := range []int{1, 2, 7} {
			for range 20 {
				theta := randDense(rng, 1, 2*d+1, scale)
				th := data(theta)
				u, w := th[:d], th[d:2*d]
				uhat := PlanarUHat(th, d)
				var wu, wuhat, nw float64
				for j := range d {
					wu += w[j] * u[j]
					wuhat += w[j] * uhat[j]
					nw += w[j] * w[j]
				}
				// Rounding in the dot product is relative to ‖w‖·‖û‖.
				var nu float64
				for _, v := range uhat {
					nu += v * v
				}
				slop := 1e-14 * math.Sqrt(nw*nu)
				if !(wuhat > -1-slop) {
					t.Fatalf("scale %g d=%d: wᵀû = %v ≤ −1", scale, d, wuhat)
				}
				if want := -1 + Softplus(wu); math.Abs(wuhat-want) > 1e-8*(1+math.Abs(want))+slop {
					t.Fatalf("scale %g d=%d: wᵀû = %v, want m(wᵀu) = %v", scale, d, wuhat, want)
				}
				for j := range d {
					want := u[j] + (-1+Softplus(wu)-wu)*w[j]/nw
					if math.Abs(uhat[j]-want) > 1e-8*(1+math.Abs(want)) {
						t.Fatalf("scale %g d=%d: û[%d] = %v, formula gives %v", scale, d, j, uhat[j], want)
					}
				}
				z := randDense(rng, 4, d, scale)
				out := mat.NewDense(4, d, nil)
				logdet := make([]float64, 4)
				NewPlanar(d).Forward(out, logdet, z, theta)
				if !finite(logdet) || !finite(data(out)) {
					t.Fatalf("scale %g d=%d: non-finite output %v or log|det| %v", scale, d, data(out), logdet)
				}
			}
		}
	}
}

// TestFlowStackLogDetMatchesJacobian checks a whole posterior FlowStack
// (4 layers) against its numerical Jacobian, amortised and shared.
func TestFlowStackLogDetMatchesJacobian(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	for _, kind := range flowKindsUnderTest {
		for _, amortized := range []bool{false, true} {
			var ps Params
			d, K := 2, 4
			s, err := NewFlowStack(&ps, FlowConfig{Kind: kind, Layers: K, Amortized: amortized}, d)
			if err != nil {
				t.Fatal(err)
			}
			ps.Allocate(rng)
			for i := range ps.Values() {
				ps.Values()[i] = rng.NormFloat64()
			}
			var head *mat.Dense
			if amortized {
				head = randDense(rng, 1, s.HeadSize(), 1)
			}
			z := randDense(rng, 1, d, 1)
			zK := mat.NewDense(1, d, nil)
			logdet := []float64{0}
			s.Forward(zK, logdet, z, head)
			jac := mat.NewDense(d, d, nil)
			fd.Jacobian(jac, func(y, x []float64) {
				s.Forward(mat.NewDense(1, d, y), []float64{0}, mat.NewDense(1, d, x), head)
			}, data(z), &fd.JacobianSettings{Formula: fd.Central})
			if got, want := logdet[0], math.Log(math.Abs(mat.Det(jac))); math.Abs(got-want) > 1e-6 {
				t.Errorf("%s amortized=%v: stack log|det| %v, numerical %v", kind, amortized, got, want)
			}
		}
	}
}
