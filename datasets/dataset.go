package datasets

import (
	"errors"
	"fmt"
	"math"
)

// Kind tells what a dataset's rows are.
type Kind int

const (
	// Points2D datasets have D = 2 and store their rows in X.
	Points2D Kind = iota
	// Image datasets have D = Width×Height and store grey bytes in Pix.
	Image
)

func (k Kind) String() string {
	switch k {
	case Points2D:
		return "2-D"
	case Image:
		return "image"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Dataset is N rows of D values with optional labels and generating factors.
//
// Point sets store rows in X (row-major, N×D). Image sets store rows in Pix
// (row-major, N×Width·Height grey levels 0..255, 0 is the background) and
// leave X nil; Row and Batch scale them to [0, 1]. Consumers should read rows
// through Row or Batch so that both storages work.
type Dataset struct {
	Name string
	Kind Kind
	N, D int

	X   []float64 // N×D, point sets
	Pix []uint8   // N×D, image sets

	// Width and Height are set for image sets (D = Width·Height).
	Width, Height int

	// Labels holds one class per row in [0, len(LabelNames)), or is nil.
	Labels     []int
	LabelNames []string

	// Factors holds len(FactorNames) continuous generating factors per row
	// (row-major, N×len(FactorNames)), or is nil.
	Factors     []float64
	FactorNames []string

	// Norm records how X was transformed from the raw coordinates;
	// Norm.Invert maps a point back. The zero value is the identity.
	Norm Normalization
}

// Row copies row i into dst (which must have length D, or be nil to
// allocate) and returns it. Image rows are scaled to [0, 1].
func (d *Dataset) Row(dst []float64, i int) []float64 {
	if i < 0 || i >= d.N {
		panic(fmt.Sprintf("datasets: row %d out of range [0, %d)", i, d.N))
	}
	if dst == nil {
		dst = make([]float64, d.D)
	}
	if len(dst) != d.D {
		panic(fmt.Sprintf("datasets: row buffer has length %d, want %d", len(dst), d.D))
	}
	if d.Pix != nil {
		for j, p := range d.Pix[i*d.D : (i+1)*d.D] {
			dst[j] = float64(p) / 255
		}
		return dst
	}
	copy(dst, d.X[i*d.D:(i+1)*d.D])
	return dst
}

// Batch copies the rows idx into dst, row-major (len(idx)×D), allocating
// when dst is nil, and returns it. It allocates nothing when dst is given.
func (d *Dataset) Batch(dst []float64, idx []int) []float64 {
	if dst == nil {
		dst = make([]float64, len(idx)*d.D)
	}
	if len(dst) != len(idx)*d.D {
		panic(fmt.Sprintf("datasets: batch buffer has length %d, want %d", len(dst), len(idx)*d.D))
	}
	for k, i := range idx {
		d.Row(dst[k*d.D:(k+1)*d.D], i)
	}
	return dst
}

// Label returns the label of row i, or -1 if the set has none.
func (d *Dataset) Label(i int) int {
	if d.Labels == nil {
		return -1
	}
	return d.Labels[i]
}

// Factor returns factor f of row i.
func (d *Dataset) Factor(i, f int) float64 {
	return d.Factors[i*len(d.FactorNames)+f]
}

// Validate checks that the dataset's fields agree with each other and that
// every value is finite. Readers and generators call it before returning.
func (d *Dataset) Validate() error {
	if d.N <= 0 {
		return errors.New("dataset is empty")
	}
	if d.D <= 0 {
		return fmt.Errorf("dimension %d is not positive", d.D)
	}
	switch {
	case d.Pix != nil && d.X != nil:
		return errors.New("both X and Pix are set")
	case d.Pix != nil:
		if d.Kind != Image {
			return errors.New("Pix set on a non-image dataset")
		}
		if d.Width <= 0 || d.Height <= 0 || d.Width*d.Height != d.D {
			return fmt.Errorf("image size %d×%d does not match dimension %d", d.Width, d.Height, d.D)
		}
		if len(d.Pix) != d.N*d.D {
			return fmt.Errorf("Pix has %d values, want %d×%d", len(d.Pix), d.N, d.D)
		}
	case d.X != nil:
		if len(d.X) != d.N*d.D {
			return fmt.Errorf("X has %d values, want %d×%d", len(d.X), d.N, d.D)
		}
		for i, v := range d.X {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("row %d column %d is %v", i/d.D, i%d.D, v)
			}
		}
	default:
		return errors.New("dataset has no values")
	}
	if d.Labels != nil {
		if len(d.Labels) != d.N {
			return fmt.Errorf("%d labels for %d rows", len(d.Labels), d.N)
		}
		for i, l := range d.Labels {
			if l < 0 || l >= len(d.LabelNames) {
				return fmt.Errorf("row %d has label %d outside [0, %d)", i, l, len(d.LabelNames))
			}
		}
	}
	if d.Factors != nil {
		if len(d.FactorNames) == 0 || len(d.Factors) != d.N*len(d.FactorNames) {
			return fmt.Errorf("%d factor values for %d rows of %d factors", len(d.Factors), d.N, len(d.FactorNames))
		}
		for i, v := range d.Factors {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("row %d factor %d is %v", i/len(d.FactorNames), i%len(d.FactorNames), v)
			}
		}
	}
	return d.Norm.validate(d.D)
}

// Clone returns a deep copy of d.
func (d *Dataset) Clone() *Dataset {
	c := *d
	c.X = cloneSlice(d.X)
	c.Pix = cloneSlice(d.Pix)
	c.Labels = cloneSlice(d.Labels)
	c.LabelNames = cloneSlice(d.LabelNames)
	c.Factors = cloneSlice(d.Factors)
	c.FactorNames = cloneSlice(d.FactorNames)
	c.Norm = d.Norm.clone()
	return &c
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}

// Bounds returns the per-column minimum and maximum of X.
func (d *Dataset) Bounds() (lo, hi []float64) {
	lo = make([]float64, d.D)
	hi = make([]float64, d.D)
	for j := range lo {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
	}
	row := make([]float64, d.D)
	for i := 0; i < d.N; i++ {
		d.Row(row, i)
		for j, v := range row {
			lo[j] = math.Min(lo[j], v)
			hi[j] = math.Max(hi[j], v)
		}
	}
	return lo, hi
}

// Head returns a copy of the first n rows of d (all of them if n ≥ N).
func (d *Dataset) Head(n int) *Dataset {
	n = max(0, min(n, d.N))
	c := *d
	c.N = n
	c.X = cloneSlice(sliceRows(d.X, n*d.D))
	c.Pix = cloneSlice(sliceRows(d.Pix, n*d.D))
	c.Labels = cloneSlice(sliceRows(d.Labels, n))
	c.LabelNames = cloneSlice(d.LabelNames)
	c.Factors = cloneSlice(sliceRows(d.Factors, n*len(d.FactorNames)))
	c.FactorNames = cloneSlice(d.FactorNames)
	c.Norm = d.Norm.clone()
	return &c
}

func sliceRows[T any](s []T, k int) []T {
	if s == nil {
		return nil
	}
	return s[:k]
}
