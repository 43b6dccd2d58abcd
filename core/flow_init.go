package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Flow initialisations, chosen by FlowConfig.Init and PriorConfig.FlowInit.
const (
	// FlowInitIdentity starts every layer close to the identity, so the
	// flow starts as its base density and the fit bends it from there.
	FlowInitIdentity = "identity"
	// FlowInitRandom draws every parameter from U(−1/√d, 1/√d), as Pyro's
	// Planar and Radial reset_parameters do: the layers start as small but
	// visible warps.
	FlowInitRandom = "random"
)

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
// values) for the named initialisation; "" is FlowInitIdentity.
func flowInit(kind, init string, d int) Init {
	if init == FlowInitRandom {
		return randomFlowInit(d)
	}
	return nearIdentityFlowInit(kind, d)
}

// randomFlowInit draws every value from U(−1/√d, 1/√d): Pyro's choice for
// planar (u, w, b) and radial (x₀, α′, β′) layers. A radial layer then has
// β = softplus(β′) − softplus(α′) anywhere in about ±0.5, a real warp.
func randomFlowInit(d int) Init {
	return func(dst []float64, rows, cols int, rng *rand.Rand) {
		a := 1 / math.Sqrt(float64(d))
		for i := range dst {
			dst[i] = (2*rng.Float64() - 1) * a
		}
	}
}
