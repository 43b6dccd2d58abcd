package record

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/vaeplayground/vae/core"
	"gonum.org/v1/gonum/mat"
)

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, b)
	}
	return recs
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// same is equality that takes NaN as equal to NaN.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// trainedLog trains a small model and logs its steps.
func trainedLog(t *testing.T, steps int, log *StepLog) []core.StepResult {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	x := mat.NewDense(256, 2, nil)
	for i := range 256 {
		x.Set(i, 0, rng.NormFloat64())
		x.Set(i, 1, 0.5*rng.NormFloat64()+float64(i%2))
	}
	cfg := core.DefaultConfig2D()
	cfg.EncoderHidden, cfg.DecoderHidden = []int{8}, []int{8}
	m, err := core.NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	h := core.DefaultHyper()
	h.WarmupSteps = 10
	tr, err := core.NewTrainer(m, x, 32, h, 5)
	if err != nil {
		t.Fatal(err)
	}
	var out []core.StepResult
	for range steps {
		r := tr.Step()
		log.Add(&r)
		r.KLPerDim = slices.Clone(r.KLPerDim) // the trainer reuses it
		out = append(out, r)
	}
	return out
}

func TestWriteStepsRoundTrips(t *testing.T) {
	var log StepLog
	results := trainedLog(t, 40, &log)
	// A skipped step, as the trainer reports one: no row, counted after.
	skip := core.StepResult{Step: 41, Skipped: true, Reason: "loss not finite", LearningRate: 5e-4}
	skip.ELBO = math.NaN()
	log.Add(&skip)
	last := core.StepResult{Step: 42, Epoch: 5, Beta: 1, LearningRate: 5e-4}
	last.ELBO, last.Recon, last.KL, last.Loss, last.KLPerDim = -3.25, -2, 1.25, 3.25, []float64{1, 0.25}
	log.Add(&last)
	results = append(results, last)

	var b bytes.Buffer
	if err := WriteSteps(&b, log.Steps()); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, b.Bytes())
	want := []string{"step", "epoch", "loss", "elbo", "recon", "kl", "beta", "learning_rate", "skipped", "kl_z1", "kl_z2"}
	if !slices.Equal(recs[0], want) {
		t.Fatalf("header %v, want %v", recs[0], want)
	}
	if len(recs) != 1+41 {
		t.Fatalf("%d rows, want 41 (40 steps and one after a skipped step)", len(recs)-1)
	}
	for i, rec := range recs[1:] {
		r := results[i]
		if len(rec) != len(want) {
			t.Fatalf("row %d has %d fields", i, len(rec))
		}
		got := []float64{parse(t, rec[0]), parse(t, rec[1]), parse(t, rec[2]), parse(t, rec[3]), parse(t, rec[4]),
			parse(t, rec[5]), parse(t, rec[6]), parse(t, rec[7]), parse(t, rec[8]), parse(t, rec[9]), parse(t, rec[10])}
		skipped := 0.0
		if i == 40 {
			skipped = 1
		}
		exp := []float64{float64(r.Step), float64(r.Epoch), r.Loss, r.ELBO, r.Recon, r.KL, r.Beta, r.LearningRate, skipped, r.KLPerDim[0], r.KLPerDim[1]}
		for j := range exp {
			if !same(got[j], exp[j]) {
				t.Errorf("row %d %s: %v, want exactly %v", i, want[j], got[j], exp[j])
			}
		}
	}
	if recs[10][6] == recs[1][6] {
		t.Errorf("β did not warm up: %s at step 1 and 10", recs[1][6])
	}
}

func TestStepLogThinsInBoundedMemory(t *testing.T) {
	log := StepLog{MaxRows: 16}
	for i := 1; i <= 1000; i++ {
		r := core.StepResult{Step: i}
		r.ELBO = float64(-i)
		r.KLPerDim = []float64{float64(i), float64(2 * i)}
		log.Add(&r)
	}
	steps := log.Steps()
	if len(steps) >= 16 || len(steps) < 8 {
		t.Fatalf("%d rows kept, want between 8 and 16", len(steps))
	}
	for i, s := range steps {
		if i > 0 && s.Step-steps[i-1].Step != log.Stride {
			t.Errorf("rows %d and %d: steps %d, %d not %d apart", i-1, i, steps[i-1].Step, s.Step, log.Stride)
		}
		if s.ELBO != float64(-s.Step) || s.KLPerDim[0] != float64(s.Step) || s.KLPerDim[1] != float64(2*s.Step) {
			t.Errorf("row %d of step %d holds another step's numbers: %+v", i, s.Step, s)
		}
	}
	if steps[0].Step != 1 {
		t.Errorf("the first step dropped: first row is step %d", steps[0].Step)
	}
	// Once at size, adding allocates nothing.
	r := core.StepResult{Step: 1001}
	r.KLPerDim = []float64{1, 2}
	if n := testing.AllocsPerRun(100, func() { r.Step++; log.Add(&r) }); n > 0.1 {
		t.Errorf("Add allocates %.1f times a step", n)
	}
}

func TestWriteCodesRoundTrips(t *testing.T) {
	data := mat.NewDense(3, 2, []float64{0.5, -1, 2, 3.25, 1e-9, 7})
	mu := mat.NewDense(3, 2, []float64{0.1, 0.2, -0.3, 0.4, 1.0 / 3, -2})
	lv := mat.NewDense(3, 2, []float64{0, -2, 1, -0.5, -4, 0.25})
	var b bytes.Buffer
	err := WriteCodes(&b, Codes{Data: data, Labels: []int{0, 1, -1}, LabelNames: []string{"ring, inner", "ring \"outer\""}, Mu: mu, LogVar: lv})
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, b.Bytes())
	want := []string{"index", "x", "y", "label", "label_name", "mu_z1", "mu_z2", "sigma_z1", "sigma_z2"}
	if !slices.Equal(recs[0], want) {
		t.Fatalf("header %v, want %v", recs[0], want)
	}
	if len(recs) != 4 {
		t.Fatalf("%d rows, want 3", len(recs)-1)
	}
	names := []string{"ring, inner", "ring \"outer\"", ""}
	for i, rec := range recs[1:] {
		if rec[0] != strconv.Itoa(i) || rec[3] != strconv.Itoa([]int{0, 1, -1}[i]) || rec[4] != names[i] {
			t.Errorf("row %d: %v", i, rec[:5])
		}
		for j := range 2 {
			if parse(t, rec[1+j]) != data.At(i, j) || parse(t, rec[5+j]) != mu.At(i, j) {
				t.Errorf("row %d column %d: data or mean did not round-trip: %v", i, j, rec)
			}
			if got, want := parse(t, rec[7+j]), math.Exp(0.5*lv.At(i, j)); got != want {
				t.Errorf("row %d: σ %v, want exp(logvar/2) = %v", i, got, want)
			}
		}
	}

	// Without data, labels or variances: only index and means.
	b.Reset()
	if err := WriteCodes(&b, Codes{Mu: mu}); err != nil {
		t.Fatal(err)
	}
	if recs := readCSV(t, b.Bytes()); !slices.Equal(recs[0], []string{"index", "mu_z1", "mu_z2"}) || len(recs) != 4 {
		t.Errorf("means only: %v", recs)
	}
	for _, bad := range []Codes{{}, {Mu: mu, LogVar: mat.NewDense(2, 2, nil)}, {Mu: mu, Data: mat.NewDense(2, 2, nil)}, {Mu: mu, Labels: []int{1}}} {
		if err := WriteCodes(&b, bad); err == nil {
			t.Errorf("mismatched codes %+v written", bad)
		}
	}
}

func TestWriteComparison(t *testing.T) {
	rows := []ComparisonRow{{"held-out ELBO", -2.5, -2.25, 0.125}, {"active units", 2, 1, math.NaN()}}
	var b bytes.Buffer
	if err := WriteComparison(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, b.Bytes())
	if !slices.Equal(recs[0], []string{"metric", "A", "B", "B-A", "±"}) || len(recs) != 3 {
		t.Fatalf("got %v", recs)
	}
	if r := recs[1]; r[0] != "held-out ELBO" || parse(t, r[1]) != -2.5 || parse(t, r[2]) != -2.25 || parse(t, r[3]) != 0.25 || parse(t, r[4]) != 0.125 {
		t.Errorf("row 1: %v", r)
	}
	if r := recs[2]; parse(t, r[3]) != -1 || r[4] != "" {
		t.Errorf("row 2: %v (an unknown spread is empty)", r)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestCSVWritersReportWriteErrors(t *testing.T) {
	steps := []Step{{Step: 1}}
	if WriteSteps(failWriter{}, steps) == nil || WriteComparison(failWriter{}, []ComparisonRow{{Metric: "x"}}) == nil ||
		WriteCodes(failWriter{}, Codes{Mu: mat.NewDense(1, 1, nil)}) == nil {
		t.Error("a failed write went unreported")
	}
}
