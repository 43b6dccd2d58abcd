package core

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// detFlow is implemented by flow layers that can multiply |det ∂f/∂z| into a
// running product instead of adding its log. A deep flow prior evaluated on
// a density grid then takes one logarithm per point instead of one per layer
// and point: the log was over half of a 32-layer density view's time.
type detFlow interface {
	// ForwardDet is Forward with det[i] *= |det J(zᵢ)| in place of
	// logdet[i] += log|det J(zᵢ)|; it caches the same things for Backward.
	ForwardDet(out *mat.Dense, det []float64, z, theta *mat.Dense)
}

func (p *Planar) ForwardDet(out *mat.Dense, det []float64, z, theta *mat.Dense) {
	p.z, p.theta = z, theta
	d := p.D
	zr, tr, or := z.RawMatrix(), theta.RawMatrix(), out.RawMatrix()
	var uhatArr [16]float64
	uhat := scratch(uhatArr[:], d)
	onePlusM := 0.0
	for i := 0; i < zr.Rows; i++ {
		th := thetaRow(tr, i)
		if i == 0 || tr.Rows > 1 {
			_, _, onePlusM, _, _ = planarHat(uhat, th, d)
		}
		w, b := th[d:2*d], th[2*d]
		zi := zr.Data[i*zr.Stride : i*zr.Stride+d]
		oi := or.Data[i*or.Stride : i*or.Stride+d]
		a := b
		for j := range d {
			a += w[j] * zi[j]
		}
		t := math.Tanh(a)
		for j := range d {
			oi[j] = zi[j] + uhat[j]*t
		}
		det[i] *= t*t + (1-t*t)*onePlusM
	}
}

func (p *Radial) ForwardDet(out *mat.Dense, det []float64, z, theta *mat.Dense) {
	p.z, p.theta = z, theta
	d := p.D
	zr, tr, or := z.RawMatrix(), theta.RawMatrix(), out.RawMatrix()
	var alpha, bigB float64
	for i := 0; i < zr.Rows; i++ {
		th := thetaRow(tr, i)
		if i == 0 || tr.Rows > 1 {
			alpha, bigB = Softplus(th[d]), Softplus(th[d+1])
		}
		beta := bigB - alpha
		z0 := th[:d]
		zi := zr.Data[i*zr.Stride : i*zr.Stride+d]
		oi := or.Data[i*or.Stride : i*or.Stride+d]
		r2 := 0.0
		for j := range d {
			v := zi[j] - z0[j]
			r2 += v * v
		}
		r := math.Sqrt(r2)
		q := alpha + r
		gamma := beta / q
		for j := range d {
			oi[j] = zi[j] + gamma*(zi[j]-z0[j])
		}
		// (1 + βh)^(d−1) · (1 + βh + βh′r) with h = 1/(α+r), written with
		// the same positive factors as Forward's log form.
		radialFactor := (r + bigB) / q
		dd := (r2 + 2*alpha*r + alpha*bigB) / (q * q)
		for range d - 1 {
			dd *= radialFactor
		}
		det[i] *= dd
	}
}

// accumulateLogDet moves the running products into logdet, keeping exact
// exponents with Frexp so that no product over- or underflows between calls.
func accumulateLogDet(logdet, det []float64, exps []int) {
	for i, v := range det {
		logdet[i] += math.Log(v) + float64(exps[i])*math.Ln2
		det[i], exps[i] = 1, 0
	}
}

// renormaliseDet rescales each running product into [0.5, 1) and keeps the
// power of two apart.
func renormaliseDet(det []float64, exps []int) {
	for i, v := range det {
		if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		m, e := math.Frexp(v)
		det[i] = m
		exps[i] += e
	}
}
