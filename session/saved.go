package session

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
)

// A saved session is what autosave keeps between visits: the settings (as a
// link writes them), the trainer's checkpoint (model, optimiser and random
// state, position in the data: core's Trainer.Save), the step count, the
// loss history and the drawn or imported points. Resuming one continues the
// run bit for bit.
//
// The record, little-endian:
//
//	magic "VAEsess\x00" | version u32 | meta length u32 | meta | crc32c(all before) u32 |
//	trainer length u64 | trainer checkpoint
//
// meta holds the JSON summary, the history and the points. Its CRC covers
// everything before the checkpoint; the checkpoint carries its own CRC and
// version (core checks them on load), so a large model's megabytes are not
// summed twice on the drawing thread.
const (
	savedMagic   = "VAEsess\x00"
	SavedVersion = 1
	// maxSavedMeta bounds the meta part (a full history and the most
	// points a canvas or an import holds are far below it).
	maxSavedMeta = 64 << 20
	// maxSavedTrainer bounds the checkpoint (the worker protocol's bound).
	maxSavedTrainer = 1 << 28
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrSaved is wrapped by every error about an unreadable saved session.
var ErrSaved = errors.New("saved session")

// Saved is a decoded saved session.
type Saved struct {
	// Hash is the settings in their link form.
	Hash string
	// Steps and Epoch are where training stood.
	Steps, Epoch int
	// SavedAt is when the record was made.
	SavedAt time.Time
	// Dataset and Prior name the data and the prior, for the question
	// asked before resuming.
	Dataset, Prior string

	history  History
	drawn    datasets.Canvas
	imported *datasets.Dataset
	trainer  []byte
}

// savedSummary is the JSON head of the meta part.
type savedSummary struct {
	Hash    string `json:"hash"`
	Steps   int    `json:"steps"`
	Epoch   int    `json:"epoch"`
	SavedAt int64  `json:"savedAt"` // Unix milliseconds
	Dataset string `json:"dataset"`
	Prior   string `json:"prior"`
}

// Summary says in a line what the saved session is.
func (sv *Saved) Summary() string {
	return fmt.Sprintf("step %d, %s, %s prior, saved %s", sv.Steps, sv.Dataset, sv.Prior, sv.SavedAt.Local().Format("2006-01-02 15:04")) // digits: no month name to translate
}

// RequestSave asks the trainer for its checkpoint; TakeSave returns the
// encoded saved session once it has come (at once in a session that trains
// on the page or in the background, a frame or two later from a worker).
func (s *Session) RequestSave() { s.run.requestTrainer() }

// TakeSave returns the saved session's bytes once the checkpoint asked for
// by RequestSave has come.
func (s *Session) TakeSave(now time.Time) ([]byte, bool) {
	ckpt, step, ok := s.run.takeTrainer()
	if !ok {
		return nil, false
	}
	b, err := s.encodeSaved(ckpt, step, now)
	if err != nil {
		s.Message = "autosave: " + err.Error()
		return nil, false
	}
	return b, true
}

func (s *Session) encodeSaved(ckpt []byte, step int, now time.Time) ([]byte, error) {
	if len(ckpt) > maxSavedTrainer {
		return nil, fmt.Errorf("the trainer checkpoint has %d bytes, more than a saved session holds", len(ckpt))
	}
	head, err := json.Marshal(savedSummary{Hash: s.Hash(), Steps: step, Epoch: s.epoch, SavedAt: now.UnixMilli(),
		Dataset: s.Values.Choice("data"), Prior: s.Values.Choice("prior")})
	if err != nil {
		return nil, err
	}
	var w savedWriter
	w.bytes(head)
	// The history up to the checkpoint's step (a worker may have sent a
	// few more results since).
	h := &s.History
	n := len(h.Step)
	for n > 0 && h.Step[n-1] > float64(step) {
		n--
	}
	w.u64(uint64(h.Stride))
	w.u64(uint64(h.count))
	w.f64(h.Ema)
	for _, xs := range [][]float64{h.Step[:n], h.Loss[:n], h.Recon[:n], h.KL[:n]} {
		w.floats(xs)
	}
	w.u64(uint64(h.Last.Step))
	for _, x := range []float64{h.Last.ELBO, h.Last.Recon, h.Last.KL, h.Last.Loss} {
		w.f64(x)
	}
	w.floats(h.Last.KLPerDim)
	// The drawn points, all of them (a link carries only a few hundred).
	xy := make([]float64, 0, 3*s.Drawn.Len())
	for i := range s.Drawn.Len() {
		x, y, l := s.Drawn.At(i)
		xy = append(xy, x, y, float64(l))
	}
	w.floats(xy)
	// The imported points, as the session holds them (standardised).
	if im := s.Imported; im != nil && im.X != nil {
		w.u64(1)
		w.str(im.Name)
		w.u64(uint64(im.N))
		w.u64(uint64(im.D))
		w.floats(im.X)
		labels := make([]float64, len(im.Labels))
		for i, l := range im.Labels {
			labels[i] = float64(l)
		}
		w.floats(labels)
		w.u64(uint64(len(im.LabelNames)))
		for _, name := range im.LabelNames {
			w.str(name)
		}
	} else {
		w.u64(0)
	}
	meta := w.b

	out := make([]byte, 0, len(savedMagic)+12+len(meta)+12+len(ckpt))
	out = append(out, savedMagic...)
	out = binary.LittleEndian.AppendUint32(out, SavedVersion)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(meta)))
	out = append(out, meta...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
	out = binary.LittleEndian.AppendUint64(out, uint64(len(ckpt)))
	out = append(out, ckpt...)
	return out, nil
}

// ReadSaved decodes a saved session, checking its magic, version, lengths
// (before allocating) and CRC; the trainer checkpoint inside is checked
// when Resume loads it. Any fault is an error wrapping ErrSaved.
func ReadSaved(b []byte) (*Saved, error) {
	fail := func(format string, args ...any) (*Saved, error) {
		return nil, fmt.Errorf("%w: %s", ErrSaved, fmt.Sprintf(format, args...))
	}
	if len(b) < len(savedMagic)+8 || string(b[:len(savedMagic)]) != savedMagic {
		return fail("not a saved session")
	}
	off := len(savedMagic)
	if v := binary.LittleEndian.Uint32(b[off:]); v != SavedVersion {
		return fail("version %d, this build reads %d", v, SavedVersion)
	}
	metaLen := int(binary.LittleEndian.Uint32(b[off+4:]))
	off += 8
	if metaLen > maxSavedMeta || metaLen > len(b)-off-4-8 {
		return fail("truncated (meta of %d bytes in a record of %d)", metaLen, len(b))
	}
	meta := b[off : off+metaLen]
	off += metaLen
	if want := binary.LittleEndian.Uint32(b[off:]); crc32.Checksum(b[:off], castagnoli) != want {
		return fail("its checksum does not match (written in part, or damaged)")
	}
	off += 4
	ckptLen := binary.LittleEndian.Uint64(b[off:])
	off += 8
	if ckptLen > maxSavedTrainer || ckptLen != uint64(len(b)-off) {
		return fail("truncated (trainer checkpoint of %d bytes, %d present)", ckptLen, len(b)-off)
	}
	sv := &Saved{trainer: b[off:]}

	r := savedReader{b: meta}
	var head savedSummary
	if err := json.Unmarshal(r.bytes(1<<20), &head); err != nil && r.err == nil {
		r.err = fmt.Errorf("summary: %v", err)
	}
	sv.Hash, sv.Steps, sv.Epoch = head.Hash, head.Steps, head.Epoch
	sv.SavedAt, sv.Dataset, sv.Prior = time.UnixMilli(head.SavedAt), head.Dataset, head.Prior
	h := &sv.history
	h.Stride = r.count(1<<40, "stride")
	h.count = r.count(1<<50, "step count")
	h.Ema = r.f64()
	h.Step = r.floats(maxHistory, "history")
	h.Loss = r.floats(maxHistory, "history")
	h.Recon = r.floats(maxHistory, "history")
	h.KL = r.floats(maxHistory, "history")
	if r.err == nil && (len(h.Loss) != len(h.Step) || len(h.Recon) != len(h.Step) || len(h.KL) != len(h.Step)) {
		r.err = errors.New("history series of different lengths")
	}
	h.Last.Step = r.count(1<<50, "last step")
	for _, p := range []*float64{&h.Last.ELBO, &h.Last.Recon, &h.Last.KL, &h.Last.Loss} {
		*p = r.f64()
	}
	h.Last.KLPerDim = r.floats(core.MaxLatentDim, "KL per dimension")
	xy := r.floats(3*datasets.MaxDrawnRows, "drawn points")
	if r.err == nil && len(xy)%3 != 0 {
		r.err = errors.New("drawn points not in triples")
	}
	for i := 0; r.err == nil && i+2 < len(xy); i += 3 {
		if err := sv.drawn.Add(xy[i], xy[i+1], int(xy[i+2])); err != nil {
			r.err = fmt.Errorf("drawn point %d: %v", i/3+1, err)
		}
	}
	if r.count(1, "imported flag") == 1 {
		im := &datasets.Dataset{Kind: datasets.Points2D}
		im.Name = r.str(256, "imported name")
		im.N = r.count(datasets.MaxCSVRows, "imported rows")
		im.D = r.count(2, "imported columns")
		im.X = r.floats(2*datasets.MaxCSVRows, "imported points")
		labels := r.floats(datasets.MaxCSVRows, "imported labels")
		for range r.count(datasets.MaxLabels, "label names") {
			im.LabelNames = append(im.LabelNames, r.str(256, "label name"))
		}
		if r.err == nil && (im.D != 2 || len(im.X) != im.N*im.D || (len(labels) != 0 && len(labels) != im.N)) {
			r.err = fmt.Errorf("imported points: %d values for %d×%d", len(im.X), im.N, im.D)
		}
		for _, l := range labels {
			if r.err == nil && !(l >= 0 && int(l) < max(1, len(im.LabelNames)) && l == math.Trunc(l)) {
				r.err = fmt.Errorf("imported label %v", l)
			}
			im.Labels = append(im.Labels, int(l))
		}
		sv.imported = im
	}
	if r.err == nil && r.off != len(r.b) {
		r.err = fmt.Errorf("%d trailing bytes in the meta part", len(r.b)-r.off)
	}
	if r.err != nil {
		return fail("%v", r.err)
	}
	return sv, nil
}

// Resume starts a session where the saved one stood: the same settings and
// data, the trainer from its checkpoint, the history and the points. It may
// fetch an image set (it blocks while it does: call it before the game
// runs). On error nothing is kept; the caller starts fresh.
func Resume(sv *Saved, mode Mode, assets AssetSource) (*Session, error) {
	v, notes, extra := Decode(sv.Hash)
	if len(notes) > 0 {
		return nil, fmt.Errorf("%w: its settings do not fit this build (%s)", ErrSaved, notes[0])
	}
	s := &Session{Values: v, mode: mode, budget: NewFrameBudget(InitialBudget, MinBudget, MaxBudget), Assets: assets,
		Drawn: sv.drawn, Imported: sv.imported}
	delete(extra, "pts") // all the drawn points came with the record
	s.Shown, _ = parseShown(extra)
	if e, ok := datasets.Lookup(v.Choice("data")); ok && e.Source == datasets.Asset && assets != nil {
		b, err := assets.Fetch(e.Asset, func(int64, int64) {})
		if err != nil {
			return nil, fmt.Errorf("resume: %s: %w", e.Name, err)
		}
		s.assetCache = map[string][]byte{e.Asset: b}
	}
	if err := s.Rebuild(); err != nil {
		s.Close()
		return nil, fmt.Errorf("resume: %w", err)
	}
	tr, err := core.LoadTrainer(bytes.NewReader(sv.trainer), s.X)
	if err == nil && tr.Model.Config.DataDim != s.Data.D {
		err = fmt.Errorf("the checkpoint is for %d-dimensional data, the set is %d-dimensional", tr.Model.Config.DataDim, s.Data.D)
	}
	if err == nil {
		err = s.install(s.Data, s.X, tr.Model.Config, tr)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("%w: %v", ErrSaved, err)
	}
	s.Config = tr.Model.Config
	s.History = sv.history
	s.steps, s.epoch = sv.Steps, sv.Epoch
	s.Message = "resumed: " + sv.Summary()
	return s, nil
}

type savedWriter struct{ b []byte }

func (w *savedWriter) u64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *savedWriter) f64(v float64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v))
}
func (w *savedWriter) bytes(p []byte) { w.u64(uint64(len(p))); w.b = append(w.b, p...) }
func (w *savedWriter) str(s string)   { w.bytes([]byte(s)) }
func (w *savedWriter) floats(xs []float64) {
	w.u64(uint64(len(xs)))
	for _, x := range xs {
		w.f64(x)
	}
}

// savedReader reads the meta part; the first fault sticks.
type savedReader struct {
	b   []byte
	off int
	err error
}

func (r *savedReader) take(n uint64, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)-r.off) {
		r.err = fmt.Errorf("truncated in %s", what)
		return nil
	}
	p := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return p
}

func (r *savedReader) u64(what string) uint64 {
	p := r.take(8, what)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(p)
}

func (r *savedReader) f64() float64 { return math.Float64frombits(r.u64("number")) }

func (r *savedReader) count(limit int, what string) int {
	v := r.u64(what)
	if r.err == nil && v > uint64(limit) {
		r.err = fmt.Errorf("%s %d above %d", what, v, limit)
		return 0
	}
	return int(v)
}

func (r *savedReader) bytes(limit int) []byte {
	return r.take(uint64(r.count(limit, "length")), "bytes")
}

func (r *savedReader) str(limit int, what string) string {
	return string(r.take(uint64(r.count(limit, what)), what))
}

func (r *savedReader) floats(limit int, what string) []float64 {
	n := r.count(limit, what)
	p := r.take(8*uint64(n), what)
	if p == nil || n == 0 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(p[8*i:]))
	}
	return out
}

// Autosave decides when a session is saved: every Every while training
// moves it, at once when it pauses or changes while paused, and when forced
// (the page is being hidden); never twice for the same state.
type Autosave struct {
	Every time.Duration

	last    time.Time
	key     saveKey // what was last saved
	pending bool
	asked   time.Time // when the pending save was asked for
	forced  bool
}

// autosaveRetry is how long a save may stay unanswered before it is asked
// for again (the worker that was asked may have been given up meanwhile).
const autosaveRetry = 3 * time.Second

// DefaultAutosaveEvery is how often a training session is saved.
const DefaultAutosaveEvery = 5 * time.Second

// Force saves at the next Tick, whatever the time since the last save.
func (a *Autosave) Force() { a.forced = true }

// saveKey tells two states of a session apart: the steps, the settings (in
// their link form) and the drawn points.
type saveKey struct {
	steps, drawn int
	hash         string
}

// Tick is called once a frame with the session's settings in their link
// form (Session.Hash, which the platform computes each frame anyway). It
// asks the session for its saved state when a save is due, and returns the
// record once it has come.
func (a *Autosave) Tick(s *Session, hash string, now time.Time) ([]byte, bool) {
	if a.pending {
		b, ok := s.TakeSave(now)
		if ok {
			a.pending = false
		} else if now.Sub(a.asked) > autosaveRetry {
			a.asked = now
			s.RequestSave()
		}
		return b, ok
	}
	key := saveKey{steps: s.Steps(), drawn: s.Drawn.Len(), hash: hash}
	if a.key == (saveKey{}) && s.Steps() == 0 && s.Drawn.Len() == 0 && s.Imported == nil {
		return nil, false // nothing of the user's yet: keep what an earlier visit saved
	}
	if key == a.key {
		a.forced = false
		return nil, false
	}
	every := a.Every
	if every <= 0 {
		every = DefaultAutosaveEvery
	}
	if s.Playing && !a.forced && now.Sub(a.last) < every {
		return nil, false
	}
	a.key, a.last, a.pending, a.asked, a.forced = key, now, true, now, false
	s.RequestSave()
	return a.Tick(s, hash, now)
}

// Pending says a save was asked for and has not come yet.
func (a *Autosave) Pending() bool { return a.pending }
