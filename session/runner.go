package session

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/vaeplayground/vae/core"
	"gonum.org/v1/gonum/mat"
)

// A runner owns the trainer. The browser build steps it inline, inside a
// frame's time budget (Go's wasm port has no preemption, so a busy goroutine
// would starve the page); the desktop build steps it on its own goroutine.
// Either way the session sees the same calls, and the model it draws is a
// copy refreshed from snapshots: a core.Model is not safe for concurrent use.
//
// Every command is a method with plain values, so that a runner can live
// in another program (a Web Worker) and speak through messages.
type runner interface {
	// advance trains while playing: inline, for up to budget (at least one
	// step) and at most maxSteps steps; in the background it only passes the
	// settings on. It returns the results since the last call. rate caps the
	// background runner's steps per second (0: unlimited); the inline runner
	// is capped by maxSteps instead.
	advance(playing bool, budget time.Duration, maxSteps int, rate float64) []core.StepResult
	// steps takes n steps now (training is paused) and returns them.
	steps(n int) []core.StepResult
	// setHyper gives the trainer new live hyperparameters.
	setHyper(h core.Hyper)
	// hyper is the trainer's hyperparameters now.
	hyper() core.Hyper
	// setData replaces the training set and the batch size.
	setData(x *mat.Dense, batch int) error
	// setMixture moves component k of a mixture prior.
	setMixture(k int, mean, variance []float64) error
	// saveModel writes the model's checkpoint.
	saveModel(w io.Writer) error
	// requestTrainer asks for the trainer's checkpoint (Trainer.Save: the
	// model, the optimiser and random state, the position in the data);
	// takeTrainer returns it once it has come, with the step it is at. A
	// runner in this program has it at once; a worker answers in a later
	// frame.
	requestTrainer()
	takeTrainer() (ckpt []byte, step int, ok bool)
	// params is a copy of the parameters now.
	params() []float64
	// snapshot copies the newest parameters into dst when they changed since
	// the last call.
	snapshot(dst []float64) ([]float64, bool)
	stop()
}

// localRunner is a runner in this program: it has the trainer at hand and
// runs a function with sole access to it.
type localRunner interface {
	do(f func(t *core.Trainer))
}

// trainerOps implements the commands of a runner on top of do.
type trainerOps struct {
	local localRunner
	held  *heldTrainer
}

// heldTrainer is a requested trainer checkpoint not yet taken.
type heldTrainer struct {
	ckpt []byte
	step int
	ok   bool
}

func (o trainerOps) requestTrainer() {
	var buf bytes.Buffer
	var step int
	var err error
	o.local.do(func(t *core.Trainer) {
		err = t.Save(&buf)
		step = t.Steps()
	})
	if err == nil {
		*o.held = heldTrainer{ckpt: buf.Bytes(), step: step, ok: true}
	}
}

func (o trainerOps) takeTrainer() ([]byte, int, bool) {
	h := *o.held
	*o.held = heldTrainer{}
	return h.ckpt, h.step, h.ok
}

func (o trainerOps) steps(n int) []core.StepResult {
	out := make([]core.StepResult, 0, n)
	o.local.do(func(t *core.Trainer) {
		for range n {
			out = append(out, t.Step())
		}
	})
	return out
}

func (o trainerOps) setHyper(h core.Hyper) { o.local.do(func(t *core.Trainer) { t.Hyper = h }) }

func (o trainerOps) hyper() (h core.Hyper) {
	o.local.do(func(t *core.Trainer) { h = t.Hyper })
	return h
}

func (o trainerOps) setData(x *mat.Dense, batch int) (err error) {
	o.local.do(func(t *core.Trainer) { err = t.SetData(x, batch) })
	return err
}

func (o trainerOps) setMixture(k int, mean, variance []float64) (err error) {
	o.local.do(func(t *core.Trainer) {
		mix, ok := t.Model.Prior.(*core.Mixture)
		if !ok {
			err = errors.New("the prior is not a mixture")
			return
		}
		if err = mix.SetMean(k, mean); err == nil && variance != nil {
			err = mix.SetVariance(k, variance)
		}
	})
	return err
}

func (o trainerOps) saveModel(w io.Writer) (err error) {
	o.local.do(func(t *core.Trainer) { err = core.SaveModel(w, t.Model) })
	return err
}

func (o trainerOps) params() (out []float64) {
	o.local.do(func(t *core.Trainer) { out = t.Model.Snapshot(nil) })
	return out
}

// inlineRunner steps the trainer on the caller's goroutine.
type inlineRunner struct {
	trainerOps
	t       *core.Trainer
	changed bool
	// stepCost is the smoothed time of one step; credit the training time
	// frames have granted but not spent. A step longer than a frame's budget
	// (the image model in a browser) runs once enough frames have saved up
	// for it, so the frames between stay short and the page stays smooth.
	stepCost, credit time.Duration
}

// minCredit is what every playing frame grants training at least.
const minCredit = 4 * time.Millisecond

func newInlineRunner(t *core.Trainer) *inlineRunner {
	r := &inlineRunner{t: t}
	r.trainerOps = trainerOps{local: r, held: new(heldTrainer)}
	return r
}

func (r *inlineRunner) advance(playing bool, budget time.Duration, maxSteps int, _ float64) []core.StepResult {
	if !playing || maxSteps <= 0 {
		r.credit = 0
		return nil
	}
	r.credit = min(r.credit+max(budget, minCredit), 4*max(budget, r.stepCost))
	var out []core.StepResult
	start := time.Now()
	for len(out) < maxSteps && r.credit >= r.stepCost {
		t0 := time.Now()
		out = append(out, r.t.Step())
		d := time.Since(t0)
		if r.stepCost == 0 {
			r.stepCost = d
		}
		r.stepCost += (d - r.stepCost) / 8
		r.credit -= d
		if time.Since(start) >= budget {
			break
		}
	}
	if len(out) > 0 {
		r.changed = true
	}
	return out
}

func (r *inlineRunner) do(f func(t *core.Trainer)) { f(r.t); r.changed = true }

func (r *inlineRunner) snapshot(dst []float64) ([]float64, bool) {
	if !r.changed {
		return dst, false
	}
	r.changed = false
	return r.t.Model.Snapshot(dst[:0]), true
}

func (r *inlineRunner) stop() {}

// backgroundRunner steps the trainer on its own goroutine, which alone
// touches the trainer: commands travel to it and run between two steps, and
// results and parameter snapshots come back under a short lock, so the
// drawing thread never waits for a step to finish (except in do).
type backgroundRunner struct {
	trainerOps
	t    *core.Trainer
	cmds chan command
	wake chan struct{}
	done chan struct{}

	mu       sync.Mutex // guards what follows
	playing  bool
	rate     float64 // steps per second, 0 = unlimited
	quit     bool
	results  []core.StepResult
	snap     []float64
	version  int
	seen     int
	lastSnap time.Time
}

type command struct {
	f    func(t *core.Trainer)
	done chan struct{}
}

const snapshotEvery = 30 * time.Millisecond

func newBackgroundRunner(t *core.Trainer) *backgroundRunner {
	r := &backgroundRunner{t: t, cmds: make(chan command), wake: make(chan struct{}, 1), done: make(chan struct{})}
	r.trainerOps = trainerOps{local: r, held: new(heldTrainer)}
	r.snap = t.Model.Snapshot(nil)
	r.version = 1
	go r.loop()
	return r
}

func (r *backgroundRunner) loop() {
	defer close(r.done)
	next := time.Now()
	scratch := []float64{}
	for {
		r.mu.Lock()
		playing, rate, quit := r.playing, r.rate, r.quit
		r.mu.Unlock()
		if quit {
			return
		}
		if !playing {
			select {
			case c := <-r.cmds:
				r.run(c, &scratch)
			case <-r.wake:
			}
			continue
		}
		select {
		case c := <-r.cmds:
			r.run(c, &scratch)
			continue
		default:
		}
		if rate > 0 {
			if wait := time.Until(next); wait > 0 {
				select {
				case c := <-r.cmds:
					r.run(c, &scratch)
				case <-r.wake:
				case <-time.After(min(wait, 20*time.Millisecond)):
				}
				continue
			}
			next = maxTime(next.Add(time.Duration(float64(time.Second)/rate)), time.Now().Add(-time.Second))
		}
		res := r.t.Step()
		// KLPerDim is the model's buffer, rewritten by the next step while
		// the drawing goroutine reads this result: hand over a copy.
		res.KLPerDim = append([]float64(nil), res.KLPerDim...)
		r.mu.Lock()
		r.results = append(r.results, res)
		if len(r.results) > 1<<16 {
			r.results = r.results[len(r.results)/2:]
		}
		due := time.Since(r.lastSnap) >= snapshotEvery
		r.mu.Unlock()
		if due {
			r.publish(&scratch)
		}
		// Where goroutines are not preempted (js/wasm), let the others run.
		runtime.Gosched()
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// publish copies the parameters (on the trainer's goroutine) and hands
// them over under the lock.
// run carries out a command between two steps and shows its effect.
func (r *backgroundRunner) run(c command, scratch *[]float64) {
	c.f(r.t)
	r.publish(scratch)
	close(c.done)
}

func (r *backgroundRunner) publish(scratch *[]float64) {
	*scratch = r.t.Model.Snapshot((*scratch)[:0])
	r.mu.Lock()
	r.snap, *scratch = *scratch, r.snap
	r.version++
	r.lastSnap = time.Now()
	r.mu.Unlock()
}

func (r *backgroundRunner) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *backgroundRunner) advance(playing bool, _ time.Duration, _ int, rate float64) []core.StepResult {
	r.mu.Lock()
	changed := playing != r.playing
	r.playing, r.rate = playing, rate
	out := r.results
	r.results = nil
	r.mu.Unlock()
	if changed {
		r.signal()
		if !playing {
			// The paused picture is the final one.
			r.do(func(*core.Trainer) {})
			r.mu.Lock()
			out = append(out, r.results...)
			r.results = nil
			r.mu.Unlock()
		}
	}
	return out
}

func (r *backgroundRunner) do(f func(t *core.Trainer)) {
	c := command{f: f, done: make(chan struct{})}
	r.cmds <- c
	<-c.done
}

func (r *backgroundRunner) snapshot(dst []float64) ([]float64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.version == r.seen {
		return dst, false
	}
	r.seen = r.version
	return append(dst[:0], r.snap...), true
}

func (r *backgroundRunner) stop() {
	r.mu.Lock()
	r.quit = true
	r.mu.Unlock()
	r.signal()
	<-r.done
}
