package input

import "time"

// Gestures turns one finger's events into mouse-like ones for the widgets
// (see the package comment); mouse and pen events pass through unchanged.
// Taps, long presses and the hover a finger lacks are the widgets' own
// business (ui.Input.Touch): what is left here is a second finger and the
// panels that scroll. A finger on a scrolling panel is held back briefly,
// as a scroll view does: moving at once it scrolls (up or down) or drags
// (sideways, from where it went down); lifted at once it taps; resting, it
// presses where it is (a slider's drag, a long press's help).
type Gestures struct {
	// Regions says what lies under a point; nil: everything is a view.
	Regions func(x, y int) Region
	// Slop is how far (device pixels) a finger may wander and still tap.
	Slop int
	// Line is the device pixels one wheel step scrolls (a swipe of that
	// length is one step).
	Line float64
	// Hold is how long a still finger on a scrolling panel waits before
	// it presses (0: DefaultHold).
	Hold time.Duration

	// Seen is set by the first touch (the game may then switch to larger
	// hit targets).
	Seen bool

	active bool
	id     int
	mode   touchMode
	x0, y0 int
	x, y   int
	lastY  int
	at     time.Time
}

type touchMode uint8

const (
	direct  touchMode = iota // pressed: mouse-like
	pending                  // on a scrolling panel, not yet a tap, drag or swipe
	scroll                   // on a scrolling panel, moved up or down: wheel steps
)

// DefaultHold is how long a scroll view waits before a still finger
// touches its content (iOS's delayed content touches: 150 ms).
const DefaultHold = 150 * time.Millisecond

// Active reports whether a finger is down.
func (t *Gestures) Active() bool { return t.active }

func (t *Gestures) region(x, y int) Region {
	if t.Regions == nil {
		return View
	}
	return t.Regions(x, y)
}

func (t *Gestures) hold() time.Duration {
	if t.Hold <= 0 {
		return DefaultHold
	}
	return t.Hold
}

func (t *Gestures) line() float64 {
	if t.Line <= 0 {
		return 40
	}
	return t.Line
}

// feed appends what e means to out.
func (t *Gestures) feed(out []Event, e Event) []Event {
	if e.Device != Touch {
		return append(out, e)
	}
	t.Seen = true
	mk := func(k Kind, x, y int) Event { return Event{Kind: k, Device: Touch, ID: t.id, X: x, Y: y, At: e.At} }
	if e.Kind == Down {
		if t.active {
			return out // a second finger: ignored while the first is down
		}
		t.active, t.id = true, e.ID
		t.x0, t.y0, t.x, t.y, t.lastY, t.at = e.X, e.Y, e.X, e.Y, e.Y, e.At
		if t.region(e.X, e.Y) == ScrollWidgets {
			t.mode = pending
			return out
		}
		t.mode = direct
		return append(out, mk(Move, e.X, e.Y), mk(Down, e.X, e.Y))
	}
	if !t.active || e.ID != t.id {
		return out
	}
	switch e.Kind {
	case Move, Wheel:
		t.x, t.y = e.X, e.Y
		switch t.mode {
		case direct:
			m := mk(Move, e.X, e.Y)
			m.Trail = e.Trail
			return append(out, m)
		case scroll:
			return t.scrollBy(out, mk)
		}
		dx, dy := e.X-t.x0, e.Y-t.y0
		if dx*dx+dy*dy <= t.Slop*t.Slop {
			return out
		}
		if abs(dy) >= abs(dx) {
			t.mode = scroll
			return t.scrollBy(out, mk)
		}
		t.mode = direct
		m := mk(Move, e.X, e.Y)
		m.Trail = e.Trail
		return append(out, mk(Move, t.x0, t.y0), mk(Down, t.x0, t.y0), m)
	case Up, Cancel:
		t.active = false
		switch t.mode {
		case direct:
			return append(out, mk(Up, e.X, e.Y), mk(Leave, 0, 0))
		case pending:
			if e.Kind == Up {
				// A tap: pressed and released where the finger went down.
				out = append(out, mk(Move, t.x0, t.y0), mk(Down, t.x0, t.y0), mk(Up, t.x0, t.y0))
			}
		}
		return append(out, mk(Leave, 0, 0))
	}
	return out
}

// scrollBy turns the finger's vertical travel since the last step into
// wheel steps at the point where the swipe began (inside the panel).
func (t *Gestures) scrollBy(out []Event, mk func(Kind, int, int) Event) []Event {
	dy := t.y - t.lastY
	if dy == 0 {
		return out
	}
	t.lastY = t.y
	w := mk(Wheel, t.x0, t.y0)
	// A hair over the exact quotient: the screen truncates steps×Line to
	// whole pixels, and the finger should move the content by its travel.
	w.Wheel = float64(dy)/t.line() + float64(sign(dy))*1e-9
	return append(out, w)
}

// tick presses a finger that rested on a scrolling panel for Hold.
func (t *Gestures) tick(out []Event, now time.Time) []Event {
	if t.active && t.mode == pending && !now.Before(t.at.Add(t.hold())) {
		t.mode = direct
		e := Event{Device: Touch, ID: t.id, X: t.x0, Y: t.y0, At: now}
		m, d := e, e
		m.Kind, d.Kind = Move, Down
		out = append(out, m, d)
	}
	return out
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

func sign(a int) int {
	switch {
	case a > 0:
		return 1
	case a < 0:
		return -1
	}
	return 0
}
