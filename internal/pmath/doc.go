// Package pmath is the part of package math that a training step uses,
// written so that it gives the same bits on every platform.
//
// Go's math has assembly for Exp on amd64, arm64 and s390x (amd64's uses
// fused multiply-adds where the CPU has them), for Log on amd64 and s390x,
// and for most functions on s390x; none of them is correctly rounded, so the
// results differ by platform in the last bit. Its pure-Go code may also be
// compiled with fused multiply-adds (the Go spec allows x*y + z to be fused;
// the compiler does on arm64, ppc64, s390x, riscv64, loong64 and amd64 with
// GOAMD64=v3). The functions here are math's pure-Go algorithms (FreeBSD's
// msun, copied from Go's source with its BSD-style licence) with every
// product that meets a sum rounded by an explicit float64 conversion, which
// forbids fusing: on amd64 with GOAMD64=v1, where math's pure Go is not fused,
// Log1p, Expm1, Tanh, Sin, Cos, Sincos and Hypot return math's bits exactly,
// and Exp, Log and Pow math's pure-Go bits (tested).
//
// NormFloat64 is math/rand/v2's normal sampler on these functions.
// Functions whose results are exact (Sqrt, Abs, Frexp, …) are math's.
package pmath
