package record

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/vaeplayground/vae/core"
	"gonum.org/v1/gonum/mat"
)

// Step is one row of a run's history.
type Step struct {
	Step, Epoch  int
	Loss         float64 // what was minimised (β-weighted, extra terms)
	ELBO         float64 // recon − KL, nats per row
	Recon        float64 // E_q log p(x|z)
	KL           float64
	Beta         float64 // KL weight after warm-up
	LearningRate float64
	// Skipped counts the steps skipped (non-finite loss or gradient) up to
	// and including this one.
	Skipped int
	// KLPerDim is the KL of each latent dimension (nil under Monte Carlo
	// KL, which does not factorise).
	KLPerDim []float64
}

// defaultMaxSteps bounds a StepLog's rows.
const defaultMaxSteps = 5000

// StepLog keeps a run's history for export in bounded memory: when full,
// every other row is dropped and only every Stride-th step kept from then
// on, as the playground's loss curves are thinned. Adding a step allocates
// nothing once the log has reached its size.
type StepLog struct {
	// MaxRows bounds the rows kept (0: 5000).
	MaxRows int
	Stride  int

	rows    []Step    // KLPerDim nil: the values live in kl
	kl      []float64 // dims values per row
	dims    int
	count   int // finite steps offered
	skipped int
}

// Add records one training step. A skipped step adds no row (its numbers
// are not finite); it is counted in the next row's Skipped.
func (l *StepLog) Add(r *core.StepResult) {
	if r.Skipped {
		l.skipped++
		return
	}
	if l.Stride == 0 {
		l.Stride = 1
	}
	l.count++
	if (l.count-1)%l.Stride != 0 {
		return
	}
	if len(l.rows) == 0 {
		l.dims = len(r.KLPerDim)
	}
	l.rows = append(l.rows, Step{
		Step: r.Step, Epoch: r.Epoch, Loss: r.Loss, ELBO: r.ELBO, Recon: r.Recon, KL: r.KL,
		Beta: r.Beta, LearningRate: r.LearningRate, Skipped: l.skipped,
	})
	for j := range l.dims {
		v := math.NaN() // a step without per-dimension KL (mode changed)
		if j < len(r.KLPerDim) {
			v = r.KLPerDim[j]
		}
		l.kl = append(l.kl, v)
	}
	max := l.MaxRows
	if max <= 0 {
		max = defaultMaxSteps
	}
	if len(l.rows) >= max {
		n := 0
		for i := 0; i < len(l.rows); i += 2 {
			l.rows[n] = l.rows[i]
			copy(l.kl[n*l.dims:(n+1)*l.dims], l.kl[i*l.dims:(i+1)*l.dims])
			n++
		}
		l.rows, l.kl = l.rows[:n], l.kl[:n*l.dims]
		l.Stride *= 2
	}
}

// Len is the number of rows kept.
func (l *StepLog) Len() int { return len(l.rows) }

// Steps returns the rows kept, oldest first (fresh slices; KLPerDim
// shares the log's storage until the next Add).
func (l *StepLog) Steps() []Step {
	out := make([]Step, len(l.rows))
	for i, r := range l.rows {
		if l.dims > 0 {
			r.KLPerDim = l.kl[i*l.dims : (i+1)*l.dims : (i+1)*l.dims]
		}
		out[i] = r
	}
	return out
}

// WriteSteps writes the history as CSV: step, epoch, loss, elbo, recon,
// kl, beta, learning_rate, skipped, then kl_z1 … kl_zD for the latent
// dimensions of the first row's KLPerDim (empty where a row has none).
func WriteSteps(w io.Writer, steps []Step) error {
	dims := 0
	if len(steps) > 0 {
		dims = len(steps[0].KLPerDim)
	}
	cw := csv.NewWriter(w)
	head := []string{"step", "epoch", "loss", "elbo", "recon", "kl", "beta", "learning_rate", "skipped"}
	for j := range dims {
		head = append(head, fmt.Sprintf("kl_z%d", j+1))
	}
	cw.Write(head)
	rec := make([]string, len(head))
	for _, s := range steps {
		rec = append(rec[:0], strconv.Itoa(s.Step), strconv.Itoa(s.Epoch), num(s.Loss), num(s.ELBO), num(s.Recon),
			num(s.KL), num(s.Beta), num(s.LearningRate), strconv.Itoa(s.Skipped))
		for j := range dims {
			v := ""
			if j < len(s.KLPerDim) {
				v = num(s.KLPerDim[j])
			}
			rec = append(rec, v)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// Codes are the encoder's outputs for some rows of data.
type Codes struct {
	// Data are the rows encoded, written as x, y for points in the plane,
	// x1 … xD otherwise; nil leaves them out (an image's pixels).
	Data *mat.Dense
	// Labels are the rows' classes (−1: none); nil leaves the column out.
	// LabelNames, if given, name them in a label_name column.
	Labels     []int
	LabelNames []string
	// Mu and LogVar are q(z|x)'s mean and log-variance, a row per row of
	// data (Model.Encode); σ = exp(LogVar/2) is written.
	Mu, LogVar *mat.Dense
}

// WriteCodes writes the codes as CSV: index, the data columns, label,
// label_name, mu_z1 … mu_zD, sigma_z1 … sigma_zD.
func WriteCodes(w io.Writer, c Codes) error {
	if c.Mu == nil {
		return fmt.Errorf("record: codes without means")
	}
	n, d := c.Mu.Dims()
	if c.LogVar != nil {
		if r, k := c.LogVar.Dims(); r != n || k != d {
			return fmt.Errorf("record: log-variances %d×%d for means %d×%d", r, k, n, d)
		}
	}
	dataCols := 0
	if c.Data != nil {
		var r int
		if r, dataCols = c.Data.Dims(); r != n {
			return fmt.Errorf("record: %d data rows for %d codes", r, n)
		}
	}
	if c.Labels != nil && len(c.Labels) != n {
		return fmt.Errorf("record: %d labels for %d codes", len(c.Labels), n)
	}
	head := []string{"index"}
	if dataCols == 2 {
		head = append(head, "x", "y")
	} else {
		for j := range dataCols {
			head = append(head, fmt.Sprintf("x%d", j+1))
		}
	}
	names := c.Labels != nil && len(c.LabelNames) > 0
	if c.Labels != nil {
		head = append(head, "label")
	}
	if names {
		head = append(head, "label_name")
	}
	for j := range d {
		head = append(head, fmt.Sprintf("mu_z%d", j+1))
	}
	if c.LogVar != nil {
		for j := range d {
			head = append(head, fmt.Sprintf("sigma_z%d", j+1))
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(head)
	rec := make([]string, 0, len(head))
	for i := range n {
		rec = append(rec[:0], strconv.Itoa(i))
		for j := range dataCols {
			rec = append(rec, num(c.Data.At(i, j)))
		}
		if c.Labels != nil {
			rec = append(rec, strconv.Itoa(c.Labels[i]))
		}
		if names {
			name := ""
			if k := c.Labels[i]; k >= 0 && k < len(c.LabelNames) {
				name = c.LabelNames[k]
			}
			rec = append(rec, name)
		}
		for j := range d {
			rec = append(rec, num(c.Mu.At(i, j)))
		}
		if c.LogVar != nil {
			for j := range d {
				rec = append(rec, num(math.Exp(0.5*c.LogVar.At(i, j))))
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// ComparisonRow is one metric of two runs, A and B.
type ComparisonRow struct {
	Metric string
	A, B   float64
	// Spread is the seed-to-seed or batch-to-batch spread the difference
	// is judged against (NaN: not known, written empty).
	Spread float64
}

// WriteComparison writes the table as CSV: metric, A, B, B−A, ±.
func WriteComparison(w io.Writer, rows []ComparisonRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"metric", "A", "B", "B-A", "±"})
	for _, r := range rows {
		spread := ""
		if !math.IsNaN(r.Spread) {
			spread = num(r.Spread)
		}
		cw.Write([]string{r.Metric, num(r.A), num(r.B), num(r.B - r.A), spread})
	}
	cw.Flush()
	return cw.Error()
}

// num is the shortest form that parses back to the same float64 (NaN,
// +Inf and -Inf as strconv writes them).
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
