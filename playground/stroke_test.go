package playground

import (
	"fmt"
	"image"
	"math"
	"testing"
	"time"

	"github.com/vaeplayground/vae/input"
	"github.com/vaeplayground/vae/session"
)

// A stroke drawn faster than the frames — its moves and its lift all
// reaching one slow frame, as a finger's do in a browser that coalesces
// them — draws points all along it, by touch and by mouse, whether the
// moves come one by one or as one move with its coalesced trail.
func TestStrokeWithinOneFrameDrawsAlongIt(t *testing.T) {
	type screen struct {
		name  string
		w, h  int
		scale float64
	}
	for _, c := range []struct {
		screen
		device    input.Device
		coalesced bool
	}{
		{screen{"desktop", 1280, 800, 1}, input.Touch, false},
		{screen{"desktop", 1280, 800, 1}, input.Touch, true},
		{screen{"desktop", 1280, 800, 1}, input.Mouse, false},
		{screen{"desktop", 1280, 800, 1}, input.Mouse, true},
		// A phone's views lie on a sheet that scrolls under the top bar:
		// the stroke reaches the view in the sheet's pixels.
		{screen{"phone", 390 * 3, 844 * 3, 3}, input.Touch, true},
	} {
		t.Run(fmt.Sprintf("%s device %d coalesced %v", c.name, c.device, c.coalesced), func(t *testing.T) {
			s, err := session.New("", session.Inline)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			sc := NewScreen(s, c.w, c.h, c.scale)
			sc.vae().SetTool("draw")
			var q input.Queue
			now := time.Unix(0, 0)
			frame := func() {
				now = now.Add(500 * time.Millisecond) // a slow page: 2 frames/s
				sc.Update(q.Next(now), nil, now)
			}
			frame()
			d, _ := sc.ViewRects()
			if sc.L.Compact {
				sc.scrollSheet(d.Min.Y - sc.L.View.Min.Y - sc.px(10)) // the data view whole on the screen
				frame()
				d, _ = sc.ViewRects()
				if !d.In(sc.visibleView()) || sc.f.Offset == (image.Point{}) {
					t.Fatalf("the data view at %v, the screen shows %v of the sheet (offset %v)", d, sc.visibleView(), sc.f.Offset)
				}
			}
			from := image.Pt(d.Min.X+d.Dx()*3/10, d.Min.Y+d.Dy()*4/10)
			to := image.Pt(d.Min.X+d.Dx()*7/10, d.Min.Y+d.Dy()*6/10)
			const moves = 16
			at := func(i int) image.Point {
				return image.Pt(from.X+(to.X-from.X)*i/moves, from.Y+(to.Y-from.Y)*i/moves)
			}
			ev := func(k input.Kind, p image.Point) input.Event {
				return input.Event{Kind: k, Device: c.device, ID: 1, X: p.X, Y: p.Y, At: now}
			}
			q.Push(ev(input.Move, from))
			q.Push(ev(input.Down, from))
			frame()
			if c.coalesced {
				m := ev(input.Move, to)
				for i := 1; i < moves; i++ {
					m.Trail = append(m.Trail, at(i))
				}
				q.Push(m)
			} else {
				for i := 1; i <= moves; i++ {
					q.Push(ev(input.Move, at(i)))
				}
			}
			q.Push(ev(input.Up, to))
			for range 3 {
				frame()
			}
			n := s.Drawn.Len()
			if n < moves/2 {
				t.Fatalf("%d points drawn along a stroke of %d moves", n, moves)
			}
			// In order along one straight line (y grows upwards in data
			// space: the stroke goes right and down the screen).
			x0, y0, _ := s.Drawn.At(0)
			x1, y1, _ := s.Drawn.At(n - 1)
			lastX := math.Inf(-1)
			for i := range n {
				x, y, _ := s.Drawn.At(i)
				if x <= lastX {
					t.Fatalf("point %d at x %.3f after %.3f: not along the stroke", i, x, lastX)
				}
				lastX = x
				if off := distToSegment(x, y, x0, y0, x1, y1); off > 0.02*math.Hypot(x1-x0, y1-y0) {
					t.Fatalf("point %d (%.3f, %.3f) is %.3f off the line of the stroke", i, x, y, off)
				}
			}
			if y1 >= y0 {
				t.Fatalf("the stroke went down the screen, its points from y %.3f to %.3f", y0, y1)
			}
		})
	}
}

func distToSegment(x, y, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := math.Max(0, math.Min(1, ((x-ax)*dx+(y-ay)*dy)/(dx*dx+dy*dy)))
	return math.Hypot(x-ax-t*dx, y-ay-t*dy)
}
