//go:build cgo && openblas && !(js && wasm)

package fastblas

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

func installReproducible() string { return installReference() }

// installFast routes gonum's BLAS to OpenBLAS through gonum's netlib cgo
// wrapper. netlib's cgo flags link -lopenblas (Debian: libopenblas-dev).
func installFast() string {
	blas64.Use(netlib.Implementation{})
	return BackendOpenBLAS
}
