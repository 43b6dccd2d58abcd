package session

import (
	"math"
	"testing"
	"time"

	"github.com/vaeplayground/vae/core"
)

func TestFrameBudgetAdapts(t *testing.T) {
	b := NewFrameBudget(InitialBudget, MinBudget, MaxBudget)
	b.Adapt(FrameTime) // on time: a sixteenth and 0.1 ms more
	if want := InitialBudget + InitialBudget/16 + 100*time.Microsecond; b.D != want {
		t.Fatalf("on time: %v, want %v", b.D, want)
	}
	d := b.D
	b.Adapt(FrameTime * 108 / 100) // between 105 % and 110 %: stays
	if b.D != d {
		t.Fatalf("a slightly late frame moved the budget %v → %v", d, b.D)
	}
	b.Adapt(2 * FrameTime) // late: a quarter less
	if b.D != d*3/4 {
		t.Fatalf("late: %v, want %v", b.D, d*3/4)
	}
	for range 100 {
		b.Adapt(time.Second)
	}
	if b.D != MinBudget {
		t.Fatalf("after many late frames %v, want the floor %v", b.D, MinBudget)
	}
	for range 1000 {
		b.Adapt(time.Millisecond)
	}
	if b.D != MaxBudget {
		t.Fatalf("after many quick frames %v, want the ceiling %v", b.D, MaxBudget)
	}
}

func TestFrameClock(t *testing.T) {
	var c FrameClock
	t0 := time.Unix(100, 0)
	if dt := c.Tick(t0); dt != FrameTime {
		t.Fatalf("first tick %v, want FrameTime", dt)
	}
	if dt := c.Tick(t0.Add(40 * time.Millisecond)); dt != 40*time.Millisecond {
		t.Fatalf("second tick %v, want 40ms", dt)
	}
}

func TestCurveThinsAsTheHistoryDoes(t *testing.T) {
	var c Curve
	if c.Len() != 0 || !math.IsNaN(c.Last()) {
		t.Fatal("an empty curve has points")
	}
	var h History
	for i := range 3 * maxHistory {
		c.Add(float64(i), float64(-i))
		h.Add(&core.StepResult{Step: i + 1})
	}
	if c.Len() != 3*maxHistory || len(c.X) >= maxHistory || len(c.X) != len(h.Step) {
		t.Fatalf("%d points added, %d kept (the history keeps %d)", c.Len(), len(c.X), len(h.Step))
	}
	if c.Last() != c.Y[len(c.Y)-1] || c.X[1]-c.X[0] != h.Step[1]-h.Step[0] {
		t.Fatal("the curve's stride differs from the history's")
	}
}
