package lessons

import (
	"fmt"
	"strings"

	"github.com/vaeplayground/vae/session"
)

// LabProbe is what the flow lab's scene tells the lessons: its fit's last
// score (the KL to an energy target) and step.
type LabProbe interface {
	Score() (score float64, step int, kl, ok bool)
	Steps() int
}

// Watch is what a check reads: the session, the flow lab, the comparison
// (nil when off), and what the step and the lesson remember.
type Watch struct {
	S   *session.Session
	Lab LabProbe
	Cmp *session.Compare
	// Opened is the session's step count when the step opened (or its
	// model was last rebuilt): "steps since".
	Opened int
	// KL is a moving average of the KL per latent dimension over the
	// steps seen (nil under a prior without an analytic KL).
	KL []float64
	// Memo keeps a step's numbers between its checks (a value at the
	// moment something was done).
	Memo map[string]float64
	// Slow is the slow-motion step's state (nil on other steps).
	Slow *Slow
	mem  *Memory
}

// Since is the training steps taken since the step opened.
func (w *Watch) Since() int { return w.S.Steps() - w.Opened }

// Memory keeps numbers across a lesson's steps: a measure under a
// configuration ("holes standard"), so a later step can set its own beside
// it (the same data and seed).
type Memory struct {
	m map[string]float64
}

// Get returns a remembered number.
func (m *Memory) Get(key string) (float64, bool) {
	x, ok := m.m[key]
	return x, ok
}

// Put remembers a number.
func (m *Memory) Put(key string, x float64) {
	if m.m == nil {
		m.m = map[string]float64{}
	}
	m.m[key] = x
}

// Runner runs a lesson against a session: which step is open, its checks'
// results, and what the lesson remembers.
type Runner struct {
	L     *Lesson
	Index int // the open step, from 0
	// Results are the open step's checks' last results (nil before the
	// first look).
	Results []Result
	// Version rises when a result changes (the column redraws).
	Version int
	// Notes are what the step's configuration could not apply.
	Notes []string

	w         Watch
	lastSteps int
	dataVer   int
}

// NewRunner starts lesson l (at no step: call Open).
func NewRunner(l *Lesson) *Runner {
	return &Runner{L: l, w: Watch{mem: &Memory{}}}
}

// Step is the open step.
func (r *Runner) Step() *Step { return r.L.Steps[r.Index] }

// Memory is the lesson's memory.
func (r *Runner) Memory() *Memory { return r.w.mem }

// Open opens step i (clamped into the lesson) on session s: its
// configuration is applied through the settings (one model rebuild at
// most), the "lesson" and "step" settings follow, and its checks start
// afresh.
func (r *Runner) Open(s *session.Session, i int) error {
	i = max(0, min(i, len(r.L.Steps)-1))
	r.Index = i
	st := r.Step()
	fragment := st.Config
	if !strings.Contains(fragment, "mode=") {
		fragment += "&mode=vae"
	}
	notes, err := s.Apply(fragment, keep)
	r.Notes = notes
	_ = s.Set("lesson", r.L.Name)
	_ = s.SetValue("step", float64(i+1))
	r.Results = make([]Result, len(st.Checks))
	r.w.S, r.w.Memo, r.w.KL, r.w.Slow = s, map[string]float64{}, nil, nil
	if st.Slow {
		r.w.Slow = &Slow{Part: -1}
	}
	r.w.Opened, r.lastSteps, r.dataVer = s.Steps(), s.Steps(), s.DataVersion
	r.Version++
	if err != nil {
		return fmt.Errorf("step %d: %w", i+1, err)
	}
	return nil
}

// Fired reports whether every check of the open step has fired.
func (r *Runner) Fired() bool {
	for _, res := range r.Results {
		if !res.Done {
			return false
		}
	}
	return true
}

// Update looks at the session: the KL average follows the newest step, and
// the first check that has not fired yet is asked again (checks fire in
// order; a fired one keeps its message). lab and cmp may be nil. It
// reports whether a result changed.
func (r *Runner) Update(s *session.Session, lab LabProbe, cmp *session.Compare) bool {
	w := &r.w
	w.S, w.Lab, w.Cmp = s, lab, cmp
	if s.DataVersion != r.dataVer || s.Steps() < r.lastSteps {
		// A new model (a reset, a rebuild setting): steps count from it.
		r.dataVer, w.Opened, w.KL = s.DataVersion, s.Steps(), nil
	}
	if s.Steps() != r.lastSteps {
		r.lastSteps = s.Steps()
		if kl := s.History.Last.KLPerDim; len(kl) > 0 {
			if len(w.KL) != len(kl) {
				w.KL = append([]float64(nil), kl...)
			} else {
				for j, v := range kl {
					w.KL[j] += 0.2 * (v - w.KL[j])
				}
			}
		} else {
			w.KL = nil
		}
	}
	for i, c := range r.Step().Checks {
		if r.Results[i].Done {
			continue
		}
		res := c.Watch(w)
		if res.Msg.Key != r.Results[i].Msg.Key || fmt.Sprint(res.Msg.Args) != fmt.Sprint(r.Results[i].Msg.Args) || res.Done {
			r.Results[i] = res
			r.Version++
			return true
		}
		return false
	}
	return false
}

// Message is check i's message in language lang ("" before the first
// look).
func (r *Runner) Message(lang string, i int) string {
	m := r.Results[i].Msg
	if m.Key == "" {
		return ""
	}
	return m.In(lang)
}
