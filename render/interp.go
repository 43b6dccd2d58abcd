package render

import "math"

// Lerp writes (1−t)·a + t·b into dst (allocated when nil or too short) and
// returns it; t = 0 and t = 1 give a and b exactly. a and b must have the
// same length.
func Lerp(dst, a, b []float64, t float64) []float64 {
	dst = resize(dst, len(a))
	for i := range a {
		dst[i] = a[i] + t*(b[i]-a[i])
	}
	if t == 1 {
		copy(dst, b) // exact end point: a + (b−a) can miss b by an ulp
	}
	return dst
}

// Slerp writes the spherical interpolation between a and b at t into dst
// (allocated when nil or too short) and returns it:
//
//	sin((1−t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b,  Ω the angle between a and b.
//
// Codes of a Gaussian prior concentrate near a sphere, and a straight line
// between two of them passes through the low-norm interior the decoder rarely
// saw; the great-circle path keeps the norm typical (White, "Sampling
// Generative Networks", 2016). For nearly parallel codes (or a zero code) it
// falls back to Lerp. t = 0 and t = 1 return a and b exactly.
func Slerp(dst, a, b []float64, t float64) []float64 {
	var dot, na, nb float64
	for i := range a {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	if na == 0 || nb == 0 {
		return Lerp(dst, a, b, t)
	}
	cos := math.Max(-1, math.Min(1, dot/math.Sqrt(na*nb)))
	omega := math.Acos(cos)
	so := math.Sin(omega)
	if so < 1e-6 {
		return Lerp(dst, a, b, t)
	}
	dst = resize(dst, len(a))
	if t == 0 || t == 1 {
		src := a
		if t == 1 {
			src = b
		}
		copy(dst, src)
		return dst
	}
	wa, wb := math.Sin((1-t)*omega)/so, math.Sin(t*omega)/so
	for i := range a {
		dst[i] = wa*a[i] + wb*b[i]
	}
	return dst
}

// InterpolationCodes returns steps codes from a to b inclusive (steps ≥ 2),
// evenly spaced in t, along a straight line or, when spherical, a great
// circle (Slerp). The first is a copy of a and the last a copy of b.
func InterpolationCodes(a, b []float64, steps int, spherical bool) [][]float64 {
	steps = max(steps, 2)
	out := make([][]float64, steps)
	for k := range out {
		t := float64(k) / float64(steps-1)
		if spherical {
			out[k] = Slerp(nil, a, b, t)
		} else {
			out[k] = Lerp(nil, a, b, t)
		}
	}
	return out
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
