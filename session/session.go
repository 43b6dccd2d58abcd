package session

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"gonum.org/v1/gonum/mat"
)

// Mode says where training runs.
type Mode int

const (
	// Inline trains on the caller's goroutine inside a per-frame time
	// budget (the browser's single thread).
	Inline Mode = iota
	// Background trains on a goroutine of its own (the desktop).
	Background
	// Worker trains in a Web Worker once one is attached (AttachWorker),
	// and inline until then or after it failed.
	Worker
)

// Session is one playground session: settings, data, model, trainer and
// history. Its methods are called from one goroutine (the game's); in
// Background mode the trainer runs elsewhere and the session draws from a
// copy of the model.
type Session struct {
	Values *Values
	// Notes are messages about the settings read from a link (values that
	// fell back to defaults or were clamped).
	Notes []string
	// Message is the last status line for the user (errors included).
	Message string
	// Shown are the views and controls the link chose (views=, controls=)
	// and whether it opened an embed (embed=1); Hash keeps them.
	Shown Shown

	Entry datasets.Entry    // the generated set, when the data is one
	Data  *datasets.Dataset // the training set (points)
	X     *mat.Dense        // Data as a matrix
	Drawn datasets.Canvas   // the user's drawing (dataset "drawn")
	// Imported is the last CSV the user imported (dataset "imported").
	Imported *datasets.Dataset

	// Test is held-out data for the views and the held-out bound (images:
	// the published test split, binarised once under a Bernoulli decoder;
	// points: a fresh sample), nil when there is none.
	Test *mat.Dense
	// Assets fetches the files of asset datasets (MNIST); Loading is the
	// fetch in progress, if any.
	Assets  AssetSource
	Loading *Loading

	// Stage2 is the two-stage prior's second VAE once the user fits it.
	Stage2 *SecondStage

	Config  core.Config
	Model   *core.Model // the drawing copy (never the trainer's in Background mode)
	History History
	Playing bool
	// Diverged describes the last skipped step; empty while training is sound.
	Diverged string
	// Comparison is the comparison this session is A of (NewCompare), nil
	// when none; the link then carries it (compare=).
	Comparison *Compare

	compareLink  string // the compare= value of the link the session came from
	compareAsked bool

	mode    Mode
	run     runner
	worker  *workerConn // Worker mode, once attached
	snap    []float64
	steps   int // steps taken, as known to the session
	epoch   int
	owed    float64 // steps owed to the speed cap
	budget  FrameBudget
	clock   FrameClock
	viewRNG *rand.Rand
	// budgetSet: SetBudget chose the next frame's budget (no floor).
	budgetSet bool
	// Version rises whenever the model the views draw changes.
	Version int
	// DataVersion rises when the training data change.
	DataVersion int
	skippedRun  int
	assetCache  map[string][]byte
	decoded     *datasets.Dataset
	decodedKey  string
}

// unlimitedSteps is the per-frame step cap when speed is "max".
const unlimitedSteps = 1 << 20

// New starts a session from the settings in a URL hash ("" for defaults).
func New(hash string, mode Mode) (*Session, error) {
	return NewWithAssets(hash, mode, nil)
}

// NewWithAssets is New with a source for the asset datasets (MNIST).
func NewWithAssets(hash string, mode Mode, assets AssetSource) (*Session, error) {
	v, notes, extra := Decode(hash)
	s := &Session{Values: v, Notes: notes, mode: mode, budget: NewFrameBudget(InitialBudget, MinBudget, MaxBudget), Assets: assets}
	s.compareLink, s.compareAsked = extra[CompareKey]
	var shownNotes []string
	s.Shown, shownNotes = parseShown(extra)
	s.Notes = append(s.Notes, shownNotes...)
	if pts, ok := extra["pts"]; ok {
		if err := s.decodePoints(pts); err != nil {
			s.Notes = append(s.Notes, "drawn points: "+err.Error())
		}
	}
	if err := s.Rebuild(); errors.Is(err, errLoading) {
		// Start on the defaults while the linked data arrive.
		s.Values = NewValues()
		if err := s.Rebuild(); err != nil {
			return nil, err
		}
		s.Message = fmt.Sprintf("loading %s…", s.Loading.Set)
	} else if err != nil {
		// The link asked for something that cannot be built. Drawn or
		// imported points travel in no link ("copy link" after a CSV gives
		// data=imported): try the default data set with the link's other
		// settings first, which used to be dropped too, then all defaults.
		note := err.Error() + ": defaults used"
		if ds := Lookup(s.Values, "data"); s.Values.Get("data") != ds.Default {
			kept := s.Values.Clone()
			if s.Values.Set("data", ds.Default) == nil && s.Rebuild() == nil {
				note = fmt.Sprintf("%s: %s used, the other settings kept", err, ds.Format(ds.Default))
			} else {
				s.Values = kept
			}
		}
		if s.Model == nil {
			s.Values = NewValues()
			if err := s.Rebuild(); err != nil {
				return nil, err
			}
		}
		s.Notes = append(s.Notes, note)
	}
	return s, nil
}

// Close stops the trainer.
func (s *Session) Close() {
	if s.run != nil {
		s.run.stop()
		s.run = nil
	}
}

// Hyper are the live training settings.
func (s *Session) Hyper() core.Hyper {
	v := s.Values
	h := core.DefaultHyper()
	h.LearningRate = v.Get("lr")
	h.Beta = v.Get("beta")
	h.WarmupSteps = v.Int("warmup")
	h.FreeBits = v.Get("freebits")
	h.MMDWeight = v.Get("mmd")
	h.MMDKernel = v.Choice("mmdk")
	// Grey images under a Bernoulli decoder train on batches binarised
	// afresh each time they are drawn.
	h.Binarize = v.Choice("lik") == "bernoulli" && IsImageSet(v.Choice("data"))
	return h
}

// ModelConfig is the architecture the settings describe.
func (s *Session) ModelConfig() core.Config {
	v := s.Values
	cfg := core.DefaultConfig2D()
	cfg.LatentDim = v.Int("latent")
	hidden := make([]int, v.Int("depth"))
	for i := range hidden {
		hidden[i] = v.Int("width")
	}
	cfg.EncoderHidden, cfg.DecoderHidden = hidden, append([]int(nil), hidden...)
	cfg.Activation = v.Choice("act")
	switch v.Choice("lik") {
	case "gaussian":
		cfg.Likelihood, cfg.Variance = "gaussian", core.VariancePerDim
	case "gaussian-scalar":
		cfg.Likelihood, cfg.Variance = "gaussian", core.VarianceScalar
	case "bernoulli":
		cfg.Likelihood, cfg.Variance = "bernoulli", ""
	}
	cfg.Prior = core.PriorConfig{Kind: v.Choice("prior"), Components: v.Int("comps"),
		FlowKind: v.Choice("pflow"), FlowLayers: v.Int("pflowK")}
	if f := v.Choice("flow"); f != "none" {
		cfg.PosteriorFlow = core.FlowConfig{Kind: f, Layers: v.Int("flowK"), Amortized: true}
	}
	if v.Get("bayes") != 0 {
		cfg.Bayes = core.BayesConfig{Decoder: true}
	}
	return cfg
}

// loadData makes the training set the settings name.
func (s *Session) loadData() (*datasets.Dataset, error) {
	name := s.Values.Choice("data")
	switch name {
	case DrawnSet:
		if s.Drawn.Len() == 0 {
			return nil, errors.New("no points drawn yet: choose 'drawn' and click in the data view to add points")
		}
		return s.Drawn.Dataset()
	case ImportedSet:
		if s.Imported == nil {
			return nil, errors.New("no CSV imported yet: drop a file of x,y[,label] rows on the window")
		}
		return s.Imported, nil
	}
	e, ok := datasets.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown dataset %q", name)
	}
	p := datasets.Params{}
	for _, d := range DataSettings(name) {
		p[strings.TrimPrefix(d.Key, dataPrefix)] = s.Values.Get(d.Key)
	}
	var ds *datasets.Dataset
	var err error
	if e.Source == datasets.Asset {
		ds, err = s.assetData(e, p)
	} else {
		ds, err = e.Generate(rand.New(rand.NewPCG(uint64(s.Values.Int("dseed")), 0xda7a)), p)
	}
	if err == nil {
		s.Entry = e
	}
	return ds, err
}

// Rebuild makes data, model and trainer anew from the settings. On error
// the running session is left as it was.
func (s *Session) Rebuild() error {
	ds, err := s.loadData()
	if err != nil {
		return err
	}
	if ds.Kind == datasets.Points2D && ds.D != 2 {
		return fmt.Errorf("dataset %s is not a 2-D point set", ds.Name)
	}
	x := rowsOf(ds)
	cfg := s.ModelConfig()
	cfg.DataDim = ds.D
	if cfg.Likelihood == "bernoulli" && !inUnit(x.RawMatrix().Data) {
		return errors.New("a Bernoulli decoder needs data in [0, 1]; points are not: choose a Gaussian decoder")
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	seed := uint64(s.Values.Int("seed"))
	model, err := core.NewModel(cfg, rand.New(rand.NewPCG(seed, 0x1417)))
	if err != nil {
		return err
	}
	h := s.Hyper()
	tr, err := core.NewTrainer(model, x, s.Values.Int("batch"), h, seed)
	if err != nil {
		return err
	}
	if err := s.install(ds, x, cfg, tr); err != nil {
		return err
	}
	s.Test = s.heldOut(ds, cfg)
	return nil
}

// install swaps in a new trainer (built from ds and cfg) and resets the
// history.
func (s *Session) install(ds *datasets.Dataset, x *mat.Dense, cfg core.Config, tr *core.Trainer) error {
	draw, err := core.NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		return err
	}
	snap := tr.Model.Snapshot(nil)
	if err := draw.Restore(snap); err != nil {
		return err
	}
	s.Close()
	s.Data, s.X, s.Config, s.Model, s.snap = ds, x, cfg, draw, snap
	s.run = s.runnerFor(tr, x)
	s.History = History{}
	s.Stage2 = nil
	s.steps, s.epoch = tr.Steps(), tr.Epoch()
	s.Diverged, s.skippedRun, s.owed = "", 0, 0
	s.viewRNG = rand.New(rand.NewPCG(uint64(s.Values.Int("seed")), 0x7135))
	s.Version++
	s.DataVersion++
	return nil
}

func inUnit(x []float64) bool {
	for _, v := range x {
		if !(v >= 0 && v <= 1) {
			return false
		}
	}
	return true
}

// Steps is the number of training steps taken.
func (s *Session) Steps() int { return s.steps }

// Epoch is the number of completed passes over the data.
func (s *Session) Epoch() int { return s.epoch }

// Budget is the current inline training budget per frame.
func (s *Session) Budget() time.Duration { return s.budget.D }

// SetBudget sets the inline training budget of the next frame (it adapts
// from there, and the slow frames' floor does not raise it): benchmarks set
// it to 0 for one step a frame.
func (s *Session) SetBudget(d time.Duration) { s.budget.D, s.budgetSet = d, true }

// Tick is called once per frame: it trains (inline within the frame
// budget, which adapts to the frame time measured since the last tick),
// collects results and refreshes the drawing model. It returns whether the
// model changed.
func (s *Session) Tick(now time.Time) bool {
	dt := s.clock.Tick(now)
	s.pollLoading()
	s.fitSecondStage(max(s.budget.D, 4*time.Millisecond))
	if s.trainsInline() {
		// Frames running long: train less. Frames on time: try a little more.
		s.budget.Adapt(dt)
	}
	rate := speedStepsPerSecond[s.Values.Int("speed")]
	maxSteps := unlimitedSteps
	if rate > 0 {
		s.owed = math.Min(s.owed+rate*min(dt, 100*time.Millisecond).Seconds(), rate)
		maxSteps = int(s.owed)
	}
	budget := s.budget.D
	if s.trainsInline() && !s.budgetSet {
		// Slow frames (a slow device, a loaded machine) still give
		// training a quarter of the time between them, so that the model
		// learns in step with the clock and not with the frame count: a
		// step dearer than the shrunken budget ran only every few dozen
		// frames, which at a frame a second was minutes.
		budget = max(budget, min(dt, time.Second)/4)
	}
	s.budgetSet = false
	res := s.run.advance(s.Playing, budget, maxSteps, rate)
	if rate > 0 && s.trainsInline() {
		s.owed -= float64(len(res))
	}
	s.record(res)
	return s.refresh()
}

// refresh copies new parameters into the drawing model.
func (s *Session) refresh() bool {
	snap, ok := s.run.snapshot(s.snap)
	s.snap = snap
	if !ok {
		return false
	}
	if err := s.Model.Restore(s.snap); err != nil {
		// Only a non-finite snapshot can fail; training already refuses
		// such steps, so keep the last good picture.
		s.Message = "model snapshot refused: " + err.Error()
		return false
	}
	s.Version++
	return true
}

// maxSkippedRun pauses training after this many skipped steps in a row.
const maxSkippedRun = 25

func (s *Session) record(res []core.StepResult) {
	for i := range res {
		r := &res[i]
		s.steps, s.epoch = r.Step, r.Epoch
		s.History.Log.Add(r) // skipped steps too: the export counts them
		if r.Skipped {
			s.skippedRun++
			s.Diverged = fmt.Sprintf("step %d diverged (%s): the step was skipped and the learning rate lowered to %.3g", r.Step, r.Reason, r.LearningRate)
			if s.skippedRun >= maxSkippedRun && s.Playing {
				s.Playing = false
				s.Diverged = fmt.Sprintf("diverged: %d steps in a row were not finite (%s); paused — lower the learning rate or reset", s.skippedRun, r.Reason)
			}
			continue
		}
		s.skippedRun = 0
		s.History.Add(r)
	}
}

// Play starts training; Pause stops it; Toggle switches.
func (s *Session) Play()   { s.Playing = true }
func (s *Session) Pause()  { s.Playing = false }
func (s *Session) Toggle() { s.Playing = !s.Playing }

// Step takes exactly one training step (pausing first).
func (s *Session) Step() core.StepResult {
	s.Playing = false
	s.record(s.run.advance(false, 0, 0, 0)) // drain what the background took
	res := s.run.steps(1)
	s.record(res)
	s.refresh()
	if len(res) == 0 {
		return core.StepResult{}
	}
	return res[0]
}

// StepN takes n steps at once, paused (tests and replay).
func (s *Session) StepN(n int) {
	s.Playing = false
	s.record(s.run.advance(false, 0, 0, 0))
	s.record(s.run.steps(n))
	s.refresh()
}

// Reset rebuilds the model from the settings (same seed: the same start).
func (s *Session) Reset() error {
	playing := s.Playing
	if err := s.Rebuild(); err != nil {
		s.Message = err.Error()
		return err
	}
	s.Playing = playing
	s.Message = "reset: new model from the seed"
	return nil
}

// Set changes one setting by its text value (as a URL writes it) and acts
// on it: live settings reach the trainer at its next step, rebuild
// settings make a new model (and say so), view settings only redraw; the
// flow lab's settings (Setting.Lab) only raise Version, which the lab
// follows (a new fit for Refit ones). A bad
// value or a configuration that cannot be built leaves the session as it
// was and returns the error.
func (s *Session) Set(key, text string) error {
	x, err := s.Values.Parse(key, text)
	if err != nil {
		return err
	}
	return s.SetValue(key, x)
}

// SetValue is Set with a number (a choice's index).
func (s *Session) SetValue(key string, x float64) error {
	st := Lookup(s.Values, key)
	if st == nil {
		return fmt.Errorf("unknown setting %q", clip(key, 24))
	}
	old := s.Values.Clone()
	if err := s.Values.Set(key, x); err != nil {
		return err
	}
	if st.Lab {
		// The flow lab's own (Refit, Live): it reads them when Version
		// moves; the VAE is untouched.
		s.Version++
		return nil
	}
	switch st.Effect {
	case View:
		s.Version++
	case Live:
		h := s.Hyper()
		if err := h.Validate(); err != nil {
			s.Values = old
			return err
		}
		if key == "batch" {
			if err := s.run.setData(s.X, s.Values.Int("batch")); err != nil {
				s.Values = old
				return err
			}
		}
		s.run.setHyper(h)
		s.Message = fmt.Sprintf("%s = %s (live: training goes on)", st.Label, st.Format(s.Values.Get(key)))
	case Rebuild:
		playing := s.Playing
		if err := s.Rebuild(); errors.Is(err, errLoading) {
			// The data are on their way; this session runs on meanwhile.
			s.Values = old
			s.Message = fmt.Sprintf("loading %s…", s.Loading.Set)
			return nil
		} else if err != nil {
			s.Values = old
			s.Message = err.Error()
			return err
		}
		s.Playing = playing
		s.Message = fmt.Sprintf("%s = %s: new model", st.Label, st.Format(s.Values.Get(key)))
	}
	return nil
}

// Hash is the URL form of the settings (with the drawn points when few).
func (s *Session) Hash() string {
	h := s.Values.Encode()
	if s.Values.Choice("data") == DrawnSet && s.Drawn.Len() > 0 && s.Drawn.Len() <= maxLinkPoints {
		h += "&pts=" + s.encodePoints()
	}
	if s.Comparison != nil {
		h += "&" + CompareKey + "=" + s.Comparison.Spec()
	}
	if sh := s.Shown.encode(); sh != "" {
		h += "&" + sh
	}
	return h
}

// PlaygroundHash is the link of the full playground with the same
// settings: Hash without embed=, views= and controls=.
func (s *Session) PlaygroundHash() string {
	sh := s.Shown
	s.Shown = Shown{}
	defer func() { s.Shown = sh }()
	return s.Hash()
}

// LinkNote says what a copied link leaves out, or "": imported points and
// very many drawn ones travel in no link, which then opens on the default
// data set (a link that silently showed other data puzzled its reader).
func (s *Session) LinkNote() string {
	def := Lookup(s.Values, "data")
	switch s.Values.Choice("data") {
	case ImportedSet:
		return fmt.Sprintf(" (the imported points are not in it: it opens on %s)", def.Format(def.Default))
	case DrawnSet:
		if s.Drawn.Len() > maxLinkPoints {
			return fmt.Sprintf(" (more than %d drawn points are not in it: it opens on %s)", maxLinkPoints, def.Format(def.Default))
		}
	}
	return ""
}

// maxLinkPoints is the most drawn points a link carries.
const maxLinkPoints = 300

func (s *Session) encodePoints() string {
	var b strings.Builder
	for i := range s.Drawn.Len() {
		x, y, l := s.Drawn.At(i)
		if i > 0 {
			b.WriteByte('_')
		}
		fmt.Fprintf(&b, "%s~%s~%d", strconv.FormatFloat(x, 'f', 3, 64), strconv.FormatFloat(y, 'f', 3, 64), l)
	}
	return b.String()
}

func (s *Session) decodePoints(text string) error {
	parts := strings.Split(text, "_")
	if len(parts) > maxLinkPoints {
		return fmt.Errorf("more than %d points", maxLinkPoints)
	}
	var c datasets.Canvas
	for i, p := range parts {
		f := strings.Split(p, "~")
		if len(f) != 3 {
			return fmt.Errorf("point %d malformed", i+1)
		}
		x, err1 := strconv.ParseFloat(f[0], 64)
		y, err2 := strconv.ParseFloat(f[1], 64)
		l, err3 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || err3 != nil {
			return fmt.Errorf("point %d malformed", i+1)
		}
		if err := c.Add(x, y, l); err != nil {
			return fmt.Errorf("point %d: %v", i+1, err)
		}
	}
	s.Drawn = c
	return nil
}

// DataChanged retrains on the current drawn or imported points without a
// new model (when the drawn set is in use).
func (s *Session) dataChanged() error {
	if s.Values.Choice("data") != DrawnSet {
		return nil
	}
	ds, err := s.Drawn.Dataset()
	if err != nil {
		return err
	}
	x := mat.NewDense(ds.N, ds.D, ds.X)
	if err := s.run.setData(x, s.Values.Int("batch")); err != nil {
		return err
	}
	s.Data, s.X = ds, x
	s.DataVersion++
	return nil
}

// AddPoint adds a drawn point (data coordinates) of class label. The first
// point switches the dataset to "drawn".
func (s *Session) AddPoint(x, y float64, label int) error {
	if err := s.Drawn.Add(x, y, label); err != nil {
		return err
	}
	if s.Values.Choice("data") != DrawnSet {
		return s.SetValue("data", float64(indexOf(Lookup(s.Values, "data").Choices, DrawnSet)))
	}
	return s.dataChanged()
}

// ErasePoints removes drawn points within r of (x, y).
func (s *Session) ErasePoints(x, y, r float64) int {
	if s.Drawn.Len() <= 1 {
		return 0
	}
	n := s.Drawn.EraseNear(x, y, r)
	if s.Drawn.Len() == 0 { // never train on nothing
		_ = s.Drawn.Add(x, y, 0)
	}
	if n > 0 {
		_ = s.dataChanged()
	}
	return n
}

// ClearDrawing empties the drawing (the model keeps training on the last
// points until new ones are drawn).
func (s *Session) ClearDrawing() { s.Drawn.Clear() }

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// maxDropBytes bounds a dropped file.
const maxDropBytes = 64 << 20

// LoadFile takes a dropped or imported file: a checkpoint (by content) or
// a CSV of points. A bad file returns an error and leaves the session as it
// was.
func (s *Session) LoadFile(name string, r io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(r, maxDropBytes+1))
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	if len(b) > maxDropBytes {
		return fmt.Errorf("%s: larger than %d MiB", name, maxDropBytes>>20)
	}
	if strings.HasSuffix(strings.ToLower(name), ".csv") || strings.HasSuffix(strings.ToLower(name), ".txt") {
		return s.importCSV(name, b)
	}
	return s.loadCheckpoint(name, b)
}

func (s *Session) importCSV(name string, b []byte) error {
	ds, err := datasets.ReadCSV(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	ds, err = datasets.Normalize(ds, datasets.NormStandardize, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	old := s.Imported
	s.Imported = ds
	if err := s.SetValue("data", float64(indexOf(Lookup(s.Values, "data").Choices, ImportedSet))); err != nil {
		s.Imported = old
		return fmt.Errorf("%s: %w", name, err)
	}
	s.Message = fmt.Sprintf("imported %s: %d points (standardised)", name, ds.N)
	return nil
}

// loadCheckpoint replaces the model with a saved one (the data stay): a
// model checkpoint, or a safetensors file (Save for PyTorch, `vae export`,
// python/vae_playground.py), told apart by their first bytes.
func (s *Session) loadCheckpoint(name string, b []byte) error {
	var m *core.Model
	var err error
	if isSafetensors(b) {
		if m, err = core.ImportSafetensors(bytes.NewReader(b)); err != nil {
			return fmt.Errorf("%s: not a safetensors model this playground can read: %w", name, err)
		}
	} else if m, err = core.LoadModel(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("%s: not a model checkpoint this playground can read: %w", name, err)
	}
	if m.Config.DataDim != s.Data.D {
		return fmt.Errorf("%s: the model is for %d-dimensional data, the current set is %d-dimensional", name, m.Config.DataDim, s.Data.D)
	}
	tr, err := core.NewTrainer(m, s.X, s.Values.Int("batch"), s.Hyper(), uint64(s.Values.Int("seed")))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	playing := s.Playing
	if err := s.install(s.Data, s.X, m.Config, tr); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	s.Playing = playing
	s.syncValues(m.Config)
	s.Message = fmt.Sprintf("loaded %s: %s", name, m)
	return nil
}

// syncValues moves the model settings to what a loaded config says, where
// the table can express it.
func (s *Session) syncValues(c core.Config) {
	set := func(k string, x float64) {
		if st := Lookup(s.Values, k); st != nil && st.Check(x) == nil {
			s.Values.m[k] = x
		}
	}
	choose := func(k, name string) {
		if st := Lookup(s.Values, k); st != nil {
			if i := indexOf(st.Choices, name); i >= 0 {
				s.Values.m[k] = float64(i)
			}
		}
	}
	set("latent", float64(c.LatentDim))
	if len(c.EncoderHidden) > 0 {
		set("depth", float64(len(c.EncoderHidden)))
		set("width", float64(c.EncoderHidden[0]))
	}
	choose("act", c.Activation)
	choose("prior", c.Prior.Kind)
	set("comps", float64(c.Prior.Components))
	choose("pflow", c.Prior.FlowKind)
	set("pflowK", float64(c.Prior.FlowLayers))
	if c.PosteriorFlow.Kind == "" {
		choose("flow", "none")
	} else {
		choose("flow", c.PosteriorFlow.Kind)
		set("flowK", float64(c.PosteriorFlow.Layers))
	}
	set("bayes", map[bool]float64{false: 0, true: 1}[c.Bayes.Decoder])
}

// SaveModel writes the current model's checkpoint.
func (s *Session) SaveModel(w io.Writer) error {
	return s.run.saveModel(w)
}

// SaveSafetensors writes the current model as a safetensors file for
// PyTorch (core.ExportSafetensors; python/vae_playground.py loads it). A
// model the format cannot carry whole (the two-stage prior) is an error.
func (s *Session) SaveSafetensors(w io.Writer) error {
	var ckpt bytes.Buffer
	if err := s.run.saveModel(&ckpt); err != nil {
		return err
	}
	m, err := core.LoadModel(&ckpt)
	if err != nil {
		return err
	}
	return core.ExportSafetensors(w, m)
}

// isSafetensors says whether b starts like a safetensors file: a header
// length far below a checkpoint magic's value, then '{'.
func isSafetensors(b []byte) bool {
	return len(b) > 8 && binary.LittleEndian.Uint64(b) < 1<<32 && b[8] == '{'
}

// TrainerHyper is the training settings the trainer holds now (Hyper is
// what the settings say; a live change reaches the trainer at once).
func (s *Session) TrainerHyper() core.Hyper { return s.run.hyper() }

// Snapshot is a copy of the trainer's parameters now (tests compare runs).
func (s *Session) Snapshot() []float64 {
	return s.run.params()
}

// Projection returns the latent dimensions the views show (settings
// "dimx" and "dimy", kept inside the model's latent and apart).
func (s *Session) Projection() (int, int) {
	d := s.Config.LatentDim
	if d == 1 {
		return 0, 0
	}
	x, y := s.Values.Int("dimx"), s.Values.Int("dimy")
	if x >= d {
		x = 0
	}
	if y >= d || y == x {
		y = (x + 1) % d
	}
	return x, y
}

// SetMixtureComponent moves component k of a mixture prior (mean and
// variances in the full latent dimension) in the trainer; training goes on
// from the moved prior.
func (s *Session) SetMixtureComponent(k int, mean, variance []float64) error {
	err := s.run.setMixture(k, mean, variance)
	if err == nil {
		s.refresh()
	}
	return err
}
