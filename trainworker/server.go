package trainworker

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/vaeplayground/vae/core"
	"gonum.org/v1/gonum/mat"
)

// SnapshotEvery is how often a playing worker sends the parameters of a
// small model: often enough for the views (which redraw codes at up to
// 30 Hz) to move smoothly. A larger model's snapshots come less often, at
// most snapshotBytesPerSecond: the page copies each one a few times and
// redraws its views from it, all on the drawing thread.
const SnapshotEvery = 50 * time.Millisecond

// snapshotBytesPerSecond bounds the snapshot traffic: the image model
// (3.2 MB of parameters) gets five a second, the 2-D models twenty.
const snapshotBytesPerSecond = 16 << 20

// snapshotInterval is the time between two snapshots of n parameters.
func snapshotInterval(n int) time.Duration {
	return max(SnapshotEvery, time.Duration(float64(8*n)/snapshotBytesPerSecond*float64(time.Second)))
}

// ResultsEvery is how often a playing worker sends step results: about a
// frame, so that the page handles one message per frame rather than one
// per slice.
const ResultsEvery = 15 * time.Millisecond

// Slice is how long the worker trains before it gives its event loop a
// turn (Go's wasm port has no preemption: messages wait until it does).
const Slice = 10 * time.Millisecond

// Server is the worker's side: it holds the trainer and turns commands into
// training and replies. Its methods are called from one goroutine.
type Server struct {
	// Backend names the matrix product in use (sent with KindReady).
	Backend string

	t        *core.Trainer
	gen      uint32
	seq      uint32
	playing  bool
	rate     float64
	next     time.Time // when the speed cap allows the next step
	results  []core.StepResult
	lastSnap time.Time
	lastSent time.Time // results
	scratch  []float64
}

// Ready is the message a worker sends once it runs.
func (s *Server) Ready() []byte {
	b, _ := Encode(Message{Kind: KindReady, Text: s.Backend})
	return b
}

// Playing says whether the server trains between commands.
func (s *Server) Playing() bool { return s.playing && s.t != nil }

// Handle applies one command and returns the replies. A message that does
// not decode is answered with a fatal error: the page must not go on
// talking to a worker that misreads it.
func (s *Server) Handle(b []byte) [][]byte {
	// A message it cannot read breaks the protocol, whatever trainer it was
	// about: the error goes out as about the current one, so the page hears it.
	m, err := Decode(b)
	if err != nil {
		return [][]byte{s.errorReply(s.gen, err, true)}
	}
	if m.Kind >= KindReady {
		return [][]byte{s.errorReply(s.gen, fmt.Errorf("%w: %v is a reply, not a command", ErrMessage, m.Kind), true)}
	}
	if m.Kind == KindBuild {
		return s.build(m)
	}
	if m.Gen != s.gen || s.t == nil {
		return nil // about a trainer that was replaced: nothing to do
	}
	s.seq = m.Seq
	var out [][]byte
	switch m.Kind {
	case KindRun:
		if s.playing && !m.Playing {
			// The paused picture is the final one.
			out = s.flush(out, true)
		}
		if m.Playing && (!s.playing || m.Rate != s.rate) {
			s.next = time.Now()
		}
		s.playing, s.rate = m.Playing, m.Rate
	case KindSteps:
		for range m.N {
			s.results = append(s.results, s.t.Step())
		}
		out = s.flush(out, true)
	case KindSetHyper:
		s.t.Hyper = m.Hyper
	case KindSetData:
		x := mat.NewDense(m.Rows, m.Cols, m.Data)
		if err := s.t.SetData(x, m.Batch); err != nil {
			out = append(out, s.errorReply(s.gen, err, false))
		}
	case KindSetMixture:
		if err := MoveMixture(s.t.Model, m.Component, m.Mean, m.Variance); err != nil {
			out = append(out, s.errorReply(s.gen, err, false))
		}
		out = s.flush(out, true)
	case KindStop:
		s.t, s.playing, s.results = nil, false, nil
	case KindSave:
		// The results go first, so that the page's history reaches the
		// step the checkpoint is at.
		out = s.flush(out, false)
		var buf bytes.Buffer
		if err := s.t.Save(&buf); err != nil {
			out = append(out, s.errorReply(s.gen, fmt.Errorf("save: %w", err), false))
			break
		}
		out = append(out, s.encode(Message{Kind: KindTrainer, Trainer: buf.Bytes()}))
	}
	if len(out) == 0 {
		out = s.flush(out, false) // at least an acknowledgement
		if len(out) == 0 {
			out = append(out, s.encode(Message{Kind: KindResults}))
		}
	}
	return out
}

// MoveMixture moves component k of m's mixture prior to mean (and
// variance, unless nil): the page's drag of a component.
func MoveMixture(m *core.Model, k int, mean, variance []float64) error {
	mix, ok := m.Prior.(*core.Mixture)
	if !ok {
		return errors.New("the prior is not a mixture")
	}
	if err := mix.SetMean(k, mean); err != nil {
		return err
	}
	if variance != nil {
		return mix.SetVariance(k, variance)
	}
	return nil
}

func (s *Server) build(m Message) [][]byte {
	x := mat.NewDense(m.Rows, m.Cols, m.Data)
	t, err := core.LoadTrainer(bytes.NewReader(m.Trainer), x)
	s.gen, s.seq = m.Gen, m.Seq
	s.playing, s.results = false, nil
	if err != nil {
		s.t = nil
		return [][]byte{s.errorReply(m.Gen, fmt.Errorf("build: %w", err), true)}
	}
	s.t = t
	return s.flush(nil, true)
}

// Work trains for up to budget (at least one step, unless the speed cap
// says to wait) while playing, and returns the replies due: the results
// of the slice, and a snapshot every SnapshotEvery. It also returns how
// long the caller may wait before the speed cap allows the next step.
func (s *Server) Work(budget time.Duration) ([][]byte, time.Duration) {
	if !s.Playing() {
		return nil, 0
	}
	start := time.Now()
	var wait time.Duration
	for {
		if s.rate > 0 {
			now := time.Now()
			if wait = s.next.Sub(now); wait > 0 {
				break
			}
			// A late worker catches up by at most a second of steps.
			s.next = later(s.next.Add(time.Duration(float64(time.Second)/s.rate)), now.Add(-time.Second))
		}
		s.results = append(s.results, s.t.Step())
		if time.Since(start) >= budget || len(s.results) >= MaxResults {
			break
		}
	}
	snap := time.Since(s.lastSnap) >= snapshotInterval(s.t.Model.Params.Len())
	if !snap && time.Since(s.lastSent) < ResultsEvery && len(s.results) < MaxResults/2 {
		return nil, max(wait, 0) // more to come in the next slice
	}
	return s.flush(nil, snap), max(wait, 0)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// flush appends the pending results and, when snap, the parameters.
func (s *Server) flush(out [][]byte, snap bool) [][]byte {
	if len(s.results) > 0 {
		out = append(out, s.encode(Message{Kind: KindResults, Results: s.results}))
		s.results = s.results[:0]
		s.lastSent = time.Now()
	}
	if snap && s.t != nil {
		s.scratch = s.t.Model.Snapshot(s.scratch[:0])
		out = append(out, s.encode(Message{Kind: KindSnapshot, Params: s.scratch}))
		s.lastSnap = time.Now()
	}
	return out
}

func (s *Server) encode(m Message) []byte {
	m.Gen, m.Seq = s.gen, s.seq
	b, err := Encode(m)
	if err != nil {
		return s.errorReply(s.gen, err, true)
	}
	return b
}

func (s *Server) errorReply(gen uint32, err error, fatal bool) []byte {
	b, _ := Encode(Message{Kind: KindError, Gen: gen, Seq: s.seq, Text: err.Error(), Fatal: fatal})
	return b
}

// Inbox is a queue of incoming messages that never blocks its writer (a
// JavaScript event handler must not block) and wakes one reader.
type Inbox struct {
	mu     sync.Mutex
	queue  [][]byte
	wake   chan struct{}
	closed bool
}

// NewInbox makes an empty inbox.
func NewInbox() *Inbox { return &Inbox{wake: make(chan struct{}, 1)} }

// Put adds a message.
func (q *Inbox) Put(b []byte) {
	q.mu.Lock()
	q.queue = append(q.queue, b)
	q.mu.Unlock()
	q.signal()
}

// Close ends Serve once the queue is drained.
func (q *Inbox) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *Inbox) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take returns what has arrived.
func (q *Inbox) take() ([][]byte, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.queue
	q.queue = nil
	return out, q.closed
}

// Serve is the worker's loop: it handles every message in inbox, trains
// in slices while playing and posts the replies through send. Between two
// slices it calls yield, which must give the host's event loop a turn
// (that is how messages reach the inbox in a Web Worker); while paused it
// sleeps until a message arrives. It returns when inbox is closed.
func Serve(s *Server, inbox *Inbox, send func([]byte), yield func()) {
	send(s.Ready())
	for {
		msgs, closed := inbox.take()
		for _, b := range msgs {
			for _, r := range s.Handle(b) {
				send(r)
			}
		}
		if closed {
			return
		}
		if !s.Playing() {
			<-inbox.wake
			continue
		}
		replies, wait := s.Work(Slice)
		for _, r := range replies {
			send(r)
		}
		if wait > 0 {
			select {
			case <-inbox.wake:
			case <-time.After(min(wait, 20*time.Millisecond)):
			}
			continue
		}
		yield()
	}
}
