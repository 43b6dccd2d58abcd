package core

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/vaeplayground/vae/internal/pmath"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Init fills a freshly allocated rows×cols parameter.
type Init func(dst []float64, rows, cols int, rng *rand.Rand)

// Param is one learnable matrix. Value and Grad are views into the flat slabs
// of the Params set that owns it; they are valid after Params.Allocate.
type Param struct {
	Name       string
	Rows, Cols int
	Value      *mat.Dense
	Grad       *mat.Dense

	offset int
	init   Init
}

// Params is an ordered set of parameters stored in two flat slabs (values and
// gradients). Declare every parameter with Add, then call Allocate once.
type Params struct {
	list   []*Param
	values []float64
	grads  []float64
	size   int
}

// Add declares a rows×cols parameter. It panics after Allocate: the layout is
// fixed once the slabs exist, which is what makes flat snapshots safe.
func (ps *Params) Add(name string, rows, cols int, init Init) *Param {
	if ps.values != nil {
		panic("core: Params.Add after Allocate")
	}
	if rows <= 0 || cols <= 0 {
		panic(fmt.Sprintf("core: parameter %s has shape %d×%d", name, rows, cols))
	}
	p := &Param{Name: name, Rows: rows, Cols: cols, offset: ps.size, init: init}
	ps.size += rows * cols
	ps.list = append(ps.list, p)
	return p
}

// Allocate creates the slabs and runs every parameter's initialiser in
// declaration order, drawing from rng.
func (ps *Params) Allocate(rng *rand.Rand) {
	ps.values = make([]float64, ps.size)
	ps.grads = make([]float64, ps.size)
	for _, p := range ps.list {
		n := p.Rows * p.Cols
		v := ps.values[p.offset : p.offset+n : p.offset+n]
		g := ps.grads[p.offset : p.offset+n : p.offset+n]
		p.Value = mat.NewDense(p.Rows, p.Cols, v)
		p.Grad = mat.NewDense(p.Rows, p.Cols, g)
		if p.init != nil {
			p.init(v, p.Rows, p.Cols, rng)
		}
	}
}

// Len is the total number of scalars.
func (ps *Params) Len() int { return ps.size }

// List returns the parameters in declaration order.
func (ps *Params) List() []*Param { return ps.list }

// Values is the flat value slab (shared, not a copy).
func (ps *Params) Values() []float64 { return ps.values }

// Grads is the flat gradient slab (shared, not a copy).
func (ps *Params) Grads() []float64 { return ps.grads }

// ZeroGrads clears every gradient.
func (ps *Params) ZeroGrads() { clear(ps.grads) }

// Export copies the values into dst (grown if needed) and returns it: the
// snapshot a training worker sends to the drawing thread.
func (ps *Params) Export(dst []float64) []float64 {
	if cap(dst) < ps.size {
		dst = make([]float64, ps.size)
	}
	dst = dst[:ps.size]
	copy(dst, ps.values)
	return dst
}

// Import overwrites the values from a flat snapshot of the same layout. Nothing
// is changed unless the length matches and every value is finite.
func (ps *Params) Import(src []float64) error {
	if len(src) != ps.size {
		return fmt.Errorf("core: snapshot has %d values, model has %d", len(src), ps.size)
	}
	for i, v := range src {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("core: snapshot value %d is not finite", i)
		}
	}
	copy(ps.values, src)
	return nil
}

// Find returns the parameter with the given name, or nil.
func (ps *Params) Find(name string) *Param {
	for _, p := range ps.list {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// GlorotUniform draws from U(−a, a), a = √(6/(fan_in+fan_out)); suits tanh and
// linear heads.
func GlorotUniform(dst []float64, rows, cols int, rng *rand.Rand) {
	a := math.Sqrt(6 / float64(rows+cols))
	for i := range dst {
		u := float64(rng.Float64())
		dst[i] = float64((float64(2*u) - 1) * a)
	}
}

// HeNormal draws from N(0, 2/fan_in); suits ReLU-like activations.
func HeNormal(dst []float64, rows, cols int, rng *rand.Rand) {
	s := math.Sqrt(2 / float64(rows))
	for i := range dst {
		dst[i] = float64(pmath.NormFloat64(rng) * s)
	}
}

// Zeros leaves the parameter at zero.
func Zeros(dst []float64, rows, cols int, rng *rand.Rand) { clear(dst) }

// Constant returns an initialiser that sets every value to v.
func Constant(v float64) Init {
	return func(dst []float64, rows, cols int, rng *rand.Rand) {
		for i := range dst {
			dst[i] = v
		}
	}
}

// Normal returns an initialiser drawing from N(0, std²).
func Normal(std float64) Init {
	return func(dst []float64, rows, cols int, rng *rand.Rand) {
		for i := range dst {
			dst[i] = float64(pmath.NormFloat64(rng) * std)
		}
	}
}

// reshape makes m an r×c matrix, reusing its backing array when it is large
// enough. Contents are unspecified afterwards. It never allocates in the
// steady state, which is why the engine does not use mat.Dense.ReuseAs (that
// insists on an empty receiver).
func reshape(m *mat.Dense, r, c int) {
	raw := m.RawMatrix()
	if raw.Rows == r && raw.Cols == c && raw.Stride == c {
		return
	}
	data := raw.Data
	if cap(data) < r*c {
		data = make([]float64, r*c)
	}
	m.SetRawMatrix(blas64.General{Rows: r, Cols: c, Stride: c, Data: data[:r*c]})
}

// zeroed reshapes m and clears it.
func zeroed(m *mat.Dense, r, c int) {
	reshape(m, r, c)
	clear(m.RawMatrix().Data)
}

// data returns the row-major backing slice of a contiguous matrix.
func data(m *mat.Dense) []float64 {
	raw := m.RawMatrix()
	if raw.Stride != raw.Cols {
		panic("core: matrix is not contiguous")
	}
	return raw.Data[:raw.Rows*raw.Cols]
}

// gemm computes c = alpha·op(a)·op(b) + beta·c through gonum's BLAS.
func gemm(transA, transB bool, alpha float64, a, b *mat.Dense, beta float64, c *mat.Dense) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if transA {
		ta = blas.Trans
	}
	if transB {
		tb = blas.Trans
	}
	blas64.Gemm(ta, tb, alpha, a.RawMatrix(), b.RawMatrix(), beta, c.RawMatrix())
}
