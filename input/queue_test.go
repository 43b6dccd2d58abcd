package input

import (
	"image"
	"slices"
	"testing"
	"time"

	"github.com/vaeplayground/vae/render"
	"github.com/vaeplayground/vae/ui"
)

var t0 = time.Unix(1000, 0)

func mouse(k Kind, x, y int) Event { return Event{Kind: k, Device: Mouse, X: x, Y: y, At: t0} }

// clicks runs n frames of a button at r fed by q and counts its clicks.
func clicks(q *Queue, r image.Rectangle, n int) (count int, ins []ui.Input) {
	c := ui.NewContext(render.DarkTheme(), 1)
	for i := range n {
		in := q.Next(t0.Add(time.Duration(i) * 16 * time.Millisecond))
		ins = append(ins, in)
		c.Begin(in, nil)
		if c.Button("b", r, "go", "") {
			count++
		}
	}
	return count, ins
}

func TestPressAndReleaseWithinOneFrameIsAClick(t *testing.T) {
	var q Queue
	q.Push(mouse(Move, 50, 20))
	q.Push(mouse(Down, 50, 20))
	q.Push(mouse(Up, 50, 20))
	n, ins := clicks(&q, image.Rect(10, 10, 90, 40), 4)
	if n != 1 {
		t.Fatalf("%d clicks, want 1: %+v", n, ins)
	}
	if !ins[0].Pressed || !ins[0].Down || ins[0].Released {
		t.Fatalf("first frame %+v: want the press (held)", ins[0])
	}
	if !ins[1].Released || ins[1].Down || ins[1].Pressed {
		t.Fatalf("second frame %+v: want the release", ins[1])
	}
	if ins[2].Pressed || ins[2].Released || ins[2].Down {
		t.Fatalf("third frame %+v: want nothing new", ins[2])
	}
	if q.Pending() {
		t.Fatal("events left over")
	}
}

func TestTwoClicksWithinOneFrameAreBothSeen(t *testing.T) {
	var q Queue
	for range 2 {
		q.Push(mouse(Down, 50, 20))
		q.Push(mouse(Up, 50, 20))
	}
	n, ins := clicks(&q, image.Rect(10, 10, 90, 40), 6)
	if n != 2 {
		t.Fatalf("%d clicks, want 2: %+v", n, ins)
	}
	presses, releases := 0, 0
	for _, in := range ins {
		if in.Pressed {
			presses++
		}
		if in.Released {
			releases++
		}
	}
	if presses != 2 || releases != 2 {
		t.Fatalf("%d presses, %d releases over %d frames", presses, releases, len(ins))
	}
}

func TestClicksInOrderAtTheirOwnPlaces(t *testing.T) {
	// Press on one button, release, press on another: each press is seen
	// where it happened, not at the last position.
	var q Queue
	q.Push(mouse(Down, 20, 20))
	q.Push(mouse(Up, 20, 20))
	q.Push(mouse(Move, 120, 20))
	q.Push(mouse(Down, 120, 20))
	q.Push(mouse(Up, 125, 22))
	c := ui.NewContext(render.DarkTheme(), 1)
	var got []string
	for i := range 6 {
		in := q.Next(t0.Add(time.Duration(i) * time.Millisecond))
		c.Begin(in, nil)
		if c.Button("a", image.Rect(0, 0, 50, 50), "a", "") {
			got = append(got, "a")
		}
		if c.Button("b", image.Rect(100, 0, 150, 50), "b", "") {
			got = append(got, "b")
		}
	}
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("clicked %v, want [a b]", got)
	}
}

func TestMovesMergeAndWheelSums(t *testing.T) {
	var q Queue
	for i := range 10 {
		q.Push(mouse(Move, i, 2*i))
	}
	q.Push(Event{Kind: Wheel, X: 9, Y: 18, Wheel: 1})
	q.Push(Event{Kind: Wheel, X: 9, Y: 18, Wheel: 0.5})
	in := q.Next(t0)
	if in.X != 9 || in.Y != 18 || in.Wheel != 1.5 || in.Pressed || in.Down {
		t.Fatalf("got %+v, want the last position and wheel 1.5", in)
	}
	if in := q.Next(t0); in.Wheel != 0 || in.X != 9 {
		t.Fatalf("the wheel was counted twice: %+v", in)
	}
}

func TestWheelElsewhereIsNotMergedIntoAPress(t *testing.T) {
	var q Queue
	q.Push(Event{Kind: Wheel, X: 5, Y: 5, Wheel: 1})
	q.Push(mouse(Down, 300, 300))
	a, b := q.Next(t0), q.Next(t0)
	if a.Wheel != 1 || a.Pressed || a.X != 5 {
		t.Fatalf("first %+v: want the wheel at (5,5) alone", a)
	}
	if !b.Pressed || b.Wheel != 0 || b.X != 300 {
		t.Fatalf("second %+v: want the press at (300,300)", b)
	}
}

func TestDragMovesArriveBetweenPressAndRelease(t *testing.T) {
	var q Queue
	q.Push(mouse(Down, 10, 10))
	q.Push(mouse(Move, 50, 10))
	q.Push(mouse(Move, 90, 10))
	q.Push(mouse(Up, 90, 10))
	a, b, c := q.Next(t0), q.Next(t0), q.Next(t0)
	if !a.Pressed || a.X != 10 {
		t.Fatalf("press %+v", a)
	}
	if !b.Released || b.X != 90 {
		t.Fatalf("release %+v: want at 90 after the moves", b)
	}
	if c.Down || c.Pressed || c.Released {
		t.Fatalf("after %+v", c)
	}
}

// A drag's moves merged into one frame keep their path (the stroke a slow
// frame took whole), as do a coalesced move's trail; hover has none.
func TestMergedDragMovesKeepTheirPath(t *testing.T) {
	var q Queue
	for i := range 3 {
		q.Push(mouse(Move, i, 0)) // hover
	}
	q.Push(mouse(Down, 10, 10))
	if a := q.Next(t0); !a.Pressed || len(a.Path) != 0 || !slices.Equal(a.Drag(), []image.Point{{10, 10}}) {
		t.Fatalf("press %+v: want no path, the drag at the press", a)
	}
	q.Push(mouse(Move, 20, 10))
	q.Push(mouse(Move, 30, 15))
	browser := mouse(Move, 60, 30) // a move with the ones the browser folded into it
	browser.Trail = []image.Point{{40, 20}, {50, 25}}
	q.Push(browser)
	browser.Trail[0] = image.Pt(-1, -1) // the queue keeps its own copy
	q.Push(mouse(Up, 70, 30))
	b := q.Next(t0)
	want := []image.Point{{20, 10}, {30, 15}, {40, 20}, {50, 25}, {60, 30}}
	if !b.Released || b.X != 70 || !slices.Equal(b.Path, want) {
		t.Fatalf("release %+v: want the path %v", b, want)
	}
	if d := b.Drag(); !slices.Equal(d, append(want, image.Pt(70, 30))) {
		t.Fatalf("drag %v: want the path and the release", d)
	}
	q.Push(mouse(Move, 80, 30))
	q.Push(mouse(Move, 90, 30))
	if c := q.Next(t0); len(c.Path) != 0 || c.Drag() != nil {
		t.Fatalf("hover after the release %+v: want no path, no drag", c)
	}
}

// A stroke through a very long frame keeps a bounded path that still runs
// from its start to its end.
func TestLongStrokePathIsBounded(t *testing.T) {
	var q Queue
	q.Push(mouse(Down, 0, 0))
	q.Next(t0)
	const n = 10 * maxTrail
	for i := 1; i <= n; i++ {
		q.Push(mouse(Move, i, 0))
	}
	in := q.Next(t0)
	if len(in.Path) > maxTrail+1 || len(in.Path) < maxTrail/4 {
		t.Fatalf("a path of %d points for %d moves", len(in.Path), n)
	}
	if in.X != n || in.Path[0].X > n/100 || in.Path[len(in.Path)-1].X < n-n/100 {
		t.Fatalf("path from %v to %v, pointer at %d", in.Path[0], in.Path[len(in.Path)-1], in.X)
	}
	for i := 1; i < len(in.Path); i++ {
		if in.Path[i].X <= in.Path[i-1].X {
			t.Fatalf("path out of order at %d: %v then %v", i, in.Path[i-1], in.Path[i])
		}
	}
}

func TestPushFromAnotherGoroutine(t *testing.T) {
	var q Queue
	done := make(chan bool)
	go func() {
		for range 100 {
			q.Push(mouse(Down, 1, 1))
			q.Push(mouse(Up, 1, 1))
		}
		close(done)
	}()
	presses := 0
	for {
		select {
		case <-done:
			for q.Pending() {
				if q.Next(t0).Pressed {
					presses++
				}
			}
			if presses != 100 {
				t.Fatalf("%d presses seen of 100", presses)
			}
			return
		default:
			if q.Next(t0).Pressed {
				presses++
			}
		}
	}
}

func TestFromCSS(t *testing.T) {
	cases := []struct {
		x, y, w, h, dpr float64
		fw, fh          int
		wx, wy          int
	}{
		{10, 20, 390, 844, 3, 1170, 2532, 30, 60},   // the frame fills the canvas
		{0, 0, 390, 844, 3, 1170, 2532, 0, 0},       // the corner
		{100, 100, 800, 600, 1, 800, 600, 100, 100}, // scale 1
		// A frame of 1920×1200 letterboxed in a 1170×2532 canvas: scaled by
		// 1170/1920 and centred vertically (offset (2532−731.25)/2).
		{195, 422, 390, 844, 3, 1920, 1200, 960, 600},
	}
	for _, c := range cases {
		x, y := FromCSS(c.x, c.y, c.w, c.h, c.dpr, c.fw, c.fh)
		if x != c.wx || y != c.wy {
			t.Errorf("FromCSS(%v, %v, %v×%v @%v → %d×%d) = %d, %d, want %d, %d", c.x, c.y, c.w, c.h, c.dpr, c.fw, c.fh, x, y, c.wx, c.wy)
		}
	}
}

// A swipe that ends within one frame (on a slow page its wheel steps, its
// lift and its leave all arrive together) keeps its wheel where the
// finger was: the leave waits for the next frame.
func TestWheelThenLeaveKeepsTheWheelsPlace(t *testing.T) {
	var q Queue
	q.Push(Event{Kind: Wheel, X: 50, Y: 60, Wheel: -2})
	q.Push(Event{Kind: Leave})
	a, b := q.Next(t0), q.Next(t0)
	if a.Wheel != -2 || a.X != 50 || a.Y != 60 {
		t.Fatalf("first %+v: want the wheel at (50,60)", a)
	}
	if b.Wheel != 0 || b.X == 50 {
		t.Fatalf("second %+v: want the leave alone", b)
	}
}
