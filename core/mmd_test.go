package core

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestMMDGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(81, 82))
	for _, kernel := range MMDKernelNames() {
		x := randDense(rng, 7, 3, 1)
		y := randDense(rng, 5, 3, 1.3)
		c := MMDBandwidth(y)
		f := func() float64 { return MMD2(nil, 1, x, y, kernel, c) }
		dx := mat.NewDense(7, 3, nil)
		MMD2(dx, 0.7, x, y, kernel, c)
		dx.Scale(1/0.7, dx)
		checkGradient(t, "MMD "+kernel, f, data(x), data(dx), 1e-6)
	}
}

// TestMMDSeparates: the estimate is near 0 for two samples of one
// distribution and clearly positive for samples of two.
func TestMMDSeparates(t *testing.T) {
	rng := rand.New(rand.NewPCG(83, 84))
	for _, kernel := range MMDKernelNames() {
		same1, same2 := randDense(rng, 400, 2, 1), randDense(rng, 400, 2, 1)
		shifted := randDense(rng, 400, 2, 1)
		for i := range 400 {
			shifted.Set(i, 0, shifted.At(i, 0)+1)
		}
		c := MMDBandwidth(same2)
		if math.Abs(c-4) > 0.5 {
			t.Errorf("bandwidth for N(0, I) in 2-D is %v, want ≈ 2·d = 4", c)
		}
		null := MMD2(nil, 1, same1, same2, kernel, c)
		alt := MMD2(nil, 1, shifted, same2, kernel, c)
		if !(math.Abs(null) < 0.01 && alt > 10*math.Abs(null) && alt > 0.02) {
			t.Errorf("%s: MMD² same distribution %v, shifted by 1: %v", kernel, null, alt)
		}
	}
}

// TestMMDUnbiased: averaged over many pairs of samples from one
// distribution the estimate is 0 (the biased V-statistic is not).
func TestMMDUnbiased(t *testing.T) {
	rng := rand.New(rand.NewPCG(85, 86))
	const reps = 2000
	sum, sumSq := 0.0, 0.0
	for range reps {
		x, y := randDense(rng, 5, 2, 1), randDense(rng, 6, 2, 1)
		v := MMD2(nil, 1, x, y, MMDKernelIMQ, 4)
		sum += v
		sumSq += v * v
	}
	mean := sum / reps
	se := math.Sqrt((sumSq/reps - mean*mean) / reps)
	if math.Abs(mean) > 4*se {
		t.Errorf("mean MMD² over equal distributions %v ± %v, want 0", mean, se)
	}
}

// TestModelGradientMMD checks the full objective with the MMD term, with
// both kernels, for the standard prior, a mixture prior and under a
// posterior flow, and that Stats reports the term.
func TestModelGradientMMD(t *testing.T) {
	rng := rand.New(rand.NewPCG(87, 88))
	for _, kernel := range MMDKernelNames() {
		for _, tc := range []struct {
			name  string
			prior PriorConfig
			flow  FlowConfig
		}{
			{"standard", PriorConfig{Kind: "standard"}, FlowConfig{}},
			{"mixture", PriorConfig{Kind: "mixture", Components: 3}, FlowConfig{}},
			{"standard + planar flow", PriorConfig{Kind: "standard"}, FlowConfig{Kind: "planar", Layers: 2, Amortized: true}},
		} {
			cfg := smallConfig("gaussian")
			cfg.Prior, cfg.PosteriorFlow = tc.prior, tc.flow
			m, err := NewModel(cfg, rng)
			if err != nil {
				t.Fatal(err)
			}
			x := randDense(rng, 6, 3, 1)
			obj := Objective{Beta: 1, MMDWeight: 20, MMDKernel: kernel}
			if first := firstPriorParam(m); first < 0 {
				modelLossGradient(t, kernel+" "+tc.name, m, x, obj)
			} else {
				// Prior samples are constants in the gradient, so a
				// learnable prior's own parameters see the MMD only through
				// finite differences: check the rest of the slab, and that
				// the prior's gradient is the one without the MMD term.
				f := func() float64 { return m.Gradient(x, obj, rand.New(rand.NewPCG(99, 100))).Loss }
				f()
				grads := append([]float64(nil), m.Params.Grads()...)
				checkGradient(t, kernel+" "+tc.name+" (non-prior parameters)", f, m.Params.Values()[:first], grads[:first], 1e-5)
				m.Gradient(x, Objective{Beta: 1}, rand.New(rand.NewPCG(99, 100)))
				for i, g := range m.Params.Grads()[first:] {
					if g != grads[first+i] {
						t.Fatalf("%s %s: MMD changed the prior's gradient", kernel, tc.name)
					}
				}
			}
			with := m.Gradient(x, obj, rand.New(rand.NewPCG(1, 1)))
			without := m.Gradient(x, Objective{Beta: 1}, rand.New(rand.NewPCG(1, 1)))
			if with.MMD == 0 || without.MMD != 0 || math.Abs(with.Loss-without.Loss-20*with.MMD) > 1e-9 {
				t.Errorf("%s %s: MMD %v / %v, loss %v vs %v", kernel, tc.name, with.MMD, without.MMD, with.Loss, without.Loss)
			}
		}
	}
}

func TestHyperValidateMMD(t *testing.T) {
	h := DefaultHyper()
	for _, bad := range []Hyper{{MMDWeight: -1}, {MMDWeight: math.NaN()}, {MMDWeight: 1e9}, {MMDKernel: "gauss"}} {
		hh := h
		hh.MMDWeight, hh.MMDKernel = bad.MMDWeight, bad.MMDKernel
		if hh.Validate() == nil {
			t.Errorf("accepted MMD weight %v kernel %q", bad.MMDWeight, bad.MMDKernel)
		}
	}
	h.MMDWeight, h.MMDKernel = 10, MMDKernelRBF
	if err := h.Validate(); err != nil {
		t.Error(err)
	}
}

// firstPriorParam is the slab offset of the first "prior." parameter, or −1.
// The model declares the prior last, so everything before it is the rest.
func firstPriorParam(m *Model) int {
	for _, p := range m.Params.List() {
		if strings.HasPrefix(p.Name, "prior.") {
			return p.offset
		}
	}
	return -1
}
