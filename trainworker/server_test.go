package trainworker

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
	"github.com/vaeplayground/vae/datasets"
	"gonum.org/v1/gonum/mat"
)

// newTrainer is the playground's default run: two moons, the 2-D model,
// a seeded trainer.
func newTrainer(t *testing.T, prior string) (*core.Trainer, *mat.Dense) {
	t.Helper()
	ds, err := datasets.Generate("moons", nil, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(ds.N, ds.D, ds.X)
	cfg := core.DefaultConfig2D()
	cfg.Prior = core.PriorConfig{Kind: prior, Components: 3}
	m, err := core.NewModel(cfg, rand.New(rand.NewPCG(7, 0x1417)))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := core.NewTrainer(m, x, 64, core.DefaultHyper(), 7)
	if err != nil {
		t.Fatal(err)
	}
	return tr, x
}

func mustEncode(t *testing.T, m Message) []byte {
	t.Helper()
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func buildMessage(t *testing.T, tr *core.Trainer, x *mat.Dense, gen uint32) []byte {
	t.Helper()
	var ckpt bytes.Buffer
	if err := tr.Save(&ckpt); err != nil {
		t.Fatal(err)
	}
	r, c := x.Dims()
	return mustEncode(t, Message{Kind: KindBuild, Gen: gen, Seq: 1, Trainer: ckpt.Bytes(), Rows: r, Cols: c, Data: x.RawMatrix().Data})
}

func decodeAll(t *testing.T, bs [][]byte) []Message {
	t.Helper()
	var out []Message
	for _, b := range bs {
		m, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// A trainer handed to the worker mid-run takes the very steps it would have
// taken at home: the same results and the same parameters, bit for bit.
func TestWorkerContinuesTheRunExactly(t *testing.T) {
	home, x := newTrainer(t, "mixture")
	for range 25 {
		home.Step()
	}
	s := &Server{}
	replies := decodeAll(t, s.Handle(buildMessage(t, home, x, 1)))
	if len(replies) != 1 || replies[0].Kind != KindSnapshot || !equal(replies[0].Params, home.Model.Snapshot(nil)) {
		t.Fatalf("build answered %+v, want the snapshot it starts from", replies)
	}

	var want []core.StepResult
	for range 40 {
		want = append(want, home.Step())
	}
	replies = decodeAll(t, s.Handle(mustEncode(t, Message{Kind: KindSteps, Gen: 1, Seq: 2, N: 40})))
	if len(replies) != 2 || replies[0].Kind != KindResults || replies[1].Kind != KindSnapshot {
		t.Fatalf("steps answered %v", kinds(replies))
	}
	got := replies[0].Results
	if len(got) != 40 || got[0].Step != 26 || got[39].Step != 65 {
		t.Fatalf("got %d results from step %d", len(got), got[0].Step)
	}
	for i := range want {
		if got[i].Loss != want[i].Loss || got[i].ELBO != want[i].ELBO {
			t.Fatalf("step %d: loss %v in the worker, %v at home", want[i].Step, got[i].Loss, want[i].Loss)
		}
	}
	if !equal(replies[1].Params, home.Model.Snapshot(nil)) {
		t.Error("parameters differ from the same steps taken at home")
	}
	if replies[1].Seq != 2 || replies[1].Gen != 1 {
		t.Errorf("reply acknowledges gen %d seq %d, want 1, 2", replies[1].Gen, replies[1].Seq)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func kinds(ms []Message) []Kind {
	var out []Kind
	for _, m := range ms {
		out = append(out, m.Kind)
	}
	return out
}

// Live changes reach the trainer, refused ones say why and change nothing,
// and commands about a replaced trainer are ignored.
func TestCommandsChangeTheTrainer(t *testing.T) {
	tr, x := newTrainer(t, "mixture")
	s := &Server{}
	s.Handle(buildMessage(t, tr, x, 4))

	h := core.DefaultHyper()
	h.Beta = 0.25
	s.Handle(mustEncode(t, Message{Kind: KindSetHyper, Gen: 4, Seq: 2, Hyper: h}))
	if s.t.Hyper.Beta != 0.25 {
		t.Errorf("beta %v after set-hyper", s.t.Hyper.Beta)
	}
	replies := decodeAll(t, s.Handle(mustEncode(t, Message{Kind: KindSetMixture, Gen: 4, Seq: 3, Component: 1, Mean: []float64{2, -1}})))
	if got := s.t.Model.Prior.(*core.Mixture).Components()[1].Mean; got[0] != 2 || got[1] != -1 {
		t.Errorf("component 1 at %v after set-mixture", got)
	}
	if kinds(replies)[0] != KindSnapshot {
		t.Errorf("set-mixture answered %v, want the moved snapshot", kinds(replies))
	}
	replies = decodeAll(t, s.Handle(mustEncode(t, Message{Kind: KindSetMixture, Gen: 4, Seq: 4, Component: 9, Mean: []float64{0, 0}})))
	if replies[0].Kind != KindError || replies[0].Fatal {
		t.Errorf("a move of component 9 of 3 answered %+v, want a refusal", replies[0])
	}
	replies = decodeAll(t, s.Handle(mustEncode(t, Message{Kind: KindSetData, Gen: 4, Seq: 5, Rows: 1, Cols: 3, Data: []float64{1, 2, 3}, Batch: 1})))
	if replies[0].Kind != KindError || replies[0].Fatal || !strings.Contains(replies[0].Text, "columns") {
		t.Errorf("3-column data answered %+v", replies[0])
	}
	s.Handle(mustEncode(t, Message{Kind: KindSetData, Gen: 4, Seq: 6, Rows: 3, Cols: 2, Data: []float64{1, 2, 3, 4, 5, 6}, Batch: 2}))
	if s.t.Batch != 2 {
		t.Errorf("batch %d after set-data", s.t.Batch)
	}
	// A command about generation 3 is stale: nothing happens, no reply.
	if out := s.Handle(mustEncode(t, Message{Kind: KindSteps, Gen: 3, Seq: 7, N: 5})); len(out) != 0 || s.t.Steps() != 0 {
		t.Errorf("a stale command ran: %d replies, %d steps", len(out), s.t.Steps())
	}
	s.Handle(mustEncode(t, Message{Kind: KindStop, Gen: 4, Seq: 8}))
	if s.t != nil || s.Playing() {
		t.Error("stop kept the trainer")
	}
}

// Nonsense is answered with a fatal error, never a panic; so is a reply
// sent as a command, and a build from a corrupt checkpoint.
func TestNonsenseIsFatal(t *testing.T) {
	tr, x := newTrainer(t, "standard")
	s := &Server{}
	s.Handle(buildMessage(t, tr, x, 5))
	good := buildMessage(t, tr, x, 6)
	corrupt := append([]byte(nil), good...)
	corrupt[headerLen+4+20] ^= 0xff // inside the checkpoint: its checksum fails
	for name, b := range map[string][]byte{
		"garbage":            []byte("hello"),
		"a reply":            mustEncode(t, Message{Kind: KindSnapshot, Params: []float64{1}}),
		"corrupt checkpoint": corrupt,
	} {
		replies := decodeAll(t, s.Handle(b))
		if len(replies) != 1 || replies[0].Kind != KindError || !replies[0].Fatal || replies[0].Gen != s.gen {
			t.Errorf("%s answered %+v", name, replies)
		}
	}
}

// The loop trains while playing, in slices, sending results and snapshots;
// a pause stops it with a final snapshot; a speed cap holds.
func TestServeTrainsUntilPaused(t *testing.T) {
	tr, x := newTrainer(t, "standard")
	inbox := NewInbox()
	var mu sync.Mutex
	var got []Message
	send := func(b []byte) {
		m, err := Decode(b)
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
	}
	done := make(chan struct{})
	go func() {
		Serve(&Server{Backend: "test"}, inbox, send, func() { time.Sleep(time.Millisecond) })
		close(done)
	}()
	count := func() (steps, snaps int) {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range got {
			steps += len(m.Results)
			if m.Kind == KindSnapshot {
				snaps++
			}
		}
		return steps, snaps
	}
	inbox.Put(buildMessage(t, tr, x, 1))
	inbox.Put(mustEncode(t, Message{Kind: KindRun, Gen: 1, Seq: 2, Playing: true}))
	// Under js/wasm on a busy machine a step may take tens of ms: wait for
	// the work, not for a fixed time.
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if steps, snaps := count(); steps >= 10 && snaps >= 3 {
			break
		}
	}
	inbox.Put(mustEncode(t, Message{Kind: KindRun, Gen: 1, Seq: 3}))
	time.Sleep(100 * time.Millisecond)

	mu.Lock()
	if got[0].Kind != KindReady || got[0].Text != "test" {
		t.Errorf("first message %+v, want ready", got[0])
	}
	steps, snaps, last := 0, 0, Message{}
	for _, m := range got {
		steps += len(m.Results)
		if m.Kind == KindSnapshot {
			snaps++
		}
		if m.Kind != KindReady {
			last = m
		}
	}
	n := len(got)
	mu.Unlock()
	if steps < 10 || snaps < 3 {
		t.Errorf("play: %d steps, %d snapshots", steps, snaps)
	}
	if last.Kind != KindSnapshot || last.Seq != 3 {
		t.Errorf("the pause ended with %v (seq %d), want the final snapshot", last.Kind, last.Seq)
	}
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	if len(got) != n {
		t.Errorf("%d messages after the pause", len(got)-n)
	}
	got = nil
	mu.Unlock()

	// 200 steps a second for 300 ms: at most about 60 (fewer where steps
	// are slow), never a burst of hundreds.
	inbox.Put(mustEncode(t, Message{Kind: KindRun, Gen: 1, Seq: 4, Playing: true, Rate: 200}))
	time.Sleep(300 * time.Millisecond)
	inbox.Put(mustEncode(t, Message{Kind: KindRun, Gen: 1, Seq: 5}))
	inbox.Close()
	<-done
	steps = 0
	for _, m := range got {
		steps += len(m.Results)
	}
	if steps < 1 || steps > 90 {
		t.Errorf("capped at 200/s for 300 ms: %d steps", steps)
	}
}

// Snapshots of a large model come less often: the page copies each one.
func TestSnapshotIntervalGrowsWithTheModel(t *testing.T) {
	count := func(cfg core.Config) int {
		m, err := core.NewModel(cfg, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return m.Params.Len()
	}
	small, image := snapshotInterval(count(core.DefaultConfig2D())), snapshotInterval(count(core.DefaultConfigImage()))
	if small != SnapshotEvery || image < 150*time.Millisecond || image > 250*time.Millisecond {
		t.Errorf("snapshots every %v (2-D model), %v (image model); want %v and about 200 ms", small, image, SnapshotEvery)
	}
}

// The checkpoint a worker sends on KindSave continues the run exactly: a
// trainer loaded from it takes the steps the worker would have taken.
func TestSaveContinuesTheRunExactly(t *testing.T) {
	home, x := newTrainer(t, "mixture")
	s := &Server{}
	decodeAll(t, s.Handle(buildMessage(t, home, x, 1)))
	decodeAll(t, s.Handle(mustEncode(t, Message{Kind: KindSteps, Gen: 1, Seq: 2, N: 30})))
	s.Handle(mustEncode(t, Message{Kind: KindSteps, Gen: 1, Seq: 3, N: 1}))
	replies := decodeAll(t, s.Handle(mustEncode(t, Message{Kind: KindSave, Gen: 1, Seq: 4})))
	if len(replies) != 1 || replies[0].Kind != KindTrainer || replies[0].Seq != 4 {
		t.Fatalf("save answered %v", kinds(replies))
	}
	resumed, err := core.LoadTrainer(bytes.NewReader(replies[0].Trainer), x)
	if err != nil {
		t.Fatal(err)
	}
	replies = decodeAll(t, s.Handle(mustEncode(t, Message{Kind: KindSteps, Gen: 1, Seq: 5, N: 20})))
	got := replies[0].Results
	for i := range 20 {
		r := resumed.Step()
		if r.Step != got[i].Step || r.Loss != got[i].Loss {
			t.Fatalf("step %d: loss %v resumed, %v in the worker", got[i].Step, r.Loss, got[i].Loss)
		}
	}
	if !equal(replies[1].Params, resumed.Model.Snapshot(nil)) {
		t.Error("parameters differ after the same steps from the saved checkpoint")
	}
}

// Pending results go out before the checkpoint, so the page's history
// reaches the checkpoint's step.
func TestSaveFlushesResultsFirst(t *testing.T) {
	home, x := newTrainer(t, "standard")
	s := &Server{}
	decodeAll(t, s.Handle(buildMessage(t, home, x, 1)))
	s.Handle(mustEncode(t, Message{Kind: KindRun, Gen: 1, Seq: 2, Playing: true}))
	s.results = append(s.results, s.t.Step()) // a step whose result is not yet sent
	replies := decodeAll(t, s.Handle(mustEncode(t, Message{Kind: KindSave, Gen: 1, Seq: 3})))
	if len(replies) != 2 || replies[0].Kind != KindResults || replies[1].Kind != KindTrainer {
		t.Fatalf("save while playing answered %v, want results then trainer", kinds(replies))
	}
	if replies[0].Results[0].Step != 1 {
		t.Errorf("flushed step %d, want 1", replies[0].Results[0].Step)
	}
}
