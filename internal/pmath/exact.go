package pmath

import "math"

// The routines of package math whose results are exact (or only move bits),
// so the same on every platform whatever their implementation (Sqrt is
// correctly rounded by IEEE 754).

func IsNaN(f float64) bool                       { return math.IsNaN(f) }
func IsInf(f float64, sign int) bool             { return math.IsInf(f, sign) }
func Inf(sign int) float64                       { return math.Inf(sign) }
func NaN() float64                               { return math.NaN() }
func Abs(x float64) float64                      { return math.Abs(x) }
func Copysign(f, sign float64) float64           { return math.Copysign(f, sign) }
func Signbit(x float64) bool                     { return math.Signbit(x) }
func Float64bits(f float64) uint64               { return math.Float64bits(f) }
func Float64frombits(b uint64) float64           { return math.Float64frombits(b) }
func Frexp(f float64) (frac float64, exp int)    { return math.Frexp(f) }
func Ldexp(frac float64, exp int) float64        { return math.Ldexp(frac, exp) }
func Modf(f float64) (int float64, frac float64) { return math.Modf(f) }
func Sqrt(x float64) float64                     { return math.Sqrt(x) }
func Floor(x float64) float64                    { return math.Floor(x) }
func Trunc(x float64) float64                    { return math.Trunc(x) }

const (
	Pi    = math.Pi
	Sqrt2 = math.Sqrt2

	// float64 bit layout, as in math/bits.go.
	mask  = 0x7FF
	shift = 64 - 11 - 1
	bias  = 1023
)
