package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/vaeplayground/vae/internal/pmath"
)

// Flow initialisations, chosen by FlowConfig.Init and PriorConfig.FlowInit.
const (
	// FlowInitIdentity starts every layer close to the identity, so the
	// flow starts as its base density and the fit bends it from there.
	FlowInitIdentity = "identity"
	// FlowInitRandom starts every layer as a random warp, as the reference
	// libraries do: planar layers draw u, w and b from U(−1/√d, 1/√d)
	// (Pyro's reset_parameters); radial layers take normflows' start,
	// z₀ ~ N(0, I), α = |a| with a ~ U(−1/d, 1/d), β′ ~ U(−1 − 1/d, −1 + 1/d),
	// which fitted the 2-D test energies best (README).
	FlowInitRandom = "random"
)

// Radial α parameterisations, chosen by FlowConfig.RadialAlpha.
const (
	// RadialAlphaSoftplus is α = softplus(α′) (Rezende & Mohamed's appendix,
	// Pyro); the default, and what every earlier checkpoint holds.
	RadialAlphaSoftplus = "softplus"
	// RadialAlphaAbs is α = |α′| (normflows): α can reach 0 in a few hundred
	// Adam steps, where softplus needs α′ → −∞, so sharp radial warps
	// are in easy reach.
	RadialAlphaAbs = "abs"
)

// RadialAlphas lists the radial parameterisations; the first is the default.
func RadialAlphas() []string { return []string{RadialAlphaSoftplus, RadialAlphaAbs} }

func checkRadialAlpha(a string) error {
	if a == "" || slices.Contains(RadialAlphas(), a) {
		return nil
	}
	return fmt.Errorf("core: unknown radial α parameterisation %q (want one of %v)", a, RadialAlphas())
}

// setRadialAlpha makes the radial layers among layers use α = |α′| when a
// names it (new layers use softplus).
func setRadialAlpha(layers []Flow, a string) {
	if a != RadialAlphaAbs {
		return
	}
	for _, l := range layers {
		if r, ok := l.(*Radial); ok {
			r.absAlpha = true
		}
	}
}

// FlowInits lists the initialisations a UI may offer; the first is the
// default (what "" means).
func FlowInits() []string { return []string{FlowInitIdentity, FlowInitRandom} }

// checkFlowInit accepts "" (the default) and the names FlowInits lists.
func checkFlowInit(init string) error {
	if init == "" || slices.Contains(FlowInits(), init) {
		return nil
	}
	return fmt.Errorf("core: unknown flow initialisation %q (want one of %v)", init, FlowInits())
}

// flowInit returns the initialiser of K stacked layers' θ (one row of K·P
// values) for the named initialisation ("" is FlowInitIdentity) and radial
// parameterisation ("" is RadialAlphaSoftplus).
func flowInit(kind, init, alpha string, d int) Init {
	abs := alpha == RadialAlphaAbs
	switch {
	case init == FlowInitRandom && kind == "radial":
		return randomRadialInit(d, abs)
	case init == FlowInitRandom:
		return uniformFlowInit(d)
	case kind == "radial" && abs:
		// The same map as the softplus near-identity start: α = log 2, β ≈ 0.
		return func(dst []float64, rows, cols int, rng *rand.Rand) {
			nearIdentityFlowInit(kind, d)(dst, rows, cols, rng)
			for off := 0; off+d+2 <= len(dst); off += d + 2 {
				dst[off+d] = math.Ln2
			}
		}
	}
	return nearIdentityFlowInit(kind, d)
}

// randomRadialInit is normflows' radial start: z₀ ~ N(0, I), α = |a| with
// a ~ U(−1/d, 1/d), β′ ~ U(−1 − 1/d, −1 + 1/d), so β = softplus(β′) − α
// is a visible warp. Under softplus α′ is set so that α is the same (at
// least 10⁻³, which keeps α′ above −7).
func randomRadialInit(d int, abs bool) Init {
	return func(dst []float64, rows, cols int, rng *rand.Rand) {
		lim := 1 / float64(d)
		for off := 0; off+d+2 <= len(dst); off += d + 2 {
			for j := range d {
				dst[off+j] = pmath.NormFloat64(rng)
			}
			a := float64((float64(2*float64(rng.Float64())) - 1) * lim)
			if abs {
				dst[off+d] = a
			} else {
				dst[off+d] = softplusInverse(max(math.Abs(a), 1e-3))
			}
			dst[off+d+1] = -1 + float64((float64(2*float64(rng.Float64()))-1)*lim)
		}
	}
}

// uniformFlowInit draws every value from U(−1/√d, 1/√d): Pyro's choice for
// planar layers (u, w, b).
func uniformFlowInit(d int) Init {
	return func(dst []float64, rows, cols int, rng *rand.Rand) {
		a := 1 / math.Sqrt(float64(d))
		for i := range dst {
			dst[i] = float64((float64(2*float64(rng.Float64())) - 1) * a)
		}
	}
}
