package datasets

import (
	"errors"
	"fmt"
	"math"
)

// NormMethod names a normalisation.
type NormMethod int

const (
	// NormNone is the identity.
	NormNone NormMethod = iota
	// NormStandardize gives each column zero mean and unit variance.
	NormStandardize
	// NormBox scales all columns by one factor (keeping the aspect ratio)
	// and centres them so that the data fill the box [-r, r]^D.
	NormBox
)

func (m NormMethod) String() string {
	switch m {
	case NormNone:
		return "none"
	case NormStandardize:
		return "standardize"
	case NormBox:
		return "box"
	}
	return fmt.Sprintf("NormMethod(%d)", int(m))
}

// Normalization is a per-column affine map y = (x − Shift)/Scale from raw
// coordinates x to the stored ones y. The zero value is the identity.
type Normalization struct {
	Method NormMethod
	Shift  []float64 // len D, or nil for the identity
	Scale  []float64 // len D, positive, or nil for the identity
}

// IsIdentity reports whether n leaves points unchanged.
func (n Normalization) IsIdentity() bool { return n.Shift == nil }

// Apply maps the raw point x to stored coordinates in dst and returns dst.
// dst may be x; a nil dst is allocated.
func (n Normalization) Apply(dst, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(x))
	}
	for j, v := range x {
		if n.Shift == nil {
			dst[j] = v
		} else {
			dst[j] = (v - n.Shift[j]) / n.Scale[j]
		}
	}
	return dst
}

// Invert maps the stored point y back to raw coordinates in dst and returns
// dst. dst may be y; a nil dst is allocated.
func (n Normalization) Invert(dst, y []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(y))
	}
	for j, v := range y {
		if n.Shift == nil {
			dst[j] = v
		} else {
			dst[j] = float64(v*n.Scale[j]) + n.Shift[j]
		}
	}
	return dst
}

func (n Normalization) clone() Normalization {
	return Normalization{Method: n.Method, Shift: cloneSlice(n.Shift), Scale: cloneSlice(n.Scale)}
}

func (n Normalization) validate(d int) error {
	if n.Shift == nil && n.Scale == nil {
		return nil
	}
	if len(n.Shift) != d || len(n.Scale) != d {
		return fmt.Errorf("normalisation has %d shifts and %d scales for dimension %d", len(n.Shift), len(n.Scale), d)
	}
	for j := range n.Shift {
		if !isFinite(n.Shift[j]) || !isFinite(n.Scale[j]) || n.Scale[j] <= 0 {
			return fmt.Errorf("normalisation column %d: shift %v, scale %v", j, n.Shift[j], n.Scale[j])
		}
	}
	return nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Normalize returns a copy of the point set d rescaled by method, with the
// transform recorded in Norm. For NormBox, r is the half-width of the target
// box (r > 0); it is ignored otherwise. If d was already normalised, the new
// record maps d's raw coordinates (not its current ones), so Invert still
// returns the original data. d itself is never modified.
func Normalize(d *Dataset, method NormMethod, r float64) (*Dataset, error) {
	if d.X == nil {
		return nil, errors.New("normalize: only point sets (X) can be normalised")
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("normalize: %w", err)
	}
	shift := make([]float64, d.D)
	scale := make([]float64, d.D)
	switch method {
	case NormNone:
		c := d.Clone()
		if !d.Norm.IsIdentity() {
			for i := 0; i < c.N; i++ {
				row := c.X[i*c.D : (i+1)*c.D]
				copy(row, d.X[i*d.D:(i+1)*d.D])
				d.Norm.Invert(row, row)
			}
		}
		c.Norm = Normalization{}
		return c, nil
	case NormStandardize:
		for j := 0; j < d.D; j++ {
			var mean float64
			for i := 0; i < d.N; i++ {
				mean += d.X[i*d.D+j]
			}
			mean /= float64(d.N)
			var ss float64
			for i := 0; i < d.N; i++ {
				dv := d.X[i*d.D+j] - mean
				ss += float64(dv * dv)
			}
			sd := math.Sqrt(ss / float64(d.N))
			if !(sd > 1e-12) {
				sd = 1
			}
			shift[j], scale[j] = mean, sd
		}
	case NormBox:
		if !(r > 0) || math.IsInf(r, 0) {
			return nil, fmt.Errorf("normalize: box half-width %v must be positive and finite", r)
		}
		lo, hi := d.Bounds()
		var span float64
		for j := range lo {
			span = math.Max(span, hi[j]-lo[j])
		}
		s := span / (2 * r)
		if !(s > 1e-300) {
			s = 1
		}
		for j := range lo {
			shift[j], scale[j] = (lo[j]+hi[j])/2, s
		}
	default:
		return nil, fmt.Errorf("normalize: unknown method %d", int(method))
	}
	c := d.Clone()
	step := Normalization{Method: method, Shift: shift, Scale: scale}
	for i := 0; i < c.N; i++ {
		row := c.X[i*c.D : (i+1)*c.D]
		step.Apply(row, row)
	}
	// Compose with d's record: y = ((x − s1)/c1 − s2)/c2 = (x − (s1 + s2·c1))/(c1·c2).
	if !d.Norm.IsIdentity() {
		for j := range shift {
			shift[j] = d.Norm.Shift[j] + float64(shift[j]*d.Norm.Scale[j])
			scale[j] = float64(d.Norm.Scale[j] * scale[j])
		}
	}
	c.Norm = step
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("normalize: %w", err)
	}
	return c, nil
}
