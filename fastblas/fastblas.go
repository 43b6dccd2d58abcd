package fastblas

import "gonum.org/v1/gonum/blas"

// Backend names returned by Install and Active.
const (
	BackendGonum    = "gonum"
	BackendWasmSIMD = "wasm-simd"
	BackendOpenBLAS = "openblas"
)

var active = BackendGonum

// Install makes the fastest matrix product available in this build gonum's
// BLAS implementation (blas64.Use) and returns its name. On js/wasm it needs
// the host to have wired the kernel; otherwise it leaves gonum in place and
// returns BackendGonum.
func Install() string {
	active = install()
	return active
}

// Active returns the name of the backend the last Install chose, or
// BackendGonum before any.
func Active() string { return active }

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
