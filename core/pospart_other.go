//go:build !wasm

package core

// posPart is max(x, 0) (NaN stays NaN, −0 gives +0). Natively the max
// builtin compiles to a few branch-free instructions; see pospart_wasm.go.
func posPart(x float64) float64 { return max(x, 0) }
