package scene

import "time"

// Throttle lets a periodic piece of work (a view's recompute, a chart's
// redraw) through at most once per Every. The zero value is due at once.
type Throttle struct {
	Every time.Duration
	last  time.Time
}

// Due reports whether Every has passed since the work last ran (Done), or
// it never ran.
func (t *Throttle) Due(now time.Time) bool { return now.Sub(t.last) >= t.Every }

// Done records that the work ran at now.
func (t *Throttle) Done(now time.Time) { t.last = now }

// Rate measures how fast a count rises (steps per second), over windows of
// at least Every (half a second when zero).
type Rate struct {
	Every  time.Duration
	PerSec float64 // the rate over the last complete window
	at     time.Time
	then   int
}

// Observe takes the count at now; it updates PerSec once a window is over.
func (r *Rate) Observe(now time.Time, count int) {
	every := r.Every
	if every == 0 {
		every = 500 * time.Millisecond
	}
	d := now.Sub(r.at)
	if d < every {
		return
	}
	if !r.at.IsZero() {
		r.PerSec = float64(count-r.then) / d.Seconds()
	}
	r.at, r.then = now, count
}
