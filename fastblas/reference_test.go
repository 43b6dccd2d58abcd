package fastblas

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// naiveReferenceDgemm is the reference order written as plainly as possible:
// one element at a time, blocks of refBlockK of the shared index.
func naiveReferenceDgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	at := func(s []float64, ld, i, j int, trans bool) float64 {
		if trans {
			return s[j*ld+i]
		}
		return s[i*ld+j]
	}
	for i := range m {
		for j := range n {
			cij := c[i*ldc+j]
			switch beta {
			case 0:
				cij = 0
			case 1:
			default:
				cij = float64(beta * cij)
			}
			if alpha != 0 {
				for p := 0; p < k; p += refBlockK {
					var s float64
					for l := p; l < min(p+refBlockK, k); l++ {
						s += float64(float64(alpha*at(a, lda, i, l, tA != blas.NoTrans)) * at(b, ldb, l, j, tB != blas.NoTrans))
					}
					cij += s
				}
			}
			c[i*ldc+j] = cij
		}
	}
}

// checkReferenceBits runs impl and the naive reference order on the same
// case and asks for the same bits in every element of C, padding included.
func checkReferenceBits(t *testing.T, impl blas.Float64, tc gemmCase, o operands) {
	t.Helper()
	want := append([]float64(nil), o.c...)
	naiveReferenceDgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, o.a, o.lda, o.b, o.ldb, tc.beta, want, o.ldc)
	got := append([]float64(nil), o.c...)
	impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, o.a, o.lda, o.b, o.ldb, tc.beta, got, o.ldc)
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%v: C[%d,%d] = %v (%#x), the reference order gives %v (%#x)",
				tc, i/o.ldc, i%o.ldc, got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
		}
	}
}

// bigCases cross the reference's own blocks of rows and columns (128, 512)
// and several blocks of the shared index.
var bigCases = []gemmCase{
	{tA: blas.NoTrans, tB: blas.NoTrans, m: 130, n: 515, k: 600, alpha: 1, beta: 1, padA: 1},
	{tA: blas.Trans, tB: blas.Trans, m: 257, n: 33, k: 513, alpha: -0.5, beta: 0, padC: 2},
}

func TestReferenceDgemmIsTheReferenceOrder(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	for _, tc := range append(randomCases(rnd, 600), bigCases...) {
		checkReferenceBits(t, referenceImplementation{}, tc, makeOperands(rnd, tc))
	}
}

func TestReferenceDgemmMatchesGonum(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	for _, tc := range randomCases(rnd, 300) {
		checkAgainstGonum(t, referenceImplementation{}, tc, makeOperands(rnd, tc))
	}
}

// TestReproducibleInstallIsTheReferenceOrder: whatever Install picks (the
// SIMD kernel or pure Go), its products are the reference order's bits.
func TestReproducibleInstallIsTheReferenceOrder(t *testing.T) {
	Install()
	impl := blas64.Implementation()
	blas64.Use(gonum.Implementation{})
	if !Reproducible() {
		t.Fatalf("Install() chose %q, which is not reproducible", Active())
	}
	rnd := rand.New(rand.NewPCG(13, 14))
	for _, tc := range append(randomCases(rnd, 300), bigCases...) {
		checkReferenceBits(t, impl, tc, makeOperands(rnd, tc))
	}
}

func TestReferenceSteadyStateAllocatesNothing(t *testing.T) {
	rnd := rand.New(rand.NewPCG(15, 16))
	tc := gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: 64, n: 72, k: 300, alpha: 1, beta: 1}
	o := makeOperands(rnd, tc)
	impl := referenceImplementation{}
	impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, o.a, o.lda, o.b, o.ldb, tc.beta, o.c, o.ldc)
	allocs := testing.AllocsPerRun(20, func() {
		impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, o.a, o.lda, o.b, o.ldb, tc.beta, o.c, o.ldc)
	})
	if allocs != 0 {
		t.Errorf("Dgemm allocates %v times per call in steady state", allocs)
	}
}

func randomVector(rnd *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 2*rnd.Float64() - 1
	}
	return s
}

// TestReferenceLevel12 checks Ddot, Daxpy and Dgemv against their orders
// written out (strides of both signs) and against gonum within rounding.
func TestReferenceLevel12(t *testing.T) {
	rnd := rand.New(rand.NewPCG(17, 18))
	impl := referenceImplementation{}
	for _, n := range []int{1, 2, 3, 7, 16, 33, 100} {
		for _, inc := range [][2]int{{1, 1}, {2, 3}, {-1, 2}, {3, -2}} {
			incX, incY := inc[0], inc[1]
			x := randomVector(rnd, 1+(n-1)*abs(incX))
			y := randomVector(rnd, 1+(n-1)*abs(incY))
			ix, iy := start(n, incX), start(n, incY)
			var want float64
			for range n {
				want += float64(x[ix] * y[iy])
				ix, iy = ix+incX, iy+incY
			}
			got := impl.Ddot(n, x, incX, y, incY)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("Ddot n=%d inc=%v: %v, want %v", n, inc, got, want)
			}
			if g := (gonum.Implementation{}).Ddot(n, x, incX, y, incY); math.Abs(g-got) > 1e-13*float64(n) {
				t.Errorf("Ddot n=%d inc=%v: %v, gonum %v", n, inc, got, g)
			}

			yWant := append([]float64(nil), y...)
			ix, iy = start(n, incX), start(n, incY)
			for range n {
				yWant[iy] = yWant[iy] + float64(0.75*x[ix])
				ix, iy = ix+incX, iy+incY
			}
			yGot := append([]float64(nil), y...)
			impl.Daxpy(n, 0.75, x, incX, yGot, incY)
			for i := range yGot {
				if math.Float64bits(yGot[i]) != math.Float64bits(yWant[i]) {
					t.Fatalf("Daxpy n=%d inc=%v: y[%d] = %v, want %v", n, inc, i, yGot[i], yWant[i])
				}
			}
		}
	}
	for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
		for _, beta := range []float64{0, 1, -0.5} {
			m, n, lda := 13, 7, 9
			a := randomVector(rnd, (m-1)*lda+n)
			lenX, lenY := n, m
			if tA == blas.Trans {
				lenX, lenY = m, n
			}
			x := randomVector(rnd, 2*lenX)
			y := randomVector(rnd, lenY)
			want := append([]float64(nil), y...)
			for i := range lenY {
				var s float64
				for j := range lenX {
					aij := a[i*lda+j]
					if tA == blas.Trans {
						aij = a[j*lda+i]
					}
					s += float64(aij * x[2*j])
				}
				yi := want[i]
				switch beta {
				case 0:
					yi = 0
				case 1:
				default:
					yi = float64(beta * yi)
				}
				want[i] = yi + float64(1.5*s)
			}
			got := append([]float64(nil), y...)
			impl.Dgemv(tA, m, n, 1.5, a, lda, x, 2, beta, got, 1)
			gon := append([]float64(nil), y...)
			gonum.Implementation{}.Dgemv(tA, m, n, 1.5, a, lda, x, 2, beta, gon, 1)
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
					t.Fatalf("Dgemv %c beta=%v: y[%d] = %v, want %v", tA, beta, i, got[i], want[i])
				}
				if math.Abs(got[i]-gon[i]) > 1e-13 {
					t.Fatalf("Dgemv %c beta=%v: y[%d] = %v, gonum %v", tA, beta, i, got[i], gon[i])
				}
			}
		}
	}
}

// BenchmarkReference: the pure-Go reference against gonum on the engine's
// shapes (BenchmarkDgemm has the installed backends).
func BenchmarkReference(b *testing.B) {
	for _, s := range []struct {
		name    string
		tB      blas.Transpose
		m, n, k int
	}{
		{"64", blas.NoTrans, 64, 64, 64},
		{"256", blas.NoTrans, 256, 256, 256},
		{"XW_128x784x256", blas.NoTrans, 128, 256, 784},
		{"dYWt_128x256x784", blas.Trans, 128, 784, 256},
		{"2D_256x64x64", blas.NoTrans, 256, 64, 64},
	} {
		b.Run("reference/"+s.name, func(b *testing.B) { benchmarkGemm(b, referenceImplementation{}, s.tB, s.m, s.n, s.k) })
		b.Run("gonum/"+s.name, func(b *testing.B) { benchmarkGemm(b, gonum.Implementation{}, s.tB, s.m, s.n, s.k) })
	}
}
