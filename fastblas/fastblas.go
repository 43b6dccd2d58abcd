package fastblas

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Backend names returned by Install, InstallFast and Active.
const (
	// BackendReference: the reference order in pure Go (reference.go).
	BackendReference = "reference"
	// BackendWasmSIMD: the SIMD kernel, which computes the reference order;
	// products too small for it run on the pure-Go reference.
	BackendWasmSIMD = "wasm-simd"
	BackendGonum    = "gonum"
	BackendOpenBLAS = "openblas"
)

var active = BackendGonum

// Install makes the reproducible matrix product gonum's BLAS implementation
// (blas64.Use) and returns its name: the SIMD kernel on js/wasm when the host
// wired it, the pure-Go reference otherwise. Both compute every product in
// the reference order (see reference.go), so a training run gives the same
// bits on every platform and in the browser with or without SIMD.
func Install() string {
	active = installReproducible()
	return active
}

// InstallFast makes the fastest product of this build gonum's BLAS and
// returns its name: gonum's own (assembly, parallel for large products) or
// OpenBLAS with -tags openblas natively; on js/wasm the same as Install with
// the kernel, gonum without. Its sums are ordered differently per platform
// and backend: results agree to rounding, not to the bit.
func InstallFast() string {
	active = installFast()
	return active
}

// Active returns the name of the backend the last Install or InstallFast
// chose, or BackendGonum before any.
func Active() string { return active }

// Reproducible reports whether the active backend computes the reference
// order, the same bits on every platform.
func Reproducible() bool { return active == BackendReference || active == BackendWasmSIMD }

// installReference installs the pure-Go reference product.
func installReference() string {
	blas64.Use(referenceImplementation{})
	return BackendReference
}

// dgemmArgsValid reports whether gonum's Dgemm would accept the arguments
// without panicking; the kernel hands invalid ones to gonum so that the
// panic messages stay gonum's.
func dgemmArgsValid(tA, tB blas.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) bool {
	if !validTranspose(tA) || !validTranspose(tB) || m < 0 || n < 0 || k < 0 {
		return false
	}
	aTrans, bTrans := isTrans(tA), isTrans(tB)
	if (aTrans && lda < max(1, m)) || (!aTrans && lda < max(1, k)) {
		return false
	}
	if (bTrans && ldb < max(1, k)) || (!bTrans && ldb < max(1, n)) {
		return false
	}
	if ldc < max(1, n) {
		return false
	}
	if m == 0 || n == 0 {
		return true
	}
	if (aTrans && len(a) < (k-1)*lda+m) || (!aTrans && len(a) < (m-1)*lda+k) {
		return false
	}
	if (bTrans && len(b) < (n-1)*ldb+k) || (!bTrans && len(b) < (k-1)*ldb+n) {
		return false
	}
	return len(c) >= (m-1)*ldc+n
}

func validTranspose(t blas.Transpose) bool {
	return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans
}

// isTrans: for real matrices the conjugate transpose is the transpose.
func isTrans(t blas.Transpose) bool { return t == blas.Trans || t == blas.ConjTrans }

// strides are the element strides of a product's operands: A's along a row
// of C and along the shared index, B's along a column of C and along the
// shared index. Transposes only swap them.
func strides(tA, tB blas.Transpose, lda, ldb int) (aRow, aShared, bCol, bShared int) {
	aRow, aShared = lda, 1
	if isTrans(tA) {
		aRow, aShared = 1, lda
	}
	bCol, bShared = 1, ldb
	if isTrans(tB) {
		bCol, bShared = ldb, 1
	}
	return aRow, aShared, bCol, bShared
}
