package trainworker

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/vaeplayground/vae/core"
)

// Version is the protocol version this build speaks. Page and worker come
// from the same build, but a page cached beside a newer worker must say so
// rather than misread it.
const Version = 1

const magic = "VAEw"

// headerLen is magic, version, kind, gen and seq.
const headerLen = 4 + 2 + 1 + 4 + 4

// Kind says what a message is.
type Kind uint8

// Commands, page to worker.
const (
	// KindBuild replaces the worker's trainer: Trainer is a trainer
	// checkpoint, Rows×Cols the training data (Data).
	KindBuild Kind = 1 + iota
	// KindRun plays or pauses, with a speed cap (Rate steps/s, 0 = none).
	KindRun
	// KindSteps takes N steps now (the worker is paused).
	KindSteps
	// KindSetHyper gives the trainer new live hyperparameters.
	KindSetHyper
	// KindSetData replaces the training data and the batch size.
	KindSetData
	// KindSetMixture moves component Component of a mixture prior to Mean
	// (and Variance, when given).
	KindSetMixture
	// KindStop drops the trainer.
	KindStop
	// KindSave asks for the trainer's checkpoint (model, optimiser state,
	// position and random state): the page keeps it to resume exactly.
	KindSave
)

// Replies, worker to page.
const (
	// KindReady says the worker is running; Text names its matrix backend.
	KindReady Kind = 64 + iota
	// KindResults carries step results.
	KindResults
	// KindSnapshot carries the parameters (core's Model.Snapshot).
	KindSnapshot
	// KindError reports a refused command (Fatal false: the trainer is as
	// it was) or a broken worker (Fatal true: the page stops using it).
	KindError
	// KindTrainer answers KindSave: Trainer is the trainer checkpoint as of
	// the last step, whose result was sent before it.
	KindTrainer
)

var kindNames = map[Kind]string{
	KindBuild: "build", KindRun: "run", KindSteps: "steps", KindSetHyper: "set-hyper",
	KindSetData: "set-data", KindSetMixture: "set-mixture", KindStop: "stop", KindSave: "save",
	KindReady: "ready", KindResults: "results", KindSnapshot: "snapshot", KindError: "error",
	KindTrainer: "trainer",
}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("kind %d", uint8(k))
}

// Bounds on what a message may hold: far above any model or data set the
// playground makes, far below what would exhaust a browser tab.
const (
	MaxTrainerBytes = 1 << 28 // a trainer checkpoint (three floats per parameter)
	MaxParams       = 1 << 23 // floats in a snapshot (core's checkpoint bound)
	MaxDataValues   = 1 << 26 // floats of training data
	MaxRows         = 1 << 24
	MaxCols         = 1 << 16
	MaxSteps        = 1 << 16 // steps in one KindSteps
	MaxBatch        = 1 << 16
	MaxResults      = 1 << 16 // step results in one message
	MaxLatent       = 1 << 12 // a mixture component's mean or a result's KL per dimension
	MaxComponent    = 1 << 12
	MaxRate         = 1e9
	maxHyperJSON    = 1 << 12
	maxText         = 1 << 12
	maxShortText    = 256
)

// ErrMessage is wrapped by every error about a malformed message.
var ErrMessage = errors.New("trainworker: bad message")

// Message is one message either way. Which fields count depends on Kind;
// the others are zero.
type Message struct {
	Kind Kind
	Gen  uint32 // the trainer the message is about
	Seq  uint32 // a command's number; in a reply, the last command handled

	Trainer []byte    // build, trainer: a trainer checkpoint
	Rows    int       // build, set-data: rows of Data
	Cols    int       // build, set-data: columns of Data
	Data    []float64 // build, set-data: training data, row-major
	Batch   int       // set-data

	Playing bool    // run
	Rate    float64 // run: steps per second, 0 = unlimited
	N       int     // steps

	Hyper core.Hyper // set-hyper

	Component int       // set-mixture
	Mean      []float64 // set-mixture
	Variance  []float64 // set-mixture: nil keeps the variance

	Results []core.StepResult // results
	Params  []float64         // snapshot
	Text    string            // ready: the backend; error: what went wrong
	Fatal   bool              // error
}

// Encode writes m in the protocol's form. It checks the bounds a decoder
// checks, so that one end never sends what the other refuses.
func Encode(m Message) ([]byte, error) {
	e := encoder{b: make([]byte, 0, headerLen+sizeHint(&m))}
	e.b = append(e.b, magic...)
	e.u16(Version)
	e.b = append(e.b, byte(m.Kind))
	e.u32(m.Gen)
	e.u32(m.Seq)
	switch m.Kind {
	case KindBuild:
		if len(m.Trainer) > MaxTrainerBytes {
			return nil, fmt.Errorf("%w: trainer checkpoint of %d bytes", ErrMessage, len(m.Trainer))
		}
		e.bytes(m.Trainer)
		if err := e.matrix(m.Rows, m.Cols, m.Data); err != nil {
			return nil, err
		}
	case KindRun:
		if !(m.Rate >= 0 && m.Rate <= MaxRate) {
			return nil, fmt.Errorf("%w: rate %v", ErrMessage, m.Rate)
		}
		e.bool(m.Playing)
		e.f64(m.Rate)
	case KindSteps:
		if m.N < 1 || m.N > MaxSteps {
			return nil, fmt.Errorf("%w: %d steps", ErrMessage, m.N)
		}
		e.u32(uint32(m.N))
	case KindSetHyper:
		js, err := json.Marshal(m.Hyper)
		if err != nil {
			return nil, err
		}
		e.bytes(js)
	case KindSetData:
		if err := e.matrix(m.Rows, m.Cols, m.Data); err != nil {
			return nil, err
		}
		if m.Batch < 1 || m.Batch > MaxBatch {
			return nil, fmt.Errorf("%w: batch %d", ErrMessage, m.Batch)
		}
		e.u32(uint32(m.Batch))
	case KindSetMixture:
		if m.Component < 0 || m.Component >= MaxComponent || len(m.Mean) > MaxLatent || len(m.Variance) > MaxLatent {
			return nil, fmt.Errorf("%w: mixture component %d (%d, %d values)", ErrMessage, m.Component, len(m.Mean), len(m.Variance))
		}
		e.u32(uint32(m.Component))
		e.floats(m.Mean)
		e.bool(m.Variance != nil)
		if m.Variance != nil {
			e.floats(m.Variance)
		}
	case KindStop, KindSave:
	case KindTrainer:
		if len(m.Trainer) > MaxTrainerBytes {
			return nil, fmt.Errorf("%w: trainer checkpoint of %d bytes", ErrMessage, len(m.Trainer))
		}
		e.bytes(m.Trainer)
	case KindReady:
		e.str(m.Text, maxShortText)
	case KindResults:
		if len(m.Results) > MaxResults {
			return nil, fmt.Errorf("%w: %d results", ErrMessage, len(m.Results))
		}
		e.u32(uint32(len(m.Results)))
		for i := range m.Results {
			if err := e.result(&m.Results[i]); err != nil {
				return nil, err
			}
		}
	case KindSnapshot:
		if len(m.Params) > MaxParams {
			return nil, fmt.Errorf("%w: %d parameters", ErrMessage, len(m.Params))
		}
		e.floats(m.Params)
	case KindError:
		e.bool(m.Fatal)
		e.str(m.Text, maxText)
	default:
		return nil, fmt.Errorf("%w: unknown %v", ErrMessage, m.Kind)
	}
	return e.b, e.err
}

func sizeHint(m *Message) int {
	return len(m.Trainer) + 8*(len(m.Data)+len(m.Params)) + 128*len(m.Results) + 64
}

type encoder struct {
	b   []byte
	err error
}

func (e *encoder) u16(v uint16) { e.b = binary.LittleEndian.AppendUint16(e.b, v) }
func (e *encoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64) { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *encoder) f64(v float64) {
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v))
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) bytes(b []byte) {
	e.u32(uint32(len(b)))
	e.b = append(e.b, b...)
}

// str writes text cut to limit bytes (at a rune boundary), so that an
// over-long error message still travels.
func (e *encoder) str(s string, limit int) {
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	if !utf8.ValidString(s) {
		s = string(bytes.ToValidUTF8([]byte(s), []byte("?")))
	}
	e.bytes([]byte(s))
}

func (e *encoder) floats(xs []float64) {
	e.u32(uint32(len(xs)))
	for _, x := range xs {
		e.f64(x)
	}
}

func (e *encoder) matrix(rows, cols int, data []float64) error {
	if rows < 1 || rows > MaxRows || cols < 1 || cols > MaxCols || rows*cols > MaxDataValues || len(data) != rows*cols {
		return fmt.Errorf("%w: %d×%d data with %d values", ErrMessage, rows, cols, len(data))
	}
	e.u32(uint32(rows))
	e.u32(uint32(cols))
	for _, x := range data {
		e.f64(x)
	}
	return nil
}

func (e *encoder) result(r *core.StepResult) error {
	if r.Step < 0 || r.Epoch < 0 || len(r.KLPerDim) > MaxLatent {
		return fmt.Errorf("%w: step result %d", ErrMessage, r.Step)
	}
	e.u64(uint64(r.Step))
	e.u64(uint64(r.Epoch))
	for _, x := range [...]float64{r.Loss, r.ELBO, r.Recon, r.KL, r.WeightKL, r.MMD, r.Beta, r.GradNorm, r.LearningRate} {
		e.f64(x)
	}
	e.str(r.KLMode, maxShortText)
	e.bool(r.KLPerDim != nil)
	if r.KLPerDim != nil {
		e.floats(r.KLPerDim)
	}
	e.bool(r.Skipped)
	e.str(r.Reason, maxShortText)
	return nil
}

// Decode reads one message, checking everything: magic, version, kind,
// every length against its bound (before allocating), the ranges of
// counts and settings, finite training data and parameters, and that
// nothing follows the message.
func Decode(b []byte) (Message, error) {
	var m Message
	if len(b) < headerLen || string(b[:4]) != magic {
		return m, fmt.Errorf("%w: not a training-worker message", ErrMessage)
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != Version {
		return m, fmt.Errorf("%w: protocol version %d, this build speaks %d", ErrMessage, v, Version)
	}
	m.Kind = Kind(b[6])
	m.Gen = binary.LittleEndian.Uint32(b[7:])
	m.Seq = binary.LittleEndian.Uint32(b[11:])
	d := decoder{b: b, off: headerLen}
	switch m.Kind {
	case KindBuild:
		m.Trainer = d.bytes(MaxTrainerBytes, "trainer checkpoint")
		m.Rows, m.Cols, m.Data = d.matrix()
	case KindRun:
		m.Playing = d.bool("playing")
		m.Rate = d.f64()
		if d.err == nil && !(m.Rate >= 0 && m.Rate <= MaxRate) {
			d.fail("rate %v outside [0, %g]", m.Rate, MaxRate)
		}
	case KindSteps:
		m.N = d.count(MaxSteps, "steps")
		if d.err == nil && m.N < 1 {
			d.fail("0 steps")
		}
	case KindSetHyper:
		js := d.bytes(maxHyperJSON, "hyperparameters")
		if d.err == nil {
			dec := json.NewDecoder(bytes.NewReader(js))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&m.Hyper); err != nil {
				d.fail("hyperparameters: %v", err)
			} else if dec.More() {
				d.fail("hyperparameters: trailing data")
			} else if err := m.Hyper.Validate(); err != nil {
				d.fail("hyperparameters: %v", err)
			}
		}
	case KindSetData:
		m.Rows, m.Cols, m.Data = d.matrix()
		m.Batch = d.count(MaxBatch, "batch")
		if d.err == nil && m.Batch < 1 {
			d.fail("batch 0")
		}
	case KindSetMixture:
		m.Component = d.count(MaxComponent-1, "component")
		m.Mean = d.floats(MaxLatent, "mean", true)
		if d.bool("variance given") {
			m.Variance = d.floats(MaxLatent, "variance", true)
			if m.Variance == nil && d.err == nil {
				m.Variance = []float64{}
			}
		}
	case KindStop, KindSave:
	case KindTrainer:
		m.Trainer = d.bytes(MaxTrainerBytes, "trainer checkpoint")
	case KindReady:
		m.Text = d.str(maxShortText, "backend")
	case KindResults:
		n := d.count(MaxResults, "results")
		// Every result takes at least 2×8 + 9×8 + 4 + 1 + 1 + 4 bytes: a
		// count the message cannot hold is refused before allocating.
		if d.err == nil && n > (len(b)-d.off)/98 {
			d.fail("%d results in %d bytes", n, len(b)-d.off)
		}
		if d.err == nil && n > 0 {
			m.Results = make([]core.StepResult, n)
			for i := range m.Results {
				d.result(&m.Results[i])
				if d.err != nil {
					break
				}
			}
		}
	case KindSnapshot:
		m.Params = d.floats(MaxParams, "parameters", true)
	case KindError:
		m.Fatal = d.bool("fatal")
		m.Text = d.str(maxText, "error")
	default:
		return Message{}, fmt.Errorf("%w: unknown %v", ErrMessage, m.Kind)
	}
	if d.err == nil && d.off != len(b) {
		d.fail("%d trailing bytes", len(b)-d.off)
	}
	if d.err != nil {
		return Message{}, d.err
	}
	return m, nil
}

type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrMessage, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) take(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.fail("truncated in %s", what)
		return nil
	}
	s := d.b[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) u32(what string) uint32 {
	if b := d.take(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (d *decoder) u64(what string) uint64 {
	if b := d.take(8, what); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (d *decoder) f64() float64 { return math.Float64frombits(d.u64("number")) }

func (d *decoder) bool(what string) bool {
	b := d.take(1, what)
	if b == nil {
		return false
	}
	if b[0] > 1 {
		d.fail("%s is %d, not 0 or 1", what, b[0])
	}
	return b[0] == 1
}

// count reads a u32 no larger than limit.
func (d *decoder) count(limit int, what string) int {
	n := d.u32(what)
	if d.err == nil && uint64(n) > uint64(limit) {
		d.fail("%s %d exceeds %d", what, n, limit)
		return 0
	}
	return int(n)
}

func (d *decoder) bytes(limit int, what string) []byte {
	n := d.count(limit, what+" length")
	b := d.take(n, what)
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

func (d *decoder) str(limit int, what string) string {
	b := d.take(d.count(limit, what+" length"), what)
	if d.err == nil && !utf8.Valid(b) {
		d.fail("%s is not UTF-8", what)
		return ""
	}
	return string(b)
}

// floats reads a counted list; finite demands finite values.
func (d *decoder) floats(limit int, what string, finite bool) []float64 {
	n := d.count(limit, what+" length")
	b := d.take(8*n, what)
	if b == nil || n == 0 {
		return nil
	}
	return d.values(b, n, what, finite)
}

func (d *decoder) values(b []byte, n int, what string, finite bool) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		if finite && (math.IsNaN(xs[i]) || math.IsInf(xs[i], 0)) {
			d.fail("%s value %d is not finite", what, i)
			return nil
		}
	}
	return xs
}

func (d *decoder) matrix() (rows, cols int, data []float64) {
	rows = d.count(MaxRows, "rows")
	cols = d.count(MaxCols, "columns")
	if d.err != nil {
		return 0, 0, nil
	}
	if rows < 1 || cols < 1 || rows*cols > MaxDataValues {
		d.fail("%d×%d data", rows, cols)
		return 0, 0, nil
	}
	b := d.take(8*rows*cols, "data")
	if b == nil {
		return 0, 0, nil
	}
	return rows, cols, d.values(b, rows*cols, "data", true)
}

func (d *decoder) result(r *core.StepResult) {
	step, epoch := d.u64("step"), d.u64("epoch")
	if d.err == nil && (step > 1<<50 || epoch > 1<<50) {
		d.fail("step counters out of range")
	}
	r.Step, r.Epoch = int(step), int(epoch)
	// Losses of a skipped step are not finite: any number goes here.
	for _, p := range [...]*float64{&r.Loss, &r.ELBO, &r.Recon, &r.KL, &r.WeightKL, &r.MMD, &r.Beta, &r.GradNorm, &r.LearningRate} {
		*p = d.f64()
	}
	r.KLMode = d.str(maxShortText, "KL mode")
	if d.bool("KL per dimension given") {
		r.KLPerDim = d.floats(MaxLatent, "KL per dimension", false)
		if r.KLPerDim == nil && d.err == nil {
			r.KLPerDim = []float64{}
		}
	}
	r.Skipped = d.bool("skipped")
	r.Reason = d.str(maxShortText, "reason")
}

// KindOf is the kind of an encoded message, without decoding it (0 when b
// is not one); a queue uses it to keep only the newest snapshot.
func KindOf(b []byte) Kind {
	if len(b) < headerLen || string(b[:4]) != magic {
		return 0
	}
	return Kind(b[6])
}
