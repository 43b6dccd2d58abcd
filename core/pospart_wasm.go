package core

// posPart is max(x, 0) (NaN stays NaN, −0 gives +0). Go's wasm port calls
// the runtime for the max builtin on floats; a comparison is cheaper there.
func posPart(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return x
}
