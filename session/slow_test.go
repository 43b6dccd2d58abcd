package session

import (
	"testing"
)

// TestSlowUpdateWaitsForTheWorker: the slow motion's update, taken in a
// worker, is done only once the step and the parameters after it came
// back: x's code then moved, at the step after the one it was taken at
// (read at once, it was the model before the step: it had not moved).
// On the page it is done at once.
func TestSlowUpdateWaitsForTheWorker(t *testing.T) {
	for _, worker := range []bool{false, true} {
		mode := Inline
		if worker {
			mode = Worker
		}
		s := newSession(t, "data=8gaussians", mode)
		if worker {
			if err := s.AttachWorker(startWorker(t)); err != nil {
				t.Fatal(err)
			}
		}
		s.StepN(50)
		tickUntil(t, s, "50 steps", func() bool { return s.Steps() >= 50 })
		before := s.Steps()
		st, err := s.Slow(3, 0)
		if err != nil {
			t.Fatal(err)
		}
		s.SlowUpdate(st)
		if !worker && !st.Updated {
			t.Fatal("on the page the update is not done at once")
		}
		tickUntil(t, s, "the update", func() bool { return s.SlowSettle(st) })
		if st.StepTaken != before+1 || s.Steps() != before+1 {
			t.Errorf("worker %v: the update took step %d, the session is at %d, from %d", worker, st.StepTaken, s.Steps(), before)
		}
		if d := dist2(st.Mu, st.MuAfter); d == 0 {
			t.Errorf("worker %v: x's code did not move (μ %v, μ′ %v)", worker, st.Mu, st.MuAfter)
		}
		if st.ReconAfter == st.Recon {
			t.Errorf("worker %v: log p(x|z) unchanged at %v", worker, st.Recon)
		}
	}
}

func dist2(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return s
}
