//go:build js && wasm

package fastblas

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkCrossover times small square products on gonum and on the kernel
// forced for every size; minKernelWork is set from where the kernel starts
// to win.
func BenchmarkCrossover(b *testing.B) {
	for _, size := range []int{4, 8, 12, 16, 20, 24, 32, 48} {
		b.Run(fmt.Sprintf("gonum/%d", size), func(b *testing.B) {
			benchmarkGemm(b, gonum.Implementation{}, blas.NoTrans, size, size, size)
		})
		b.Run(fmt.Sprintf("kernel/%d", size), func(b *testing.B) {
			withKernelForAllSizes(b)
			benchmarkGemm(b, simdImplementation{}, blas.NoTrans, size, size, size)
		})
	}
}
