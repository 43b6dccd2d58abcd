//go:build js && wasm

package fastblas

import (
	"runtime"
	"sync"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/vaeplayground/vae/fastblas/wasmkernel"
)

// The kernel's exports, forwarded by the host (fastblas/js/vaegemm.js) from
// the module named wasmkernel.ImportModule. Pointers are addresses in Go's
// linear memory, which the kernel imports; byte strides are passed as i32.

//go:wasmimport vaegemm abi
func kernelABI() int32

//go:wasmimport vaegemm pack_a
func kernelPackA(src unsafe.Pointer, strideP, strideD, np, nd int32, scale float64, dst unsafe.Pointer)

//go:wasmimport vaegemm pack_b
func kernelPackB(src unsafe.Pointer, strideP, strideD, np, nd int32, scale float64, dst unsafe.Pointer)

//go:wasmimport vaegemm scale
func kernelScale(c unsafe.Pointer, ldcBytes, m, n int32, beta float64)

//go:wasmimport vaegemm macro
func kernelMacro(mc, nc, kc int32, pa, pb, c unsafe.Pointer, ldcBytes int32, scratch unsafe.Pointer)

// Block sizes of the GotoBLAS loop. A packed kc×NR panel of B (16 KiB) stays
// in L1 while the macro kernel runs down a packed mc×kc block of A (192 KiB,
// L2); a kc×nc panel of B (2 MiB) is reused by every block of A.
// blockK is the reference order's block of the shared index (refBlockK):
// it decides how each element's sum is split, so it is not a tuning knob.
const (
	blockK = refBlockK
	blockM = 96
	blockN = 1024
)

// minKernelWork is the product size m·n·k below which Dgemm runs on the
// pure-Go reference (the same order, so the same bits): there the packing and
// the calls across the JS boundary cost more than the SIMD saves.
// BenchmarkCrossover in Node 20: even at 4×4×4 (work 64) gonum and the kernel
// tie, and from 8×8×8 (work 512) the kernel is 3× faster.
var minKernelWork = 256

const wordBytes = 8

// kernelAvailable reports whether the host wired a kernel of this ABI.
func kernelAvailable() bool { return kernelABI() == wasmkernel.ABIVersion }

func installReproducible() string {
	if !kernelAvailable() {
		return installReference()
	}
	blas64.Use(simdImplementation{})
	return BackendWasmSIMD
}

// installFast is installReproducible with the kernel (nothing is faster)
// and gonum's pure Go without it.
func installFast() string {
	if !kernelAvailable() {
		blas64.Use(gonum.Implementation{})
		return BackendGonum
	}
	return installReproducible()
}

// simdImplementation is the reference BLAS with Dgemm on the wasm SIMD
// kernel, which sums in the reference order.
type simdImplementation struct {
	referenceImplementation
}

// workspace holds the packed panels of one Dgemm call. Pooled so that a
// steady-state training step allocates nothing; a pool rather than one global
// because a goroutine switch could in principle interleave two products.
type workspace struct {
	packedA []float64
	packedB []float64
	scratch [wasmkernel.MR * wasmkernel.NR]float64
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// Dgemm computes C = alpha·op(A)·op(B) + beta·C in the reference order, on
// the SIMD kernel when the product is large enough to pay for packing.
func (impl simdImplementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 || k == 0 || m*n*k < minKernelWork || !dgemmArgsValid(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) {
		impl.referenceImplementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	kernelDgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// kernelDgemm runs the product on the kernel; the arguments are valid and
// m, n, k > 0.
func kernelDgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	ldcBytes := int32(ldc * wordBytes)
	if beta != 1 {
		kernelScale(unsafe.Pointer(&c[0]), ldcBytes, int32(m), int32(n), beta)
	}
	if alpha == 0 {
		return
	}

	aRow, aShared, bCol, bShared := strides(tA, tB, lda, ldb)

	ws := workspaces.Get().(*workspace)
	kc0 := min(k, blockK)
	ws.packedA = grow(ws.packedA, roundUp(min(m, blockM), wasmkernel.MR)*kc0)
	ws.packedB = grow(ws.packedB, roundUp(min(n, blockN), wasmkernel.NR)*kc0)
	pa := unsafe.Pointer(&ws.packedA[0])
	pb := unsafe.Pointer(&ws.packedB[0])
	scratch := unsafe.Pointer(&ws.scratch[0])

	for jc := 0; jc < n; jc += blockN {
		nc := min(blockN, n-jc)
		for pc := 0; pc < k; pc += blockK {
			kc := min(blockK, k-pc)
			kernelPackB(unsafe.Pointer(&b[jc*bCol+pc*bShared]),
				int32(bCol*wordBytes), int32(bShared*wordBytes), int32(nc), int32(kc), 1, pb)
			for ic := 0; ic < m; ic += blockM {
				mc := min(blockM, m-ic)
				kernelPackA(unsafe.Pointer(&a[ic*aRow+pc*aShared]),
					int32(aRow*wordBytes), int32(aShared*wordBytes), int32(mc), int32(kc), alpha, pa)
				kernelMacro(int32(mc), int32(nc), int32(kc), pa, pb,
					unsafe.Pointer(&c[ic*ldc+jc]), ldcBytes, scratch)
			}
		}
	}
	// The kernel reads and writes these through raw addresses.
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
	workspaces.Put(ws)
}
