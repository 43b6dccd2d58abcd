//go:build !(js && wasm) && !(cgo && openblas)

package fastblas

// install keeps gonum's pure-Go BLAS: this build has neither the wasm kernel
// nor OpenBLAS (build with -tags openblas and cgo for the latter).
func install() string { return BackendGonum }
