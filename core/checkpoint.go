package core

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Checkpoint format, version 2, little-endian:
//
//	magic "VAEPLAY\x00" | version u32 | kind u8 (1 model, 2 trainer)
//	config: u32 length + JSON
//	data source (version 2 on): u32 length + JSON (Model.TrainedOn)
//	params: u64 count + count×f64
//	prior state: u64 count + count×f64 (weights a prior keeps outside the
//	              model's slab, such as the two-stage prior's second VAE; 0 if none)
//	trainer only: hyper u32 length + JSON | Adam t u64, M, V (count×f64 each)
//	              | random state u32 length + bytes | batch, steps, epoch, cursor u64
//	              | permutation u64 length + length×u32
//	CRC-32C (Castagnoli) of everything before it, u32
//
// A reader checks the magic, the version, every length against a limit and
// the checksum before it builds anything, then builds a fresh model: a bad
// file never leaves a half-loaded model behind. Version 1 files (no data
// source; hyperparameters without Binarize) still load.

const (
	checkpointMagic   = "VAEPLAY\x00"
	checkpointVersion = 2
	// oldestCheckpointVersion is the oldest format this build still reads.
	oldestCheckpointVersion = 1
	kindModel               = 1
	kindTrainer             = 2

	maxJSONBytes = 1 << 16
	maxParams    = 1 << 23 // 8 Mi floats (64 MiB): far above any browser model
	maxPermLen   = 1 << 24
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCheckpoint is wrapped by every error about a malformed checkpoint.
var ErrCheckpoint = errors.New("core: bad checkpoint")

func badCheckpoint(format string, args ...any) error {
	// The detail often wraps another core error; its own "core: " would
	// repeat the prefix ErrCheckpoint already carries.
	return fmt.Errorf("%w: %s", ErrCheckpoint, strings.TrimPrefix(fmt.Sprintf(format, args...), "core: "))
}

type checkpointWriter struct {
	w   io.Writer
	crc uint32
	err error
}

func (cw *checkpointWriter) bytes(b []byte) {
	if cw.err != nil {
		return
	}
	cw.crc = crc32.Update(cw.crc, castagnoli, b)
	_, cw.err = cw.w.Write(b)
}

func (cw *checkpointWriter) u32(v uint32) { cw.bytes(binary.LittleEndian.AppendUint32(nil, v)) }
func (cw *checkpointWriter) u64(v uint64) { cw.bytes(binary.LittleEndian.AppendUint64(nil, v)) }

func (cw *checkpointWriter) floats(xs []float64) {
	buf := make([]byte, 0, 8*len(xs))
	for _, x := range xs {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x))
	}
	cw.bytes(buf)
}

func (cw *checkpointWriter) json(v any) {
	b, err := json.Marshal(v)
	if err != nil && cw.err == nil {
		cw.err = err
	}
	cw.u32(uint32(len(b)))
	cw.bytes(b)
}

func (cw *checkpointWriter) header(kind byte, m *Model) {
	cw.bytes([]byte(checkpointMagic))
	cw.u32(checkpointVersion)
	cw.bytes([]byte{kind})
	cw.json(m.Config)
	cw.json(m.TrainedOn)
	cw.u64(uint64(m.Params.Len()))
	cw.floats(m.Params.Values())
	var state []float64
	if sp, ok := m.Prior.(statefulPrior); ok {
		state = sp.exportState()
	}
	cw.u64(uint64(len(state)))
	cw.floats(state)
}

// statefulPrior is a prior with learnt values outside the model's parameter
// slab; checkpoints keep them.
type statefulPrior interface {
	exportState() []float64
	// importState checks the length and replaces the state, or changes nothing.
	importState(src []float64) error
}

func (cw *checkpointWriter) finish() error {
	crc := cw.crc
	cw.u32(crc)
	return cw.err
}

// SaveModel writes the model's architecture and parameters.
func SaveModel(w io.Writer, m *Model) error {
	cw := &checkpointWriter{w: w}
	cw.header(kindModel, m)
	return cw.finish()
}

// Save writes the model, the optimiser state, the hyperparameters and the
// trainer's position and random state, so that training continues exactly
// as if it had not stopped. The data itself is not stored.
func (t *Trainer) Save(w io.Writer) error {
	rs, err := t.src.MarshalBinary()
	if err != nil {
		return err
	}
	cw := &checkpointWriter{w: w}
	cw.header(kindTrainer, t.Model)
	cw.json(t.Hyper)
	cw.u64(uint64(t.Opt.T))
	cw.floats(t.Opt.M)
	cw.floats(t.Opt.V)
	cw.u32(uint32(len(rs)))
	cw.bytes(rs)
	cw.u64(uint64(t.Batch))
	cw.u64(uint64(t.steps))
	cw.u64(uint64(t.epoch))
	cw.u64(uint64(t.cursor))
	cw.u64(uint64(len(t.perm)))
	perm := make([]byte, 0, 4*len(t.perm))
	for _, p := range t.perm {
		perm = binary.LittleEndian.AppendUint32(perm, uint32(p))
	}
	cw.bytes(perm)
	return cw.finish()
}

// checkpointReader reads the body (checksum already verified) with bounds.
type checkpointReader struct {
	b       []byte
	off     int
	err     error
	version uint32
}

func (cr *checkpointReader) take(n int, what string) []byte {
	if cr.err != nil {
		return nil
	}
	if n < 0 || n > len(cr.b)-cr.off {
		cr.err = badCheckpoint("truncated in %s", what)
		return nil
	}
	s := cr.b[cr.off : cr.off+n]
	cr.off += n
	return s
}

func (cr *checkpointReader) u32(what string) uint32 {
	if b := cr.take(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (cr *checkpointReader) u64(what string) uint64 {
	if b := cr.take(8, what); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (cr *checkpointReader) floats(n int, what string) []float64 {
	b := cr.take(8*n, what)
	if b == nil {
		return nil
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		if math.IsNaN(xs[i]) || math.IsInf(xs[i], 0) {
			cr.err = badCheckpoint("%s value %d is not finite", what, i)
			return nil
		}
	}
	return xs
}

func (cr *checkpointReader) json(v any, what string) {
	n := cr.u32(what)
	if cr.err == nil && n > maxJSONBytes {
		cr.err = badCheckpoint("%s of %d bytes exceeds %d", what, n, maxJSONBytes)
	}
	b := cr.take(int(n), what)
	if cr.err != nil {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		cr.err = badCheckpoint("%s: %v", what, err)
	}
}

// readCheckpoint reads the whole stream (bounded), verifies magic, version
// and checksum, and returns a reader positioned after the kind byte.
func readCheckpoint(r io.Reader, wantKind byte) (*checkpointReader, error) {
	limit := int64(len(checkpointMagic)+4+1+2*(4+maxJSONBytes)+8) + 8*3*maxParams + 4 + maxJSONBytes + 8*5 + 4*maxPermLen + 1024
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("core: reading checkpoint: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, badCheckpoint("larger than %d bytes", limit)
	}
	if len(b) < len(checkpointMagic)+4+1+4 || string(b[:len(checkpointMagic)]) != checkpointMagic {
		return nil, badCheckpoint("not a VAE playground checkpoint")
	}
	version := binary.LittleEndian.Uint32(b[len(checkpointMagic):])
	if version < oldestCheckpointVersion || version > checkpointVersion {
		return nil, badCheckpoint("version %d, this build reads versions %d to %d", version, oldestCheckpointVersion, checkpointVersion)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, badCheckpoint("checksum mismatch (corrupt or truncated file)")
	}
	cr := &checkpointReader{b: body, off: len(checkpointMagic) + 4, version: version}
	kind := cr.take(1, "kind")
	if cr.err == nil && wantKind != 0 && kind[0] != wantKind { // 0: either kind
		switch {
		case kind[0] == kindModel && wantKind == kindTrainer:
			return nil, badCheckpoint("this is a model checkpoint (SaveModel; the CLI's model.vae), which cannot resume training: resume from a trainer checkpoint (Trainer.Save; trainer.vae)")
		case kind[0] == kindTrainer && wantKind == kindModel:
			return nil, badCheckpoint("this is a trainer checkpoint (Trainer.Save; the CLI's trainer.vae), not a model: read it with LoadTrainer (vae train -resume), or use model.vae")
		}
		return nil, badCheckpoint("holds kind %d, want %d", kind[0], wantKind)
	}
	return cr, cr.err
}

func (cr *checkpointReader) model() (*Model, error) {
	var cfg Config
	cr.json(&cfg, "config")
	var source DataSource
	if cr.version >= 2 {
		cr.json(&source, "data source")
	}
	n := cr.u64("parameter count")
	if cr.err != nil {
		return nil, cr.err
	}
	if err := cfg.Validate(); err != nil {
		return nil, badCheckpoint("%v", err)
	}
	if err := source.Validate(); err != nil {
		return nil, badCheckpoint("%v", err)
	}
	if n > maxParams {
		return nil, badCheckpoint("%d parameters exceed %d", n, maxParams)
	}
	values := cr.floats(int(n), "parameter")
	ns := cr.u64("prior state count")
	if cr.err == nil && ns > maxParams {
		return nil, badCheckpoint("prior state of %d values exceeds %d", ns, maxParams)
	}
	state := cr.floats(int(ns), "prior state")
	if cr.err != nil {
		return nil, cr.err
	}
	m, err := declareModel(cfg)
	if err != nil {
		return nil, badCheckpoint("%v", err)
	}
	if m.Params.Len() != len(values) {
		return nil, badCheckpoint("%d parameters for a model of %d", len(values), m.Params.Len())
	}
	m.Params.Allocate(rand.New(rand.NewPCG(0, 0)))
	if err := m.Params.Import(values); err != nil {
		return nil, badCheckpoint("%v", err)
	}
	if sp, ok := m.Prior.(statefulPrior); ok {
		if err := sp.importState(state); err != nil {
			return nil, badCheckpoint("prior state: %v", err)
		}
	} else if len(state) > 0 {
		return nil, badCheckpoint("%d prior state values for a prior that keeps none", len(state))
	}
	m.TrainedOn = source
	return m, nil
}

// LoadModel reads a checkpoint written by SaveModel. A trainer checkpoint is
// refused with a clear error: use LoadTrainer for it.
func LoadModel(r io.Reader) (*Model, error) {
	cr, err := readCheckpoint(r, kindModel)
	if err != nil {
		return nil, err
	}
	m, err := cr.model()
	if err != nil {
		return nil, err
	}
	if cr.off != len(cr.b) {
		return nil, badCheckpoint("%d unexpected trailing bytes", len(cr.b)-cr.off)
	}
	return m, nil
}

// LoadTrainer reads a checkpoint written by Trainer.Save and resumes training
// on x, which must have as many rows as the data it was saved with.
func LoadTrainer(r io.Reader, x *mat.Dense) (*Trainer, error) {
	cr, err := readCheckpoint(r, kindTrainer)
	if err != nil {
		return nil, err
	}
	m, err := cr.model()
	if err != nil {
		return nil, err
	}
	var h Hyper
	cr.json(&h, "hyperparameters")
	tSteps := cr.u64("optimiser step")
	np := m.Params.Len()
	mom := cr.floats(np, "optimiser first moment")
	vel := cr.floats(np, "optimiser second moment")
	rsLen := cr.u32("random state length")
	if cr.err == nil && rsLen > 256 {
		return nil, badCheckpoint("random state of %d bytes", rsLen)
	}
	rs := cr.take(int(rsLen), "random state")
	batch := cr.u64("batch size")
	steps, epoch, cursor := cr.u64("steps"), cr.u64("epoch"), cr.u64("cursor")
	permLen := cr.u64("permutation length")
	if cr.err != nil {
		return nil, cr.err
	}
	if permLen > maxPermLen {
		return nil, badCheckpoint("permutation of %d rows exceeds %d", permLen, maxPermLen)
	}
	pb := cr.take(4*int(permLen), "permutation")
	if cr.err != nil {
		return nil, cr.err
	}
	if cr.off != len(cr.b) {
		return nil, badCheckpoint("%d unexpected trailing bytes", len(cr.b)-cr.off)
	}
	if err := h.Validate(); err != nil {
		return nil, badCheckpoint("%v", err)
	}
	for _, v := range vel {
		if v < 0 {
			return nil, badCheckpoint("negative optimiser second moment")
		}
	}
	if batch < 1 || batch > permLen {
		return nil, badCheckpoint("batch size %d for %d rows", batch, permLen)
	}
	if steps > 1<<50 || epoch > 1<<50 || tSteps > 1<<50 {
		return nil, badCheckpoint("step counters out of range")
	}
	perm := make([]int, permLen)
	seen := make([]bool, permLen)
	for i := range perm {
		p := binary.LittleEndian.Uint32(pb[4*i:])
		if uint64(p) >= permLen || seen[p] {
			return nil, badCheckpoint("permutation is not a permutation")
		}
		seen[p] = true
		perm[i] = int(p)
	}
	if cursor > permLen {
		return nil, badCheckpoint("cursor %d beyond %d rows", cursor, permLen)
	}
	src := &rand.PCG{}
	if err := src.UnmarshalBinary(rs); err != nil {
		return nil, badCheckpoint("random state: %v", err)
	}
	if x == nil {
		return nil, errors.New("core: no training data")
	}
	rows, cols := x.Dims()
	if uint64(rows) != permLen || cols != m.Config.DataDim {
		return nil, fmt.Errorf("core: checkpoint was trained on %d×%d data, got %d×%d", permLen, m.Config.DataDim, rows, cols)
	}
	t := &Trainer{Model: m, Hyper: h, src: src, rng: rand.New(src)}
	t.Opt = NewAdam(np, h.LearningRate)
	t.Opt.T = int(tSteps)
	copy(t.Opt.M, mom)
	copy(t.Opt.V, vel)
	if err := t.SetData(x, int(batch)); err != nil {
		return nil, err
	}
	t.perm, t.cursor, t.steps, t.epoch = perm, int(cursor), int(steps), int(epoch)
	return t, nil
}

// Snapshot appends to dst[:0] every learnt value of the model — the parameter
// slab, then any state a prior keeps outside it (the two-stage prior's second
// VAE) — and returns it: what a training worker sends to the drawing thread.
func (m *Model) Snapshot(dst []float64) []float64 {
	dst = append(m.Params.Export(dst)[:m.Params.Len()], priorState(m)...)
	return dst
}

// Restore loads a Snapshot of a model with the same configuration. Nothing
// changes unless the length matches and every value is finite.
func (m *Model) Restore(src []float64) error {
	np := m.Params.Len()
	state := priorState(m)
	if len(src) != np+len(state) {
		return fmt.Errorf("core: snapshot has %d values, model has %d", len(src), np+len(state))
	}
	if !finite(src) {
		return errors.New("core: snapshot has non-finite values")
	}
	if sp, ok := m.Prior.(statefulPrior); ok {
		if err := sp.importState(src[np:]); err != nil {
			return err
		}
	}
	return m.Params.Import(src[:np])
}

func priorState(m *Model) []float64 {
	if sp, ok := m.Prior.(statefulPrior); ok {
		return sp.exportState()
	}
	return nil
}

// PeekDataSource returns the data source a model or trainer checkpoint
// records (the zero DataSource for a version 1 file), checking the file's
// checksum but building nothing: resuming a trainer needs its data loaded
// first, and the data are named inside the file.
func PeekDataSource(r io.Reader) (DataSource, error) {
	cr, err := readCheckpoint(r, 0)
	if err != nil {
		return DataSource{}, err
	}
	var cfg Config
	cr.json(&cfg, "config")
	var source DataSource
	if cr.version >= 2 {
		cr.json(&source, "data source")
	}
	if cr.err != nil {
		return DataSource{}, cr.err
	}
	if err := source.Validate(); err != nil {
		return DataSource{}, badCheckpoint("%v", err)
	}
	return source, nil
}
