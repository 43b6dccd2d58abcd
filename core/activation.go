package core

import (
	"fmt"

	"github.com/vaeplayground/vae/internal/pmath"
)

// Activation is an element-wise nonlinearity.
type Activation int

const (
	Identity Activation = iota
	ReLU
	LeakyReLU
	Tanh
	SoftplusAct
	ELU
)

// leakySlope is the negative-side slope of LeakyReLU (PyTorch's default).
const leakySlope = 0.01

var activationNames = [...]string{"identity", "relu", "leaky-relu", "tanh", "softplus", "elu"}

func (a Activation) String() string {
	if a >= 0 && int(a) < len(activationNames) {
		return activationNames[a]
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// ActivationNames lists the names ParseActivation accepts, in order.
func ActivationNames() []string { return activationNames[:] }

// ParseActivation returns the activation with the given name.
func ParseActivation(name string) (Activation, error) {
	for i, n := range activationNames {
		if n == name {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("core: unknown activation %q (want one of %v)", name, activationNames)
}

// Apply sets out[i] = f(in[i]); out and in may be the same slice.
func (a Activation) Apply(out, in []float64) {
	out = out[:len(in)]
	switch a {
	case Identity:
		copy(out, in)
	case ReLU:
		for i, x := range in {
			out[i] = posPart(x)
		}
	case LeakyReLU:
		for i, x := range in {
			if x < 0 {
				x = float64(x * leakySlope)
			}
			out[i] = x
		}
	case Tanh:
		tanhSlice(out, in)
	case SoftplusAct:
		for i, x := range in {
			out[i] = Softplus(x)
		}
	case ELU:
		for i, x := range in {
			if x < 0 {
				x = pmath.Expm1(x)
			}
			out[i] = x
		}
	default:
		panic("core: unknown activation")
	}
}

// Backward sets dIn[i] = dOut[i]·f′(in[i]), given the pre-activation in and
// the output out = f(in) (some derivatives are cheaper from the output).
// dIn may alias dOut.
func (a Activation) Backward(dIn, dOut, in, out []float64) {
	n := len(dOut)
	dIn, in, out = dIn[:n], in[:n], out[:n] // no bounds checks in the loops
	switch a {
	case Identity:
		copy(dIn, dOut)
	case ReLU:
		for i, g := range dOut {
			if in[i] <= 0 {
				g = 0
			}
			dIn[i] = g
		}
	case LeakyReLU:
		for i, g := range dOut {
			if in[i] < 0 {
				g = float64(g * leakySlope)
			}
			dIn[i] = g
		}
	case Tanh:
		for i, g := range dOut {
			y := out[i]
			dIn[i] = float64(g * (1 - float64(y*y)))
		}
	case SoftplusAct:
		for i, g := range dOut {
			dIn[i] = float64(g * Sigmoid(in[i]))
		}
	case ELU:
		for i, g := range dOut {
			if in[i] < 0 {
				g = float64(g * (out[i] + 1))
			}
			dIn[i] = g
		}
	default:
		panic("core: unknown activation")
	}
}
