package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// tolerance is the allowed error of each element of C relative to the sum of
// the magnitudes that went into it, |alpha|·Σ|a||b| + |beta||c|. Both
// implementations round each of k products and sums once (about k·2⁻⁵³
// relative in the worst case); 1e-12 leaves room for k up to a few thousand.
const tolerance = 1e-12

// TestInstall checks that InstallFast picks the backend the build and host
// are meant to have, and Install the reproducible one. make test sets
// FASTBLAS_WANT_BACKEND (InstallFast's) per run (kernel wired, kernel
// withheld, OpenBLAS build); without it the choice is only logged.
func TestInstall(t *testing.T) {
	t.Cleanup(func() { blas64.Use(gonum.Implementation{}) })
	fast := InstallFast()
	if Active() != fast {
		t.Errorf("Active() = %q after InstallFast() = %q", Active(), fast)
	}
	want := os.Getenv("FASTBLAS_WANT_BACKEND")
	if want == "" {
		t.Logf("fast backend %q (set FASTBLAS_WANT_BACKEND to assert one)", fast)
	} else if fast != want {
		t.Fatalf("InstallFast() = %q, want %q", fast, want)
	}
	// The kernel is the reproducible product where the host has it.
	wantReproducible := BackendReference
	if fast == BackendWasmSIMD {
		wantReproducible = BackendWasmSIMD
	}
	if got := Install(); got != wantReproducible || Active() != got || !Reproducible() {
		t.Fatalf("Install() = %q (Active %q, Reproducible %v), want %q", got, Active(), Reproducible(), wantReproducible)
	}
}

// installers are the two ways to pick a backend, for tests that check both.
var installers = []struct {
	name    string
	install func() string
}{{"Install", Install}, {"InstallFast", InstallFast}}

// gemmCase is one Dgemm call with operands and strides.
type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	alpha, beta float64
	padA, padB  int // extra leading-dimension elements
	padC        int
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("%c%c/m=%d,n=%d,k=%d/alpha=%g,beta=%g/pad=%d,%d,%d",
		tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.padA, tc.padB, tc.padC)
}

// randomCases mixes tiny shapes, shapes around the kernel's 4×8 tiles, and
// shapes crossing its cache blocks (k > 256, m > 96, n > 1024).
func randomCases(rnd *rand.Rand, count int) []gemmCase {
	transposes := []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}
	alphas := []float64{1, -0.5, 2.25, 0}
	betas := []float64{0, 1, 0.75, -1}
	size := func() int {
		switch rnd.IntN(5) {
		case 0:
			return 1 + rnd.IntN(5)
		case 1:
			return 8*(1+rnd.IntN(4)) + rnd.IntN(3) - 1 // around tile multiples
		default:
			return 1 + rnd.IntN(70)
		}
	}
	var cases []gemmCase
	for range count {
		cases = append(cases, gemmCase{
			tA: transposes[rnd.IntN(3)], tB: transposes[rnd.IntN(3)],
			m: size(), n: size(), k: size(),
			alpha: alphas[rnd.IntN(len(alphas))], beta: betas[rnd.IntN(len(betas))],
			padA: rnd.IntN(3), padB: rnd.IntN(3), padC: rnd.IntN(3),
		})
	}
	cases = append(cases,
		gemmCase{tA: blas.NoTrans, tB: blas.NoTrans, m: 100, n: 37, k: 300, alpha: 1, beta: 1, padA: 1},
		gemmCase{tA: blas.Trans, tB: blas.NoTrans, m: 97, n: 9, k: 513, alpha: -1, beta: 0, padB: 2},
		gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: 5, n: 1030, k: 260, alpha: 0.5, beta: 1, padC: 3},
		gemmCase{tA: blas.Trans, tB: blas.Trans, m: 193, n: 65, k: 257, alpha: 1, beta: 0.5},
		// The engine's image-model products: X·W, dY·Wᵀ, Xᵀ·dY.
		gemmCase{tA: blas.NoTrans, tB: blas.NoTrans, m: 128, n: 256, k: 784, alpha: 1, beta: 0},
		gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: 128, n: 784, k: 256, alpha: 1, beta: 0},
		gemmCase{tA: blas.Trans, tB: blas.NoTrans, m: 784, n: 256, k: 128, alpha: 1, beta: 1},
	)
	return cases
}

type operands struct {
	a, b, c       []float64
	lda, ldb, ldc int
}

func makeOperands(rnd *rand.Rand, tc gemmCase) operands {
	rowsA, colsA := tc.m, tc.k
	if tc.tA != blas.NoTrans {
		rowsA, colsA = tc.k, tc.m
	}
	rowsB, colsB := tc.k, tc.n
	if tc.tB != blas.NoTrans {
		rowsB, colsB = tc.n, tc.k
	}
	o := operands{lda: colsA + tc.padA, ldb: colsB + tc.padB, ldc: tc.n + tc.padC}
	fill := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = 2*rnd.Float64() - 1
		}
		return s
	}
	o.a = fill(rowsA * o.lda)
	o.b = fill(rowsB * o.ldb)
	o.c = fill(tc.m * o.ldc)
	if tc.beta == 0 {
		// BLAS ignores C when beta is 0: NaN there must not survive.
		for i := 0; i < len(o.c); i += 7 {
			o.c[i] = math.NaN()
		}
	}
	return o
}

// checkAgainstGonum runs impl and gonum on the same case and compares C
// elementwise, including the padding between rows that neither may touch.
func checkAgainstGonum(t *testing.T, impl blas.Float64, tc gemmCase, o operands) {
	t.Helper()
	want := append([]float64(nil), o.c...)
	gonum.Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, o.a, o.lda, o.b, o.ldb, tc.beta, want, o.ldc)
	got := append([]float64(nil), o.c...)
	impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, o.a, o.lda, o.b, o.ldb, tc.beta, got, o.ldc)

	at := func(s []float64, ld, i, j int, trans bool) float64 {
		if trans {
			return s[j*ld+i]
		}
		return s[i*ld+j]
	}
	for i := 0; i < tc.m; i++ {
		for j := 0; j < o.ldc; j++ {
			idx := i*o.ldc + j
			if j >= tc.n {
				if math.Float64bits(got[idx]) != math.Float64bits(o.c[idx]) {
					t.Fatalf("%v: padding C[%d,%d] changed from %v to %v", tc, i, j, o.c[idx], got[idx])
				}
				continue
			}
			magnitude := 0.0
			if tc.beta != 0 {
				magnitude = math.Abs(tc.beta * o.c[idx])
			}
			for l := 0; l < tc.k; l++ {
				magnitude += math.Abs(tc.alpha * at(o.a, o.lda, i, l, tc.tA != blas.NoTrans) * at(o.b, o.ldb, l, j, tc.tB != blas.NoTrans))
			}
			if math.IsNaN(got[idx]) || math.Abs(got[idx]-want[idx]) > tolerance*magnitude {
				t.Fatalf("%v: C[%d,%d] = %v, gonum %v (allowed error %.3g)", tc, i, j, got[idx], want[idx], tolerance*magnitude)
			}
		}
	}
}

// TestInstalledMatchesGonum compares the BLAS that Install chose with gonum's
// over random shapes, transposes, strides, alpha and beta. With the default
// pure-Go build both are gonum and it checks the harness only; it has teeth on
// js/wasm (kernel) and with -tags openblas.
func TestInstalledMatchesGonum(t *testing.T) {
	for _, in := range installers {
		in.install()
		impl := blas64.Implementation()
		blas64.Use(gonum.Implementation{})
		t.Logf("%s: backend %s", in.name, Active())
		rnd := rand.New(rand.NewPCG(1, 2))
		for _, tc := range randomCases(rnd, 300) {
			checkAgainstGonum(t, impl, tc, makeOperands(rnd, tc))
		}
	}
}

// TestInvalidArgumentsPanicLikeGonum checks that bad arguments reach gonum's
// checks, so callers see gonum's panic messages whatever the backend.
func TestInvalidArgumentsPanicLikeGonum(t *testing.T) {
	for _, in := range installers {
		in.install()
		impl := blas64.Implementation()
		blas64.Use(gonum.Implementation{})
		checkInvalidArgumentsPanicLikeGonum(t, impl)
	}
}

func checkInvalidArgumentsPanicLikeGonum(t *testing.T, impl blas.Float64) {
	a := make([]float64, 64*64)
	b := make([]float64, 64*64)
	c := make([]float64, 64*64)
	for _, tc := range []struct {
		name          string
		tA, tB        blas.Transpose
		m, n, k       int
		a, b, c       []float64
		lda, ldb, ldc int
	}{
		{"bad transpose", 'x', blas.NoTrans, 64, 64, 64, a, b, c, 64, 64, 64},
		{"lda too small", blas.NoTrans, blas.NoTrans, 64, 64, 64, a, b, c, 63, 64, 64},
		{"ldb too small", blas.NoTrans, blas.Trans, 64, 64, 64, a, b, c, 64, 32, 64},
		{"short C", blas.NoTrans, blas.NoTrans, 64, 64, 64, a, b, c[:100], 64, 64, 64},
		{"negative k", blas.NoTrans, blas.NoTrans, 64, 64, -1, a, b, c, 64, 64, 64},
	} {
		catch := func(impl blas.Float64) (msg any) {
			defer func() { msg = recover() }()
			impl.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, tc.c, tc.ldc)
			return nil
		}
		want := catch(gonum.Implementation{})
		got := catch(impl)
		if want == nil || got != want {
			t.Errorf("%s: panic %v, gonum panics %v", tc.name, got, want)
		}
	}
}
