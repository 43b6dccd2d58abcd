package session

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"gonum.org/v1/gonum/mat"
)

// CompareKey is the link key of a comparison: B's settings where they
// differ from A's, as "key:value,key:value" ("compare=" alone: B as A).
const CompareKey = "compare"

// CompareK is the importance samples of the results table's IWAE bound, as
// the command line's default (`vae train -k`).
const CompareK = 100

// compareBatches is how many held-out batches the table's ± is taken from.
const compareBatches = 5

// maxCompareSteps bounds the steps both are given in one frame.
const maxCompareSteps = 64

// maxCompareSpec bounds a compare= value.
const maxCompareSpec = 1024

// Compare runs two sessions, A and B, on the same data and seed: B is A with
// the settings changed on B (Overrides). They step together, step for step,
// so neither gets ahead; each keeps its own runner. A is the session the
// screen owns; B is made here.
type Compare struct {
	A, B *Session
	// Playing says both train; Notes are what the link's compare= value
	// could not give (bad keys or values, with what was used instead).
	Playing bool
	Notes   []string

	over           map[string]string // B's settings that differ from A's, as text
	target         int               // the step count both are driven to
	budget         FrameBudget
	clock          FrameClock
	stepCost       time.Duration // one step of both, smoothed
	owed           float64
	gen            [2]int // DataVersion of A and B as last synchronised
	busy           [2]time.Duration
	busySteps      [2]int
	results        Results
	resultsVersion int
	resultsKey     [3]int // A.Version, B.Version, exact: of the last table started
	lastEval       time.Time
	job            *evalJob
}

// notCompared are the settings B always shares with A: the data (the
// comparison is on the same points), the mode and the views' choices.
func notCompared(st *Setting) bool {
	return st.Lab || st.Effect == View || st.Key == "data" || st.Key == "dseed" || st.Key == "speed" ||
		strings.HasPrefix(st.Key, dataPrefix)
}

// CompareLink is the compare= value of the link the session was made
// from, and whether there was one.
func (s *Session) CompareLink() (spec string, ok bool) { return s.compareLink, s.compareAsked }

// NewCompare starts a comparison with a as A and B as A changed by spec
// (a compare= value; hostile parts fall back to A's values with a note).
// a.Comparison is set to it, so that a's link carries it.
func NewCompare(a *Session, spec string) (*Compare, error) {
	c := &Compare{A: a, over: map[string]string{}, budget: NewFrameBudget(InitialBudget, MinBudget, MaxBudget)}
	c.Notes = c.parseSpec(spec)
	b := &Session{Values: a.Values.Clone(), mode: a.mode, budget: NewFrameBudget(InitialBudget, MinBudget, MaxBudget),
		Assets: a.Assets, Drawn: cloneCanvas(&a.Drawn), Imported: a.Imported, assetCache: a.assetCache}
	c.B = b
	c.applyOverrides()
	if err := b.Rebuild(); err != nil {
		c.Notes = append(c.Notes, "compare: "+err.Error()+": B as A")
		c.over = map[string]string{}
		b.Values = a.Values.Clone()
		if err := b.Rebuild(); err != nil {
			return nil, err
		}
	}
	c.Playing = a.Playing
	a.Playing, b.Playing = false, false
	// Both start together from their seeds.
	if a.Steps() != 0 {
		if err := a.Rebuild(); err != nil {
			return nil, err
		}
	}
	c.gen = [2]int{a.DataVersion, b.DataVersion}
	a.Comparison = c
	return c, nil
}

// Close stops B's trainer and detaches the comparison from A (A trains on
// alone, paused or playing as the comparison was).
func (c *Compare) Close() {
	c.B.Close()
	if c.A.Comparison == c {
		c.A.Comparison = nil
	}
	c.A.Playing = c.Playing
}

// parseSpec reads a compare= value into c.over, validating every part.
func (c *Compare) parseSpec(spec string) (notes []string) {
	if len(spec) > maxCompareSpec {
		return []string{fmt.Sprintf("compare: longer than %d characters: B as A", maxCompareSpec)}
	}
	for _, part := range strings.Split(spec, ",") {
		if part == "" || part == "on" {
			continue
		}
		k, val, ok := strings.Cut(part, ":")
		st := Lookup(c.A.Values, k)
		switch {
		case !ok:
			notes = append(notes, fmt.Sprintf("compare: malformed part %q ignored", clip(part, 24)))
		case st == nil:
			notes = append(notes, fmt.Sprintf("compare: unknown setting %q ignored", clip(k, 24)))
		case notCompared(st):
			notes = append(notes, fmt.Sprintf("compare: %s is shared by A and B: ignored", st.Key))
		default:
			x, err := st.Parse(val)
			if err != nil {
				notes = append(notes, "compare: "+err.Error()+": A's value used")
				continue
			}
			c.over[st.Key] = st.Format(x)
		}
	}
	return notes
}

// applyOverrides sets B's values: A's, changed where B differs.
func (c *Compare) applyOverrides() {
	v := c.A.Values.Clone()
	for k, text := range c.over {
		if err := v.SetText(k, text); err != nil {
			delete(c.over, k)
		}
	}
	c.B.Values = v
}

// Spec is the compare= value: B's settings that differ from A's, in the
// table's order.
func (c *Compare) Spec() string {
	var parts []string
	for _, st := range Table {
		if text, ok := c.over[st.Key]; ok {
			parts = append(parts, st.Key+":"+url.QueryEscape(text))
		}
	}
	if len(parts) == 0 {
		return "on"
	}
	return strings.Join(parts, ",")
}

// Differs lists the keys B changes, in the table's order.
func (c *Compare) Differs() []string {
	var keys []string
	for _, st := range Table {
		if _, ok := c.over[st.Key]; ok {
			keys = append(keys, st.Key)
		}
	}
	return keys
}

// SetB changes one of B's settings (as Session.Set). A setting B shares
// with A (the data, the views) changes A, which B follows.
func (c *Compare) SetB(key, text string) error {
	st := Lookup(c.B.Values, key)
	if st == nil {
		return fmt.Errorf("unknown setting %q", clip(key, 24))
	}
	if notCompared(st) {
		return c.A.Set(key, text)
	}
	x, err := st.Parse(text)
	if err != nil {
		return err
	}
	if err := c.B.SetValue(key, x); err != nil {
		return err
	}
	if x == c.A.Values.Get(key) {
		delete(c.over, key)
	} else {
		c.over[key] = st.Format(x)
	}
	return nil
}

// CopyAToB drops B's own settings: B becomes A (a new model from the seed,
// and A starts again with it).
func (c *Compare) CopyAToB() error {
	c.over = map[string]string{}
	c.applyOverrides()
	return c.B.Rebuild()
}

// follow keeps B on A's settings where B has none of its own, and restarts
// both when either was rebuilt (a rebuild setting, new data, a reset), so
// that they stay step for step.
func (c *Compare) follow() {
	a, b := c.A, c.B
	for _, st := range Table {
		if st.Lab {
			continue
		}
		if _, own := c.over[st.Key]; own || a.Values.Get(st.Key) == b.Values.Get(st.Key) {
			continue
		}
		if st.Key == "data" || st.Effect == Rebuild {
			// Rebuilt below, from all of A's values at once.
			c.applyOverrides()
			b.Drawn, b.Imported, b.assetCache = cloneCanvas(&a.Drawn), a.Imported, a.assetCache
			if err := b.Rebuild(); err != nil {
				b.Message = err.Error()
			}
			break
		}
		_ = b.SetValue(st.Key, a.Values.Get(st.Key))
	}
	if a.DataVersion != c.gen[0] || b.DataVersion != c.gen[1] {
		if a.Steps() != 0 {
			_ = a.Rebuild()
		}
		if b.Steps() != 0 || a.DataVersion != c.gen[0] && a.Values.Choice("data") == DrawnSet {
			b.Drawn = cloneCanvas(&a.Drawn)
			_ = b.Rebuild()
		}
		c.target = 0
		c.gen = [2]int{a.DataVersion, b.DataVersion}
		c.busy, c.busySteps = [2]time.Duration{}, [2]int{}
	}
}

// Tick runs one frame of both: their results come in, and while playing
// both are given the same number of steps once both have taken the last
// ones (a worker answers in a later frame); then the table's work goes on
// (Refresh, within evalBudget). It reports whether a model or the table
// changed.
func (c *Compare) Tick(now time.Time) bool {
	changed := c.tickSteps(now)
	if c.Refresh(evalBudget, now) {
		changed = true
	}
	return changed
}

func (c *Compare) tickSteps(now time.Time) bool {
	dt := c.clock.Tick(now)
	c.follow()
	changed := false
	for _, s := range [2]*Session{c.A, c.B} {
		s.Playing = false // the comparison steps them
		if s.Tick(now) {
			changed = true
		}
	}
	c.budget.Adapt(dt)
	if !c.Playing || c.A.Steps() < c.target || c.B.Steps() < c.target {
		return changed
	}
	n := 1
	if c.stepCost > 0 {
		// A worker's steps cost the frame nothing: maxCompareSteps keeps
		// the other side (inline) from being handed thousands.
		n = min(maxCompareSteps, max(1, int(c.budget.D/c.stepCost)))
	}
	if rate := speedStepsPerSecond[c.A.Values.Int("speed")]; rate > 0 {
		c.owed = math.Min(c.owed+rate*min(dt, 100*time.Millisecond).Seconds(), rate)
		if c.owed < 1 {
			return changed
		}
		n = min(n, int(c.owed))
		c.owed -= float64(n)
	}
	t0 := time.Now()
	c.stepBoth(n)
	if d := time.Since(t0) / time.Duration(n); c.stepCost == 0 {
		c.stepCost = d
	} else {
		c.stepCost += (d - c.stepCost) / 8
	}
	return true
}

// stepBoth gives both n steps: on their own goroutines when both train in
// the background (two cores, two trainers), one after the other otherwise.
func (c *Compare) stepBoth(n int) {
	c.target += n
	both := [2]*Session{c.A, c.B}
	var res [2][]core.StepResult
	run := func(i int) {
		t0 := time.Now()
		res[i] = both[i].run.steps(n)
		c.busy[i] += time.Since(t0)
		c.busySteps[i] += n
	}
	if c.A.mode == Background && c.B.mode == Background {
		var wg sync.WaitGroup
		wg.Add(2)
		for i := range 2 {
			go func() { defer wg.Done(); run(i) }()
		}
		wg.Wait()
	} else {
		run(0)
		run(1)
	}
	for i, s := range both {
		s.record(res[i])
		s.refresh()
	}
}

// Step takes exactly one step of each (pausing first); StepN takes n.
func (c *Compare) Step() { c.StepN(1) }

// StepN takes n steps of each, paused (tests and replay).
func (c *Compare) StepN(n int) {
	c.Playing = false
	c.follow()
	for _, s := range [2]*Session{c.A, c.B} {
		s.Playing = false
		s.record(s.run.advance(false, 0, 0, 0))
	}
	c.target = max(c.A.Steps(), c.B.Steps())
	c.stepBoth(n)
}

// Reset rebuilds both from their settings (same seeds: the same start).
func (c *Compare) Reset() error {
	if err := c.A.Rebuild(); err != nil {
		return err
	}
	c.applyOverrides()
	if err := c.B.Rebuild(); err != nil {
		return err
	}
	c.target = 0
	c.gen = [2]int{c.A.DataVersion, c.B.DataVersion}
	c.busy, c.busySteps = [2]time.Duration{}, [2]int{}
	c.A.Message = "reset: A and B anew from their seeds"
	return nil
}

// Results is the comparison's table.
type Results struct {
	Rows []ResultRow
	// Rows is the number of held-out rows evaluated (the training data's
	// when the set has no held-out part: then Heldout is false), K the
	// IWAE's samples, Exact whether it was computed on all of them while
	// paused (while training a smaller part is used, and said so).
	N       int
	K       int
	Heldout bool
	Exact   bool
	Steps   [2]int
}

// ResultRow is one metric of A and B. Spread is twice the standard error of
// B − A over compareBatches held-out batches (NaN where there is none);
// Exceeds says |B − A| is larger than it.
type ResultRow struct {
	Metric   string
	A, B     float64
	Spread   float64
	Exceeds  bool
	Decimals int
}

// Diff is B − A.
func (r ResultRow) Diff() float64 { return r.B - r.A }

// evalSeed is the random stream of the table's samples (as the command
// line's evaluation: seed, 0xe7a1).
func evalRNG(seed int, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

// EvalData is what the table evaluates on: the held-out rows (or, for the
// user's own points, the training data), at most n of them (0: all).
func (c *Compare) EvalData(n int) (x *mat.Dense, heldout bool) {
	x, heldout = c.A.Test, true
	if x == nil {
		x, heldout = c.A.X, false
	}
	if rows, d := x.Dims(); n > 0 && rows > n {
		x = x.Slice(0, n, 0, d).(*mat.Dense)
	}
	return x, heldout
}

// trainingRows bounds the rows the table evaluates while training (all of
// them once paused).
const trainingRows = 100

// Results is the last table completed (Rows nil before the first).
func (c *Compare) Results() Results { return c.results }

// ResultsVersion rises whenever a table completes.
func (c *Compare) ResultsVersion() int { return c.resultsVersion }

// evalChunkRows is the rows one slice of the table's work evaluates.
const evalChunkRows = 10

// evalBudget is the table's work in one frame.
const evalBudget = 3 * time.Millisecond

// Refresh works on the table within budget and reports whether a new one
// completed. A table is computed on copies of both models taken when it
// starts, so it is exact for that moment however long it takes: on all the
// held-out rows once paused (when the models changed since the last one),
// on trainingRows of them, every two seconds, while training. Its work is
// cut into slices of evalChunkRows rows (the command line's evaluation
// also goes through Evaluate a slice of rows at a time, with one random
// stream), so that no frame carries all of it.
func (c *Compare) Refresh(budget time.Duration, now time.Time) bool {
	if c.job == nil {
		exact := !c.Playing
		key := [3]int{c.A.Version, c.B.Version, 0}
		if exact {
			key[2] = 1
		}
		switch {
		case exact && key == c.resultsKey:
			return false
		case !exact && c.results.Rows != nil && now.Sub(c.lastEval) < 2*time.Second:
			return false
		}
		n := 0
		if !exact {
			n = trainingRows
		}
		job, err := c.newJob(n)
		if err != nil {
			return false
		}
		c.job, c.resultsKey, c.lastEval = job, key, now
	}
	if !c.job.work(budget) {
		return false
	}
	c.results = c.job.results(c)
	c.job = nil
	c.resultsVersion++
	return true
}

// Evaluate computes the table on n evaluation rows (0: all) at once (tests
// and the command hooks).
func (c *Compare) Evaluate(n int) Results {
	job, err := c.newJob(n)
	if err != nil {
		return Results{}
	}
	job.work(time.Duration(math.MaxInt64))
	return job.results(c)
}

// evalJob is one table in the making.
type evalJob struct {
	x       *mat.Dense
	heldout bool
	exact   bool
	steps   [2]int
	rate    [2]float64
	models  [2]*core.Model
	rng     [2]*rand.Rand // the IWAE's samples (the seed's evaluation stream)
	noise   [2]*rand.Rand // the noise draw of reconstruction and KL
	next    int           // rows done (both sides)
	elbo    [2][]float64
	iwae    [2][]float64
	recon   [2][]float64
	kl      [2][]float64
}

// newJob copies both models and starts a table on n rows (0: all).
func (c *Compare) newJob(n int) (*evalJob, error) {
	x, heldout := c.EvalData(n)
	rows, _ := x.Dims()
	j := &evalJob{x: x, heldout: heldout, exact: n == 0 || rows < n, steps: [2]int{c.A.Steps(), c.B.Steps()}}
	for i, s := range [2]*Session{c.A, c.B} {
		m, err := core.NewModel(s.Model.Config, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			return nil, err
		}
		if err := m.Restore(s.Model.Snapshot(nil)); err != nil {
			return nil, err
		}
		j.models[i] = m
		seed := s.Values.Int("seed")
		j.rng[i], j.noise[i] = evalRNG(seed, 0xe7a1), evalRNG(seed, 0x2ec0)
		j.rate[i] = math.NaN()
		if c.busy[i] > time.Millisecond {
			j.rate[i] = float64(c.busySteps[i]) / c.busy[i].Seconds()
		}
	}
	return j, nil
}

// work evaluates slices of rows until budget is spent or all are done,
// and reports whether they are.
func (j *evalJob) work(budget time.Duration) bool {
	start := time.Now()
	rows, dim := j.x.Dims()
	for j.next < rows {
		lo, hi := j.next, min(rows, j.next+evalChunkRows)
		part := j.x.Slice(lo, hi, 0, dim).(*mat.Dense)
		for i, m := range j.models {
			ev := m.Evaluate(part, CompareK, j.rng[i])
			j.elbo[i] = append(j.elbo[i], ev.RowELBO...)
			j.iwae[i] = append(j.iwae[i], ev.RowIWAE...)
			eps := mat.NewDense(hi-lo, m.Config.LatentDim, nil)
			for k := range eps.RawMatrix().Data {
				eps.RawMatrix().Data[k] = j.noise[i].NormFloat64()
			}
			recon, kl := make([]float64, hi-lo), make([]float64, hi-lo)
			m.ELBOWithNoise(nil, recon, kl, part, eps)
			j.recon[i] = append(j.recon[i], recon...)
			j.kl[i] = append(j.kl[i], kl...)
		}
		j.next = hi
		if time.Since(start) >= budget {
			break
		}
	}
	return j.next >= rows
}

// results is the finished table.
func (j *evalJob) results(c *Compare) Results {
	rows, _ := j.x.Dims()
	r := Results{N: rows, K: CompareK, Heldout: j.heldout, Exact: j.exact, Steps: j.steps}
	var active [2]int
	for i, m := range j.models {
		_, active[i] = m.ActiveUnits(j.x)
	}
	row := func(name string, a, b []float64, dec int) ResultRow {
		rr := ResultRow{Metric: name, A: mean(a), B: mean(b), Decimals: dec}
		rr.Spread = pairedSpread(a, b)
		rr.Exceeds = math.Abs(rr.Diff()) > rr.Spread
		return rr
	}
	plain := func(name string, a, b float64, dec int) ResultRow {
		return ResultRow{Metric: name, A: a, B: b, Spread: math.NaN(), Decimals: dec}
	}
	r.Rows = []ResultRow{
		row("ELBO", j.elbo[0], j.elbo[1], 3),
		row(fmt.Sprintf("IWAE (k=%d)", CompareK), j.iwae[0], j.iwae[1], 3),
		row("reconstruction", j.recon[0], j.recon[1], 3),
		row("KL", j.kl[0], j.kl[1], 3),
		plain("active units", float64(active[0]), float64(active[1]), 0),
		plain("steps", float64(j.steps[0]), float64(j.steps[1]), 0),
		plain("steps/s", j.rate[0], j.rate[1], 0),
	}
	return r
}

// pairedSpread is twice the standard error of the mean of B − A over
// compareBatches contiguous batches of the rows (A and B score the same
// rows): a difference below it is within what other held-out batches give.
func pairedSpread(a, b []float64) float64 {
	n := len(a)
	k := compareBatches
	if n < 2*k {
		return math.NaN()
	}
	var means []float64
	for j := range k {
		lo, hi := j*n/k, (j+1)*n/k
		s := 0.0
		for i := lo; i < hi; i++ {
			s += b[i] - a[i]
		}
		means = append(means, s/float64(hi-lo))
	}
	m := mean(means)
	v := 0.0
	for _, x := range means {
		v += (x - m) * (x - m)
	}
	v /= float64(k - 1)
	return 2 * math.Sqrt(v/float64(k))
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// SpreadNote says what the table is and what its ± is, for its caption.
func (r Results) SpreadNote() string {
	what := "held-out"
	if !r.Heldout {
		what = "training (no held-out set)"
	}
	when := fmt.Sprintf("at step %d, all of them (paused)", r.Steps[0])
	if !r.Exact {
		when = fmt.Sprintf("at step %d (while training: the first %d, every 2 s; all once paused)", r.Steps[0], r.N)
	}
	return fmt.Sprintf("%d %s rows %s; ± = 2 s.e. of B − A over %d batches", r.N, what, when, compareBatches)
}

// cloneCanvas copies a drawing (B must not share A's storage).
func cloneCanvas(c *datasets.Canvas) datasets.Canvas {
	var out datasets.Canvas
	for i := range c.Len() {
		x, y, l := c.At(i)
		_ = out.Add(x, y, l)
	}
	return out
}
