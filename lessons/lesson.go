package lessons

import (
	"slices"

	"github.com/vaeplayground/vae/session"
)

// Lesson is one lesson: its steps in order. Name is its value of the
// "lesson" setting.
type Lesson struct {
	Name  string
	Steps []*Step
}

// Step is one step of a lesson. Its texts are messages (see T): the key
// "<lesson>.<step>." followed by title, body, do and notice.
type Step struct {
	ID string
	// Formula is drawn under the body: one line per formula, with _x / _{…}
	// for subscripts and ^x / ^{…} for superscripts (see Spans).
	Formula string
	// Config is the step's configuration as a link fragment: applied when
	// the step opens, every setting it does not name at its default.
	Config string
	// Compare is the comparison's compare= value when the step shows one
	// (B beside A), "-" for none.
	Compare string
	// Views are the panels shown and Controls the settings offered (the
	// others hidden for the step); nil: all.
	Views, Controls []string
	// Act is what the step asks the learner to do, as settings ("beta=4")
	// or an action ("stage2": fit the second stage); "" when the step only
	// asks to train. Tests and the e2e suite do it as a learner would.
	Act string
	// ActAfter is how many checks fire before the step asks for Act (the
	// text first asks to watch something happen).
	ActAfter int
	// Slow marks the slow-motion step: one training step in its parts,
	// advanced by a tap (Runner.SlowNext).
	Slow bool
	// Checks watch the session in order: the step is done when all fired.
	Checks []Check
}

// Check watches the session for one thing the step asks to notice.
type Check struct {
	ID string
	// Watch reads the running model (through w) and says whether the thing
	// has happened, with the model's numbers either way.
	Watch func(w *Watch) Result
}

// Result is a check's verdict: Done once the thing happened, and a message
// with the running model's numbers (what happened, or how far it is).
type Result struct {
	Done bool
	Msg  Msg
}

// All are the lessons by name, in the order of session.LessonNames.
var All = []*Lesson{priors, flows}

// Find returns the lesson called name, or nil.
func Find(name string) *Lesson {
	i := slices.IndexFunc(All, func(l *Lesson) bool { return l.Name == name })
	if i < 0 {
		return nil
	}
	return All[i]
}

// key is the message key of a step's text part.
func (l *Lesson) key(st *Step, part string) string { return l.Name + "." + st.ID + "." + part }

// Title, Body, Do and Notice are the step's texts in language lang.
func (l *Lesson) Title(lang string, i int) string  { return T(lang, l.key(l.Steps[i], "title")) }
func (l *Lesson) Body(lang string, i int) string   { return T(lang, l.key(l.Steps[i], "body")) }
func (l *Lesson) Do(lang string, i int) string     { return T(lang, l.key(l.Steps[i], "do")) }
func (l *Lesson) Notice(lang string, i int) string { return T(lang, l.key(l.Steps[i], "notice")) }

// Name of the lesson in language lang.
func (l *Lesson) TitleOf(lang string) string { return T(lang, l.Name+".title") }

// keep says which settings a step's configuration leaves alone: the
// lesson's own place and the view settings a learner chose (speed, the
// shown dimensions, the interpolation), but not the mode.
func keep(st *session.Setting) bool {
	return st.Effect == session.View && st.Key != "mode"
}
