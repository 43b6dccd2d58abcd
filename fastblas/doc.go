// Package fastblas installs the matrix product under gonum's BLAS, so that
// model code stays plain gonum (blas64.Gemm, mat.Dense) while its products
// run on the product the program asks for:
//
//   - Install: the reproducible product, in the reference order that
//     reference.go defines (C ← βC, then per block of 256 of the shared index
//     a sum from 0 in index order, each product rounded on its own), the same
//     bits on every platform. On js/wasm it runs on a WebAssembly SIMD kernel
//     (package wasmkernel), called through //go:wasmimport and working on Go's
//     memory in place, which the host page provides (fastblas/js/vaegemm.js);
//     without it, where the browser lacks WebAssembly SIMD, and natively, on
//     a pure-Go kernel of the same order. Its Ddot, Daxpy and Dgemv sum in
//     index order too.
//   - InstallFast: the fastest product of the build, whose sums are ordered
//     per platform: natively gonum's own (assembly, parallel for large
//     products) or, with -tags openblas (cgo and OpenBLAS), gonum's netlib
//     wrapper around OpenBLAS; on js/wasm the kernel, or gonum without it.
//
// Results of the two agree within rounding: the tests allow a relative error
// of 1e-12 per dot-product length unit (see tolerance in the tests), and ask
// the kernel and the pure-Go reference for the reference order's bits.
//
// Call Install or InstallFast once at program start, before any product runs.
package fastblas
