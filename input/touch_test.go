package input

import (
	"image"
	"slices"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

func finger(k Kind, id, x, y int, at time.Duration) Event {
	return Event{Kind: k, Device: Touch, ID: id, X: x, Y: y, At: t0.Add(at)}
}

// A screen of 400×400: widgets in the top bar (y < 40), a scrolling
// column (x < 100), a view elsewhere.
func testRegions(x, y int) Region {
	switch {
	case y < 40:
		return Widgets
	case x < 100:
		return ScrollWidgets
	}
	return View
}

func newTouchQueue() *Queue {
	q := &Queue{}
	q.Touch = Gestures{Regions: testRegions, Slop: 10, Line: 40}
	return q
}

// drain runs Next until nothing is pending (at most n times).
func drain(q *Queue, now time.Time, n int) []ui.Input {
	var out []ui.Input
	for range n {
		out = append(out, q.Next(now))
		if !q.Pending() {
			break
		}
	}
	return out
}

func summary(ins []ui.Input) (presses, releases int, wheel float64, firstPress image.Point) {
	for _, in := range ins {
		if in.Pressed {
			if presses == 0 {
				firstPress = image.Pt(in.X, in.Y)
			}
			presses++
		}
		if in.Released {
			releases++
		}
		wheel += in.Wheel
	}
	return
}

func TestTapOnTheTopBarPressesAtOnce(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 7, 50, 20, 0))
	in := q.Next(t0)
	if !in.Pressed || !in.Touch || in.X != 50 {
		t.Fatalf("%+v: want a finger's press at once (the widgets tap on release)", in)
	}
	q.Push(finger(Up, 7, 52, 21, 60*time.Millisecond))
	ins := drain(q, t0.Add(70*time.Millisecond), 10)
	if _, r, _, _ := summary(ins); r != 1 {
		t.Fatalf("%d releases: %+v", r, ins)
	}
	if last := ins[len(ins)-1]; last.In(image.Rect(0, 0, 400, 400)) || !last.Touch {
		t.Fatalf("after the tap the finger still hovers: %+v", last)
	}
	if !q.Touch.Seen {
		t.Fatal("the touch was not noted")
	}
}

// buttonFrames runs a button with help at r for each input and reports
// its clicks and whether its tooltip showed.
func buttonFrames(ins []ui.Input, r image.Rectangle) (clicks int, tip bool) {
	c := ui.NewContext(render.DarkTheme(), 1)
	for _, in := range ins {
		c.Begin(in, nil)
		if c.Button("b", r, "go", "what it does") {
			clicks++
		}
		if s, _ := c.Tooltip(); s != "" {
			tip = true
		}
	}
	return clicks, tip
}

func TestQuickTapOnTheColumnIsAClickWhereTheFingerWentDown(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 7, 50, 200, 0))
	q.Push(finger(Move, 7, 54, 203, 40*time.Millisecond)) // within the slop
	var ins []ui.Input
	in := q.Next(t0.Add(50 * time.Millisecond))
	if in.Pressed || in.Down {
		t.Fatalf("before the hold: %+v, want nothing yet (a swipe may follow)", in)
	}
	ins = append(ins, in)
	q.Push(finger(Up, 7, 54, 203, 90*time.Millisecond))
	for i := range 5 {
		ins = append(ins, q.Next(t0.Add(time.Duration(100+16*i)*time.Millisecond)))
	}
	p, r, _, at := summary(ins)
	if p != 1 || r != 1 || at != image.Pt(50, 200) {
		t.Fatalf("%d presses (first at %v), %d releases: %+v", p, at, r, ins)
	}
	if n, _ := buttonFrames(ins, image.Rect(10, 180, 90, 220)); n != 1 {
		t.Fatalf("the button clicked %d times", n)
	}
}

func TestRestingFingerOnTheColumnPressesAndItsLongPressShowsHelp(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 1, 50, 200, 0))
	var ins []ui.Input
	for ms := 16; ms <= 900; ms += 16 {
		ins = append(ins, q.Next(t0.Add(time.Duration(ms)*time.Millisecond)))
	}
	p, _, _, at := summary(ins)
	if p != 1 || at != image.Pt(50, 200) {
		t.Fatalf("a resting finger: %d presses at %v", p, at)
	}
	for _, in := range ins[:5] { // 80 ms: still waiting
		if in.Down {
			t.Fatalf("pressed before the hold: %+v", in)
		}
	}
	q.Push(finger(Up, 1, 50, 200, 900*time.Millisecond))
	ins = append(ins, drain(q, t0.Add(910*time.Millisecond), 10)...)
	clicks, tip := buttonFrames(ins, image.Rect(10, 180, 90, 220))
	if !tip || clicks != 0 {
		t.Fatalf("a long press: tooltip %v, %d clicks (want the help, no click)", tip, clicks)
	}
}

func TestSwipeScrollsTheColumnWithoutPressing(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 3, 50, 300, 0))
	var ins []ui.Input
	for i, y := range []int{290, 270, 240, 200, 180} {
		q.Push(finger(Move, 3, 52, y, time.Duration(i+1)*16*time.Millisecond))
		ins = append(ins, q.Next(t0.Add(time.Duration(i+1)*16*time.Millisecond)))
	}
	q.Push(finger(Up, 3, 52, 180, 100*time.Millisecond))
	ins = append(ins, drain(q, t0.Add(110*time.Millisecond), 10)...)
	p, _, wheel, _ := summary(ins)
	if p != 0 {
		t.Fatalf("a swipe pressed a widget: %+v", ins)
	}
	// 120 px up is three steps of 40 px (negative: the content moves up).
	if px := int(wheel * 40); px != -120 {
		t.Fatalf("scrolled %d px (wheel %v), want −120", px, wheel)
	}
	for _, in := range ins {
		if in.Wheel != 0 && (in.X != 50 || in.Y != 300) {
			t.Fatalf("wheel at (%d,%d), want where the swipe began", in.X, in.Y)
		}
	}
}

func TestSidewaysDragOnWidgetsPressesWhereItBegan(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 3, 20, 200, 0))
	q.Push(finger(Move, 3, 25, 201, 10*time.Millisecond))
	q.Push(finger(Move, 3, 60, 203, 20*time.Millisecond))
	q.Push(finger(Move, 3, 80, 203, 30*time.Millisecond))
	q.Push(finger(Up, 3, 80, 203, 40*time.Millisecond))
	ins := drain(q, t0.Add(50*time.Millisecond), 10)
	p, r, wheel, at := summary(ins)
	if p != 1 || r != 1 || at != image.Pt(20, 200) || wheel != 0 {
		t.Fatalf("%d presses at %v, %d releases, wheel %v: %+v", p, at, r, wheel, ins)
	}
	// The release frame is at the drag's end (a slider takes its value).
	for _, in := range ins {
		if in.Released && (in.X != 80 || in.Y != 203) {
			t.Fatalf("released at (%d,%d)", in.X, in.Y)
		}
	}
}

func TestTouchOnAViewActsAtOnce(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 1, 200, 200, 0))
	in := q.Next(t0)
	if !in.Pressed || !in.Down || in.X != 200 {
		t.Fatalf("%+v: want a press at once", in)
	}
	q.Push(finger(Move, 1, 203, 200, 10*time.Millisecond)) // a drag, however small
	if in := q.Next(t0); !in.Down || in.X != 203 {
		t.Fatalf("%+v: want the drag", in)
	}
	q.Push(finger(Up, 1, 203, 200, 20*time.Millisecond))
	if in := q.Next(t0); !in.Released || in.X != 203 {
		t.Fatalf("%+v: want the release where the finger left", in)
	}
	if in := q.Next(t0); in.In(image.Rect(0, 0, 400, 400)) {
		t.Fatalf("%+v: the lifted finger still hovers", in)
	}
}

// A finger's stroke over a view through one slow frame reaches the view
// whole: the moves (and the browser's coalesced trail) as the path.
func TestFingerStrokeWithinOneFrameKeepsItsPath(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 1, 200, 200, 0))
	q.Next(t0)
	m := finger(Move, 1, 240, 200, 30*time.Millisecond)
	m.Trail = []image.Point{{210, 200}, {220, 200}, {230, 200}}
	q.Push(m)
	q.Push(finger(Move, 1, 250, 210, 40*time.Millisecond))
	q.Push(finger(Up, 1, 260, 220, 50*time.Millisecond))
	in := q.Next(t0)
	want := []image.Point{{210, 200}, {220, 200}, {230, 200}, {240, 200}, {250, 210}, {260, 220}}
	if !in.Released || !slices.Equal(in.Drag(), want) {
		t.Fatalf("%+v: want the stroke %v", in, want)
	}
	// Sideways from a scrolling column: a drag from where it went down.
	q.Push(finger(Down, 1, 20, 200, 0))
	q.Next(t0)
	m = finger(Move, 1, 50, 202, 30*time.Millisecond)
	m.Trail = []image.Point{{35, 201}}
	q.Push(m)
	a := q.Next(t0)
	b := q.Next(t0)
	if !a.Pressed || a.X != 20 || !b.Down || !slices.Equal(b.Drag(), []image.Point{{35, 201}, {50, 202}}) {
		t.Fatalf("press %+v, then %+v: want the drag from (20, 200) along its trail", a, b)
	}
}

func TestSecondFingerIsIgnored(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 1, 200, 200, 0))
	q.Push(finger(Down, 2, 300, 300, 5*time.Millisecond))
	q.Push(finger(Move, 2, 310, 310, 6*time.Millisecond))
	q.Push(finger(Move, 1, 210, 200, 7*time.Millisecond))
	q.Push(finger(Up, 2, 310, 310, 8*time.Millisecond))
	ins := drain(q, t0, 10)
	for _, in := range ins {
		if in.X >= 300 || in.Released {
			t.Fatalf("the second finger acted: %+v", ins)
		}
	}
	if last := ins[len(ins)-1]; !last.Down || last.X != 210 {
		t.Fatalf("the first finger's drag: %+v", last)
	}
	q.Push(finger(Up, 1, 210, 200, 9*time.Millisecond))
	p, r, _, _ := summary(drain(q, t0, 10))
	if p != 0 || r != 1 {
		t.Fatalf("after the first finger lifted: %d presses, %d releases", p, r)
	}
	// A new first finger works again.
	q.Push(finger(Down, 5, 250, 250, 20*time.Millisecond))
	if in := q.Next(t0); !in.Pressed || in.X != 250 {
		t.Fatalf("a new touch after both lifted: %+v", in)
	}
}

func TestCancelEndsADragCleanly(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 1, 200, 200, 0))
	q.Push(finger(Cancel, 1, 220, 200, 5*time.Millisecond))
	ins := drain(q, t0, 10)
	if p, r, _, _ := summary(ins); p != 1 || r != 1 || ins[len(ins)-1].Down {
		t.Fatalf("cancel: %+v", ins)
	}
	// On the column, a cancelled touch never taps.
	q.Push(finger(Down, 2, 50, 200, 10*time.Millisecond))
	q.Push(finger(Cancel, 2, 50, 200, 20*time.Millisecond))
	if p, _, _, _ := summary(drain(q, t0, 10)); p != 0 {
		t.Fatal("a cancelled touch on the widgets tapped")
	}
}

func TestMouseIsUntouchedByTheGestures(t *testing.T) {
	q := newTouchQueue()
	q.Push(mouse(Down, 50, 200)) // on the column: a mouse presses at once
	if in := q.Next(t0); !in.Pressed || in.Touch {
		t.Fatalf("%+v", in)
	}
	if q.Touch.Seen {
		t.Fatal("a mouse counted as a touch")
	}
}

// On a slow page a quick tap's press and release reach the widgets a
// second apart: they keep the events' own times, so it is no long press.
func TestQuickTapOnASlowPageIsNoLongPress(t *testing.T) {
	q := newTouchQueue()
	q.Push(finger(Down, 1, 60, 20, 0))
	q.Push(finger(Up, 1, 60, 20, 80*time.Millisecond))
	var ins []ui.Input
	for i := range 4 {
		ins = append(ins, q.Next(t0.Add(time.Duration(i+1)*time.Second)))
	}
	if ins[1].Now.Sub(ins[0].Now) != 80*time.Millisecond {
		t.Fatalf("the release came %v after the press, want 80ms", ins[1].Now.Sub(ins[0].Now))
	}
	clicks, tip := buttonFrames(ins, image.Rect(40, 5, 90, 35))
	if clicks != 1 || tip {
		t.Fatalf("%d clicks, tooltip %v: want one click", clicks, tip)
	}
	if !ins[3].Now.Equal(t0.Add(4 * time.Second)) {
		t.Fatalf("an input without events at %v, want the frame's time", ins[3].Now)
	}
}
