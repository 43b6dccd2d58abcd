//go:build cgo && openblas && !(js && wasm)

package fastblas

// gonum's netlib wrapper declares no linker flags, leaving the choice of C
// BLAS to the program; this build tag chooses OpenBLAS (Debian's
// libopenblas-dev provides libopenblas.so).

// #cgo LDFLAGS: -lopenblas
import "C"
