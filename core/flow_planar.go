package core

import (
	"errors"
	"math"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// planarSlack keeps 1 + wᵀû ≥ planarSlack > 0 after rounding: m(x) is
// −1 + softplus(x) + planarSlack. Without it softplus underflows to 0 for
// wᵀu < −745, the layer stops being invertible and log|det| becomes −Inf.
// 1e-9 is far below anything a fit can resolve, so the map is the published
// one for every practical parameter.
const planarSlack = 1e-9

// Planar is the planar flow of Rezende & Mohamed (2015),
//
//	f(z) = z + û·tanh(wᵀz + b),  θ = (u, w, b) ∈ ℝᵈ×ℝᵈ×ℝ,
//
// with û = u + (m(wᵀu) − wᵀu)·w/‖w‖² and m(x) = −1 + softplus(x), which makes
// wᵀû = m(wᵀu) > −1 and so f invertible. log|det ∂f/∂z| = log(1 + h′(a)·wᵀû)
// with a = wᵀz + b, computed as tanh²(a) + h′(a)·(1 + wᵀû) so that no
// cancellation occurs when wᵀû is close to −1.
type Planar struct {
	D int

	z, theta *mat.Dense // inputs of the last Forward, not owned
}

// NewPlanar returns a planar layer for dimension d (θ has 2d+1 columns).
func NewPlanar(d int) *Planar { return &Planar{D: d} }

func (p *Planar) Dim() int       { return p.D }
func (p *Planar) NumParams() int { return 2*p.D + 1 }

// planarHat computes û into uhat from θ = (u, w, b) and returns b, wᵀu,
// softplus(wᵀu)+slack (= 1 + wᵀû) and the coefficient c = (m − wᵀu)/‖w‖².
// A zero w makes the layer a constant shift; then û = u.
func planarHat(uhat, th []float64, d int) (b, s, onePlusM, c, nw float64) {
	u, w := th[:d], th[d:2*d]
	b = th[2*d]
	for j := range d {
		s += float64(w[j] * u[j])
		nw += float64(w[j] * w[j])
	}
	onePlusM = Softplus(s) + planarSlack
	if nw > 0 {
		c = (onePlusM - 1 - s) / nw
	} else {
		onePlusM = 1 // wᵀû = 0: a pure shift, det J = 1
	}
	for j := range d {
		uhat[j] = u[j] + float64(c*w[j])
	}
	return b, s, onePlusM, c, nw
}

// PlanarUHat returns û for one θ row: the vector the layer moves points along
// (the playground draws it).
func PlanarUHat(theta []float64, d int) []float64 {
	uhat := make([]float64, d)
	planarHat(uhat, theta, d)
	return uhat
}

func (p *Planar) Forward(out *mat.Dense, logdet []float64, z, theta *mat.Dense) {
	p.push(out, logdet, z, theta, false)
}

// ForwardDet is Forward with |det J| multiplied into det (see detFlow).
func (p *Planar) ForwardDet(out *mat.Dense, det []float64, z, theta *mat.Dense) {
	p.push(out, det, z, theta, true)
}

// push writes f(z) and accumulates each row's |det J| into acc: multiplied
// in when product is set, its log added otherwise.
func (p *Planar) push(out *mat.Dense, acc []float64, z, theta *mat.Dense, product bool) {
	p.z, p.theta = z, theta
	d := p.D
	zr, tr, or := z.RawMatrix(), theta.RawMatrix(), out.RawMatrix()
	var uhatArr [MaxLatentDim]float64
	uhat := scratch(uhatArr[:], d)
	onePlusM := 0.0
	for i := 0; i < zr.Rows; i++ {
		th := thetaRow(tr, i)
		// A shared θ (one row) needs û only once.
		if i == 0 || tr.Rows > 1 {
			_, _, onePlusM, _, _ = planarHat(uhat, th, d)
		}
		w, b := th[d:2*d], th[2*d]
		zi := zr.Data[i*zr.Stride : i*zr.Stride+d]
		oi := or.Data[i*or.Stride : i*or.Stride+d]
		a := b
		for j := range d {
			a += float64(w[j] * zi[j])
		}
		t := tanhFast(a)
		for j := range d {
			oi[j] = zi[j] + float64(uhat[j]*t)
		}
		det := float64(t*t) + float64((1-float64(t*t))*onePlusM)
		if product {
			acc[i] = float64(acc[i] * det)
		} else {
			acc[i] += pmath.Log(det)
		}
	}
}

func (p *Planar) Backward(dz, dtheta, dout *mat.Dense, dlogdet []float64) {
	d := p.D
	zr, tr := p.z.RawMatrix(), p.theta.RawMatrix()
	gr, dzr, dtr := dout.RawMatrix(), dz.RawMatrix(), dtheta.RawMatrix()
	var uhatArr, duhatArr [MaxLatentDim]float64
	uhat := scratch(uhatArr[:], d)
	duhat := scratch(duhatArr[:], d)
	for i := 0; i < zr.Rows; i++ {
		th := thetaRow(tr, i)
		dth := thetaRow(dtr, i)
		_, s, onePlusM, c, nw := planarHat(uhat, th, d)
		u, w, b := th[:d], th[d:2*d], th[2*d]
		du, dw := dth[:d], dth[d:2*d]
		zi := zr.Data[i*zr.Stride : i*zr.Stride+d]
		gi := gr.Data[i*gr.Stride : i*gr.Stride+d]
		dzi := dzr.Data[i*dzr.Stride : i*dzr.Stride+d]
		gl := dlogdet[i]

		a := b
		for j := range d {
			a += float64(w[j] * zi[j])
		}
		t := tanhFast(a)
		hp := 1 - float64(t*t)
		det := float64(t*t) + float64(hp*onePlusM)
		m := onePlusM - 1

		// out = z + û·t
		dt := 0.0
		for j := range d {
			dzi[j] = gi[j]
			duhat[j] = float64(gi[j] * t)
			dt += float64(gi[j] * uhat[j])
		}
		da := float64(dt * hp)
		// logdet = log(1 + h′(a)·m), h″ = −2·t·h′.
		da += gl * (-2 * t * hp * m) / det
		dm := gl * hp / det
		// a = wᵀz + b
		for j := range d {
			dzi[j] += float64(da * w[j])
			dw[j] += float64(da * zi[j])
		}
		dth[2*d] += da
		// û = u + c·w
		dc := 0.0
		for j := range d {
			du[j] += duhat[j]
			dw[j] += float64(c * duhat[j])
			dc += float64(duhat[j] * w[j])
		}
		ds := 0.0
		if nw > 0 {
			// c = (m − s)/‖w‖²
			dm += dc / nw
			ds -= dc / nw
			dnw := -dc * c / nw
			for j := range d {
				dw[j] += float64(2 * w[j] * dnw)
			}
		}
		// m = −1 + softplus(s) + slack, s = wᵀu
		ds += float64(dm * Sigmoid(s))
		for j := range d {
			du[j] += float64(ds * w[j])
			dw[j] += float64(ds * u[j])
		}
	}
}

// Inverse solves f(z) = out for a shared θ. Along w the layer is the scalar
// map α ↦ α + (wᵀû)·tanh(α + b) with α = wᵀz, strictly increasing; its root
// lies within |wᵀû| of wᵀout and is found by bracketed Newton. Then
// z = out − û·tanh(α + b).
func (p *Planar) Inverse(z, out, theta *mat.Dense) error {
	d := p.D
	tr := theta.RawMatrix()
	if tr.Rows != 1 || tr.Cols != p.NumParams() {
		return errors.New("core: planar inverse needs one shared θ row")
	}
	th := tr.Data[:tr.Cols]
	uhat := make([]float64, d)
	b, _, _, _, _ := planarHat(uhat, th, d)
	w := th[d : 2*d]
	wu := 0.0
	for j := range d {
		wu += float64(w[j] * uhat[j])
	}
	orr, zr := out.RawMatrix(), z.RawMatrix()
	for i := 0; i < orr.Rows; i++ {
		oi := orr.Data[i*orr.Stride : i*orr.Stride+d]
		zi := zr.Data[i*zr.Stride : i*zr.Stride+d]
		target := 0.0
		for j := range d {
			target += float64(w[j] * oi[j])
		}
		alpha, err := solveMonotone(func(a float64) (float64, float64) {
			t := pmath.Tanh(a + b)
			return a + float64(wu*t) - target, 1 + float64(wu*(1-float64(t*t)))
		}, target-math.Abs(wu), target+math.Abs(wu))
		if err != nil {
			return err
		}
		t := pmath.Tanh(alpha + b)
		for j := range d {
			zi[j] = oi[j] - float64(uhat[j]*t)
		}
	}
	return nil
}

// solveMonotone finds the root of an increasing function g on [lo, hi]
// (g(lo) ≤ 0 ≤ g(hi)) by Newton steps that fall back to bisection whenever a
// step would leave the bracket. g returns the value and the derivative.
func solveMonotone(g func(float64) (float64, float64), lo, hi float64) (float64, error) {
	x := float64(0.5 * (lo + hi))
	for range 200 {
		v, dv := g(x)
		if v == 0 {
			return x, nil
		}
		if v < 0 {
			lo = x
		} else {
			hi = x
		}
		next := x - v/dv
		if !(next > lo && next < hi) {
			next = float64(0.5 * (lo + hi))
		}
		if math.Abs(next-x) <= 1e-15*(1+math.Abs(x)) || hi-lo <= 1e-15*(1+math.Abs(x)) {
			return next, nil
		}
		x = next
	}
	if math.IsNaN(x) {
		return x, errors.New("core: flow inverse did not converge")
	}
	return x, nil
}

// thetaRow returns row i of θ, or row 0 when θ is shared (one row).
func thetaRow(t blas64.General, i int) []float64 {
	if t.Rows == 1 {
		i = 0
	}
	return t.Data[i*t.Stride : i*t.Stride+t.Cols]
}

// scratch returns buf[:n] when it is long enough, else a new slice: small
// per-row vectors then live on the stack for the usual low dimensions.
func scratch(buf []float64, n int) []float64 {
	if n <= len(buf) {
		return buf[:n]
	}
	return make([]float64, n)
}

func init() {
	RegisterFlow(FlowKind{
		Name:        "planar",
		Description: "planar flow z + û·tanh(wᵀz + b) (Rezende & Mohamed 2015)",
		ParamCount:  func(d int) int { return 2*d + 1 },
		New:         func(d int) Flow { return NewPlanar(d) },
	})
}
