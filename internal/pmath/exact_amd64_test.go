//go:build amd64 && !amd64.v3

package pmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMathsBitsOnAmd64: on amd64 without fused multiply-adds math's pure Go
// is the same algorithm with the same roundings, so its bits are ours where
// math has no assembly.
func TestMathsBitsOnAmd64(t *testing.T) {
	for _, f := range unaries {
		switch f.name {
		case "Exp", "Log", "Pow(x, 2.5)", "Pow(0.9, x)", "Hypot(x, 3)":
			continue // assembly on amd64
		case "Tanh":
			continue // math's calls its Exp (assembly)
		}
		for _, x := range inputs() {
			if got, want := f.ours(x), f.math(x); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("%s(%v) = %v, math %v", f.name, x, got, want)
			}
		}
	}
}

// TestNormFloat64MatchesRand: where math's Exp and Log agree with ours, the
// sampler draws what math/rand/v2's does (on amd64 without FMA, where
// math/rand/v2's own float32 test is not fused).
func TestNormFloat64MatchesRand(t *testing.T) {
	a, b := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(5, 6))
	differ := 0
	for range 1000000 {
		if NormFloat64(a) != b.NormFloat64() {
			differ++
			a, b = rand.New(rand.NewPCG(uint64(differ), 7)), rand.New(rand.NewPCG(uint64(differ), 7))
		}
	}
	if differ > 2 {
		t.Errorf("%d of a million draws differ from math/rand/v2's", differ)
	}
}
