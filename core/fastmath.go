package core

import (
	"math"

	"github.com/vaeplayground/vae/internal/pmath"
)

// Element-wise kernels for the training step's hot loops. They follow the
// algorithms of Go's math package (FreeBSD's msun) but skip the general-case
// work those functions do on every call (Ldexp's subnormal handling, Frexp's
// range reduction, branches on rare inputs). Under js/wasm, where math has no
// assembly, the Bernoulli likelihood's exp and log1p and the tanh layer run
// 2–3.5× as fast as with math.Exp, math.Log1p and math.Tanh; natively 1.2–1.6×.
// Accuracy against math over the whole range is in fastmath_test.go.
//
// Every product that meets a sum is rounded by an explicit float64
// conversion, so that no platform fuses it into a multiply-add and the bits
// are the same everywhere (see internal/pmath); `make check-fma` looks for
// fused instructions in the arm64 build.

// Coefficients of msun's exp (e_exp.c) and log (e_log.c), as in Go's math.
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
	log2e = 1.44269504088896338700e+00

	expP1 = 1.66666666666666657415e-01
	expP2 = -2.77777777770155933842e-03
	expP3 = 6.61375632143793436117e-05
	expP4 = -1.65339022054652515390e-06
	expP5 = 4.13813679705723846039e-08

	logL1 = 6.666666666666735130e-01
	logL2 = 3.999999999940941908e-01
	logL3 = 2.857142874366239149e-01
	logL4 = 2.222219843214978396e-01
	logL5 = 1.818357216161805012e-01
	logL6 = 1.531383769920937332e-01
	logL7 = 1.479819860511658591e-01
)

// expParts reduces a ∈ [−708, 708] to 2ᵏ and eᵃ·2⁻ᵏ − 1 (msun's exp without
// the final scaling), so callers get eᵃ and eᵃ − 1 without cancellation.
func expParts(a float64) (pow2k, ym1 float64) {
	var k int
	if a < 0 {
		k = int(float64(log2e*a) - 0.5)
	} else {
		k = int(float64(log2e*a) + 0.5)
	}
	fk := float64(k)
	hi := a - float64(fk*ln2Hi)
	lo := float64(fk * ln2Lo)
	r := hi - lo
	t := float64(r * r)
	c := r - float64(t*(expP1+float64(t*(expP2+float64(t*(expP3+float64(t*(expP4+float64(t*expP5)))))))))
	ym1 = hi - (lo - (r*c)/(2-c))
	// |k| ≤ 1022 here, so 2ᵏ is a normal number built from its exponent bits.
	return math.Float64frombits(uint64(k+1023) << 52), ym1
}

// expFast is eˣ. Within [−708, 708] (results normal) it builds 2ᵏ from bits
// instead of calling Ldexp, and gives the same bits as Go's pure-Go exp;
// outside that range, and for NaN, it is pmath.Exp.
func expFast(x float64) float64 {
	if !(x >= -708 && x <= 708) {
		return pmath.Exp(x)
	}
	p, ym1 := expParts(x)
	return float64(p * (1 + ym1))
}

// log1pUnit is log(1+e) for e ∈ [0, 1] (NaN stays NaN; other inputs are out
// of its domain). It is msun's log on 1+e with the reduction done exactly:
// below √2−1 the argument is e itself, above it (1+e)/2 = 1 + (e−1)/2, so no
// rounding of 1+e is ever taken.
func log1pUnit(e float64) float64 {
	f, k := e, 0.0
	if e > math.Sqrt2-1 {
		f, k = float64(0.5*(e-1)), 1
	}
	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * (logL1 + float64(s4*(logL3+float64(s4*(logL5+float64(s4*logL7)))))))
	t2 := float64(s4 * (logL2 + float64(s4*(logL4+float64(s4*logL6)))))
	hfsq := float64(0.5 * f * f)
	return float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+t1+t2)) + float64(k*ln2Lo))) - f)
}

// msun's tanh coefficients (Cephes), as in Go's math: for |x| < 0.625,
// tanh x = x + x·s·P(s)/Q(s) with s = x².
const (
	tanhP0 = -9.64399179425052238628e-1
	tanhP1 = -9.92877231001918586564e1
	tanhP2 = -1.61468768441708447952e3
	tanhQ0 = 1.12811678491632931402e2
	tanhQ1 = 2.23548839060100448583e3
	tanhQ2 = 4.84406305325125486048e3
)

// tanhSmall is tanh x for x² < 0.390625 (|x| < 0.625), where the rational
// form is accurate; it is small enough to inline into loops.
func tanhSmall(x, s float64) float64 {
	return x + x*s*(float64((float64(tanhP0*s)+tanhP1)*s)+tanhP2)/(float64((float64((s+tanhQ0)*s)+tanhQ1)*s)+tanhQ2)
}

// tanhLarge is tanh x for |x| ≥ 0.625 (and any x, less accurately near 0):
// sign(x)·m/(m+2) with m = e^{2|x|} − 1 from expParts. |x| is capped at 22,
// past which tanh rounds to ±1; NaN gives NaN, ±Inf ±1.
func tanhLarge(x float64) float64 {
	p, ym1 := expParts(2 * min(math.Abs(x), 22))
	m := float64(p*ym1) + (p - 1)
	return math.Copysign(m/(m+2), x)
}

// tanhFast is tanh x: Go's math.Tanh with expParts in place of math.Exp,
// except that −0 gives +0 (no branch for it; nothing downstream tells them
// apart). tanhSlice is its loop form.
func tanhFast(x float64) float64 {
	if s := float64(x * x); s < 0.390625 {
		return tanhSmall(x, s)
	}
	return tanhLarge(x)
}

// tanhSlice sets out[i] = tanh(in[i]) (out may be in), with tanhFast's
// accuracy. Pairs of small arguments (the usual case: 98% of a trained 2-D
// model's hidden pre-activations) share one division, x + x·s·P/Q for both
// from 1/(Q₀·Q₁), safe because Q ∈ [4844, 5800] there; that made the loop
// about 10% faster, natively and under js/wasm.
func tanhSlice(out, in []float64) {
	out = out[:len(in)]
	i := 0
	for ; i+1 < len(in); i += 2 {
		x0, x1 := in[i], in[i+1]
		s0, s1 := float64(x0*x0), float64(x1*x1)
		if s0 < 0.390625 && s1 < 0.390625 {
			p0 := float64(x0 * s0 * (float64((float64(tanhP0*s0)+tanhP1)*s0) + tanhP2))
			q0 := float64((float64((s0+tanhQ0)*s0)+tanhQ1)*s0) + tanhQ2
			p1 := float64(x1 * s1 * (float64((float64(tanhP0*s1)+tanhP1)*s1) + tanhP2))
			q1 := float64((float64((s1+tanhQ0)*s1)+tanhQ1)*s1) + tanhQ2
			r := 1 / (q0 * q1)
			out[i] = x0 + float64(p0*(q1*r))
			out[i+1] = x1 + float64(p1*(q0*r))
			continue
		}
		out[i], out[i+1] = tanhFast(x0), tanhFast(x1)
	}
	if i < len(in) {
		out[i] = tanhFast(in[i])
	}
}
