package core

import (
	"fmt"
	"math"
	"slices"

	"github.com/vaeplayground/vae/internal/pmath"
)

// Energy is an unnormalised target density p*(z) ∝ exp(−U(z)) on the plane,
// the kind of target a flow is fitted to by reverse KL.
type Energy interface {
	// Name is the registry name ("u1" … "u4").
	Name() string
	// Energy returns U(z) for a 2-D point and, when grad is not nil, writes
	// ∂U/∂z into it.
	Energy(z, grad []float64) float64
}

// EnergyBox is the half-width of the square [−4, 4]² on which the test
// energies are normalised and compared: U2–U4 do not decay along z₁, so
// they are densities only inside a box.
const EnergyBox = 4.0

// EnergyKind is one registered target energy.
type EnergyKind struct {
	Name        string
	Description string
	Energy      Energy
}

// energyFunc adapts a function to Energy.
type energyFunc struct {
	name string
	f    func(z, grad []float64) float64
}

func (e energyFunc) Name() string                     { return e.name }
func (e energyFunc) Energy(z, grad []float64) float64 { return e.f(z, grad) }

// energyKinds are the four test energies of Rezende & Mohamed (2015, table 1).
var energyKinds = []EnergyKind{
	{"u1", "ring with two lobes", energyFunc{"u1", EnergyU1}},
	{"u2", "sine wave", energyFunc{"u2", EnergyU2}},
	{"u3", "sine wave splitting in two", energyFunc{"u3", EnergyU3}},
	{"u4", "sine wave and a step", energyFunc{"u4", EnergyU4}},
}

// Energies lists the target energies in order (for UIs).
func Energies() []EnergyKind { return slices.Clone(energyKinds) }

// EnergyNames lists the energies' names.
func EnergyNames() []string {
	names := make([]string, len(energyKinds))
	for i, k := range energyKinds {
		names[i] = k.Name
	}
	return names
}

// EnergyByName returns the named energy, or an error naming the choices.
func EnergyByName(name string) (Energy, error) {
	for _, k := range energyKinds {
		if k.Name == name {
			return k.Energy, nil
		}
	}
	return nil, fmt.Errorf("core: unknown energy %q (want one of %v)", name, EnergyNames())
}

// EnergyU1 is the ring-with-two-lobes target of Rezende & Mohamed (2015),
// p*(z) ∝ exp(−U1(z)),
//
//	U1(z) = ½((‖z‖ − 2)/0.4)² − log(exp(−½((z₁ − 2)/0.6)²) + exp(−½((z₁ + 2)/0.6)²)).
//
// It returns U1 and, when grad is not nil, writes ∂U1/∂z into it.
func EnergyU1(z, grad []float64) float64 {
	r := pmath.Hypot(z[0], z[1])
	a := -0.5 * (z[0] - 2) * (z[0] - 2) / 0.36
	b := -0.5 * (z[0] + 2) * (z[0] + 2) / 0.36
	lse := math.Max(a, b) + pmath.Log1p(pmath.Exp(-math.Abs(a-b)))
	u := 0.5*(r-2)*(r-2)/0.16 - lse
	if grad != nil {
		radial := 0.0
		if r > 0 {
			radial = (r - 2) / 0.16 / r
		}
		wa, wb := pmath.Exp(a-lse), pmath.Exp(b-lse)
		grad[0] = float64(radial*z[0]) + wa*(z[0]-2)/0.36 + wb*(z[0]+2)/0.36
		grad[1] = float64(radial * z[1])
	}
	return u
}

// The wave functions of the paper's table 1 and their derivatives in z₁:
// w₁ = sin(2πz₁/4), w₂ = 3·exp(−½((z₁ − 1)/0.6)²), w₃ = 3·σ((z₁ − 1)/0.3).
func wave1(z1 float64) (w, dw float64) {
	s, c := pmath.Sincos(math.Pi / 2 * z1)
	return s, float64(math.Pi / 2 * c)
}

func wave2(z1 float64) (w, dw float64) {
	w = float64(3 * pmath.Exp(-0.5*(z1-1)*(z1-1)/0.36))
	return w, -w * (z1 - 1) / 0.36
}

func wave3(z1 float64) (w, dw float64) {
	s := Sigmoid((z1 - 1) / 0.3)
	return float64(3 * s), 3 * s * (1 - s) / 0.3
}

// EnergyU2 is U2(z) = ½((z₂ − w₁(z₁))/0.4)², a sine-shaped ridge.
func EnergyU2(z, grad []float64) float64 {
	w1, dw1 := wave1(z[0])
	e := (z[1] - w1) / 0.4
	if grad != nil {
		grad[0] = float64(-e / 0.4 * dw1)
		grad[1] = e / 0.4
	}
	return float64(0.5 * e * e)
}

// twoRidges is −log(exp(−½a²) + exp(−½b²)) for a = (z₂ − w₁)/sa and
// b = (z₂ − w₁ + v)/sb, with v = w₂ (U3) or w₃ (U4) of derivative dv.
func twoRidges(z, grad []float64, sa, sb, v, dv float64) float64 {
	w1, dw1 := wave1(z[0])
	a := (z[1] - w1) / sa
	b := (z[1] - w1 + v) / sb
	la, lb := float64(-0.5*a*a), float64(-0.5*b*b)
	lse := math.Max(la, lb) + pmath.Log1p(pmath.Exp(-math.Abs(la-lb)))
	if grad != nil {
		pa, pb := pmath.Exp(la-lse), pmath.Exp(lb-lse)
		// ∂U = pa·a·∂a + pb·b·∂b
		grad[0] = float64(pa*a*(-dw1/sa)) + float64(pb*b*((dv-dw1)/sb))
		grad[1] = pa*a/sa + pb*b/sb
	}
	return -lse
}

// EnergyU3 is −log(exp(−½((z₂ − w₁)/0.35)²) + exp(−½((z₂ − w₁ + w₂)/0.35)²)):
// the sine ridge splitting in two around z₁ = 1.
func EnergyU3(z, grad []float64) float64 {
	w2, dw2 := wave2(z[0])
	return twoRidges(z, grad, 0.35, 0.35, w2, dw2)
}

// EnergyU4 is −log(exp(−½((z₂ − w₁)/0.4)²) + exp(−½((z₂ − w₁ + w₃)/0.35)²)):
// the sine ridge and a copy shifted by a smooth step.
func EnergyU4(z, grad []float64) float64 {
	w3, dw3 := wave3(z[0])
	return twoRidges(z, grad, 0.4, 0.35, w3, dw3)
}

// LogNormalizer is log ∫ exp(−U) over the box [−4, 4]² by the midpoint rule
// on an n×n grid (n = 800 agrees with n = 400 to 2e-6 nats for U1–U4, so
// its own error is below 1e-6).
func LogNormalizer(e Energy, n int) float64 {
	h := 2 * EnergyBox / float64(n)
	// Shift by the largest −U seen so that no term underflows.
	vals := make([]float64, 0, n*n)
	z := make([]float64, 2)
	for i := range n {
		for j := range n {
			z[0], z[1] = -EnergyBox+float64((float64(i)+0.5)*h), -EnergyBox+float64((float64(j)+0.5)*h)
			vals = append(vals, -e.Energy(z, nil))
		}
	}
	return LogSumExp(vals) + float64(2*pmath.Log(h))
}

// LogNormalizerU1 is LogNormalizer for U1 (the target's mass outside the box
// is below 1e-9).
func LogNormalizerU1(n int) float64 {
	return LogNormalizer(energyFunc{"u1", EnergyU1}, n)
}

// EnvelopePenalty is ½k·Σⱼ max(0, |zⱼ| − 4)²: zero inside the box [−4, 4]²,
// a quadratic wall outside it, so that a fit to U2–U4 (which do not decay
// along z₁) keeps its samples in the box where the target is defined. It
// adds its gradient to grad when grad is not nil.
func EnvelopePenalty(z, grad []float64, k float64) float64 {
	p := 0.0
	for j, v := range z {
		out := math.Abs(v) - EnergyBox
		if out <= 0 {
			continue
		}
		p += float64(0.5 * k * out * out)
		if grad != nil {
			grad[j] += math.Copysign(k*out, v)
		}
	}
	return p
}

// InsideEnergyBox reports whether z lies in [−4, 4]².
func InsideEnergyBox(z []float64) bool {
	return math.Abs(z[0]) <= EnergyBox && math.Abs(z[1]) <= EnergyBox
}
