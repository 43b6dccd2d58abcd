//go:build js && wasm

package fastblas

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// withKernelForAllSizes sends every product to the kernel, however small, so
// that its edge tiles and packing are tested on small shapes too.
func withKernelForAllSizes(t testing.TB) {
	if !kernelAvailable() {
		t.Skip("the host wired no SIMD kernel (VAEGEMM_WASM=none or no SIMD)")
	}
	saved := minKernelWork
	minKernelWork = 0
	t.Cleanup(func() { minKernelWork = saved })
}

func TestKernelMatchesGonumOnAllSizes(t *testing.T) {
	withKernelForAllSizes(t)
	rnd := rand.New(rand.NewPCG(3, 4))
	for _, tc := range randomCases(rnd, 1000) {
		checkAgainstGonum(t, simdImplementation{}, tc, makeOperands(rnd, tc))
	}
}

// TestKernelIsTheReferenceOrder: the kernel gives the reference order's bits
// (reference.go) on every shape, so a product gives the same bits whether
// it runs on the kernel, on the pure-Go reference or on another platform.
func TestKernelIsTheReferenceOrder(t *testing.T) {
	withKernelForAllSizes(t)
	rnd := rand.New(rand.NewPCG(19, 20))
	for _, tc := range append(randomCases(rnd, 1000), bigCases...) {
		checkReferenceBits(t, simdImplementation{}, tc, makeOperands(rnd, tc))
	}
}

// TestKernelSteadyStateAllocatesNothing: the training loop calls Dgemm many
// times per step and must not allocate (the workspace is pooled).
func TestKernelSteadyStateAllocatesNothing(t *testing.T) {
	withKernelForAllSizes(t)
	rnd := rand.New(rand.NewPCG(5, 6))
	tc := gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: 64, n: 72, k: 300, alpha: 1, beta: 1}
	o := makeOperands(rnd, tc)
	impl := simdImplementation{}
	allocs := testing.AllocsPerRun(20, func() {
		impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, o.a, o.lda, o.b, o.ldb, tc.beta, o.c, o.ldc)
	})
	if allocs != 0 {
		t.Errorf("Dgemm allocates %v times per call in steady state", allocs)
	}
}
