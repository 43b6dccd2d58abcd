package core

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"
)

// TestBinarizeSeed seeds BinarizeTestSplit: one fixed binary sample of a
// test split, the same in the CLI, the playground and every run, so that
// held-out bounds of different models and sessions score the same images.
const TestBinarizeSeed = 0xb1a7_1e57

// Binarize sets dst to one binary sample of src: each value v, which must lie
// in [0, 1], becomes 1 with probability v, drawn from rng. dst is reshaped to
// src's size and may be src itself. Data outside [0, 1] (or not finite) are
// an error and leave dst untouched.
func Binarize(dst, src *mat.Dense, rng *rand.Rand) error {
	if src == nil || rng == nil {
		return errors.New("core: Binarize needs data and a random source")
	}
	if !inUnitInterval(src) {
		return errors.New("core: binarisation needs data in [0, 1]")
	}
	r, c := src.Dims()
	if dst != src {
		reshape(dst, r, c)
		dst.Copy(src)
	}
	raw := dst.RawMatrix()
	for i := range r {
		binarizeInPlace(raw.Data[i*raw.Stride:i*raw.Stride+c], rng)
	}
	return nil
}

// BinarizeTestSplit returns a binary sample of held-out data drawn once with
// the fixed TestBinarizeSeed: how a Bernoulli model trained with
// Hyper.Binarize is scored (the usual protocol for "binarised MNIST" bounds).
func BinarizeTestSplit(x *mat.Dense) (*mat.Dense, error) {
	var out mat.Dense
	if err := Binarize(&out, x, rand.New(rand.NewPCG(TestBinarizeSeed, 0))); err != nil {
		return nil, fmt.Errorf("%w (test split)", err)
	}
	return &out, nil
}

// binarizeInPlace replaces each v in xs by 1 with probability v, else 0.
// Each 64-bit draw serves two values as 32-bit uniforms u (1 when
// u < v·2³²: a probability off by at most 2⁻³²), and the comparison is read
// from the sign bit of u − v·2³² rather than branched on: the outcome is a
// coin flip the branch predictor cannot learn, and an image batch is 100 000
// values a step.
func binarizeInPlace(xs []float64, rng *rand.Rand) {
	const scale = 1 << 32
	for i := 0; i < len(xs); i += 2 {
		u := rng.Uint64()
		xs[i] = float64(math.Float64bits(float64(uint32(u))-float64(xs[i]*scale)) >> 63)
		if i+1 < len(xs) {
			xs[i+1] = float64(math.Float64bits(float64(u>>32)-float64(xs[i+1]*scale)) >> 63)
		}
	}
}

// inUnitInterval says whether every value of x lies in [0, 1] (NaN does not).
func inUnitInterval(x *mat.Dense) bool {
	raw := x.RawMatrix()
	for i := range raw.Rows {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			if !(v >= 0 && v <= 1) {
				return false
			}
		}
	}
	return true
}

// DataSource records the data a model was trained on, as the CLI and the
// playground name it, so that a later evaluation loads the same set (and
// binarises its test split the same way) instead of guessing. The engine
// never reads it; checkpoints keep it (format version 2 on).
type DataSource struct {
	Name      string `json:"name,omitempty"`      // registry name, e.g. "mnist"
	Params    string `json:"params,omitempty"`    // name=value,… as given by the user
	Seed      uint64 `json:"seed,omitempty"`      // seed of a generated set
	Binarized bool   `json:"binarized,omitempty"` // trained on dynamically binarised batches
}

// Limits of a DataSource read from a file.
const (
	maxSourceName   = 64
	maxSourceParams = 1024
)

// Validate bounds the lengths and refuses control characters, so a record
// read from a file prints safely.
func (s DataSource) Validate() error {
	if len(s.Name) > maxSourceName || len(s.Params) > maxSourceParams {
		return fmt.Errorf("core: data source name or parameters longer than %d or %d bytes", maxSourceName, maxSourceParams)
	}
	for _, str := range []string{s.Name, s.Params} {
		if !utf8.ValidString(str) {
			return errors.New("core: data source is not valid UTF-8")
		}
		for _, r := range str {
			if unicode.IsControl(r) {
				return fmt.Errorf("core: data source %q holds a control character", str)
			}
		}
	}
	return nil
}
