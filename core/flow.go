package core

import "gonum.org/v1/gonum/mat"

// Flow is one invertible layer f: ℝᵈ → ℝᵈ. Its parameters θ arrive as a
// matrix with one row per sample (amortised by the encoder) or a single row
// shared by every sample; NumParams is the width of a row.
//
// Calls alternate: Forward caches what the next Backward needs.
type Flow interface {
	Dim() int
	NumParams() int
	// Forward writes out = f(z; θ) row by row and adds log|det ∂f/∂z| of each
	// row to logdet.
	Forward(out *mat.Dense, logdet []float64, z, theta *mat.Dense)
	// Backward, given ∂L/∂out and ∂L/∂logdetᵢ, overwrites dz with ∂L/∂z and
	// adds ∂L/∂θ to dtheta (shaped like θ: per row, or one row summed over the
	// batch when θ is shared), at the inputs of the last Forward.
	Backward(dz, dtheta, dout *mat.Dense, dlogdet []float64)
	// Inverse writes z = f⁻¹(out; θ) for a shared θ (1×NumParams).
	Inverse(z, out, theta *mat.Dense) error
}

// PosteriorFlow turns encoder samples z₀ ~ q₀(z|x) into z_K = f_K∘…∘f₁(z₀),
// so that log q_K(z_K|x) = log q₀(z₀|x) − Σ log|det J_k|.
type PosteriorFlow interface {
	// HeadSize is how many extra columns per sample the encoder emits for the
	// flow (0 when its parameters are shared globals).
	HeadSize() int
	// Forward writes z_K into zK and Σₖ log|det J_k| per row into logdet
	// (overwritten); head is the encoder's extra output (n×HeadSize, or nil).
	Forward(zK *mat.Dense, logdet []float64, z0, head *mat.Dense)
	// Backward overwrites dz0 and dhead (when HeadSize > 0) with the gradients
	// for upstream ∂L/∂z_K and ∂L/∂logdetᵢ, and adds shared parameters'
	// gradients to their Params.
	Backward(dz0, dhead, dzK *mat.Dense, dlogdet []float64)
}

// backwardThroughFlows runs the layers' Backward from the last to the first,
// starting from ∂L/∂output g, alternating between the scratch matrices a and
// b, and returns ∂L/∂input (one of a and b). dthetas[k] receives layer k's
// θ gradient; dlogdet is the same for every layer (each adds its log|det| to
// one sum).
func backwardThroughFlows(layers []Flow, dthetas []mat.Dense, g *mat.Dense, dlogdet []float64, a, b *mat.Dense) *mat.Dense {
	n, d := g.Dims()
	for k := len(layers) - 1; k >= 0; k-- {
		buf := a
		if g == a {
			buf = b
		}
		reshape(buf, n, d)
		layers[k].Backward(buf, &dthetas[k], g, dlogdet)
		g = buf
	}
	return g
}
