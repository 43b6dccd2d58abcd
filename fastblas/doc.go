// Package fastblas installs the fastest matrix product this build has under
// gonum's BLAS, so that model code stays plain gonum (blas64.Gemm, mat.Dense)
// while its products run on:
//
//   - js/wasm: a WebAssembly SIMD kernel (package wasmkernel), called through
//     //go:wasmimport and working on Go's memory in place. The host page must
//     provide it (fastblas/js/vaegemm.js); without it, or where the browser
//     lacks WebAssembly SIMD, the product stays on gonum.
//   - native with -tags openblas (needs cgo and OpenBLAS): gonum's netlib
//     wrapper around OpenBLAS.
//   - anything else: gonum's own pure-Go implementation.
//
// Only Dgemm is replaced on js/wasm; every other routine is gonum's. Results
// match gonum's within rounding: the tests allow a relative error of 1e-12
// per dot-product length unit (see tolerance in the tests).
//
// Call Install once at program start, before any product runs.
package fastblas
