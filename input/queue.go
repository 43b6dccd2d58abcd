package input

import (
	"image"
	"sync"
	"time"

	"github.com/vaeplayground/vae/ui"
)

// Kind is what happened to a pointer.
type Kind uint8

const (
	Move   Kind = iota // the pointer moved (hover, or a drag while down)
	Down               // the primary button or a finger went down
	Up                 // it went up
	Cancel             // the system took the pointer away (treated as Up)
	Wheel              // a wheel turn (Event.Wheel)
	Leave              // the pointer is gone (a lifted finger): nothing is hovered
)

func (k Kind) String() string {
	return [...]string{"move", "down", "up", "cancel", "wheel", "leave"}[k]
}

// Device is where an event came from.
type Device uint8

const (
	Mouse Device = iota
	Touch
	Pen
)

// Event is one pointer event in device pixels of the frame.
type Event struct {
	Kind   Kind
	Device Device
	ID     int // pointer or touch id (the mouse is 0)
	X, Y   int
	// Wheel is in the screen's wheel steps, positive away from the user
	// (the content moves down, as ebiten.Wheel).
	Wheel float64
	At    time.Time
	// Trail is where a Move passed before (X, Y), oldest first: the moves
	// merged into it (the browser's coalesced ones, or the queue's own),
	// so that a stroke drawn faster than the frames keeps its shape.
	Trail []image.Point
}

// maxTrail bounds a move's trail (a finger moving through a frame of
// seconds); beyond it every other point is dropped, which keeps the shape.
const maxTrail = 1024

// mergeTrail is the trail of a move that follows one at prev, whose own
// trail was prevTrail, and had the trail next: prevTrail, prev, next.
func mergeTrail(prevTrail []image.Point, prev image.Point, next []image.Point) []image.Point {
	out := append(append(prevTrail, prev), next...)
	for len(out) > maxTrail {
		thin := out[:0]
		for i := (len(out) - 1) % 2; i < len(out); i += 2 {
			thin = append(thin, out[i]) // keeps the newest
		}
		out = thin
	}
	return out
}

// Region is what lies under a point, as the gesture recogniser needs it.
type Region uint8

const (
	// View: a touch acts at once, as a mouse press (drawing, dragging).
	View Region = iota
	// Widgets: a touch is a tap on release, a long press shows help, a
	// drag drags from where the finger went down.
	Widgets
	// ScrollWidgets: Widgets in a panel that a vertical swipe scrolls.
	ScrollWidgets
)

// maxQueued bounds the queue (a page that stopped drawing for a long
// while): moves are merged on the way in, so only a storm of clicks fills it.
const maxQueued = 4096

// Queue holds the pointer's events until the frames take them.
type Queue struct {
	mu  sync.Mutex
	raw []Event // pushed, not yet through the recogniser

	// Owned by the caller of Next (the game's Update).
	cooked []Event
	x, y   int
	down   bool
	touch  bool      // the last event was a finger's
	now    time.Time // the last input's time
	// Touch recognises gestures; its Regions and sizes are set by the game.
	Touch Gestures
	// Pushed counts the events pushed, for tests and the state hook.
	pushed int
}

// Push queues an event. Safe from any goroutine; it never waits for Next.
func (q *Queue) Push(e Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pushed++
	if n := len(q.raw); n > 0 && e.Kind == Move {
		// Consecutive moves of one pointer merge, the queue staying short:
		// a frame needs the last position, and a stroke the trail.
		if last := &q.raw[n-1]; last.Kind == Move && last.ID == e.ID && last.Device == e.Device {
			trail := mergeTrail(last.Trail, image.Pt(last.X, last.Y), e.Trail)
			*last = e
			last.Trail = trail
			return
		}
	}
	if len(q.raw) >= maxQueued {
		return
	}
	e.Trail = append([]image.Point(nil), e.Trail...) // the caller's slice stays its own
	q.raw = append(q.raw, e)
}

// Pushed is the number of events pushed so far.
func (q *Queue) Pushed() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pushed
}

// Pending reports whether events wait for a later Next.
func (q *Queue) Pending() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.raw) > 0 || len(q.cooked) > 0
}

// Next is the input of one frame at time now: the events up to and
// including the first press or release, merged; the rest wait for the next
// call. With nothing queued it is the pointer's standing state. Its Now is
// the time of its latest event (or now without one). Its Path holds the
// positions of the merged moves made while the button was held.
func (q *Queue) Next(now time.Time) ui.Input {
	q.mu.Lock()
	raw := q.raw
	q.raw = nil
	q.mu.Unlock()
	for _, e := range raw {
		q.cooked = q.Touch.feed(q.cooked, e)
	}
	q.cooked = q.Touch.tick(q.cooked, now)

	in := ui.Input{X: q.x, Y: q.y, Down: q.down, Touch: q.touch}
	var last time.Time     // the latest consumed event's time
	var path []image.Point // where the held pointer went, (X, Y) last
	n := 0
events:
	for _, e := range q.cooked {
		if in.Pressed || in.Released {
			break // everything after a press or release waits
		}
		in.Touch = e.Device == Touch
		if e.At.After(last) {
			last = e.At
		}
		switch e.Kind {
		case Move:
			in.X, in.Y = e.X, e.Y
			if in.Down {
				path = append(append(path, e.Trail...), image.Pt(e.X, e.Y))
			}
		case Leave:
			if in.Wheel != 0 {
				break events // the turn belongs where the pointer was (a swipe ends with a leave)
			}
			in.X, in.Y = offscreen.X, offscreen.Y
			path = path[:0]
		case Wheel:
			in.X, in.Y = e.X, e.Y
			in.Wheel += e.Wheel
		case Down, Up, Cancel:
			if in.Wheel != 0 && image.Pt(e.X, e.Y) != image.Pt(in.X, in.Y) {
				break events // the turn belongs where the pointer was
			}
			in.X, in.Y = e.X, e.Y
			if e.Kind == Down && !in.Down {
				in.Pressed, in.Down = true, true
			} else if e.Kind != Down && in.Down {
				in.Released, in.Down = true, false
				path = append(path, image.Pt(e.X, e.Y))
			}
		}
		n++
	}
	if k := len(path); k > 0 && path[k-1] == image.Pt(in.X, in.Y) {
		path = path[:k-1]
	}
	if len(path) > 0 {
		in.Path = path
	}
	q.cooked = q.cooked[:copy(q.cooked, q.cooked[n:])]
	q.x, q.y, q.down, q.touch = in.X, in.Y, in.Down, in.Touch
	// The input's time is its events' (a press and its release keep their
	// real interval however late the frames run: a quick tap is no long
	// press), never before an earlier input's.
	in.Now = now
	if n > 0 && !last.IsZero() {
		in.Now = last
	}
	if in.Now.Before(q.now) {
		in.Now = q.now
	}
	q.now = in.Now
	return in
}

// offscreen is where a lifted finger "hovers": inside no rectangle.
var offscreen = image.Pt(-1<<20, -1<<20)
