//go:build !(js && wasm) && !(cgo && openblas)

package fastblas

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

func installReproducible() string { return installReference() }

// installFast keeps gonum's BLAS: this build has neither the wasm kernel nor
// OpenBLAS (build with -tags openblas and cgo for the latter).
func installFast() string {
	blas64.Use(gonum.Implementation{})
	return BackendGonum
}
