package session

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
)

func newSession(t *testing.T, hash string, mode Mode) *Session {
	t.Helper()
	s, err := New(hash, mode)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// The same settings and seed replay the same run, bit for bit, whichever
// runner trains; another seed gives another run.
func TestSameSettingsReplayTheRun(t *testing.T) {
	const hash = "data=8gaussians&prior=mixture&comps=4&seed=3&batch=64"
	a := newSession(t, hash, Inline)
	b := newSession(t, hash, Background)
	a.StepN(150)
	for range 3 { // the background runner, through single steps and a batch
		b.Step()
	}
	b.StepN(147)
	if a.Steps() != 150 || b.Steps() != 150 {
		t.Fatalf("steps %d and %d, want 150", a.Steps(), b.Steps())
	}
	if !slices.Equal(a.Snapshot(), b.Snapshot()) {
		t.Fatal("same settings and seed, different parameters")
	}
	if !slices.Equal(a.History.Loss, b.History.Loss) {
		t.Fatal("same settings and seed, different loss curves")
	}
	c := newSession(t, strings.Replace(hash, "seed=3", "seed=4", 1), Inline)
	c.StepN(150)
	if slices.Equal(a.Snapshot(), c.Snapshot()) {
		t.Fatal("another seed gave the same run")
	}
	// Reset replays from the start.
	a.Reset()
	a.StepN(150)
	if !slices.Equal(a.Snapshot(), b.Snapshot()) {
		t.Fatal("reset did not replay the run")
	}
}

func TestPlayPauseStep(t *testing.T) {
	for _, mode := range []Mode{Inline, Background} {
		s := newSession(t, "", mode)
		now := time.Now()
		s.Play()
		deadline := now.Add(5 * time.Second)
		for s.Steps() < 20 && time.Now().Before(deadline) {
			now = now.Add(16 * time.Millisecond)
			s.Tick(now)
			time.Sleep(2 * time.Millisecond)
		}
		if s.Steps() < 20 {
			t.Fatalf("mode %d: %d steps after playing", mode, s.Steps())
		}
		s.Pause()
		s.Tick(now.Add(16 * time.Millisecond))
		paused := s.Steps()
		for range 10 {
			now = now.Add(16 * time.Millisecond)
			s.Tick(now)
			time.Sleep(time.Millisecond)
		}
		if s.Steps() != paused {
			t.Fatalf("mode %d: steps went %d → %d while paused", mode, paused, s.Steps())
		}
		s.Step()
		if s.Steps() != paused+1 {
			t.Fatalf("mode %d: step went %d → %d, want exactly one", mode, paused, s.Steps())
		}
	}
}

func TestLiveAndRebuildSettings(t *testing.T) {
	s := newSession(t, "", Background)
	s.StepN(10)
	if err := s.Set("beta", "3"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("lr", "0.01"); err != nil {
		t.Fatal(err)
	}
	if s.Steps() != 10 {
		t.Fatalf("a live change restarted training (steps %d)", s.Steps())
	}
	h := s.run.hyper()
	if h.Beta != 3 || h.LearningRate != 0.01 {
		t.Fatalf("trainer has β %v, lr %v; want 3, 0.01", h.Beta, h.LearningRate)
	}
	if err := s.Set("batch", "32"); err != nil {
		t.Fatal(err)
	}
	s.StepN(1)
	if s.Steps() != 11 {
		t.Fatalf("batch change restarted training (steps %d)", s.Steps())
	}
	if err := s.Set("width", "32"); err != nil {
		t.Fatal(err)
	}
	if s.Steps() != 0 || !strings.Contains(s.Message, "new model") {
		t.Fatalf("a rebuild setting: steps %d, message %q", s.Steps(), s.Message)
	}
	if s.Config.EncoderHidden[0] != 32 {
		t.Fatalf("hidden width %v after the rebuild", s.Config.EncoderHidden)
	}
}

func TestBadChangesLeaveTheSession(t *testing.T) {
	s := newSession(t, "", Inline)
	s.StepN(5)
	before := s.Snapshot()
	hash := s.Hash()
	for _, kv := range [][2]string{{"latent", "99"}, {"beta", "NaN"}, {"nope", "1"}, {"data", "mnist"}, {"act", "<b>"}, {"lik", "bernoulli"}} {
		if err := s.Set(kv[0], kv[1]); err == nil {
			t.Errorf("%s=%s accepted", kv[0], kv[1])
		}
	}
	if s.Hash() != hash || s.Steps() != 5 || !slices.Equal(before, s.Snapshot()) {
		t.Fatal("a refused change altered the session")
	}
}

func TestFiles(t *testing.T) {
	s := newSession(t, "", Background)
	s.StepN(20)
	var ckpt bytes.Buffer
	if err := s.SaveModel(&ckpt); err != nil {
		t.Fatal(err)
	}
	saved := s.Snapshot()
	s.StepN(20)
	trained := s.Snapshot()
	// A corrupt file: an error, the session untouched and still training.
	bad := append([]byte(nil), ckpt.Bytes()...)
	bad[len(bad)/2] ^= 0xff
	for name, b := range map[string][]byte{"bad.vae": bad, "junk.bin": []byte("hello"), "empty.vae": nil} {
		if err := s.LoadFile(name, bytes.NewReader(b)); err == nil {
			t.Errorf("%s loaded", name)
		}
	}
	if !slices.Equal(trained, s.Snapshot()) || s.Steps() != 40 {
		t.Fatal("a bad checkpoint changed the session")
	}
	s.StepN(1)
	if s.Steps() != 41 {
		t.Fatal("training stopped after a bad checkpoint")
	}
	// The good one restores the saved parameters.
	if err := s.LoadFile("model.vae", bytes.NewReader(ckpt.Bytes())); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(saved, s.Snapshot()) {
		t.Fatal("loaded checkpoint differs from the saved model")
	}
	// CSV: bad is refused with the line, good becomes the data.
	if err := s.LoadFile("pts.csv", strings.NewReader("x,y\n1,2\n3,oops\n")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("bad CSV: %v", err)
	}
	if s.Values.Choice("data") != "moons" {
		t.Fatal("a bad CSV changed the dataset")
	}
	if err := s.LoadFile("pts.csv", strings.NewReader("1,2,0\n3,4,1\n5,7,1\n-2,1,0\n")); err != nil {
		t.Fatal(err)
	}
	if s.Values.Choice("data") != ImportedSet || s.Data.N != 4 {
		t.Fatalf("imported set: %s with %d points", s.Values.Choice("data"), s.Data.N)
	}
	s.StepN(3)
}

// Save for PyTorch writes a safetensors file; dropped back (as PyTorch
// would return it) it loads through the checkpoint path, and a bad one is
// refused with the session untouched.
func TestSafetensorsFiles(t *testing.T) {
	for _, mode := range []Mode{Inline, Background} {
		s := newSession(t, "prior=mixture&comps=3", mode)
		s.StepN(20)
		var st bytes.Buffer
		if err := s.SaveSafetensors(&st); err != nil {
			t.Fatal(err)
		}
		saved := s.Snapshot()
		m, err := core.ImportSafetensors(bytes.NewReader(st.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.Snapshot(nil), saved) {
			t.Fatal("the safetensors file is not the session's model")
		}
		s.StepN(10)
		trained := s.Snapshot()
		bad := append([]byte(nil), st.Bytes()...)
		bad = bad[:len(bad)-8] // one value short
		wrongShape := bytes.Replace(st.Bytes(), []byte(`"prior.means":{"dtype":"F64","shape":[3,2]`), []byte(`"prior.means":{"dtype":"F64","shape":[2,3]`), 1)
		if bytes.Equal(wrongShape, st.Bytes()) {
			t.Fatal("the test's edit found nothing to change")
		}
		for name, b := range map[string][]byte{"short.safetensors": bad, "shape.safetensors": wrongShape} {
			err := s.LoadFile(name, bytes.NewReader(b))
			if err == nil || !strings.Contains(err.Error(), "not a safetensors model") {
				t.Errorf("%s: %v", name, err)
			}
		}
		if !slices.Equal(trained, s.Snapshot()) || s.Steps() != 30 {
			t.Fatal("a bad safetensors file changed the session")
		}
		if err := s.LoadFile("model.safetensors", bytes.NewReader(st.Bytes())); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(saved, s.Snapshot()) || !strings.Contains(s.Message, "loaded model.safetensors") {
			t.Fatalf("loaded safetensors differs from the saved model (%s)", s.Message)
		}
		s.StepN(2)
	}
	s := newSession(t, "prior=two-stage", Inline)
	if err := s.SaveSafetensors(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "two-stage") {
		t.Errorf("two-stage saved for PyTorch: %v", err)
	}
}

func TestDrawnPointsAndLinks(t *testing.T) {
	s := newSession(t, "", Inline)
	for i := range 12 {
		if err := s.AddPoint(float64(i)/4, float64(i%3), i%2); err != nil {
			t.Fatal(err)
		}
	}
	if s.Values.Choice("data") != DrawnSet || s.Data.N != 12 {
		t.Fatalf("after drawing: %s with %d points", s.Values.Choice("data"), s.Data.N)
	}
	s.StepN(5)
	if s.ErasePoints(0, 0, 0.1) != 1 || s.Data.N != 11 {
		t.Fatalf("erase: %d points left", s.Data.N)
	}
	// A link carries the drawing.
	r := newSession(t, s.Hash(), Inline)
	if len(r.Notes) > 0 || r.Values.Choice("data") != DrawnSet || r.Data.N != 11 {
		t.Fatalf("reopened link: %s, %d points, notes %v", r.Values.Choice("data"), r.Data.N, r.Notes)
	}
	// A hostile drawing falls back with a note.
	h := newSession(t, "data=drawn&pts=1~2~0_NaN~1~0", Inline)
	if len(h.Notes) == 0 || h.Values.Choice("data") == DrawnSet {
		t.Fatalf("hostile drawing: %s, notes %v", h.Values.Choice("data"), h.Notes)
	}
}

func TestMixtureComponentMoves(t *testing.T) {
	s := newSession(t, "prior=mixture&comps=3", Background)
	s.StepN(5)
	if err := s.SetMixtureComponent(1, []float64{2.5, -1.5}, []float64{0.3, 0.2}); err != nil {
		t.Fatal(err)
	}
	c := s.Model.Prior.(*core.Mixture).Components()[1]
	if c.Mean[0] != 2.5 || c.Mean[1] != -1.5 || c.Var[0] < 0.29 || c.Var[0] > 0.31 {
		t.Fatalf("drawing copy has component %+v", c)
	}
	s.StepN(5) // training goes on from the moved prior
	c = s.Model.Prior.(*core.Mixture).Components()[1]
	if d := c.Mean[0] - 2.5; d > 0.5 || d < -0.5 {
		t.Fatalf("component jumped back to %v", c.Mean)
	}
}

func TestDivergenceIsReportedAndPauses(t *testing.T) {
	s := newSession(t, "", Inline)
	// A model whose loss is not finite: NaN parameters cannot be restored,
	// so break the data instead.
	s.X.Set(0, 0, 1e308)
	s.X.Set(1, 0, -1e308)
	s.Play()
	now := time.Now()
	for range 200 {
		now = now.Add(16 * time.Millisecond)
		s.Tick(now)
		if !s.Playing {
			break
		}
	}
	if s.Diverged == "" {
		t.Fatal("no divergence reported although the data hold ±1e308")
	}
	if !strings.Contains(s.Diverged, "skipped") && !strings.Contains(s.Diverged, "paused") {
		t.Fatalf("divergence message %q says nothing of what was done", s.Diverged)
	}
}

// A step longer than a frame's budget runs once frames have saved up for
// it: most frames then train nothing and stay short.
func TestInlineSlowStepsSkipFrames(t *testing.T) {
	s := newSession(t, "data=shapes&d.n=300&width=512&batch=256", Inline)
	r := s.run.(*inlineRunner)
	r.steps(2) // warm up
	stepped := 0
	for range 40 {
		if len(r.advance(true, time.Millisecond, unlimitedSteps, 0)) > 0 {
			stepped++
		}
	}
	if stepped == 0 || stepped == 40 {
		t.Fatalf("%d of 40 frames trained (step cost %v): want some, not all", stepped, r.stepCost)
	}
}

// Frames a second apart (a loaded machine, a slow device) still train:
// a step dearer than the frame budget runs at nearly every such frame, not
// once the frames' small budgets have added up to it.
func TestInlineTrainsOnSlowFrames(t *testing.T) {
	// A step of about 20 ms: above the 1 ms budget the slow frames leave,
	// well below a quarter of their second even on a loaded machine.
	s := newSession(t, "data=shapes&d.n=300&width=128&batch=128", Inline)
	r := s.run.(*inlineRunner)
	r.steps(2) // warm up
	s.Play()
	now := time.Now()
	stepped := 0
	for range 20 {
		now = now.Add(time.Second)
		before := s.Steps()
		s.Tick(now)
		if s.Steps() > before {
			stepped++
		}
	}
	if stepped < 15 {
		t.Fatalf("%d of 20 frames a second apart trained (step cost %v, budget %v)", stepped, r.stepCost, s.Budget())
	}
}

func TestSecondStageFit(t *testing.T) {
	s := newSession(t, "data=8gaussians&prior=two-stage&lr=0.003", Inline)
	s.StepN(300)
	if err := s.FitSecondStage(); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := 0; i < 5000 && !s.Stage2.Ready(); i++ {
		now = now.Add(16 * time.Millisecond)
		s.Tick(now)
	}
	if !s.Stage2.Ready() || s.Stage2.AtStep != 300 {
		t.Fatalf("fit: %+v", s.Stage2)
	}
	// (The latent view drawing from it is tested with the view.)
	if err := s.Set("prior", "standard"); err != nil || s.Stage2 != nil {
		t.Fatalf("a new model kept the second stage: %v", err)
	}
	if err := s.FitSecondStage(); err == nil {
		t.Fatal("second stage fitted for a standard prior")
	}
}

// A link naming imported points (what "copy link" gives after a CSV) opens
// on the default data set with the link's other settings, not on all the
// defaults.
func TestLinkWithoutItsPointsKeepsTheOtherSettings(t *testing.T) {
	s, err := New("data=imported&prior=mixture&beta=2", Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Values.Choice("data") != "moons" || s.Config.Prior.Kind != "mixture" || s.Values.Get("beta") != 2 {
		t.Fatalf("opened as %s", s.Values.Encode())
	}
	if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "no CSV imported") {
		t.Fatalf("notes %q", s.Notes)
	}
}

func TestLinkNoteNamesWhatTheLinkLeavesOut(t *testing.T) {
	s, err := New("", Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := s.LinkNote(); n != "" {
		t.Fatalf("moons: %q", n)
	}
	if err := s.LoadFile("p.csv", strings.NewReader("x,y\n0,0\n1,1\n2,0\n")); err != nil {
		t.Fatal(err)
	}
	if n := s.LinkNote(); !strings.Contains(n, "imported points are not in it") {
		t.Fatalf("imported: %q", n)
	}
}

// A budget set for the next frame (SetBudget, as the frame benchmarks set
// 0 for one step a frame) is the frame's: the slow frames' floor of a
// quarter of the time between frames does not raise it.
func TestSetBudgetIsTheNextFramesBudget(t *testing.T) {
	s := newSession(t, "", Inline)
	s.Play()
	now := time.Now()
	s.Tick(now)
	before := s.Steps()
	const frames = 40
	for range frames {
		now = now.Add(16 * time.Millisecond)
		s.SetBudget(0)
		s.Tick(now)
	}
	if n := s.Steps() - before; n == 0 || n > frames {
		t.Fatalf("%d steps in %d frames with a budget of 0 (one a frame at most)", n, frames)
	}
}
