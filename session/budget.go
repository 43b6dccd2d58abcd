package session

import "time"

// Everything that runs inside the browser's frame (inline training, the
// flow lab's fit and its view tasks) shares one rule: a per-frame time
// budget that shrinks when frames run long and grows back slowly when they
// are on time, so that the page keeps its frame rate whatever the machine.

// FrameTime is the frame the budgets aim for (60 frames a second).
const FrameTime = time.Second / 60

// Bounds of the training budget per frame.
const (
	MinBudget     = 1 * time.Millisecond
	MaxBudget     = 12 * time.Millisecond
	InitialBudget = 6 * time.Millisecond
)

// FrameBudget is a per-frame time budget in [Min, Max]. The zero value has
// no bounds: use NewFrameBudget.
type FrameBudget struct {
	D        time.Duration // the budget now
	Min, Max time.Duration
}

// NewFrameBudget starts a budget at initial within [min, max].
func NewFrameBudget(initial, min, max time.Duration) FrameBudget {
	return FrameBudget{D: initial, Min: min, Max: max}
}

// Adapt follows the last frame's duration dt: frames running long (over
// 110 % of FrameTime) cut the budget by a quarter, frames on time (under
// 105 %) add a sixteenth and 0.1 ms; in between it stays.
func (b *FrameBudget) Adapt(dt time.Duration) {
	switch {
	case dt > FrameTime*11/10:
		b.D = max(b.Min, b.D*3/4)
	case dt < FrameTime*21/20:
		b.D = min(b.Max, b.D+b.D/16+100*time.Microsecond)
	}
}

// FrameClock measures the time between ticks (FrameTime before the first).
type FrameClock struct{ last time.Time }

// Tick returns the time since the last tick and starts the next interval.
func (c *FrameClock) Tick(now time.Time) time.Duration {
	dt := FrameTime
	if !c.last.IsZero() {
		dt = now.Sub(c.last)
	}
	c.last = now
	return dt
}
