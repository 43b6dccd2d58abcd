package core

import (
	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// Encoder is q(z|x) = N(μ(x), diag exp(logvar(x))): an MLP whose output holds
// μ, the log-variance (clamped) and, when a posterior flow is amortised,
// the flow's per-sample parameters.
type Encoder struct {
	Net   *MLP
	D     int // latent dimension
	Extra int // extra head columns

	mu, logvar, extra mat.Dense
	dOut              mat.Dense
}

// NewEncoder declares an encoder dataDim → hidden… → 2·latent+extra.
func NewEncoder(ps *Params, name string, dataDim int, hidden []int, latent, extra int, act Activation) *Encoder {
	sizes := append(append([]int{dataDim}, hidden...), 2*latent+extra)
	return &Encoder{Net: NewMLP(ps, name, sizes, act), D: latent, Extra: extra}
}

// Share returns an encoder on the same parameters with its own buffers, so
// that a second pass (a VampPrior's pseudo-inputs) does not overwrite the
// cache of the first.
func (e *Encoder) Share() *Encoder {
	return &Encoder{Net: e.Net.Share(), D: e.D, Extra: e.Extra}
}

// Forward returns μ, the clamped log-variance and the extra head for x. The
// matrices are owned by e and overwritten by the next Forward.
func (e *Encoder) Forward(x *mat.Dense) (mu, logvar, extra *mat.Dense) {
	out := e.Net.Forward(x).RawMatrix()
	n, d := out.Rows, e.D
	reshape(&e.mu, n, d)
	reshape(&e.logvar, n, d)
	m, lv := data(&e.mu), data(&e.logvar)
	var ex []float64
	if e.Extra > 0 {
		reshape(&e.extra, n, e.Extra)
		ex = data(&e.extra)
	}
	for i := 0; i < n; i++ {
		row := out.Data[i*out.Stride : i*out.Stride+out.Cols]
		copy(m[i*d:(i+1)*d], row[:d])
		for j := 0; j < d; j++ {
			lv[i*d+j], _ = clampLogVar(row[d+j])
		}
		if e.Extra > 0 {
			copy(ex[i*e.Extra:(i+1)*e.Extra], row[2*d:])
		}
	}
	if e.Extra > 0 {
		return &e.mu, &e.logvar, &e.extra
	}
	return &e.mu, &e.logvar, nil
}

// Backward takes the gradients for μ, logvar and the extra head (nil when
// absent) and accumulates the network's parameter gradients; ∂/∂x goes to dx
// unless it is nil. A clamped log-variance passes no gradient.
func (e *Encoder) Backward(dx, dmu, dlogvar, dextra *mat.Dense) {
	out := e.Net.Output().RawMatrix()
	n, d := out.Rows, e.D
	reshape(&e.dOut, n, out.Cols)
	g := data(&e.dOut)
	dm, dl := data(dmu), data(dlogvar)
	var dx2 []float64
	if e.Extra > 0 {
		dx2 = data(dextra)
	}
	w := out.Cols
	for i := 0; i < n; i++ {
		row := out.Data[i*out.Stride : i*out.Stride+w]
		gr := g[i*w : (i+1)*w]
		copy(gr[:d], dm[i*d:(i+1)*d])
		for j := 0; j < d; j++ {
			if _, clamped := clampLogVar(row[d+j]); clamped {
				gr[d+j] = 0
			} else {
				gr[d+j] = dl[i*d+j]
			}
		}
		if e.Extra > 0 {
			copy(gr[2*d:], dx2[i*e.Extra:(i+1)*e.Extra])
		}
	}
	e.Net.Backward(dx, &e.dOut)
}

// Share returns an MLP on the same layers with its own buffers.
func (m *MLP) Share() *MLP {
	return &MLP{
		Layers: shareLayers(m.Layers), // Bayesian layers cache per-pass noise
		Act:    m.Act,
		pre:    make([]mat.Dense, len(m.Layers)),
		post:   make([]mat.Dense, len(m.Layers)-1),
		sizes:  m.sizes,
	}
}

// reparameterise writes z = μ + exp(½ logvar)·ε.
func reparameterise(z, mu, logvar, eps *mat.Dense) {
	zz, m, lv, e := data(z), data(mu), data(logvar), data(eps)
	for i := range zz {
		zz[i] = m[i] + float64(pmath.Exp(0.5*lv[i])*e[i])
	}
}
