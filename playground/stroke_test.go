package playground

import (
	"fmt"
	"image"
	"math"
	"testing"
	"time"

	"github.com/vaeplayground/vae/input"
)

// A stroke drawn faster than the frames — its moves and its lift all
// reaching one slow frame, as a finger's do in a browser that coalesces
// them — draws points all along it, by touch and by mouse, whether the
// moves come one by one or as one move with its coalesced trail.
func TestStrokeWithinOneFrameDrawsAlongIt(t *testing.T) {
	for _, c := range []struct {
		device    input.Device
		coalesced bool
	}{{input.Touch, false}, {input.Touch, true}, {input.Mouse, false}, {input.Mouse, true}} {
		t.Run(fmt.Sprintf("device %d coalesced %v", c.device, c.coalesced), func(t *testing.T) {
			s, sc := newScreen(t, "")
			sc.vae().SetTool("draw")
			var q input.Queue
			now := time.Unix(0, 0)
			frame := func() {
				now = now.Add(500 * time.Millisecond) // a slow page: 2 frames/s
				sc.Update(q.Next(now), nil, now)
			}
			frame()
			d := sc.L.Data
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
