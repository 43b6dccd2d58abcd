package fastblas

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// benchmarkGemm times C = A·op(B) for an m×k by k×n product on impl and
// reports GFLOPS (2mnk flops per call).
func benchmarkGemm(b *testing.B, impl blas.Float64, tB blas.Transpose, m, n, k int) {
	rnd := rand.New(rand.NewPCG(7, 8))
	tc := gemmCase{tA: blas.NoTrans, tB: tB, m: m, n: n, k: k, alpha: 1, beta: 0}
	o := makeOperands(rnd, tc)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		impl.Dgemm(tc.tA, tc.tB, m, n, k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}

// BenchmarkDgemm compares gonum's pure-Go product with the backends Install
// and InstallFast pick in this build (the reference in pure Go, the wasm
// kernel under js/wasm, OpenBLAS with -tags openblas), on square sizes and on
// the image model's three products.
func BenchmarkDgemm(b *testing.B) {
	type named struct {
		name string
		impl blas.Float64
	}
	impls := []named{{BackendGonum, gonum.Implementation{}}}
	for _, install := range []func() string{Install, InstallFast} {
		name := install()
		if name != BackendGonum && (len(impls) == 1 || impls[1].name != name) {
			impls = append(impls, named{name, blas64.Implementation()})
		}
	}
	blas64.Use(gonum.Implementation{})
	shapes := []struct {
		name    string
		tB      blas.Transpose
		m, n, k int
	}{
		{"64", blas.NoTrans, 64, 64, 64},
		{"256", blas.NoTrans, 256, 256, 256},
		{"512", blas.NoTrans, 512, 512, 512},
		{"XW_128x784x256", blas.NoTrans, 128, 256, 784},
		{"dYWt_128x256x784", blas.Trans, 128, 784, 256},
	}
	for _, impl := range impls {
		for _, s := range shapes {
			b.Run(fmt.Sprintf("%s/%s", impl.name, s.name), func(b *testing.B) {
				benchmarkGemm(b, impl.impl, s.tB, s.m, s.n, s.k)
			})
		}
	}
}
