package input_test

import (
	"image"
	"testing"
	"time"

	"github.com/vaeplayground/vae/input"
	"github.com/vaeplayground/vae/playground"
	"github.com/vaeplayground/vae/session"
)

// The playground's screen fed through the queue: clicks quicker than a
// frame reach its buttons.
func TestScreenSeesClicksWithinOneFrame(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := playground.NewScreen(s, 1280, 800, 1)
	var q input.Queue
	now := time.Unix(0, 0)
	frame := func() {
		now = now.Add(50 * time.Millisecond) // a slow page: 20 frames/s
		sc.Update(q.Next(now), nil, now)
	}
	frame()
	click := func(name string) {
		r := sc.Controls()[name]
		if r.Empty() {
			t.Fatalf("no %q button among %v", name, sc.Controls())
		}
		p := image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
		q.Push(input.Event{Kind: input.Move, X: p.X, Y: p.Y, At: now})
		q.Push(input.Event{Kind: input.Down, X: p.X, Y: p.Y, At: now})
		q.Push(input.Event{Kind: input.Up, X: p.X, Y: p.Y, At: now})
	}

	n := s.Steps()
	click("step")
	click("step") // two clicks before the next frame
	for range 4 {
		frame()
	}
	if got := s.Steps() - n; got != 2 {
		t.Fatalf("two quick clicks on Step made %d steps", got)
	}

	click("play")
	frame()
	frame()
	if !s.Playing {
		t.Fatal("a click within one frame on Play did not start training")
	}
	click("play")
	frame()
	frame()
	if s.Playing {
		t.Fatal("the second quick click on Play did not pause")
	}
}

// A touch swipe over the controls column scrolls it; a tap on a toggle
// there flips it.
func TestScreenTouchScrollAndTap(t *testing.T) {
	s, err := session.New("", session.Inline)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sc := playground.NewScreen(s, 1280, 800, 1)
	q := &input.Queue{}
	q.Touch = input.Gestures{Slop: 10, Line: 40, Regions: func(x, y int) input.Region {
		for _, a := range sc.WidgetAreas() {
			if image.Pt(x, y).In(a.Rect) {
				if a.Scrolls {
					return input.ScrollWidgets
				}
				return input.Widgets
			}
		}
		return input.View
	}}
	now := time.Unix(0, 0)
	frame := func() {
		now = now.Add(16 * time.Millisecond)
		sc.Update(q.Next(now), nil, now)
	}
	frame()
	// The last control of the column, below the fold at 800 px.
	keys := sc.Controls()
	var last string
	lastY := 0
	for _, st := range s.Values.Visible() {
		if r, ok := keys[st.Key]; ok && r.Min.Y >= lastY {
			last, lastY = st.Key, r.Min.Y
		}
	}
	before := sc.ControlRect(last)
	col := sc.L.Controls
	x := col.Min.X + col.Dx()/2
	finger := func(k input.Kind, y int) {
		q.Push(input.Event{Kind: k, Device: input.Touch, ID: 1, X: x, Y: y, At: now})
	}
	finger(input.Down, 700)
	for y := 690; y >= 300; y -= 30 {
		finger(input.Move, y)
		frame()
	}
	finger(input.Up, 300)
	for range 4 {
		frame()
	}
	after := sc.ControlRect(last)
	if after == before || after.Min.Y >= before.Min.Y && !before.Empty() {
		t.Fatalf("the swipe did not scroll: %q at %v, then %v", last, before, after)
	}

	// A tap on the first toggle flips its setting.
	var key string
	for _, st := range s.Values.Visible() {
		if st.Kind == session.Bool && !sc.ControlRect(st.Key).Empty() {
			key = st.Key
			break
		}
	}
	if key == "" {
		t.Fatal("no toggle in view")
	}
	was := s.Values.Get(key)
	r := sc.ControlRect(key)
	x = r.Max.X - 5
	finger(input.Down, (r.Min.Y+r.Max.Y)/2)
	frame()
	finger(input.Up, (r.Min.Y+r.Max.Y)/2)
	for range 4 {
		frame()
	}
	if s.Values.Get(key) == was {
		t.Fatalf("a tap on the %q toggle did not flip it", key)
	}
}
