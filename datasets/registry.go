package datasets

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// MaxPoints is the largest number of points a generated 2-D set may have.
const MaxPoints = 100_000

// Source tells where an entry's data come from.
type Source int

const (
	// Generated entries are made on the spot by Generate from a seed.
	Generated Source = iota
	// Asset entries are decoded from a file served with the app (see
	// Entry.Asset and Entry.Load).
	Asset
	// User entries hold data the user draws or imports (see Canvas, ReadCSV).
	User
)

func (s Source) String() string {
	switch s {
	case Generated:
		return "generated"
	case Asset:
		return "asset"
	case User:
		return "user"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// Param describes one numeric parameter of a dataset and its valid range.
// A parameter with Choices takes the index of one choice as its value and
// is written by the choice's name in URLs and on the command line.
type Param struct {
	Name     string
	Help     string
	Default  float64
	Min, Max float64
	Integer  bool
	Choices  []string
}

// Params maps parameter names to values.
type Params map[string]float64

// Int returns p[name] as an int.
func (p Params) Int(name string) int { return int(math.Round(p[name])) }

// Entry is one dataset in the registry.
type Entry struct {
	Name        string // stable identifier used in URLs and the CLI
	Title       string // short human name
	Description string
	Kind        Kind
	Source      Source
	Params      []Param

	// Generate makes the dataset (Source Generated). The Params it gets
	// are complete and validated.
	Generate func(rng *rand.Rand, p Params) (*Dataset, error)

	// Asset is the file name (under the static site's data folder, or
	// dist/ on the desktop) that Load decodes (Source Asset).
	Asset string
	// Load decodes the asset (Source Asset); Params as for Generate.
	Load func(r io.Reader, p Params) (*Dataset, error)
}

var nParam = Param{Name: "n", Help: "number of points", Default: 2000, Min: 1, Max: MaxPoints, Integer: true}

func noiseParam(def, max float64, help string) Param {
	return Param{Name: "noise", Help: help, Default: def, Min: 0, Max: max}
}

// registry is the one table of datasets. Adding a dataset is one entry.
var registry = []Entry{
	{Name: "moons", Title: "Two moons", Kind: Points2D, Source: Generated,
		Description: "Two interleaving half-circles (scikit-learn make_moons, scaled as in FFJORD). Labels: the moon.",
		Params:      []Param{nParam, noiseParam(0.1, 1, "Gaussian noise std (before the ×2 scaling)")},
		Generate:    genMoons},
	{Name: "circles", Title: "Circles", Kind: Points2D, Source: Generated,
		Description: "Two concentric circles (scikit-learn make_circles, ×3 as in FFJORD). Labels: the circle.",
		Params: []Param{nParam, noiseParam(0.08, 1, "Gaussian noise std (before the ×3 scaling)"),
			{Name: "factor", Help: "inner radius / outer radius", Default: 0.5, Min: 0.05, Max: 0.95}},
		Generate: genCircles},
	{Name: "8gaussians", Title: "8 Gaussians", Kind: Points2D, Source: Generated,
		Description: "Eight Gaussian modes on a circle of radius 4/1.414 ≈ 2.83 (FFJORD). Labels: the mode.",
		Params:      []Param{nParam, noiseParam(0.5, 2, "std of each mode before the /1.414 scaling")},
		Generate:    gen8Gaussians},
	{Name: "pinwheel", Title: "Pinwheel", Kind: Points2D, Source: Generated,
		Description: "Curved arms of a pinwheel (FFJORD). Labels: the arm.",
		Params: []Param{nParam, noiseParam(0.1, 1, "tangential noise std"),
			{Name: "radial_noise", Help: "radial noise std", Default: 0.3, Min: 0, Max: 1},
			{Name: "arms", Help: "number of arms", Default: 5, Min: 1, Max: 12, Integer: true},
			{Name: "rate", Help: "how fast the arms curl", Default: 0.25, Min: 0, Max: 1}},
		Generate: genPinwheel},
	{Name: "2spirals", Title: "Two spirals", Kind: Points2D, Source: Generated,
		Description: "Two interleaved spirals of 540° (FFJORD). Labels: the arm; factor t: position along it.",
		Params:      []Param{nParam, noiseParam(0.1, 1, "Gaussian noise std")},
		Generate:    gen2Spirals},
	{Name: "checkerboard", Title: "Checkerboard", Kind: Points2D, Source: Generated,
		Description: "Uniform points on the 8 dark squares of a 4×4 board on [−4, 4]² (FFJORD). Labels: the square.",
		Params:      []Param{nParam, noiseParam(0, 1, "Gaussian noise std (FFJORD uses none)")},
		Generate:    genCheckerboard},
	{Name: "rings", Title: "Rings", Kind: Points2D, Source: Generated,
		Description: "Four concentric rings of radii 3, 2.25, 1.5, 0.75 (FFJORD). Labels: the ring.",
		Params:      []Param{nParam, noiseParam(0.08, 1, "Gaussian noise std")},
		Generate:    genRings},
	{Name: "swissroll", Title: "Swiss roll", Kind: Points2D, Source: Generated,
		Description: "A 2-D swiss roll (scikit-learn make_swiss_roll on x, z, /5 as in FFJORD). Factor t: position along the roll.",
		Params:      []Param{nParam, noiseParam(1, 5, "Gaussian noise std (before the /5 scaling)")},
		Generate:    genSwissRoll},
	{Name: "gaussian", Title: "Gaussian blob", Kind: Points2D, Source: Generated,
		Description: "A single isotropic Gaussian centred at the origin.",
		Params:      []Param{nParam, noiseParam(1, 10, "standard deviation")},
		Generate:    genGaussian},
	{Name: "shapes", Title: "Procedural shapes", Kind: Image, Source: Generated,
		Description: "Square, ellipse, triangle and heart images with known scale, rotation and position, drawn in Go (no download). Labels: the shape; factors: scale, rotation, x, y.",
		Params: []Param{
			{Name: "n", Help: "number of images", Default: 5000, Min: 1, Max: 50_000, Integer: true},
			{Name: "size", Help: "image side in pixels", Default: 28, Min: 12, Max: 64, Integer: true}},
		Generate: genShapes},
	{Name: "mnist", Title: "MNIST digits", Kind: Image, Source: Asset,
		Description: "MNIST handwritten digits (28×28): the published split, all 60000 training and 10000 test images (n takes the first n), from the packed file made by `make mnist-pack`. Labels: the digit.",
		Params: []Param{
			{Name: "split", Help: "published part", Default: 0, Choices: []string{"train", "test"}},
			{Name: "n", Help: "images to use (first n; fewer if the file holds fewer)", Default: MNISTTrainCount, Min: 1, Max: MNISTTrainCount, Integer: true}},
		Asset: "mnist.vpk",
		Load:  packedLoader("mnist")},
	{Name: "fashion", Title: "Fashion-MNIST", Kind: Image, Source: Asset,
		Description: "Zalando's Fashion-MNIST clothing images (28×28): the published split, all 60000 training and 10000 test images (n takes the first n), from the packed file made by `make fashion-pack`. Labels: the garment.",
		Params: []Param{
			{Name: "split", Help: "published part", Default: 0, Choices: []string{"train", "test"}},
			{Name: "n", Help: "images to use (first n; fewer if the file holds fewer)", Default: MNISTTrainCount, Min: 1, Max: MNISTTrainCount, Integer: true}},
		Asset: "fashion.vpk",
		Load:  packedLoader("fashion")},
	{Name: "drawn", Title: "Draw your own", Kind: Points2D, Source: User,
		Description: "Points drawn with the mouse (see Canvas)."},
	{Name: "csv", Title: "Import CSV", Kind: Points2D, Source: User,
		Description: fmt.Sprintf("2-D points from a CSV file: x,y[,label], header optional, at most %d rows (see ReadCSV).", MaxCSVRows)},
}

// List returns every registry entry in a stable order. The entries share
// their Params slices with the registry: treat them as read-only.
func List() []Entry { return slices.Clone(registry) }

// Names returns the names of all entries in registry order.
func Names() []string {
	s := make([]string, len(registry))
	for i, e := range registry {
		s[i] = e.Name
	}
	return s
}

// Lookup returns the entry called name.
func Lookup(name string) (Entry, bool) {
	for _, e := range registry {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// Generate makes the generated dataset called name with the given
// parameters (missing ones take their defaults) from rng.
func Generate(name string, p Params, rng *rand.Rand) (*Dataset, error) {
	e, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown dataset %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	if e.Source != Generated {
		return nil, fmt.Errorf("dataset %q is not generated (source: %v)", name, e.Source)
	}
	if rng == nil {
		return nil, errors.New("datasets: Generate needs a *rand.Rand")
	}
	full, err := e.Resolve(p)
	if err != nil {
		return nil, err
	}
	d, err := e.Generate(rng, full)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%s: generated data invalid: %w", name, err)
	}
	return d, nil
}

// Defaults returns the default value of every parameter.
func (e Entry) Defaults() Params {
	p := make(Params, len(e.Params))
	for _, q := range e.Params {
		p[q.Name] = q.Default
	}
	return p
}

// Param returns the parameter called name.
func (e Entry) Param(name string) (Param, bool) {
	for _, q := range e.Params {
		if q.Name == name {
			return q, true
		}
	}
	return Param{}, false
}

func (e Entry) paramNames() string {
	s := make([]string, len(e.Params))
	for i, q := range e.Params {
		s[i] = q.Name
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// Validate checks that every value in p names a parameter of e and lies in
// its range. Missing parameters are allowed (they take defaults).
func (e Entry) Validate(p Params) error {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names) // report errors deterministically
	for _, k := range names {
		q, ok := e.Param(k)
		if !ok {
			return fmt.Errorf("%s: unknown parameter %q (parameters: %s)", e.Name, k, e.paramNames())
		}
		if err := q.Check(p[k]); err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
	}
	return nil
}

// Check reports whether v is a valid value of q.
func (q Param) Check(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("parameter %s: %v is not a finite number", q.Name, v)
	}
	if q.Choices != nil {
		if v != math.Trunc(v) || v < 0 || int(v) >= len(q.Choices) {
			return fmt.Errorf("parameter %s: %v is not one of %s", q.Name, v, strings.Join(q.Choices, ", "))
		}
		return nil
	}
	if q.Integer && v != math.Trunc(v) {
		return fmt.Errorf("parameter %s: %v is not a whole number", q.Name, v)
	}
	if v < q.Min || v > q.Max {
		return fmt.Errorf("parameter %s: %v is outside [%v, %v]", q.Name, v, q.Min, q.Max)
	}
	return nil
}

// Parse reads a value of q from text: a number, or for a choice parameter
// one of its names.
func (q Param) Parse(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if q.Choices != nil {
		for i, c := range q.Choices {
			if strings.EqualFold(s, c) {
				return float64(i), nil
			}
		}
		return 0, fmt.Errorf("parameter %s: %q is not one of %s", q.Name, s, strings.Join(q.Choices, ", "))
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("parameter %s: %q is not a number", q.Name, s)
	}
	if err := q.Check(v); err != nil {
		return 0, err
	}
	return v, nil
}

// Format writes v as Parse reads it.
func (q Param) Format(v float64) string {
	if q.Choices != nil {
		if i := int(v); i >= 0 && i < len(q.Choices) && float64(i) == v {
			return q.Choices[i]
		}
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Resolve returns p completed with defaults, after validating it.
func (e Entry) Resolve(p Params) (Params, error) {
	if err := e.Validate(p); err != nil {
		return nil, err
	}
	full := e.Defaults()
	for k, v := range p {
		full[k] = v
	}
	return full, nil
}

// ParseParams reads parameters given as text (from a URL query or CLI
// flags), validates them, and completes them with defaults. Unknown names,
// malformed numbers and out-of-range values are errors naming the
// parameter.
func (e Entry) ParseParams(kv map[string]string) (Params, error) {
	p := make(Params, len(kv))
	names := make([]string, 0, len(kv))
	for k := range kv {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		q, ok := e.Param(k)
		if !ok {
			return nil, fmt.Errorf("%s: unknown parameter %q (parameters: %s)", e.Name, k, e.paramNames())
		}
		v, err := q.Parse(kv[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		p[k] = v
	}
	return e.Resolve(p)
}

// FormatParams writes every parameter of e whose value in p differs from
// its default, as ParseParams reads them (for compact URLs).
func (e Entry) FormatParams(p Params) map[string]string {
	out := make(map[string]string)
	for _, q := range e.Params {
		if v, ok := p[q.Name]; ok && v != q.Default {
			out[q.Name] = q.Format(v)
		}
	}
	return out
}

// packedLoader decodes a packed image file, checks that it holds the set
// called name, and returns the first n images of the chosen split.
func packedLoader(name string) func(io.Reader, Params) (*Dataset, error) {
	return func(r io.Reader, p Params) (*Dataset, error) {
		pk, err := ReadPacked(r)
		if err != nil {
			return nil, err
		}
		if pk.Name != name {
			return nil, fmt.Errorf("the file holds %q, not %q", pk.Name, name)
		}
		if pk.Train.Width != 28 || pk.Train.Height != 28 {
			return nil, fmt.Errorf("the file holds %d×%d images, %s has 28×28", pk.Train.Width, pk.Train.Height, name)
		}
		s := Split(p.Int("split"))
		d := pk.Split(s)
		if d == nil {
			return nil, fmt.Errorf("the file holds no %v images", s)
		}
		return d.Head(p.Int("n")), nil
	}
}

// Load decodes the asset dataset called name from r (the bytes of its
// Asset file) with the given parameters (missing ones take defaults).
func Load(name string, r io.Reader, p Params) (*Dataset, error) {
	e, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown dataset %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	if e.Source != Asset {
		return nil, fmt.Errorf("dataset %q is not loaded from a file (source: %v)", name, e.Source)
	}
	full, err := e.Resolve(p)
	if err != nil {
		return nil, err
	}
	d, err := e.Load(r, full)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("%s: loaded data invalid: %w", name, err)
	}
	return d, nil
}
