package playground

import (
	"image"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/i18n"
	"github.com/vaeplayground/vae/lessons"
	"github.com/vaeplayground/vae/playground/flowlab"
	"github.com/vaeplayground/vae/playground/vaeview"
	"github.com/vaeplayground/vae/ui"
)

// clickRect presses and releases the pointer at the centre of r.
func clickRect(sc *Screen, r image.Rectangle, t0 time.Time) time.Time {
	p := image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
	t0 = runFrames(sc, 1, ui.Input{X: p.X, Y: p.Y}, t0)
	t0 = runFrames(sc, 1, ui.Input{X: p.X, Y: p.Y, Down: true, Pressed: true}, t0)
	return runFrames(sc, 2, ui.Input{X: p.X, Y: p.Y}, t0)
}

// A link with lesson= and step= opens that step: its configuration, its
// views and controls, the column beside the views.
func TestLessonLink(t *testing.T) {
	s, sc := newScreen(t, "lesson=priors&step=4")
	t0 := runFrames(sc, 3, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	r := sc.Lesson()
	if r == nil || r.L.Name != "priors" || r.Index != 3 {
		t.Fatalf("lesson %+v", r)
	}
	if s.Values.Choice("data") != "8gaussians" {
		t.Errorf("data %s", s.Values.Choice("data"))
	}
	if got := sc.ShownViews(); !slices.Equal(got, []string{"latent", "kl", "data"}) {
		t.Errorf("views %v", got)
	}
	if got := sc.ShownControls(); !slices.Equal(got, []string{"beta", "speed"}) {
		t.Errorf("controls %v", got)
	}
	col := sc.L.Lesson
	if col.Empty() || col.Min.X < sc.L.Latent.Max.X || col.Min.X < sc.L.KL.Max.X {
		t.Fatalf("column %v beside latent %v, kl %v", col, sc.L.Latent, sc.L.KL)
	}
	if !varied(sc.Frame, col) {
		t.Error("the column is blank")
	}
	shot(t, sc, "lesson-collapse.png")
	// Next opens step 5 (its β and free bits), Back step 4 again.
	t0 = clickRect(sc, sc.LessonRects()["next"], t0)
	if r.Index != 4 || s.Values.Int("step") != 5 || s.Values.Get("beta") != 4 {
		t.Fatalf("after Next: step %d, setting %d, β %v", r.Index+1, s.Values.Int("step"), s.Values.Get("beta"))
	}
	if !strings.Contains(s.Hash(), "lesson=priors") || !strings.Contains(s.Hash(), "step=5") {
		t.Errorf("link %s", s.Hash())
	}
	t0 = clickRect(sc, sc.LessonRects()["prev"], t0)
	if r.Index != 3 {
		t.Fatalf("after Back: step %d", r.Index+1)
	}
	// The step list opens step 9 (the VampPrior: a new model).
	t0 = clickRect(sc, sc.LessonRects()["steps"], t0)
	pop := sc.lesson.ctx.PopupRect()
	if pop.Empty() {
		t.Fatal("the step list did not open")
	}
	rowH := pop.Dy() / len(r.L.Steps)
	t0 = clickRect(sc, image.Rect(pop.Min.X, pop.Min.Y+8*rowH, pop.Max.X, pop.Min.Y+9*rowH), t0)
	if r.Index != 8 || s.Config.Prior.Kind != "vamp" {
		t.Fatalf("step list: step %d, prior %s", r.Index+1, s.Config.Prior.Kind)
	}
	// Close: the whole screen back.
	clickRect(sc, sc.LessonRects()["close"], t0)
	if sc.Lesson() != nil || !sc.L.Lesson.Empty() || s.Values.Choice("lesson") != "none" {
		t.Fatalf("closed: %v %v %s", sc.Lesson(), sc.L.Lesson, s.Values.Choice("lesson"))
	}
	if len(sc.ShownControls()) < 15 {
		t.Errorf("only %d controls after closing the lesson", len(sc.ShownControls()))
	}
}

// The top bar's Lessons entry lists the lessons; one opens at its first
// step. A bad step in the link falls back with a note.
func TestLessonsEntry(t *testing.T) {
	s, sc := newScreen(t, "")
	t0 := runFrames(sc, 2, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	b, ok := sc.TopButtons()["lessons"]
	if !ok {
		t.Fatal("no Lessons entry in the top bar")
	}
	t0 = clickRect(sc, b, t0)
	rects := sc.LessonRects()
	for _, l := range lessons.All {
		if rects["lesson:"+l.Name].Empty() {
			t.Errorf("the list has no %s", l.Name)
		}
	}
	shot(t, sc, "lesson-list.png")
	clickRect(sc, rects["lesson:priors"], t0)
	if r := sc.Lesson(); r == nil || r.Index != 0 || s.Values.Choice("lesson") != "priors" {
		t.Fatalf("opened %+v", r)
	}
	// lang=vi in the link: the column speaks Vietnamese.
	_, sc3 := newScreen(t, "lesson=priors&step=1&lang=vi")
	runFrames(sc3, 2, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	if sc3.lesson.lang != "vi" {
		t.Errorf("lang=vi: the column in %q", sc3.lesson.lang)
	}
	s2, _ := newScreen(t, "lesson=priors&step=99")
	if len(s2.Notes) == 0 {
		t.Error("step=99 gave no note")
	}
}

// decimals finds a number with a fraction in a check's message.
var decimals = regexp.MustCompile(`[0-9][.,][0-9]`)

// A learner on the screen: step 3 of the priors lesson (holes) fires with
// the model's number after training, and shows it in the column, in
// English and in Vietnamese.
func TestLessonCheckOnScreen(t *testing.T) {
	s, sc := newScreen(t, "lesson=priors&step=3")
	t0 := runFrames(sc, 2, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	r := sc.Lesson()
	for range 30 {
		s.StepN(100)
		t0 = runFrames(sc, 1, ui.Input{X: 2, Y: 790}, t0.Add(time.Second))
		if r.Fired() {
			break
		}
	}
	if !r.Fired() {
		t.Fatalf("step 3 did not fire: %s", r.Message("en", 0))
	}
	en := r.Message("en", 0)
	if !decimals.MatchString(en) || !strings.Contains(en, "holes") {
		t.Errorf("message %q", en)
	}
	shot(t, sc, "lesson-holes.png")
	i18n.Set("vi")
	defer i18n.Set("en")
	runFrames(sc, 2, ui.Input{X: 2, Y: 790}, t0)
	if vi := r.Message("vi", 0); !strings.Contains(vi, "lỗ hổng") || !strings.Contains(vi, ",") {
		t.Errorf("Vietnamese %q", vi)
	}
	shot(t, sc, "lesson-holes-vi.png")
}

// The flow-lab lesson, driven on the screen as a learner would: each
// layer count fits until the KL is judged; 32 layers end below 2.
func TestFlowsLesson(t *testing.T) {
	if testing.Short() {
		t.Skip("fits three flows")
	}
	s, sc := newScreen(t, "lesson=flows&step=1")
	t0 := runFrames(sc, 2, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	r := sc.Lesson()
	kls := map[int]string{}
	for i, layers := range []int{2, 8, 32} {
		if i > 0 {
			t0 = clickRect(sc, sc.LessonRects()["next"], t0)
		}
		if s.Values.Choice("mode") != "flowlab" || s.Values.Int("lK") != layers {
			t.Fatalf("step %d: mode %s, %d layers", i+1, s.Values.Choice("mode"), s.Values.Int("lK"))
		}
		lab := sc.scenes["flowlab"].(*flowlab.Lab)
		if !lab.Playing() {
			sc.QueueKey(KeySpace)
		}
		for f := 0; f < 200000 && !r.Fired(); f++ {
			lab.SetBudget(50 * time.Millisecond)
			t0 = runFrames(sc, 1, ui.Input{X: 2, Y: 790}, t0.Add(100*time.Millisecond))
		}
		msg := r.Message("en", 0)
		t.Logf("%d layers: %s", layers, msg)
		if !r.Fired() || !decimals.MatchString(msg) {
			t.Fatalf("%d layers: %s", layers, msg)
		}
		kls[layers] = msg
		if lab.Playing() {
			sc.QueueKey(KeySpace)
		}
	}
	if !strings.Contains(kls[32], "below the 8 layers'") {
		t.Errorf("32 layers: %s", kls[32])
	}
	shot(t, sc, "lesson-flows.png")

}

// The slow-motion step: each tap on "Next part" shows the next part of one
// training step, marked in the views; the update takes a real step and the
// check fires with the distance the point's code moved.
func TestLessonSlowMotion(t *testing.T) {
	s, sc := newScreen(t, "lesson=priors&step=14")
	r := sc.Lesson()
	if r == nil || r.Slow() == nil {
		t.Fatal("step 14 is not the slow-motion step")
	}
	s.StepN(300)
	t0 := runFrames(sc, 3, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	vw := sc.scenes["vae"].(*vaeview.View)
	shot(t, sc, "lesson-slow-start.png")
	t.Logf("slow-next at %v, column %v", sc.LessonRects()["slow-next"], sc.L.Lesson)
	for part := range lessons.SlowParts {
		t0 = clickRect(sc, sc.LessonRects()["slow-next"], t0)
		sl := r.Slow()
		if sl.Part != part || sl.St == nil {
			t.Fatalf("tap %d: part %d", part+1, sl.Part)
		}
		if len(vw.Marks()) == 0 {
			t.Errorf("part %d: nothing marked in the views", part+1)
		}
		if part == 3 {
			shot(t, sc, "lesson-slow-decode.png")
		}
	}
	if s.Steps() != 301 {
		t.Errorf("the update took %d steps", s.Steps()-300)
	}
	t0 = runFrames(sc, 2, ui.Input{X: 2, Y: 790}, t0.Add(time.Second))
	if !r.Fired() || !decimals.MatchString(r.Message("en", 0)) {
		t.Errorf("check: %q", r.Message("en", 0))
	}
	shot(t, sc, "lesson-slow-update.png")
	// Another point starts over on another row.
	row := r.Slow().Row
	clickRect(sc, sc.LessonRects()["slow-other"], t0)
	if r.Slow().Row == row || r.Slow().Part != 0 {
		t.Errorf("another point: row %d → %d, part %d", row, r.Slow().Row, r.Slow().Part)
	}
}

// TestLessonShots draws the README's screenshots of the lessons (with
// PLAYGROUND_SHOTS set): the mixture step in Vietnamese after training.
func TestLessonShots(t *testing.T) {
	if os.Getenv("PLAYGROUND_SHOTS") == "" {
		t.Skip("PLAYGROUND_SHOTS not set")
	}
	i18n.Set("vi")
	defer i18n.Set("en")
	s, sc := newScreen(t, "lesson=priors&step=8")
	t0 := runFrames(sc, 2, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	for range 40 {
		s.StepN(200)
		t0 = runFrames(sc, 1, ui.Input{X: 2, Y: 790}, t0.Add(time.Second))
		if sc.Lesson().Fired() {
			break
		}
	}
	runFrames(sc, 3, ui.Input{X: 2, Y: 790}, t0.Add(time.Second))
	shot(t, sc, "lesson-mixture-vi.png")
}

// A link that chose views and controls (views=, controls=) keeps them when
// its lesson closes: the lesson's steps show their own, the close gives
// the link's back rather than the whole screen.
func TestLessonCloseKeepsLinkFilter(t *testing.T) {
	_, sc := newScreen(t, "views=latent,loss&controls=beta,prior&lesson=priors&step=4")
	t0 := runFrames(sc, 3, ui.Input{X: 2, Y: 790}, time.Unix(0, 0))
	if got := sc.ShownViews(); !slices.Equal(got, []string{"latent", "kl", "data"}) {
		t.Fatalf("step 4's views %v", got)
	}
	clickRect(sc, sc.LessonRects()["close"], t0)
	if sc.Lesson() != nil {
		t.Fatal("the lesson did not close")
	}
	if got := sc.ShownViews(); !slices.Equal(got, []string{"latent", "loss"}) {
		t.Errorf("views after closing %v, want the link's latent, loss", got)
	}
	if got := sc.ShownControls(); !slices.Equal(got, []string{"prior", "beta"}) { // the column's order
		t.Errorf("controls after closing %v, want the link's prior and beta", got)
	}
}
