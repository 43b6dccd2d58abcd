package session

import (
	"bytes"
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/trainworker"
)

// pipeLink is a worker in a goroutine: the same server and loop as the Web
// Worker's, with channels for postMessage.
type pipeLink struct {
	inbox *trainworker.Inbox

	mu      sync.Mutex
	pending [][]byte
	err     error
	tamper  func([]byte) []byte // changes what the worker sends, when set
}

func startWorker(t *testing.T) *pipeLink {
	t.Helper()
	p := &pipeLink{inbox: trainworker.NewInbox()}
	done := make(chan struct{})
	go func() {
		trainworker.Serve(&trainworker.Server{Backend: "test"}, p.inbox, p.put, runtime.Gosched)
		close(done)
	}()
	t.Cleanup(func() { p.inbox.Close(); <-done })
	return p
}

func (p *pipeLink) put(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tamper != nil {
		if b = p.tamper(b); b == nil {
			return // lost on the way
		}
	}
	p.pending = append(p.pending, b)
}

func (p *pipeLink) Send(b []byte) { p.inbox.Put(b) }

func (p *pipeLink) Receive() ([][]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.pending
	p.pending = nil
	return out, p.err
}

// tickUntil runs frames until done says so (or fails after 5 s).
func tickUntil(t *testing.T, s *Session, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s (steps %d, place %s, message %q)", what, s.Steps(), s.TrainingPlace(), s.Message)
		}
		s.Tick(time.Now())
		time.Sleep(time.Millisecond)
	}
}

// A run handed to the worker mid-way, stepped there singly and in a
// batch, ends where the same run on the page ends, bit for bit.
func TestWorkerReplaysTheRun(t *testing.T) {
	const hash = "data=8gaussians&prior=mixture&comps=4&seed=3&batch=64"
	a := newSession(t, hash, Inline)
	a.StepN(150)

	b := newSession(t, hash, Worker)
	b.StepN(40) // inline: no worker yet
	if b.TrainingPlace() != "inline" {
		t.Fatalf("before a worker is attached training is %s", b.TrainingPlace())
	}
	if err := b.AttachWorker(startWorker(t)); err != nil {
		t.Fatal(err)
	}
	if b.TrainingPlace() != "worker" {
		t.Fatalf("after attaching, training is %s", b.TrainingPlace())
	}
	for range 3 {
		b.Step()
	}
	b.StepN(107)
	tickUntil(t, b, "150 steps in the worker", func() bool { return b.Steps() == 150 && !b.run.(*workerRunner).fresh })
	if !slices.Equal(a.Snapshot(), b.Snapshot()) {
		t.Fatal("the worker's run differs from the page's")
	}
	if !slices.Equal(a.History.Loss, b.History.Loss) {
		t.Fatal("the worker's loss curve differs from the page's")
	}
	if !slices.Equal(a.Model.Snapshot(nil), b.Model.Snapshot(nil)) {
		t.Fatal("the drawing model is not the worker's last snapshot")
	}
	// A rebuild makes the next trainer in the worker too.
	if err := b.Reset(); err != nil {
		t.Fatal(err)
	}
	if b.TrainingPlace() != "worker" || b.Steps() != 0 {
		t.Fatalf("after reset: %s at step %d", b.TrainingPlace(), b.Steps())
	}
	b.StepN(150)
	tickUntil(t, b, "150 steps after reset", func() bool { return b.Steps() == 150 && !b.run.(*workerRunner).fresh })
	if !slices.Equal(a.Snapshot(), b.Snapshot()) {
		t.Fatal("reset in the worker did not replay the run")
	}
}

// Play trains in the worker while frames go on; pause stops the counter;
// a step is exactly one; live settings, mixture drags and saving work.
func TestWorkerPlayPauseStep(t *testing.T) {
	s := newSession(t, "prior=mixture&comps=3", Worker)
	if err := s.AttachWorker(startWorker(t)); err != nil {
		t.Fatal(err)
	}
	s.Play()
	tickUntil(t, s, "20 steps of play", func() bool { return s.Steps() >= 20 })
	if s.History.Len() == 0 {
		t.Fatal("no history while playing")
	}
	s.Pause()
	s.Tick(time.Now())
	tickUntil(t, s, "the final snapshot after the pause", func() bool { return s.run.(*workerRunner).acked == s.worker.seq })
	paused := s.Steps()
	for range 20 {
		s.Tick(time.Now())
		time.Sleep(2 * time.Millisecond)
	}
	if s.Steps() != paused {
		t.Fatalf("paused at %d, then %d", paused, s.Steps())
	}
	s.Step()
	tickUntil(t, s, "one step", func() bool { return s.Steps() == paused+1 })

	if err := s.Set("beta", "0.5"); err != nil {
		t.Fatal(err)
	}
	s.StepN(1)
	tickUntil(t, s, "a step at β = 0.5", func() bool { return s.Steps() == paused+2 })
	if s.run.hyper().Beta != 0.5 {
		t.Errorf("β %v after set", s.run.hyper().Beta)
	}

	if err := s.SetMixtureComponent(1, []float64{1.5, -0.5}, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.Model.Prior.(*core.Mixture).Components()[1].Mean; got[0] != 1.5 {
		t.Errorf("the drawing model shows the dragged component at %v", got)
	}
	if err := s.SetMixtureComponent(7, []float64{0, 0}, nil); err == nil {
		t.Error("moving component 7 of 3 was accepted")
	}
	tickUntil(t, s, "the worker's answer to the drag", func() bool { return s.run.(*workerRunner).acked == s.worker.seq })
	var buf bytes.Buffer
	if err := s.SaveModel(&buf); err != nil {
		t.Fatal(err)
	}
	m, err := core.LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Snapshot(nil), s.Snapshot()) || m.Prior.(*core.Mixture).Components()[1].Mean[0] != 1.5 {
		t.Error("the saved model is not the worker's")
	}
	if s.WorkerError() != "" || s.TrainingPlace() != "worker" {
		t.Errorf("worker gave up: %s", s.WorkerError())
	}
}

// A worker that sends nonsense, crashes or falls silent is given up: the
// page says so and trains on inline from the last snapshot, counting on.
func TestWorkerFailureFallsBackInline(t *testing.T) {
	defer func(d time.Duration) { workerTimeout = d }(workerTimeout)
	workerTimeout = 300 * time.Millisecond
	for _, tc := range []struct {
		name    string
		breakIt func(p *pipeLink)
		want    string
		// foreign: the reason is the worker's own text (not this
		// build's words), shown as it came
		foreign bool
	}{
		{"corrupt message", func(p *pipeLink) { p.tamper = func([]byte) []byte { return []byte("VAEw\x01\x00garbage") } }, "cannot read", false},
		{"fatal error", func(p *pipeLink) {
			p.tamper = func(b []byte) []byte {
				m, _ := trainworker.Decode(b)
				out, _ := trainworker.Encode(trainworker.Message{Kind: trainworker.KindError, Gen: m.Gen, Seq: m.Seq, Fatal: true, Text: "it misread a command"})
				return out
			}
		}, "misread", true},
		{"crash", func(p *pipeLink) { p.err = errors.New("worker error: RuntimeError: unreachable") }, "unreachable", true},
		{"silence", func(p *pipeLink) { p.tamper = func([]byte) []byte { return nil } }, "sent no results", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, "", Worker)
			link := startWorker(t)
			if err := s.AttachWorker(link); err != nil {
				t.Fatal(err)
			}
			s.Play()
			tickUntil(t, s, "10 steps in the worker", func() bool { return s.Steps() >= 10 })
			link.mu.Lock()
			tc.breakIt(link)
			link.mu.Unlock()
			tickUntil(t, s, "the fallback", func() bool { return s.TrainingPlace() == "inline" })
			if !strings.Contains(s.Message, "training worker stopped") || !strings.Contains(s.Message, tc.want) {
				t.Errorf("message %q", s.Message)
			}
			if miss := untranslated(s.Message); !tc.foreign && len(miss) > 0 {
				t.Errorf("message %q in Vietnamese lacks %q", s.Message, miss)
			}
			if !strings.Contains(s.WorkerError(), tc.want) {
				t.Errorf("worker error %q", s.WorkerError())
			}
			before := s.Steps()
			tickUntil(t, s, "training on the page", func() bool { return s.Steps() >= before+10 })
			// The next model trains inline too: the worker is not trusted again.
			if err := s.Reset(); err != nil {
				t.Fatal(err)
			}
			if s.TrainingPlace() != "inline" {
				t.Errorf("after a reset training is %s", s.TrainingPlace())
			}
		})
	}
}

// The worker's silence is counted on the page's own clock: frames a
// second apart count a quarter of a second each, frames on time in full.
func TestPageClockCountsThePageRunning(t *testing.T) {
	var c pageClock
	t0 := time.Unix(100, 0)
	c.at(t0)
	for i := 1; i <= 16; i++ {
		c.at(t0.Add(time.Duration(i) * time.Second))
	}
	if got := c.at(t0.Add(16 * time.Second)); got != 16*maxPageGap {
		t.Fatalf("16 frames a second apart: %v on the page's clock, want %v", got, 16*maxPageGap)
	}
	if got := c.at(t0.Add(16*time.Second + 100*time.Millisecond)); got != 16*maxPageGap+100*time.Millisecond {
		t.Fatalf("a frame on time after them: %v", got)
	}
}
