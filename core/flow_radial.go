package core

import (
	"errors"
	"math"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// Radial is the radial flow of Rezende & Mohamed (2015),
//
//	f(z) = z + β·(z − z₀)/(α + r),  r = ‖z − z₀‖,  θ = (z₀, α′, β′),
//
// with α = softplus(α′) > 0 and β = −α + softplus(β′) ≥ −α, which keeps f
// invertible. Writing B = softplus(β′), the two factors of the Jacobian
// determinant are computed in cancellation-free forms:
//
//	1 + β/(α+r)      = (r + B)/(α + r)
//	1 + βα/(α+r)²    = (r² + 2αr + αB)/(α + r)²
//	log|det| = (d−1)·log(1 + β/(α+r)) + log(1 + βα/(α+r)²).
type Radial struct {
	D int

	// absAlpha switches to α = |α′| (RadialAlphaAbs) in place of
	// softplus(α′); the constructors of flow stacks and priors set it.
	absAlpha bool

	z, theta *mat.Dense // inputs of the last Forward, not owned
}

// NewRadial returns a radial layer for dimension d (θ has d+2 columns).
func NewRadial(d int) *Radial { return &Radial{D: d} }

// alpha is α as a function of α′, and alphaSlope its derivative.
func (p *Radial) alpha(a float64) float64 {
	if p.absAlpha {
		return math.Abs(a)
	}
	return Softplus(a)
}

func (p *Radial) alphaSlope(a float64) float64 {
	if p.absAlpha {
		if a < 0 {
			return -1
		}
		return 1
	}
	return Sigmoid(a)
}

func (p *Radial) Dim() int       { return p.D }
func (p *Radial) NumParams() int { return p.D + 2 }

// RadialParams returns the centre z₀, α and β of one θ row under the
// default parameterisation α = softplus(α′) (Radial.Params follows the
// layer's own).
func RadialParams(theta []float64, d int) (z0 []float64, alpha, beta float64) {
	alpha = Softplus(theta[d])
	return theta[:d], alpha, Softplus(theta[d+1]) - alpha
}

// Params returns the centre z₀, α and β of one θ row of this layer.
func (p *Radial) Params(theta []float64) (z0 []float64, alpha, beta float64) {
	alpha = p.alpha(theta[p.D])
	return theta[:p.D], alpha, Softplus(theta[p.D+1]) - alpha
}

func (p *Radial) Forward(out *mat.Dense, logdet []float64, z, theta *mat.Dense) {
	p.push(out, logdet, z, theta, false)
}

// ForwardDet is Forward with |det J| multiplied into det (see detFlow).
func (p *Radial) ForwardDet(out *mat.Dense, det []float64, z, theta *mat.Dense) {
	p.push(out, det, z, theta, true)
}

// push writes f(z) and accumulates each row's |det J| =
// ((r+B)/q)^(d−1)·(r²+2αr+αB)/q², q = α+r, B = β+α, into acc: multiplied in
// when product is set, as a sum of logs of those positive factors otherwise.
func (p *Radial) push(out *mat.Dense, acc []float64, z, theta *mat.Dense, product bool) {
	p.z, p.theta = z, theta
	d := p.D
	zr, tr, or := z.RawMatrix(), theta.RawMatrix(), out.RawMatrix()
	var alpha, bigB float64
	for i := 0; i < zr.Rows; i++ {
		th := thetaRow(tr, i)
		// A shared θ (one row) needs its softplus only once.
		if i == 0 || tr.Rows > 1 {
			alpha, bigB = p.alpha(th[d]), Softplus(th[d+1])
		}
		beta := bigB - alpha
		z0 := th[:d]
		zi := zr.Data[i*zr.Stride : i*zr.Stride+d]
		oi := or.Data[i*or.Stride : i*or.Stride+d]
		r2 := 0.0
		for j := range d {
			v := zi[j] - z0[j]
			r2 += float64(v * v)
		}
		r := math.Sqrt(r2)
		q := alpha + r
		gamma := beta / q
		for j := range d {
			oi[j] = zi[j] + float64(gamma*(zi[j]-z0[j]))
		}
		if product {
			f, g := (r2+float64(2*alpha*r)+float64(alpha*bigB))/(q*q), (r+bigB)/q
			for range d - 1 {
				f = float64(f * g)
			}
			acc[i] = float64(acc[i] * f)
		} else {
			acc[i] += float64(float64(d-1)*(pmath.Log(r+bigB)-pmath.Log(q))) +
				pmath.Log(r2+float64(2*alpha*r)+float64(alpha*bigB)) - float64(2*pmath.Log(q))
		}
	}
}

func (p *Radial) Backward(dz, dtheta, dout *mat.Dense, dlogdet []float64) {
	d := p.D
	zr, tr := p.z.RawMatrix(), p.theta.RawMatrix()
	gr, dzr, dtr := dout.RawMatrix(), dz.RawMatrix(), dtheta.RawMatrix()
	for i := 0; i < zr.Rows; i++ {
		th := thetaRow(tr, i)
		dth := thetaRow(dtr, i)
		z0 := th[:d]
		alpha, bigB := p.alpha(th[d]), Softplus(th[d+1])
		beta := bigB - alpha
		zi := zr.Data[i*zr.Stride : i*zr.Stride+d]
		gi := gr.Data[i*gr.Stride : i*gr.Stride+d]
		dzi := dzr.Data[i*dzr.Stride : i*dzr.Stride+d]
		gl := dlogdet[i]

		r2 := 0.0
		for j := range d {
			v := zi[j] - z0[j]
			r2 += float64(v * v)
		}
		r := math.Sqrt(r2)
		q := alpha + r
		gamma := beta / q

		// out = z + γ·δ, δ = z − z₀, γ = (B − α)/q.
		dgamma := 0.0
		for j := range d {
			dgamma += float64(gi[j] * (zi[j] - z0[j]))
		}
		dB := dgamma / q
		dAlpha := -dgamma / q
		dq := -dgamma * gamma / q
		dr := 0.0
		// logdet = (d−1)(log(r+B) − log q) + log(r² + 2αr + αB) − 2 log q.
		k := float64(d - 1)
		if k > 0 {
			dr += gl * k / (r + bigB)
			dB += gl * k / (r + bigB)
			dq -= gl * k / q
		}
		d2 := r2 + float64(2*alpha*r) + float64(alpha*bigB)
		dr += gl * (float64(2*r) + float64(2*alpha)) / d2
		dAlpha += gl * (float64(2*r) + bigB) / d2
		dB += gl * alpha / d2
		dq -= 2 * gl / q
		// q = α + r
		dAlpha += dq
		dr += dq
		// r = ‖δ‖ (its gradient is undefined at δ = 0; take 0 there).
		rs := 0.0
		if r > 0 {
			rs = dr / r
		}
		dz0 := dth[:d]
		for j := range d {
			dd := float64(gi[j]*gamma) + float64(rs*(zi[j]-z0[j]))
			dzi[j] = gi[j] + dd
			dz0[j] -= dd
		}
		dth[d] += float64(dAlpha * p.alphaSlope(th[d]))
		dth[d+1] += float64(dB * Sigmoid(th[d+1]))
	}
}

// Inverse has a closed form for a shared θ: with y = out − z₀ and ρ = ‖y‖,
// the radius r = ‖z − z₀‖ solves r(r + B) = ρ(α + r), a quadratic with one
// non-negative root, and z = z₀ + y·(α + r)/(r + B).
func (p *Radial) Inverse(z, out, theta *mat.Dense) error {
	d := p.D
	tr := theta.RawMatrix()
	if tr.Rows != 1 || tr.Cols != p.NumParams() {
		return errors.New("core: radial inverse needs one shared θ row")
	}
	th := tr.Data[:tr.Cols]
	z0 := th[:d]
	alpha, bigB := p.alpha(th[d]), Softplus(th[d+1])
	orr, zr := out.RawMatrix(), z.RawMatrix()
	for i := 0; i < orr.Rows; i++ {
		oi := orr.Data[i*orr.Stride : i*orr.Stride+d]
		zi := zr.Data[i*zr.Stride : i*zr.Stride+d]
		rho2 := 0.0
		for j := range d {
			v := oi[j] - z0[j]
			rho2 += float64(v * v)
		}
		rho := math.Sqrt(rho2)
		// r² + (B − ρ)r − ρα = 0; pick the stable form of the positive root.
		bq := bigB - rho
		disc := math.Sqrt(float64(bq*bq) + float64(4*rho*alpha))
		var r float64
		if bq <= 0 {
			r = float64(0.5 * (disc - bq))
		} else if disc+bq > 0 {
			r = 2 * rho * alpha / (disc + bq)
		}
		scale := 1.0
		if r+bigB > 0 {
			scale = (alpha + r) / (r + bigB)
		}
		for j := range d {
			zi[j] = z0[j] + float64((oi[j]-z0[j])*scale)
		}
	}
	return nil
}

func init() {
	RegisterFlow(FlowKind{
		Name:        "radial",
		Description: "radial flow z + β·(z − z₀)/(α + ‖z − z₀‖) (Rezende & Mohamed 2015)",
		ParamCount:  func(d int) int { return d + 2 },
		New:         func(d int) Flow { return NewRadial(d) },
	})
}
