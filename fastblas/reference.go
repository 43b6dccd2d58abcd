package fastblas

import (
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The reference order of the matrix product, the same on every platform and
// the one the WebAssembly SIMD kernel computes (package wasmkernel):
//
//   - C ← beta·C when beta ≠ 1 (beta = 0 stores zeros);
//   - then, if alpha ≠ 0, for each block of the shared index l ∈ [p, p+256)
//     in increasing order, and for each element of C on its own,
//     s = 0; s = s + (alpha·a[i,l])·b[l,j] for l in the block, in increasing
//     order; c[i,j] = c[i,j] + s.
//
// Every product and sum is rounded on its own: no fused multiply-add, which
// Go may otherwise emit for x*y + z on arm64, ppc64, s390x, riscv64 and
// amd64 with GOAMD64=v3 (an explicit float64 conversion forbids it). The
// blocking over rows and columns of C does not change any element's order, so
// the kernel's and this file's cache blocks may differ; the 256 of the shared
// index may not (refBlockK, checked against wasmkernel's caller in tests).
//
// The level-1 and level-2 routines below sum in index order, one rounding
// per operation. The engine calls only Dgemm (core/param.go); the others keep
// a program that uses them on the same footing.
const refBlockK = 256

// Register tile and cache blocks of the pure-Go kernel (see refTile).
const (
	refMR     = 4
	refNR     = 2
	refBlockM = 128
	refBlockN = 512
)

// referenceImplementation is gonum's BLAS with the routines of a training
// step computed in the reference order.
type referenceImplementation struct {
	gonum.Implementation
}

// refWorkspace holds the packed panels of one product; pooled so that a
// steady-state training step allocates nothing.
type refWorkspace struct {
	packedA, packedB []float64
}

var refWorkspaces = sync.Pool{New: func() any { return new(refWorkspace) }}

// Dgemm computes C = alpha·op(A)·op(B) + beta·C in the reference order.
// Invalid arguments go to gonum so that its panic messages stay the same.
func (impl referenceImplementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if !dgemmArgsValid(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) {
		impl.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	referenceDgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// referenceDgemm is Dgemm in the reference order for valid arguments.
func referenceDgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if beta != 1 {
		for i := range m {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
				continue
			}
			for j := range row {
				row[j] *= beta
			}
		}
	}
	if alpha == 0 || k == 0 {
		return
	}
	aRow, aShared, bCol, bShared := strides(tA, tB, lda, ldb)

	ws := refWorkspaces.Get().(*refWorkspace)
	kc0 := min(k, refBlockK)
	ws.packedA = grow(ws.packedA, roundUp(min(m, refBlockM), refMR)*kc0)
	ws.packedB = grow(ws.packedB, roundUp(min(n, refBlockN), refNR)*kc0)
	for jc := 0; jc < n; jc += refBlockN {
		nc := min(refBlockN, n-jc)
		for pc := 0; pc < k; pc += refBlockK {
			kc := min(refBlockK, k-pc)
			refPack(ws.packedB, b[jc*bCol+pc*bShared:], bCol, bShared, nc, kc, refNR, 1)
			for ic := 0; ic < m; ic += refBlockM {
				mc := min(refBlockM, m-ic)
				refPack(ws.packedA, a[ic*aRow+pc*aShared:], aRow, aShared, mc, kc, refMR, alpha)
				refMacro(mc, nc, kc, ws.packedA, ws.packedB, c[ic*ldc+jc:], ldc)
			}
		}
	}
	refWorkspaces.Put(ws)
}

// refPack copies the np×nd block of src whose element (p, d) is
// src[p·strideP + d·strideD] into panels of width consecutive p: panel by
// panel, for each d the width values times scale, zero-padded past np. The
// layout is wasmkernel's pack_a/pack_b.
func refPack(dst, src []float64, strideP, strideD, np, nd, width int, scale float64) {
	for p0 := 0; p0 < np; p0 += width {
		rows := min(width, np-p0)
		panel := dst[p0*nd : p0*nd+width*nd]
		for d := range nd {
			out := panel[d*width : d*width+width]
			base := p0*strideP + d*strideD
			for r := range rows {
				out[r] = scale * src[base+r*strideP]
			}
			clear(out[rows:])
		}
	}
}

// refMacro adds Ã·B̃ into the mc×nc block of C (row stride ldc) for packed
// panels from refPack, one refMR×refNR tile of accumulators at a time.
func refMacro(mc, nc, kc int, pa, pb, c []float64, ldc int) {
	var tile [refMR * refNR]float64
	for jr := 0; jr < nc; jr += refNR {
		ncur := min(refNR, nc-jr)
		panelB := pb[jr*kc : jr*kc+refNR*kc]
		for ir := 0; ir < mc; ir += refMR {
			mcur := min(refMR, mc-ir)
			refTile(&tile, pa[ir*kc:ir*kc+refMR*kc], panelB)
			for r := range mcur {
				row := c[(ir+r)*ldc+jr : (ir+r)*ldc+jr+ncur]
				acc := tile[r*refNR : r*refNR+ncur]
				for j := range row {
					row[j] += acc[j]
				}
			}
		}
	}
}

// refTile sets tile to the refMR×refNR sums Σ_l a[l,r]·b[l,j] over packed
// panels (refMR values of A and refNR of B per l), each sum from 0 in
// increasing l, each product rounded before it is added (the float64
// conversions). Eight accumulators and six operands fit amd64's sixteen
// registers; a 4×4 tile spilled and ran slower.
func refTile(tile *[refMR * refNR]float64, pa, pb []float64) {
	var c00, c01, c10, c11, c20, c21, c30, c31 float64
	n := min(len(pa)/refMR, len(pb)/refNR)
	pa, pb = pa[:n*refMR], pb[:n*refNR]
	for l := 0; l < n; l++ {
		a := pa[l*refMR : l*refMR+refMR : l*refMR+refMR]
		b := pb[l*refNR : l*refNR+refNR : l*refNR+refNR]
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		b0, b1 := b[0], b[1]
		c00 += float64(a0 * b0)
		c01 += float64(a0 * b1)
		c10 += float64(a1 * b0)
		c11 += float64(a1 * b1)
		c20 += float64(a2 * b0)
		c21 += float64(a2 * b1)
		c30 += float64(a3 * b0)
		c31 += float64(a3 * b1)
	}
	*tile = [refMR * refNR]float64{c00, c01, c10, c11, c20, c21, c30, c31}
}

// Ddot is Σ x[i]·y[i] in index order from 0, one rounding per operation.
func (impl referenceImplementation) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	if n <= 0 || incX == 0 || incY == 0 || len(x) <= (n-1)*abs(incX) || len(y) <= (n-1)*abs(incY) {
		return impl.Implementation.Ddot(n, x, incX, y, incY)
	}
	ix, iy := start(n, incX), start(n, incY)
	var s float64
	for range n {
		s += float64(x[ix] * y[iy])
		ix, iy = ix+incX, iy+incY
	}
	return s
}

// Daxpy is y[i] += alpha·x[i], the product rounded before the sum.
func (impl referenceImplementation) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	if n <= 0 || incX == 0 || incY == 0 || len(x) <= (n-1)*abs(incX) || len(y) <= (n-1)*abs(incY) {
		impl.Implementation.Daxpy(n, alpha, x, incX, y, incY)
		return
	}
	if alpha == 0 {
		return
	}
	ix, iy := start(n, incX), start(n, incY)
	for range n {
		y[iy] += float64(alpha * x[ix])
		ix, iy = ix+incX, iy+incY
	}
}

// Dgemv is y = alpha·op(A)·x + beta·y: y scaled first (beta = 0 stores
// zeros), then each y[i] += alpha·s with s = Σ_j op(A)[i,j]·x[j] summed from 0
// in index order.
func (impl referenceImplementation) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	lenX, lenY := n, m
	if isTrans(tA) {
		lenX, lenY = m, n
	}
	if !validTranspose(tA) || m < 0 || n < 0 || lda < max(1, n) || incX == 0 || incY == 0 ||
		(m > 0 && n > 0 && len(a) < lda*(m-1)+n) ||
		(lenX > 0 && len(x) <= (lenX-1)*abs(incX)) || (lenY > 0 && len(y) <= (lenY-1)*abs(incY)) {
		impl.Implementation.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	if lenY == 0 {
		return
	}
	iy := start(lenY, incY)
	if beta != 1 {
		for i, at := 0, iy; i < lenY; i, at = i+1, at+incY {
			if beta == 0 {
				y[at] = 0
			} else {
				y[at] *= beta
			}
		}
	}
	if alpha == 0 || lenX == 0 {
		return
	}
	x0 := start(lenX, incX)
	for i := range lenY {
		var s float64
		for j, ix := 0, x0; j < lenX; j, ix = j+1, ix+incX {
			aij := a[i*lda+j]
			if isTrans(tA) {
				aij = a[j*lda+i]
			}
			s += float64(aij * x[ix])
		}
		y[iy] += float64(alpha * s)
		iy += incY
	}
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// start is BLAS's first index of a vector of n elements with stride inc.
func start(n, inc int) int {
	if inc < 0 {
		return (1 - n) * inc
	}
	return 0
}
