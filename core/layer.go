package core

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Layer maps a batch (rows) from In to Out columns. An MLP stacks layers with
// activations between them; Linear is the point-weight layer, and other kinds
// (weights with uncertainty, say) slot in through this interface.
type Layer interface {
	In() int
	Out() int
	// Forward writes the layer's output for x into y (n×Out, already shaped).
	Forward(y, x *mat.Dense)
	// Backward accumulates the parameter gradients for upstream gradient dy at
	// input x, and writes ∂/∂x into dx (n×In) unless dx is nil.
	Backward(dx, dy, x *mat.Dense)
}

// Linear is y = x·W + b with W of shape in×out and b of shape 1×out.
type Linear struct {
	W, B *Param
}

// NewLinear declares W and b in ps. W is initialised by init, b at zero.
func NewLinear(ps *Params, name string, in, out int, init Init) *Linear {
	return &Linear{
		W: ps.Add(name+".W", in, out, init),
		B: ps.Add(name+".b", 1, out, Zeros),
	}
}

func (l *Linear) In() int  { return l.W.Rows }
func (l *Linear) Out() int { return l.W.Cols }

func (l *Linear) Forward(y, x *mat.Dense) {
	// y starts as b in every row and the product accumulates onto it: one
	// copy instead of the product clearing y and a pass adding b.
	setRows(y, l.B.Value.RawMatrix().Data)
	gemm(false, false, 1, x, l.W.Value, 1, y)
}

// setRows copies v into every row of m.
func setRows(m *mat.Dense, v []float64) {
	raw := m.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		copy(raw.Data[i*raw.Stride:i*raw.Stride+raw.Cols], v)
	}
}

func (l *Linear) Backward(dx, dy, x *mat.Dense) {
	gemm(true, false, 1, x, dy, 1, l.W.Grad)
	addColumnSums(l.B.Grad.RawMatrix().Data, dy)
	if dx != nil {
		gemm(false, true, 1, dy, l.W.Value, 0, dx)
	}
}

// addRowVector adds v to every row of m.
func addRowVector(m *mat.Dense, v []float64) {
	raw := m.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		row = row[:len(v)]
		for j, b := range v {
			row[j] += b
		}
	}
}

// addColumnSums adds the column sums of m to dst, four rows per pass over
// dst (a quarter of the loads and stores of dst).
func addColumnSums(dst []float64, m *mat.Dense) {
	raw := m.RawMatrix()
	dst = dst[:raw.Cols]
	row := func(i int) []float64 { return raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] }
	i := 0
	for ; i+4 <= raw.Rows; i += 4 {
		r0, r1, r2, r3 := row(i), row(i+1), row(i+2), row(i+3)
		r0, r1, r2, r3 = r0[:len(dst)], r1[:len(dst)], r2[:len(dst)], r3[:len(dst)]
		for j := range dst {
			dst[j] += (r0[j] + r1[j]) + (r2[j] + r3[j])
		}
	}
	for ; i < raw.Rows; i++ {
		r := row(i)[:len(dst)]
		for j := range dst {
			dst[j] += r[j]
		}
	}
}

// MLP is a stack of layers with one hidden activation; the output layer is
// linear. Forward caches what Backward needs, so calls alternate.
type MLP struct {
	Layers []Layer
	Act    Activation

	x     *mat.Dense  // input of the last Forward, not owned
	pre   []mat.Dense // per layer: the affine output
	post  []mat.Dense // per hidden layer: the activation output
	dA    mat.Dense   // backward scratch, alternating
	dB    mat.Dense
	sizes []int
}

// NewMLP declares an MLP with the given layer widths (input first, output
// last) in ps. ReLU-like activations get He initialisation, others Glorot.
func NewMLP(ps *Params, name string, sizes []int, act Activation) *MLP {
	return newMLP(name, sizes, act, func(name string, in, out int, init Init) Layer {
		return NewLinear(ps, name, in, out, init)
	})
}

// newMLP stacks layers made by newLayer (point or Bayesian weights), choosing
// each one's initialiser.
func newMLP(name string, sizes []int, act Activation, newLayer func(name string, in, out int, init Init) Layer) *MLP {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("core: MLP %s needs at least input and output sizes", name))
	}
	m := &MLP{Act: act, sizes: append([]int(nil), sizes...)}
	for i := 0; i+1 < len(sizes); i++ {
		init := GlorotUniform
		if i+2 < len(sizes) && (act == ReLU || act == LeakyReLU || act == ELU) {
			init = HeNormal
		}
		m.Layers = append(m.Layers, newLayer(fmt.Sprintf("%s.%d", name, i), sizes[i], sizes[i+1], init))
	}
	m.pre = make([]mat.Dense, len(m.Layers))
	m.post = make([]mat.Dense, len(m.Layers)-1)
	return m
}

// Sizes returns the layer widths, input first.
func (m *MLP) Sizes() []int { return m.sizes }

// Forward runs the network on x (n×in) and returns the output (n×out), a
// buffer owned by m and overwritten by the next Forward.
func (m *MLP) Forward(x *mat.Dense) *mat.Dense {
	m.x = x
	n, _ := x.Dims()
	in := x
	for i, l := range m.Layers {
		reshape(&m.pre[i], n, l.Out())
		l.Forward(&m.pre[i], in)
		if i+1 < len(m.Layers) {
			reshape(&m.post[i], n, l.Out())
			m.Act.Apply(data(&m.post[i]), data(&m.pre[i]))
			in = &m.post[i]
		}
	}
	return &m.pre[len(m.pre)-1]
}

// Output is the result of the last Forward.
func (m *MLP) Output() *mat.Dense { return &m.pre[len(m.pre)-1] }

// Backward accumulates parameter gradients for upstream gradient dy (n×out)
// and writes ∂/∂x into dx unless dx is nil. dy is not modified.
func (m *MLP) Backward(dx, dy *mat.Dense) {
	n, _ := dy.Dims()
	g := dy
	for i := len(m.Layers) - 1; i >= 0; i-- {
		l := m.Layers[i]
		in := m.x
		if i > 0 {
			in = &m.post[i-1]
		}
		if i == 0 {
			l.Backward(dx, g, in)
			return
		}
		buf := &m.dA
		if g == &m.dA {
			buf = &m.dB
		}
		reshape(buf, n, l.In())
		l.Backward(buf, g, in)
		m.Act.Backward(data(buf), data(buf), data(&m.pre[i-1]), data(&m.post[i-1]))
		g = buf
	}
}
