package lessons

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vaeplayground/vae/session"
)

// TestNamesMatchSettings: the "lesson" setting offers exactly the lessons.
func TestNamesMatchSettings(t *testing.T) {
	var names []string
	for _, l := range All {
		names = append(names, l.Name)
		if len(l.Steps) > session.MaxLessonSteps {
			t.Errorf("%s: %d steps, the step setting stops at %d", l.Name, len(l.Steps), session.MaxLessonSteps)
		}
	}
	if want := session.LessonNames[1:]; !slices.Equal(names, want) {
		t.Errorf("lessons %v, the setting offers %v", names, want)
	}
	if len(priors.Steps) < 10 {
		t.Errorf("the priors lesson has %d steps, want at least 10", len(priors.Steps))
	}
}

var verb = regexp.MustCompile(`%(\[\d+\])?[a-z]`)

// verbs are a message's formatting verbs without their argument indexes
// (a translation may take the numbers in another order).
func verbs(text string) []string {
	var out []string
	for _, v := range verb.FindAllString(text, -1) {
		out = append(out, v[len(v)-1:])
	}
	return out
}

// TestTables: every message has its translation, with the same numbers.
func TestTables(t *testing.T) {
	for lang, table := range tables {
		for key, text := range english {
			tr, ok := table[key]
			if !ok {
				t.Errorf("%s: no translation of %q", lang, key)
				continue
			}
			a, b := verbs(text), verbs(tr)
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Errorf("%s %q: verbs %v, English has %v", lang, key, b, a)
			}
		}
		for key := range table {
			if _, ok := english[key]; !ok {
				t.Errorf("%s: %q is not an English message", lang, key)
			}
		}
	}
	for _, l := range All {
		for _, lang := range Languages {
			if T(lang, l.Name+".title") == l.Name+".title" {
				t.Errorf("%s: no title in %s", l.Name, lang)
			}
			for i, st := range l.Steps {
				for _, part := range []string{l.Title(lang, i), l.Body(lang, i), l.Do(lang, i), l.Notice(lang, i)} {
					if strings.HasPrefix(part, l.Name+".") {
						t.Errorf("%s %s: missing %s", l.Name, st.ID, part)
					}
				}
			}
		}
	}
}

// TestConfigs: every step's configuration is a valid link (no value falls
// back) and its views and controls exist.
func TestConfigs(t *testing.T) {
	views := []string{"data", "latent", "loss", "kl", "flow"}
	for _, l := range All {
		for _, st := range l.Steps {
			v, notes, extra := session.Decode(st.Config)
			if len(notes) > 0 || len(extra) > 0 {
				t.Errorf("%s %s: config %q: %v %v", l.Name, st.ID, st.Config, notes, extra)
			}
			for _, c := range st.Controls {
				if session.Lookup(v, c) == nil {
					t.Errorf("%s %s: no control %q", l.Name, st.ID, c)
				}
			}
			for _, w := range st.Views {
				if !slices.Contains(views, w) {
					t.Errorf("%s %s: no view %q", l.Name, st.ID, w)
				}
			}
		}
	}
}

// learner drives a step as a learner would: open it, do what it asks, and
// train until every check fired or limit steps passed.
type learner struct {
	t   *testing.T
	s   *session.Session
	r   *Runner
	cmp *session.Compare
}

func (ln *learner) open(i int) {
	t, s, r := ln.t, ln.s, ln.r
	if ln.cmp != nil {
		ln.cmp.Close()
		ln.cmp = nil
	}
	if err := r.Open(s, i); err != nil {
		t.Fatal(err)
	}
	if len(r.Notes) > 0 {
		t.Fatalf("step %d: notes %v", i+1, r.Notes)
	}
	st := r.Step()
	// The configuration is on: every setting it names has its value.
	want, _, _ := session.Decode(st.Config)
	for _, kv := range strings.Split(st.Config, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if s.Values.Get(k) != want.Get(k) {
			t.Errorf("step %s: %s = %v, the step says %v", st.ID, k, s.Values.Get(k), want.Get(k))
		}
	}
	if s.Values.Choice("lesson") != r.L.Name || s.Values.Int("step") != i+1 {
		t.Errorf("step %s: the link says lesson %s step %d", st.ID, s.Values.Choice("lesson"), s.Values.Int("step"))
	}
	if st.Compare != "" {
		c, err := session.NewCompare(s, st.Compare)
		if err != nil {
			t.Fatal(err)
		}
		ln.cmp = c
	}
}

// do does the step's action (train calls it once the checks before it
// fired).
func (ln *learner) do() {
	st := ln.r.Step()
	switch {
	case st.Act == "":
	case st.Act == "stage2":
		if err := ln.s.FitSecondStage(); err != nil {
			ln.t.Fatal(err)
		}
	default:
		for _, kv := range strings.Split(st.Act, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if err := ln.s.Set(k, v); err != nil {
				ln.t.Fatal(err)
			}
		}
	}
}

func (ln *learner) train(limit int) {
	s, r := ln.s, ln.r
	acted := false
	st := r.Step()
	start := s.Steps()
	if ln.cmp != nil {
		start = 0
	}
	for {
		r.Update(s, nil, ln.cmp)
		if r.Fired() {
			return
		}
		ready := st.ActAfter == 0 || r.Results[st.ActAfter-1].Done
		if !acted && ready {
			ln.do()
			acted = true
		}
		steps := s.Steps() - start
		if steps >= limit {
			return
		}
		switch {
		case st.Slow:
			// A tap on "Next part": the parts, then the update.
			if err := r.SlowNext(s); err != nil {
				ln.t.Fatal(err)
			}
		case s.Stage2 != nil && !s.Stage2.Ready():
			s.Tick(time.Now()) // the second stage fits within frames
		case ln.cmp != nil:
			ln.cmp.StepN(250)
			ln.cmp.Refresh(time.Hour, time.Now()) // the table, paused: exact
		default:
			s.StepN(100)
		}
	}
}

var number = regexp.MustCompile(`[0-9]`)

// TestPriorsLesson drives every step of the priors lesson in order, as a
// learner would, and asserts each check fired with the model's numbers.
func TestPriorsLesson(t *testing.T) {
	if testing.Short() {
		t.Skip("trains thousands of steps per step")
	}
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ln := &learner{t: t, s: s, r: NewRunner(priors)}
	for i, st := range priors.Steps {
		ln.open(i)
		ln.train(8000)
		for j, c := range st.Checks {
			res := ln.r.Results[j]
			text := ln.r.Message("en", j)
			t.Logf("step %d %s/%s at %d steps: %s", i+1, st.ID, c.ID, s.Steps(), text)
			if !res.Done {
				t.Errorf("step %d %s: check %s did not fire: %s", i+1, st.ID, c.ID, text)
				continue
			}
			if !number.MatchString(text) {
				t.Errorf("step %d %s: check %s fired without a number: %s", i+1, st.ID, c.ID, text)
			}
			if vi := ln.r.Message("vi", j); vi == text || strings.Contains(vi, "%!") {
				t.Errorf("step %d %s: Vietnamese message %q", i+1, st.ID, vi)
			}
		}
	}
	if ln.cmp != nil {
		ln.cmp.Close()
	}
}

// TestOpenClamps: a step beyond the lesson opens its last, and the step
// setting says so.
func TestOpenClamps(t *testing.T) {
	s, err := session.New("lesson=priors&step=30", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := NewRunner(priors)
	if err := r.Open(s, s.Values.Int("step")-1); err != nil {
		t.Fatal(err)
	}
	if r.Index != len(priors.Steps)-1 || s.Values.Int("step") != len(priors.Steps) {
		t.Errorf("opened %d, step setting %d", r.Index, s.Values.Int("step"))
	}
	// Opening a step with the same model settings keeps the model training.
	if err := r.Open(s, 0); err != nil {
		t.Fatal(err)
	}
	s.StepN(10)
	v := s.DataVersion
	if err := r.Open(s, 1); err != nil {
		t.Fatal(err)
	}
	if s.DataVersion != v || s.Steps() != 10 {
		t.Errorf("step 2 rebuilt the model of step 1 (data version %d → %d, steps %d)", v, s.DataVersion, s.Steps())
	}
	if err := r.Open(s, 5); err != nil { // the flow prior: a new model
		t.Fatal(err)
	}
	if s.Steps() != 0 || s.Config.Prior.Kind != "flow" {
		t.Errorf("step 6: prior %s at step %d", s.Config.Prior.Kind, s.Steps())
	}
}

func TestSpans(t *testing.T) {
	got := Spans("E_{q(z|x)}[log p] + μ_j^2 − a_")
	want := []Span{{"E", Base}, {"q(z|x)", Sub}, {"[log p] + μ", Base}, {"j", Sub}, {"2", Super}, {" − a_", Base}}
	if !slices.Equal(got, want) {
		t.Errorf("%v", got)
	}
}

// TestTrainedInJumps: step 1's check compares with the model's first step,
// also when training arrives in jumps of hundreds of steps between looks
// (the browser's tests, a worker catching up).
func TestTrainedInJumps(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := NewRunner(priors)
	if err := r.Open(s, 0); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10 && !r.Fired(); i++ {
		s.StepN(200)
		r.Update(s, nil, nil)
	}
	if !r.Fired() || !strings.Contains(r.Message("vi", 0), "ELBO đã tăng") {
		t.Errorf("after %d steps: %s", s.Steps(), r.Message("vi", 0))
	}
}
