package core

import (
	"fmt"
	"math"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/mat"
)

// MMD kernels (InfoVAE, Zhao et al. 2019; WAE, Tolstikhin et al. 2018).
const (
	MMDKernelRBF = "rbf" // k(a, b) = exp(−‖a − b‖²/C)
	MMDKernelIMQ = "imq" // k(a, b) = C/(C + ‖a − b‖²), inverse multiquadric
)

// MMDKernelNames lists the kernels, default first.
func MMDKernelNames() []string { return []string{MMDKernelIMQ, MMDKernelRBF} }

// checkMMDKernel accepts "" (the default, IMQ) and the names above.
func checkMMDKernel(name string) error {
	switch name {
	case "", MMDKernelIMQ, MMDKernelRBF:
		return nil
	}
	return fmt.Errorf("core: unknown MMD kernel %q (want one of %v)", name, MMDKernelNames())
}

// MMDBandwidth is the kernel scale C = 2·d·s², where s² is the mean
// per-dimension variance of the prior samples y. For the standard normal
// prior s² ≈ 1 and C ≈ 2d, the choice of WAE and InfoVAE; a learnt prior
// that spreads or shrinks carries its scale with it. It is computed once per
// batch from samples that do not depend on the parameters being trained, so
// it is a constant in the gradient.
func MMDBandwidth(y *mat.Dense) float64 {
	n, d := y.Dims()
	if n < 2 {
		return float64(2 * float64(d))
	}
	s2 := 0.0
	for j := range d {
		mean := 0.0
		for i := range n {
			mean += y.At(i, j)
		}
		mean /= float64(n)
		for i := range n {
			v := y.At(i, j) - mean
			s2 += float64(v * v)
		}
	}
	s2 /= float64(d * (n - 1))
	if !(s2 > 1e-12) || math.IsInf(s2, 0) {
		s2 = 1
	}
	return float64(2 * float64(d) * s2)
}

// mmdKernel returns k and ∂k/∂t at squared distance t for scale c.
func mmdKernel(kernel string, t, c float64) (k, dk float64) {
	if kernel == MMDKernelRBF {
		k = pmath.Exp(-t / c)
		return k, -k / c
	}
	k = c / (c + t)
	return k, -k / (c + t)
}

// MMD2 is the unbiased estimate of the squared maximum mean discrepancy
// between the samples x (n rows) and y (m rows),
//
//	1/(n(n−1)) Σ_{i≠j} k(xᵢ,xⱼ) + 1/(m(m−1)) Σ_{i≠j} k(yᵢ,yⱼ) − 2/(nm) Σᵢⱼ k(xᵢ,yⱼ),
//
// with the given kernel and scale c (see MMDBandwidth). It can be slightly
// negative. When dx is not nil, weight·∂MMD²/∂x is added to it; y is a
// constant. n and m must be at least 2.
func MMD2(dx *mat.Dense, weight float64, x, y *mat.Dense, kernel string, c float64) float64 {
	n, d := x.Dims()
	m, _ := y.Dims()
	xr, yr := x.RawMatrix(), y.RawMatrix()
	sqdist := func(a, b []float64) float64 {
		s := 0.0
		for j := range a {
			v := a[j] - b[j]
			s += float64(v * v)
		}
		return s
	}
	var kxx, kyy, kxy float64
	cxx := 1 / float64(n*(n-1))
	cxy := 2 / float64(n*m)
	for i := range n {
		xi := xr.Data[i*xr.Stride : i*xr.Stride+d]
		dxi := denseRow(dx, i)
		for j := i + 1; j < n; j++ {
			xj := xr.Data[j*xr.Stride : j*xr.Stride+d]
			k, dk := mmdKernel(kernel, sqdist(xi, xj), c)
			kxx += float64(2 * k)
			if dxi != nil {
				// The pair (i, j) appears twice in the sum; ∂t/∂xᵢ = 2(xᵢ − xⱼ).
				s := float64(4 * float64(float64(weight*cxx)*dk))
				dxj := denseRow(dx, j)
				for l := range d {
					v := float64(s * (xi[l] - xj[l]))
					dxi[l] += v
					dxj[l] -= v
				}
			}
		}
		for j := range m {
			yj := yr.Data[j*yr.Stride : j*yr.Stride+d]
			k, dk := mmdKernel(kernel, sqdist(xi, yj), c)
			kxy += k
			if dxi != nil {
				s := float64(-2 * float64(float64(weight*cxy)*dk))
				for l := range d {
					dxi[l] += float64(s * (xi[l] - yj[l]))
				}
			}
		}
	}
	for i := range m {
		yi := yr.Data[i*yr.Stride : i*yr.Stride+d]
		for j := i + 1; j < m; j++ {
			k, _ := mmdKernel(kernel, sqdist(yi, yr.Data[j*yr.Stride:j*yr.Stride+d]), c)
			kyy += float64(2 * k)
		}
	}
	return float64(cxx*kxx) + kyy/float64(m*(m-1)) - float64(cxy*kxy)
}
