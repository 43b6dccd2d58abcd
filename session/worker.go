package session

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/trainworker"
	"gonum.org/v1/gonum/mat"
)

// WorkerLink is the page's end of a connection to a training worker: a Web
// Worker in the browser (package wasm), a goroutine in tests. Neither
// method may block: the game calls them inside a frame, and in the browser
// a reply can only arrive once the frame has ended.
type WorkerLink interface {
	// Send posts one encoded command (trainworker.Encode).
	Send(msg []byte)
	// Receive returns the messages that arrived since the last call, and
	// the error that ended the link (the worker crashed), if any.
	Receive() ([][]byte, error)
}

// workerTimeout is how long the worker may leave a command unanswered, or
// a playing run without results, before the page gives up on it: time the
// page itself ran (pageClock).
var workerTimeout = 4 * time.Second

// pageClock counts the time the page itself ran, a gap between two of its
// readings counting at most maxPageGap. The worker's messages wait for the
// page's next poll, so a page that stalls (a slow frame on a loaded
// machine, a tab in the background) is no evidence against the worker:
// counted in wall time, a page drawing a frame a second gave a healthy
// worker up after four frames.
type pageClock struct {
	last  time.Time
	awake time.Duration
}

const maxPageGap = 250 * time.Millisecond

// now reads the clock.
func (c *pageClock) now() time.Duration { return c.at(time.Now()) }

// at reads the clock at wall time t.
func (c *pageClock) at(t time.Time) time.Duration {
	if !c.last.IsZero() {
		c.awake += min(t.Sub(c.last), maxPageGap)
	}
	c.last = t
	return c.awake
}

// workerConn is the session's connection to its worker, shared by the
// runners that one rebuild after another hand to it.
type workerConn struct {
	link    WorkerLink
	gen     uint32 // the trainer the worker holds now
	seq     uint32 // the last command sent
	backend string
	err     error // why the worker was given up; then training stays on the page
}

// AttachWorker hands training to a worker that has said it is ready. The
// trainer that runs inline now moves there as a checkpoint, with its
// optimiser and random state, so the run goes on exactly as it would have
// on the page. Only a session in Worker mode uses a worker.
func (s *Session) AttachWorker(link WorkerLink) error {
	if s.mode != Worker {
		return errors.New("this session does not train in a worker")
	}
	s.worker = &workerConn{link: link}
	if r, ok := s.run.(*inlineRunner); ok {
		wr, err := s.newWorkerRunner(r.t, s.X)
		if err != nil {
			s.worker.err = err
			return err
		}
		s.run = wr
	}
	return nil
}

// TrainingPlace says where the trainer runs now: "inline" (in the frame),
// "worker" or "background".
func (s *Session) TrainingPlace() string {
	switch r := s.run.(type) {
	case *backgroundRunner:
		return "background"
	case *workerRunner:
		if r.fallback == nil {
			return "worker"
		}
	}
	return "inline"
}

// WorkerError is why the session gave up its worker ("" while it has none
// or the worker is sound).
func (s *Session) WorkerError() string {
	if s.worker == nil || s.worker.err == nil {
		return ""
	}
	return s.worker.err.Error()
}

// trainsInline says whether training runs within the frame (the per-frame
// budget and the speed cap's step count apply).
func (s *Session) trainsInline() bool {
	switch r := s.run.(type) {
	case *inlineRunner:
		return true
	case *workerRunner:
		return r.fallback != nil
	}
	return false
}

// runnerFor picks the runner of a new trainer (install).
func (s *Session) runnerFor(tr *core.Trainer, x *mat.Dense) runner {
	switch {
	case s.mode == Background:
		return newBackgroundRunner(tr)
	case s.mode == Worker && s.worker != nil && s.worker.err == nil:
		if wr, err := s.newWorkerRunner(tr, x); err == nil {
			return wr
		}
	}
	return newInlineRunner(tr)
}

// workerRunner is a runner whose trainer lives in a worker. Nothing waits
// for the worker: commands go out as messages, and results and snapshots
// are collected when the session asks for them (advance, snapshot), once
// per frame. What the session asks of the trainer directly (its
// hyperparameters, parameters, checkpoint, a mixture move's validity) is
// answered from a mirror of the model, which follows the snapshots. When
// the worker crashes, sends what does not decode or stops answering, the
// runner goes on inline from the mirror (fresh optimiser moments: the one
// thing lost) and tells the user.
type workerRunner struct {
	conn    *workerConn
	gen     uint32
	notify  func(string)
	mirror  *core.Model
	nParams int
	snap    []float64
	fresh   bool // snap is news to the session
	stale   bool // snap is news to the mirror (restored when asked for: a large model's copy is not free)

	h     core.Hyper
	x     *mat.Dense
	batch int
	seed  uint64

	playing, sentRun bool
	rate             float64
	results          []core.StepResult
	lastStep         int
	lastEpoch        int
	acked            uint32
	// The times of the first unanswered command (waiting: there is one)
	// and of the last message, on the page's own clock.
	clock        pageClock
	waiting      bool
	waitingSince time.Duration
	lastHeard    time.Duration

	// saved is the trainer checkpoint the worker sent on request
	// (requestTrainer), at savedStep, until taken.
	saved     []byte
	savedStep int

	fallback   *inlineRunner
	stepOffset int
	dead       bool // no worker and no fallback: nothing trains
}

func (s *Session) newWorkerRunner(tr *core.Trainer, x *mat.Dense) (*workerRunner, error) {
	var ckpt, model bytes.Buffer
	if err := tr.Save(&ckpt); err != nil {
		return nil, err
	}
	if err := core.SaveModel(&model, tr.Model); err != nil {
		return nil, err
	}
	mirror, err := core.LoadModel(&model)
	if err != nil {
		return nil, err
	}
	rows, cols := x.Dims()
	c := s.worker
	c.gen++
	r := &workerRunner{conn: c, gen: c.gen, mirror: mirror, h: tr.Hyper, x: x, batch: tr.Batch,
		seed: uint64(s.Values.Int("seed")), lastStep: tr.Steps(), lastEpoch: tr.Epoch()}
	r.snap = mirror.Snapshot(nil)
	r.nParams = len(r.snap)
	r.notify = func(text string) { s.Message = text }
	if err := r.send(trainworker.Message{Kind: trainworker.KindBuild, Trainer: ckpt.Bytes(),
		Rows: rows, Cols: cols, Data: rowMajor(x)}); err != nil {
		return nil, err
	}
	return r, nil
}

// rowMajor is x's values row after row.
func rowMajor(x *mat.Dense) []float64 {
	raw := x.RawMatrix()
	if raw.Stride == raw.Cols {
		return raw.Data[:raw.Rows*raw.Cols]
	}
	out := make([]float64, 0, raw.Rows*raw.Cols)
	for i := range raw.Rows {
		out = append(out, raw.Data[i*raw.Stride:i*raw.Stride+raw.Cols]...)
	}
	return out
}

func (r *workerRunner) send(m trainworker.Message) error {
	m.Gen = r.gen
	r.conn.seq++
	m.Seq = r.conn.seq
	b, err := trainworker.Encode(m)
	if err != nil {
		return err
	}
	if !r.waiting {
		r.waiting, r.waitingSince = true, r.clock.now()
	}
	r.conn.link.Send(b)
	return nil
}

// poll takes in what the worker sent, and gives the worker up when it
// broke, sent nonsense or fell silent.
func (r *workerRunner) poll() {
	if r.fallback != nil || r.dead {
		return
	}
	msgs, linkErr := r.conn.link.Receive()
	now := r.clock.now()
	if len(msgs) > 0 {
		r.lastHeard = now
	}
	for _, b := range msgs {
		m, err := trainworker.Decode(b)
		if err != nil {
			r.fail(fmt.Errorf("it sent a message this page cannot read (%v)", err))
			return
		}
		switch m.Kind {
		case trainworker.KindReady:
			r.conn.backend = m.Text
			continue
		case trainworker.KindBuild, trainworker.KindRun, trainworker.KindSteps, trainworker.KindSetHyper,
			trainworker.KindSetData, trainworker.KindSetMixture, trainworker.KindStop, trainworker.KindSave:
			r.fail(fmt.Errorf("it sent a command (%v) instead of a reply", m.Kind))
			return
		}
		if m.Gen != r.gen {
			continue // about a trainer this page has replaced
		}
		if m.Seq > r.conn.seq {
			r.fail(fmt.Errorf("it answered command %d, which was never sent", m.Seq))
			return
		}
		r.acked = m.Seq
		switch m.Kind {
		case trainworker.KindResults:
			for _, res := range m.Results {
				r.lastStep, r.lastEpoch = res.Step, res.Epoch
				if res.LearningRate > 0 {
					r.h.LearningRate = res.LearningRate // lowered after a diverged step
				}
			}
			r.results = append(r.results, m.Results...)
		case trainworker.KindSnapshot:
			if len(m.Params) != r.nParams {
				r.fail(fmt.Errorf("it sent %d parameters for a model of %d", len(m.Params), r.nParams))
				return
			}
			r.snap, r.fresh, r.stale = m.Params, true, true
		case trainworker.KindTrainer:
			// The results before it were sent first: lastStep is its step.
			r.saved, r.savedStep = m.Trainer, r.lastStep
		case trainworker.KindError:
			if m.Fatal {
				r.fail(errors.New(m.Text))
				return
			}
			r.notify("the training worker refused a change: " + m.Text)
		}
	}
	if r.acked == r.conn.seq {
		r.waiting = false
	}
	switch {
	case linkErr != nil:
		r.fail(linkErr)
	case r.waiting && now-r.waitingSince > workerTimeout:
		r.fail(fmt.Errorf("it left a command unanswered for %v", workerTimeout))
	case r.playing && now-r.lastHeard > workerTimeout:
		r.fail(fmt.Errorf("it sent no results for %v while training", workerTimeout))
	}
}

// syncMirror brings the mirror to the last snapshot.
func (r *workerRunner) syncMirror() error {
	if !r.stale {
		return nil
	}
	r.stale = false
	return r.mirror.Restore(r.snap)
}

// fail gives the worker up for good and goes on inline from the mirror.
func (r *workerRunner) fail(why error) {
	_ = r.syncMirror() // else the mirror keeps the snapshot before
	r.conn.err = why
	msg := "the training worker stopped: " + why.Error()
	var model bytes.Buffer
	err := core.SaveModel(&model, r.mirror)
	var tr *core.Trainer
	if err == nil {
		var m *core.Model
		if m, err = core.LoadModel(&model); err == nil {
			tr, err = core.NewTrainer(m, r.x, r.batch, r.h, r.seed)
		}
	}
	if err != nil {
		r.dead = true
		r.notify(msg + "; training cannot go on here (" + err.Error() + "): reset")
		return
	}
	r.fallback = newInlineRunner(tr)
	r.stepOffset = r.lastStep
	r.notify(msg + "; training goes on in the page from the last snapshot")
}

// fromFallback numbers the fallback's steps after the worker's.
func (r *workerRunner) fromFallback(res []core.StepResult) []core.StepResult {
	for i := range res {
		res[i].Step += r.stepOffset
		res[i].Epoch += r.lastEpoch
	}
	return res
}

func (r *workerRunner) advance(playing bool, budget time.Duration, maxSteps int, rate float64) []core.StepResult {
	r.poll()
	if r.fallback != nil {
		return r.fromFallback(r.fallback.advance(playing, budget, maxSteps, rate))
	}
	if r.dead {
		return nil
	}
	if !r.sentRun || playing != r.playing || rate != r.rate {
		if !r.playing && playing {
			r.lastHeard = r.clock.now() // silence counts from the start of play
		}
		r.playing, r.rate, r.sentRun = playing, rate, true
		if err := r.send(trainworker.Message{Kind: trainworker.KindRun, Playing: playing, Rate: rate}); err != nil {
			r.fail(err)
		}
	}
	out := r.results
	r.results = nil
	return out
}

// steps asks for n steps; their results come with a later advance.
func (r *workerRunner) steps(n int) []core.StepResult {
	if r.fallback != nil {
		return r.fromFallback(r.fallback.steps(n))
	}
	for n > 0 && !r.dead && r.fallback == nil {
		k := min(n, trainworker.MaxSteps)
		if err := r.send(trainworker.Message{Kind: trainworker.KindSteps, N: k}); err != nil {
			r.fail(err)
		}
		n -= k
	}
	return nil
}

func (r *workerRunner) setHyper(h core.Hyper) {
	r.h = h
	if r.fallback != nil {
		r.fallback.setHyper(h)
		return
	}
	if err := r.send(trainworker.Message{Kind: trainworker.KindSetHyper, Hyper: h}); err != nil {
		r.fail(err)
	}
}

func (r *workerRunner) hyper() core.Hyper {
	if r.fallback != nil {
		return r.fallback.hyper()
	}
	r.poll()
	return r.h
}

func (r *workerRunner) setData(x *mat.Dense, batch int) error {
	if r.fallback != nil {
		if err := r.fallback.setData(x, batch); err != nil {
			return err
		}
		r.x, r.batch = x, batch
		return nil
	}
	// The checks the trainer makes, made here so that the answer is now.
	rows, cols := x.Dims()
	switch {
	case cols != r.mirror.Config.DataDim:
		return fmt.Errorf("core: data has %d columns, model expects %d", cols, r.mirror.Config.DataDim)
	case rows < 1:
		return errors.New("core: empty training data")
	case batch < 1 || batch > trainworker.MaxBatch:
		return fmt.Errorf("core: batch size %d outside [1, %d]", batch, trainworker.MaxBatch)
	}
	if err := r.send(trainworker.Message{Kind: trainworker.KindSetData, Rows: rows, Cols: cols,
		Data: rowMajor(x), Batch: batch}); err != nil {
		return err
	}
	r.x, r.batch = x, batch
	return nil
}

func (r *workerRunner) setMixture(k int, mean, variance []float64) error {
	if r.fallback != nil {
		return r.fallback.setMixture(k, mean, variance)
	}
	// The mirror moves first: it checks the move, and the views show it
	// without waiting for the worker's next snapshot.
	if err := r.syncMirror(); err != nil {
		r.fail(err)
		if r.fallback == nil {
			return err
		}
		return r.fallback.setMixture(k, mean, variance)
	}
	if err := trainworker.MoveMixture(r.mirror, k, mean, variance); err != nil {
		return err
	}
	r.snap, r.fresh = r.mirror.Snapshot(r.snap[:0:0]), true
	if err := r.send(trainworker.Message{Kind: trainworker.KindSetMixture, Component: k,
		Mean: mean, Variance: variance}); err != nil {
		return err
	}
	return nil
}

// saveModel writes the model as of the last snapshot (the final one once
// paused).
func (r *workerRunner) saveModel(w io.Writer) error {
	if r.fallback != nil {
		return r.fallback.saveModel(w)
	}
	r.poll()
	if err := r.syncMirror(); err != nil {
		return err
	}
	return core.SaveModel(w, r.mirror)
}

// requestTrainer asks the worker for its checkpoint; it comes with a
// later poll.
func (r *workerRunner) requestTrainer() {
	if r.fallback != nil {
		r.fallback.requestTrainer()
		return
	}
	if r.dead {
		return
	}
	if err := r.send(trainworker.Message{Kind: trainworker.KindSave}); err != nil {
		r.fail(err)
	}
}

func (r *workerRunner) takeTrainer() ([]byte, int, bool) {
	if r.fallback != nil {
		ckpt, step, ok := r.fallback.takeTrainer()
		return ckpt, step + r.stepOffset, ok
	}
	r.poll()
	if r.saved == nil {
		return nil, 0, false
	}
	ckpt, step := r.saved, r.savedStep
	r.saved = nil
	return ckpt, step, true
}

// params are the parameters as of the last snapshot.
func (r *workerRunner) params() []float64 {
	if r.fallback != nil {
		return r.fallback.params()
	}
	r.poll()
	if err := r.syncMirror(); err != nil {
		return append([]float64(nil), r.snap...)
	}
	return r.mirror.Snapshot(nil)
}

func (r *workerRunner) snapshot(dst []float64) ([]float64, bool) {
	if r.fallback != nil {
		return r.fallback.snapshot(dst)
	}
	r.poll()
	if r.fallback != nil {
		return r.fallback.snapshot(dst)
	}
	if !r.fresh {
		return dst, false
	}
	r.fresh = false
	return append(dst[:0], r.snap...), true
}

func (r *workerRunner) stop() {
	if r.fallback == nil && !r.dead {
		_ = r.send(trainworker.Message{Kind: trainworker.KindStop})
	}
}
