// Package wasmkernel holds the source of the WebAssembly SIMD matrix-multiply
// kernel that speeds up gonum's Dgemm under js/wasm, written as Go code that
// emits the module's bytes.
//
// Go's wasm backend emits no SIMD instructions, so gonum's product runs at
// scalar speed in the browser. The kernel is a separate, small WebAssembly
// module using f64x2 instructions; it imports the Go instance's memory and
// works on Go's slices in place. Package fastblas calls it through
// //go:wasmimport; the host page forwards those imports to the kernel's
// exports (see fastblas/js/vaegemm.js).
//
// The module is built reproducibly by the genkernel command:
//
//	go run ./fastblas/wasmkernel/genkernel -o dist/web/vaegemm.wasm
//
// There is no checked-in binary: the bytes are a pure function of this
// package's source.
package wasmkernel
