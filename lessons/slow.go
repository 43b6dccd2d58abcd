package lessons

import (
	"math"
	"strings"

	"github.com/vaeplayground/vae/session"
)

// SlowParts are the parts a slow-motion step shows one tap at a time: the
// point, the encoder, the draw, the decode, the reconstruction term, the
// KL term and the update.
const SlowParts = 7

// Slow is a slow-motion step's state: the point, the part shown and the
// step's parts as computed on the running model.
type Slow struct {
	Row, Draw int
	Part      int // the part shown, from 0 (−1: none yet)
	St        *session.SlowStep
	// Rounds counts the updates shown.
	Rounds int
}

// Slow is the open step's slow motion (nil on other steps).
func (r *Runner) Slow() *Slow {
	if !r.Step().Slow {
		return nil
	}
	return r.w.Slow
}

// SlowNext shows the next part of the slow-motion step (a tap): the first
// tap takes the step apart on the model as it is; the last part takes the
// update (one real training step); the tap after it starts over with a
// fresh ε on the updated model.
func (r *Runner) SlowNext(s *session.Session) error {
	sl := r.w.Slow
	if sl == nil {
		return nil
	}
	if sl.St == nil || sl.Part >= SlowParts-1 {
		if sl.St != nil {
			sl.Draw++
		}
		st, err := s.Slow(sl.Row, sl.Draw)
		if err != nil {
			return err
		}
		sl.St, sl.Part = st, 0
	} else {
		sl.Part++
		if sl.Part == SlowParts-1 {
			s.SlowUpdate(sl.St)
			sl.Rounds++
		}
	}
	r.Version++
	return nil
}

// SlowOther picks another point of the data and starts its parts over.
func (r *Runner) SlowOther(s *session.Session) error {
	sl := r.w.Slow
	if sl == nil {
		return nil
	}
	n, _ := s.X.Dims()
	sl.Row = (sl.Row*7919 + 613) % n
	sl.St, sl.Part = nil, -1
	return r.SlowNext(s)
}

// PartMessage is the message of the part shown, with its numbers.
func (sl *Slow) PartMessage() Msg {
	st := sl.St
	if st == nil {
		return msg("slow.none")
	}
	switch sl.Part {
	case 0:
		return msg("slow.p0", Vec(st.X), st.Row+1)
	case 1:
		return msg("slow.p1", Vec(st.Mu), Vec(st.Sigma))
	case 2:
		return msg("slow.p2", Vec(st.Eps), Vec(st.Z))
	case 3:
		return msg("slow.p3", Vec(st.Decoded), Vec(st.X))
	case 4:
		return msg("slow.p4", nats(st.Recon))
	case 5:
		if math.IsNaN(st.Analytic) {
			return msg("slow.p5m", nats(st.LogQ), nats(st.LogP), nats(st.KL), Num{math.Exp(st.LogP), 4})
		}
		return msg("slow.p5", nats(st.LogQ), nats(st.LogP), nats(st.KL), Num{math.Exp(st.LogP), 4}, nats(st.Analytic))
	}
	moved := dist(st.Mu, st.MuAfter)
	return msg("slow.p6", st.StepTaken, Vec(st.Mu), Vec(st.MuAfter), Num{moved, 4}, nats(st.Recon), nats(st.ReconAfter))
}

// PartTitle is the part's name.
func (sl *Slow) PartTitle(lang string) string {
	return T(lang, "slow.t"+string(rune('0'+max(0, sl.Part))))
}

// Vec is a vector written as a language writes numbers: (0.41, −1.20), or
// with decimal commas (0,41; −1,20).
type Vec []float64

func (v Vec) in(lang string) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = Num{x, 2}.in(lang)
	}
	sep := ", "
	if lang == "vi" {
		sep = "; "
	}
	return "(" + strings.Join(parts, sep) + ")"
}

// String writes the vector in English.
func (v Vec) String() string { return v.in("en") }

func watchSlow(w *Watch) Result {
	sl := w.Slow
	if sl == nil || sl.St == nil {
		return Result{Msg: msg("slow.wait0")}
	}
	if sl.Rounds == 0 || !w.S.SlowSettle(sl.St) {
		return Result{Msg: msg("slow.wait", sl.Part+1, SlowParts)}
	}
	st := sl.St
	return Result{Done: true, Msg: msg("slow.done", Num{dist(st.Mu, st.MuAfter), 4}, nats(st.Recon), nats(st.ReconAfter), st.StepTaken)}
}
